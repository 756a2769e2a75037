// Countries as people type them ("DE", "de", "Germany", "Deutschland", "Alemania") turned into
// one comparable key: the ISO 3166 code when we can tell which country it is, else the folded
// text, so a group that wrote its country in its own words can still be matched.
import { regions } from "../core/suggestions.ts";
import { foldForMatching } from "../text/similarity.ts";
import { SUPPORTED_LOCALES } from "./i18n.ts";

let codesByName: Map<string, string> | undefined;

/** Folded, with every kind of apostrophe the same ("Côte d’Ivoire" = "cote d'ivoire"). */
function fold(name: string): string {
  return foldForMatching(name).replace(/[’‘`´]/g, "'");
}

/** Every region's name in every language we ship (and its code), folded, to its code. */
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
  }
  return codesByName;
}

/** "Deutschland" -> "DE"; "de" -> "DE"; "Kurdistan" -> "kurdistan" (no code: the folded text). */
export function countryKey(input: string): string {
  const folded = fold(input);
  return nameIndex().get(folded) ?? folded;
}

/** Whether the key is an ISO code we resolved, rather than text we kept as typed. */
export function isCountryCode(key: string): boolean {
  return /^[A-Z]{2}$/.test(key);
}
