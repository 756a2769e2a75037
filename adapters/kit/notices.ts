// Short answers of an adapter's own, outside the core's pipeline (a greeting when the bot is
// added, "this command could not be read", "invite me to the channel"): always from the locale
// files, in the user's language as the platform reports it, falling back like the pipeline does.
import type { BotHost } from "../../src/core/adapter.ts";
import { textMessage, type OutgoingMessage } from "../../src/core/messages.ts";
import { chooseLocale } from "../../src/i18n/i18n.ts";

export function localNotice(
  host: Pick<BotHost, "i18n">,
  userLocale: string | undefined,
  key: string,
  params: Record<string, unknown> = {},
  options: { private?: boolean } = {},
): OutgoingMessage {
  return textMessage(host.i18n.t(chooseLocale(userLocale), key, params), options);
}
