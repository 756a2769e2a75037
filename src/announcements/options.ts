// The /announce options as typed, turned into values: lists of languages, countries and
// platforms ("de,fr" or "de fr"), group names ("A;B"), and a send time in the coordinator's zone.
// "all" clears a filter. Anything unreadable is a UserError naming what was typed.
import { UserError } from "../core/errors.ts";
import { requireCountry } from "../i18n/countries.ts";
import type { Locale } from "../i18n/i18n.ts";
import { requireLanguage } from "../i18n/languages.ts";
import { parseTypedWallClock } from "../time/instants.ts";

/** What one announcement may say, in characters as people count them (as /homework submit). */
export const MAX_ANNOUNCEMENT_TEXT = 4000;

/** The word that clears a filter: languages=all. */
export const ALL = "all";

function listItems(input: string): string[] {
  return [...new Set(input.split(/[,;\s]+/).map((item) => item.trim()).filter(Boolean))];
}

function clears(input: string): boolean {
  return input.trim().toLowerCase() === ALL;
}

export function parseLanguages(input: string): Locale[] {
  return clears(input) ? [] : [...new Set(listItems(input).map(requireLanguage))];
}

/** Country codes ("DE, Österreich; Korea" -> DE, AT, KR); one we can't place is refused with suggestions. */
export function parseCountries(input: string, reader: Locale): string[] {
  // Commas or semicolons only: "United Kingdom" is one country.
  if (clears(input)) return [];
  return [...new Set(input.split(/[,;]+/).map((item) => item.trim()).filter(Boolean).map((item) => requireCountry(item, reader)))];
}

export function parsePlatforms(input: string): string[] {
  if (clears(input)) return [];
  const platforms = listItems(input).map((item) => item.toLowerCase());
  const bad = platforms.find((platform) => !/^[a-z]{2,20}$/.test(platform));
  if (bad) throw new UserError("announce.badPlatform", { input: bad });
  return platforms;
}

/**
 * Group names separated by semicolons ("Tenants, Kreuzberg;Nurses United"). A piece that names
 * no group but has group names among its comma-separated parts is read as those parts ("A,B"
 * for "A;B"), so an unknown one among them is reported by itself.
 */
export function splitGroupNames(input: string, isGroupName: (name: string) => boolean): string[] {
  if (clears(input)) return [];
  return input
    .split(";")
    .map((piece) => piece.trim())
    .filter(Boolean)
    .flatMap((piece) => {
      if (isGroupName(piece) || !piece.includes(",")) return [piece];
      const parts = piece.split(",").map((part) => part.trim()).filter(Boolean);
      return parts.some(isGroupName) ? parts : [piece];
    });
}

/** at="2030-05-26 18:00" in the coordinator's zone; at=now sends as soon as it is confirmed (null). */
export function parseSendAt(input: string, zone: string, now: Date): Date | null {
  if (input.trim().toLowerCase() === "now") return null;
  const parsed = parseTypedWallClock(input, zone);
  if (!parsed.ok) throw new UserError(parsed.reason === "nonexistent" ? "announce.atNonexistent" : "announce.atUnreadable", { input, zone });
  if (parsed.instant <= now) throw new UserError("announce.atPast", { at: parsed.instant });
  return parsed.instant;
}
