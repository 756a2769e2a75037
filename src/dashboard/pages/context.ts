// What a page reads to render: the viewer's scope, language, zone, and the request's query.
import type { Clock } from "../../clock.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { normalizeLocale, type Locale, type Translate } from "../../i18n/i18n.ts";
import { languageName } from "../../i18n/languages.ts";
import type { Services } from "../../services/index.ts";
import type { Scope } from "../data.ts";
import type { ParticipationSource } from "../participation.ts";

export interface PageContext {
  db: PrismaClient;
  services: Services;
  clock: Clock;
  scope: Scope;
  t: Translate;
  locale: Locale;
  zone: string;
  query: URLSearchParams;
  participation: ParticipationSource;
}

/** A language code as the reader calls the language ("de" -> "Deutsch" for a German reader). */
export function languageLabel(context: Pick<PageContext, "locale">, code: string): string {
  const known = normalizeLocale(code);
  return known ? languageName(known, context.locale) : code;
}

/** A platform's name as people write it ("telegram" -> "Telegram"). */
export function platformLabel(context: Pick<PageContext, "t">, code: string): string {
  return context.t(`dashboard.platforms.${code}`, { defaultValue: code });
}
