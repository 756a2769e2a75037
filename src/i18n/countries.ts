// Countries as people type them ("DE", "de", "Germany", "Deutschland", "Alemania", "Korea") turned
// into their ISO 3166 code. Names come from Intl.DisplayNames in every language we ship, plus the
// short forms people use that it doesn't give ("USA", "UK", "Korea"); matching ignores case and
// accents. What names no country is refused with the closest names, in the reader's language.
import { UserError } from "../core/errors.ts";
import { regions } from "../core/suggestions.ts";
import { closestMatches, foldForMatching } from "../text/similarity.ts";
import { SUPPORTED_LOCALES, type Locale } from "./i18n.ts";

/** Everyday names Intl.DisplayNames doesn't give (it says "South Korea", "United States", …). */
const ALIASES: Record<string, string> = {
  korea: "KR", "south korea": "KR", "republic of korea": "KR", corea: "KR", "corea del sur": "KR", coree: "KR",
  "coree du sud": "KR", coreia: "KR", "coreia do sul": "KR", "sudkorea": "KR", 한국: "KR", 남한: "KR",
  usa: "US", "u.s.a.": "US", "u.s.": "US", us: "US", america: "US", "united states of america": "US", eeuu: "US",
  "ee.uu.": "US", "ee. uu.": "US", eua: "US", 미국: "US",
  uk: "GB", "u.k.": "GB", britain: "GB", "great britain": "GB", england: "GB", scotland: "GB", wales: "GB",
  "northern ireland": "GB", inglaterra: "GB", angleterre: "GB", inghilterra: "GB", "gran bretana": "GB",
  "grande bretagne": "GB", "gran bretagna": "GB", "gra bretanha": "GB", grossbritannien: "GB", "vereinigtes konigreich": "GB",
  holland: "NL", "czech republic": "CZ", tschechien: "CZ", "ivory coast": "CI", turkey: "TR", turkei: "TR",
  burma: "MM", swaziland: "SZ", macedonia: "MK", "cape verde": "CV", "east timor": "TL", vatican: "VA",
  russia: "RU", "north korea": "KP", "dprk": "KP", "congo kinshasa": "CD", "drc": "CD", "congo brazzaville": "CG",
};

/** Folded, with every kind of apostrophe the same ("Côte d’Ivoire" = "cote d'ivoire"). */
function fold(name: string): string {
  return foldForMatching(name).replace(/[’‘`´]/g, "'");
}

let codesByName: Map<string, string> | undefined;

/** Every region's name in every language we ship (and its code, and the aliases), folded, to its code. */
function nameIndex(): Map<string, string> {
  if (!codesByName) {
    codesByName = new Map();
    const namers = SUPPORTED_LOCALES.map((locale) => new Intl.DisplayNames([locale], { type: "region", fallback: "none" }));
    for (const code of regions()) {
      codesByName.set(code.toLowerCase(), code);
      for (const namer of namers) {
        const name = namer.of(code);
        if (name && !codesByName.has(fold(name))) codesByName.set(fold(name), code);
      }
    }
    for (const [alias, code] of Object.entries(ALIASES)) codesByName.set(fold(alias), code);
  }
  return codesByName;
}

/** "Deutschland" -> "DE"; "de" -> "DE"; "Korea" -> "KR"; undefined when it names no country we know. */
export function countryCode(input: string): string | undefined {
  return nameIndex().get(fold(input));
}

/**
 * A stored country as a comparable key: its code when we can tell which country it is, else the
 * folded text (a group registered before countries were checked may hold its own words).
 */
export function countryKey(input: string): string {
  return countryCode(input) ?? fold(input);
}

/** The country's name in the reader's language, with its code: "Südkorea (KR)". */
export function countryLabel(code: string, reader: Locale): string {
  const name = new Intl.DisplayNames([reader], { type: "region", fallback: "none" }).of(code);
  return name ? `${name} (${code})` : code;
}

/** The ISO code of what the user typed, or a UserError with up to three close names in the reader's language. */
export function requireCountry(input: string, reader: Locale): string {
  const code = countryCode(input);
  if (code) return code;
  const names = new Map<string, string[]>();
  for (const [name, candidate] of nameIndex()) names.set(candidate, [...(names.get(candidate) ?? []), name]);
  const suggestions = closestMatches(input, [...names].map(([value, keys]) => ({ value, keys })), 3);
  if (suggestions.length === 0) throw new UserError("errors.country.unknown", { input });
  throw new UserError("errors.country.unknownSuggest", { input, suggestions: suggestions.map((suggestion) => countryLabel(suggestion, reader)).join(", ") });
}
