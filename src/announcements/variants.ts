// An announcement's texts: the default one (the first written) and a version per language.
// A group reads the version in its language, else the default.
import { z } from "zod";
import type { Announcement } from "../generated/prisma/client.ts";

const translationsSchema = z.record(z.string(), z.string());

export type AnnouncementTexts = Pick<Announcement, "defaultText" | "defaultLocale" | "translations">;

/** The per-language versions, as stored (a JSON object of language -> text). */
export function translationsOf(announcement: Pick<Announcement, "translations">): Record<string, string> {
  const parsed = translationsSchema.safeParse(announcement.translations);
  return parsed.success ? parsed.data : {};
}

export interface Variant {
  text: string;
  /** The language it was written for; null for a default text whose language wasn't given. */
  locale: string | null;
  isDefault: boolean;
}

/** Every version, the default first, then the others by language code. */
export function variants(announcement: AnnouncementTexts): Variant[] {
  const others = Object.entries(translationsOf(announcement))
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([locale, text]) => ({ text, locale, isDefault: false }));
  return [{ text: announcement.defaultText, locale: announcement.defaultLocale, isDefault: true }, ...others];
}

/** The version a group in `locale` reads. */
export function variantFor(announcement: AnnouncementTexts, locale: string): Variant {
  return variants(announcement).find((variant) => !variant.isDefault && variant.locale === locale) ?? variants(announcement)[0]!;
}

/** Whether readers of `locale` get a version written for them (not the default in another language). */
export function hasOwnVersion(announcement: AnnouncementTexts, locale: string): boolean {
  return announcement.defaultLocale === locale || locale in translationsOf(announcement);
}
