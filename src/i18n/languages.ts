// Turns what a user types for a language ("de", "Deutsch", "german", "pt-BR") into a locale we
// ship, or the closest ones to suggest.
import { UserError } from "../core/errors.ts";
import { closestMatches, foldForMatching } from "../text/similarity.ts";
import { normalizeLocale, SUPPORTED_LOCALES, type Locale } from "./i18n.ts";

const namesByLocale = new Map<Locale, string[]>(
  SUPPORTED_LOCALES.map((locale) => [
    locale,
    [locale, ...SUPPORTED_LOCALES.map((reader) => new Intl.DisplayNames([reader], { type: "language" }).of(locale) ?? locale)],
  ]),
);

/** The language's own name for itself ("Deutsch", "한국어"). */
export function languageName(locale: Locale, reader: Locale = locale): string {
  return new Intl.DisplayNames([reader], { type: "language" }).of(locale) ?? locale;
}

export type LanguageLookup = { ok: true; locale: Locale } | { ok: false; suggestions: Locale[] };

export function resolveLanguage(input: string): LanguageLookup {
  const direct = normalizeLocale(input);
  if (direct) return { ok: true, locale: direct };
  const folded = foldForMatching(input);
  for (const [locale, names] of namesByLocale) {
    if (names.some((name) => foldForMatching(name) === folded)) return { ok: true, locale };
  }
  const candidates = [...namesByLocale].map(([locale, names]) => ({ value: locale, keys: names }));
  return { ok: false, suggestions: closestMatches(input, candidates) };
}

/** The locale for what the user typed, or a UserError listing the closest or all languages. */
export function requireLanguage(input: string): Locale {
  const lookup = resolveLanguage(input);
  if (lookup.ok) return lookup.locale;
  const supported = SUPPORTED_LOCALES.map((locale) => `${locale} (${languageName(locale)})`).join(", ");
  return lookup.suggestions.length > 0
    ? raise("errors.language.unknownSuggest", { input, suggestions: lookup.suggestions.join(", "), supported })
    : raise("errors.language.unknown", { input, supported });
}

function raise(key: string, params: Record<string, unknown>): never {
  throw new UserError(key, params);
}
