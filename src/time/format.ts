// Dates and times as a reader expects them: in their language and their time zone (luxon).
import { DateTime } from "luxon";
import type { Locale } from "../i18n/i18n.ts";

/** "Tuesday, 18 May 2021, 17:00 CEST" in the reader's language and zone. */
export function formatDateTime(instant: Date, locale: Locale, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).setLocale(locale).toLocaleString({
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  });
}

/** "Tue, 18 May" */
export function formatDate(instant: Date, locale: Locale, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).setLocale(locale).toLocaleString({ weekday: "short", day: "numeric", month: "short" });
}

/** "17:00" (or "5:00 PM" where the language says so). */
export function formatTime(instant: Date, locale: Locale, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).setLocale(locale).toLocaleString(DateTime.TIME_SIMPLE);
}

/** The zone's current offset name, e.g. "CEST" or "GMT+9". */
export function zoneAbbreviation(instant: Date, locale: Locale, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).setLocale(locale).toFormat("ZZZZ");
}
