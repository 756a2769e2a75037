// Turns what a user types for a time zone ("Asia/Tokyo", "tokyo", "Sao Paulo", "UTC") into an
// IANA zone, or the closest ones to suggest.
import { IANAZone } from "luxon";
import { UserError } from "../core/errors.ts";
import { closestMatches, foldForMatching } from "../text/similarity.ts";

/** Big cities that have no zone named after them. */
const CITY_ALIASES: Record<string, string> = {
  "munich": "Europe/Berlin", "hamburg": "Europe/Berlin", "frankfurt": "Europe/Berlin", "cologne": "Europe/Berlin",
  "barcelona": "Europe/Madrid", "milan": "Europe/Rome", "naples": "Europe/Rome", "marseille": "Europe/Paris",
  "lyon": "Europe/Paris", "porto": "Europe/Lisbon", "manchester": "Europe/London", "glasgow": "Europe/London",
  "geneva": "Europe/Zurich", "krakow": "Europe/Warsaw", "rio de janeiro": "America/Sao_Paulo",
  "brasilia": "America/Sao_Paulo", "san francisco": "America/Los_Angeles", "seattle": "America/Los_Angeles",
  "washington": "America/New_York", "boston": "America/New_York", "miami": "America/New_York",
  "atlanta": "America/New_York", "philadelphia": "America/New_York", "houston": "America/Chicago",
  "dallas": "America/Chicago", "montreal": "America/Toronto", "quebec": "America/Toronto", "ottawa": "America/Toronto",
  "guadalajara": "America/Mexico_City", "medellin": "America/Bogota", "cordoba": "America/Argentina/Cordoba",
  "buenos aires": "America/Argentina/Buenos_Aires", "mumbai": "Asia/Kolkata", "delhi": "Asia/Kolkata",
  "new delhi": "Asia/Kolkata", "bangalore": "Asia/Kolkata", "bengaluru": "Asia/Kolkata", "chennai": "Asia/Kolkata",
  "beijing": "Asia/Shanghai", "hanoi": "Asia/Bangkok", "busan": "Asia/Seoul", "osaka": "Asia/Tokyo",
  "kyoto": "Asia/Tokyo", "wellington": "Pacific/Auckland", "canberra": "Australia/Sydney", "cape town": "Africa/Johannesburg",
  "durban": "Africa/Johannesburg", "abuja": "Africa/Lagos", "istanbul": "Europe/Istanbul", "ankara": "Europe/Istanbul",
};

/** ICU (and so Node 20) still calls some zones by their pre-2022 names; people use the new ones. */
const MODERN_NAMES: Record<string, string> = {
  "Asia/Calcutta": "Asia/Kolkata", "Asia/Katmandu": "Asia/Kathmandu", "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Asia/Rangoon": "Asia/Yangon", "Europe/Kiev": "Europe/Kyiv", "Atlantic/Faeroe": "Atlantic/Faroe",
  "America/Godthab": "America/Nuuk", "Pacific/Enderbury": "Pacific/Kanton", "Pacific/Truk": "Pacific/Chuuk",
  "Pacific/Ponape": "Pacific/Pohnpei", "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
};

let zones: string[] | undefined;
/** The one list of time zones: every IANA zone this runtime knows, by its modern name. */
export function allZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  zones ??= [...new Set((intl.supportedValuesOf?.("timeZone") ?? []).map((zone) => MODERN_NAMES[zone] ?? zone))];
  return zones;
}

/** The zone's canonical, modern spelling ("asia/calcutta" -> "Asia/Kolkata"). */
export function canonicalZone(zone: string): string {
  const resolved = new Intl.DateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone;
  return MODERN_NAMES[resolved] ?? resolved;
}

let index: { zone: string; keys: string[] }[] | undefined;
/** Each zone with what people type for it: its name and its city ("Asia/Tokyo", "Tokyo"). */
export function zoneIndex(): readonly { zone: string; keys: string[] }[] {
  index ??= allZones().map((zone) => ({ zone, keys: [zone, zone.split("/").at(-1)!.replaceAll("_", " ")] }));
  return index;
}

export type ZoneLookup = { ok: true; zone: string } | { ok: false; suggestions: string[] };

export function resolveTimezone(input: string): ZoneLookup {
  const trimmed = input.trim();
  if (!trimmed) return { ok: false, suggestions: [] };
  const exact = allZones().find((zone) => zone.toLowerCase() === trimmed.toLowerCase());
  if (exact) return { ok: true, zone: exact };
  if (/^(utc|gmt|z)$/i.test(trimmed)) return { ok: true, zone: "UTC" };
  if (trimmed.includes("/") && IANAZone.isValidZone(trimmed)) return { ok: true, zone: canonicalZone(trimmed) };
  const folded = foldForMatching(trimmed);
  const alias = CITY_ALIASES[folded];
  if (alias) return { ok: true, zone: alias };
  const byCity = zoneIndex().filter((entry) => foldForMatching(entry.keys[1]!) === folded);
  if (byCity.length === 1) return { ok: true, zone: byCity[0]!.zone };
  const candidates = [
    ...zoneIndex().map((entry) => ({ value: entry.zone, keys: entry.keys })),
    ...Object.entries(CITY_ALIASES).map(([city, zone]) => ({ value: zone, keys: [city] })),
  ];
  return { ok: false, suggestions: closestMatches(trimmed, candidates) };
}

export function isValidTimezone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** The zone for what the user typed, or a UserError with the closest zones. */
export function requireTimezone(input: string): string {
  const lookup = resolveTimezone(input);
  if (lookup.ok) return lookup.zone;
  throw lookup.suggestions.length > 0
    ? new UserError("errors.timezone.unknownSuggest", { input, suggestions: lookup.suggestions.join(", ") })
    : new UserError("errors.timezone.unknown", { input });
}
