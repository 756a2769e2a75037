// A session's title, in the program file either one string or one per language
// (`title: { en: "The organizing conversation", de: "Das Organizing-Gespräch" }`), and shown in
// each reader's language, else in the program's default language.
import { z } from "zod";
import { SUPPORTED_LOCALES, type Locale } from "../i18n/i18n.ts";

const titleText = z.string().trim().min(1).max(200);

export const sessionTitleSchema = z.union([
  titleText,
  z.partialRecord(z.enum(SUPPORTED_LOCALES), titleText).refine(
    (titles) => Object.keys(titles).length > 0,
    'needs the title in at least one language, e.g. { en: "The organizing conversation" }',
  ),
]);

export type SessionTitleInput = z.infer<typeof sessionTitleSchema>;

/** The columns a session stores: the title in the program's language (else the first given), and all of them. */
export function sessionTitleData(input: SessionTitleInput, defaultLocale: Locale): { title: string; titleTranslations: Partial<Record<Locale, string>> } {
  if (typeof input === "string") return { title: input, titleTranslations: {} };
  const title = input[defaultLocale] ?? Object.values(input)[0]!;
  return { title, titleTranslations: input };
}

/** The title in the reader's language when the program gives one, else the program's own. */
export function sessionTitle(session: { title: string; titleTranslations?: unknown }, locale: Locale): string {
  const translations = session.titleTranslations;
  if (translations && typeof translations === "object" && !Array.isArray(translations)) {
    const translated = (translations as Record<string, unknown>)[locale];
    if (typeof translated === "string" && translated !== "") return translated;
  }
  return session.title;
}
