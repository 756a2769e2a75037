// What a page reads to render: the viewer's scope, language, zone, and the request's query.
import type { Clock } from "../../clock.ts";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { Locale, Translate } from "../../i18n/i18n.ts";
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
