// How rooms and their languages are named for a reader: "Room 3 · Deutsch".
import { normalizeLocale, type Locale, type Translate } from "../i18n/i18n.ts";
import { languageName } from "../i18n/languages.ts";

/** A room language's name in the reader's language (the code itself if we don't ship it). */
export function languageLabel(code: string, reader: Locale): string {
  const locale = normalizeLocale(code);
  return locale ? languageName(locale, reader) : code;
}

export function roomLabel(t: Translate, room: { number: number; language: string }, reader: Locale): string {
  return t("breakouts.room", { number: room.number, language: languageLabel(room.language, reader) });
}
