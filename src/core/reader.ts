// Who reads a message decides its language and its clock. One function says how, for command
// replies (the pipeline) and for queued messages (the dispatcher) alike:
// - a channel is read in its group's language and zone, else the program's;
// - a command's caller in a shared channel reads in their platform's language, the channel's zone;
// - in a private chat the reader is the caller alone: their own group's language and zone, else
//   their platform's language and the program's zone.
import type { Group, Program } from "../generated/prisma/client.ts";
import { chooseLocale, type I18n, type Locale, type Translate } from "../i18n/i18n.ts";

export interface Reader {
  readonly locale: Locale;
  /** The zone times are shown in. */
  readonly timezone: string;
  readonly t: Translate;
}

type LocaleHint = string | null | undefined;

export type Audience =
  /** Everyone in a channel (reminders, announcements, notices). */
  | { kind: "channel"; group: Group | null; program: Program | null }
  /** Whoever ran a command in a shared channel, bound to `channelGroup` or to none. */
  | { kind: "caller"; platformLocales: LocaleHint[]; channelGroup: Group | null; program: Program | null }
  /** The caller in a private chat with the bot, who may belong to `ownGroup`. */
  | { kind: "private"; platformLocales: LocaleHint[]; ownGroup: Group | null; program: Program | null };

/** `fallbackLocale` (DEFAULT_LOCALE) speaks when neither person, group nor program has a language. */
export function readerFor(i18n: I18n, audience: Audience, fallbackLocale?: Locale): Reader {
  const { group, locales } = audienceChoices(audience);
  const locale = chooseLocale(...locales, audience.program?.defaultLocale, fallbackLocale);
  return { locale, timezone: group?.timezone ?? audience.program?.timezone ?? "UTC", t: i18n.translator(locale) };
}

function audienceChoices(audience: Audience): { group: Group | null; locales: LocaleHint[] } {
  switch (audience.kind) {
    case "channel":
      return { group: audience.group, locales: [audience.group?.locale] };
    case "caller":
      return { group: audience.channelGroup, locales: [...audience.platformLocales, audience.channelGroup?.locale] };
    case "private":
      return { group: audience.ownGroup, locales: [audience.ownGroup?.locale, ...audience.platformLocales] };
  }
}
