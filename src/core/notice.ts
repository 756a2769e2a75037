// A message for the person running the bot (shown in the console), rendered in their language.
import type { I18n, Locale } from "../i18n/i18n.ts";
import { formatDateTime } from "../time/format.ts";

export interface Notice {
  key: string;
  /** Dates are formatted for the reader in `zone`. */
  params: Record<string, string | Date>;
  zone: string;
}

export function renderNotice(i18n: I18n, locale: Locale, notice: Notice): string {
  const params = Object.fromEntries(
    Object.entries(notice.params).map(([key, value]) => [key, value instanceof Date ? formatDateTime(value, locale, notice.zone) : value]),
  );
  return i18n.t(locale, notice.key, params);
}
