// Values to offer while a user types an argument (Discord autocomplete, and anywhere else a
// platform can show choices): time zones, languages, countries, the program's sessions.
import { SUPPORTED_LOCALES, type Locale } from "../i18n/i18n.ts";
import { languageName } from "../i18n/languages.ts";
import type { Services } from "../services/index.ts";
import { closestMatches } from "../text/similarity.ts";
import { allZones, zoneIndex } from "../time/zones.ts";
import type { AutocompleteSource } from "./args.ts";
import { sessionTitle } from "../programs/session-titles.ts";

export interface Suggestion {
  /** What the user sees. */
  label: string;
  /** What the argument receives. */
  value: string;
}

const MAX = 25; // Discord's limit, and plenty for anyone

let regionList: string[] | undefined;
/** Every current ISO 3166 region code (DE, FR, KR, ...). */
export function regions(): string[] {
  if (!regionList) {
    const codes: string[] = [];
    for (let first = 65; first <= 90; first++) {
      for (let second = 65; second <= 90; second++) codes.push(String.fromCharCode(first, second));
    }
    const names = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });
    // Only current codes: deprecated ones (DD, YU, ...) canonicalize to another region.
    const current = (code: string) => Intl.getCanonicalLocales(`und-${code}`)[0] === `und-${code}`;
    regionList = codes.filter((code) => names.of(code) !== undefined && current(code));
  }
  return regionList;
}

export async function suggest(source: AutocompleteSource, query: string, locale: Locale, services: Services): Promise<Suggestion[]> {
  const typed = query.trim();
  switch (source) {
    case "timezone": {
      const matches = typed ? closestMatches(typed, zoneIndex().map(({ zone, keys }) => ({ value: zone, keys })), MAX) : allZones().slice(0, MAX);
      return matches.map((zone) => ({ label: zone, value: zone }));
    }
    case "language": {
      const all = SUPPORTED_LOCALES.map((code) => ({ value: code, keys: [code, languageName(code), languageName(code, locale)] }));
      const matches = typed ? closestMatches(typed, all, MAX) : [...SUPPORTED_LOCALES];
      return matches.map((code) => ({ label: `${languageName(code)} (${code})`, value: code }));
    }
    case "country": {
      const names = new Intl.DisplayNames([locale], { type: "region" });
      const all = regions().map((code) => ({ value: code, keys: [code, names.of(code) ?? code] }));
      const matches = typed ? closestMatches(typed, all, MAX) : [];
      return matches.map((code) => ({ label: `${names.of(code)} (${code})`, value: code }));
    }
    case "session": {
      const program = await services.programs.active();
      if (!program) return [];
      const sessions = await services.programs.sessions(program.id);
      return sessions
        .filter((session) => !typed || String(session.index).startsWith(typed) || sessionTitle(session, locale).toLowerCase().includes(typed.toLowerCase()))
        .slice(0, MAX)
        .map((session) => ({ label: `${session.index}. ${sessionTitle(session, locale)}`.slice(0, 100), value: String(session.index) }));
    }
  }
}
