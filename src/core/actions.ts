// Buttons under messages, as the platforms carry them: a short string the press sends back
// (Telegram callback_data, Slack action value, Discord custom_id; all allow 64 characters or
// more) and the command a press runs. Adapters render and decode them only through here.
import type { MessageAction } from "./messages.ts";

/** The command a press runs: a declared name and typed options, as Discord's slash options arrive. */
export interface ActionCommand {
  name: string;
  options: Record<string, number>;
}

const CHECK_IN = /^here:(\d{1,3})$/;

/** "here:3": what the platform stores on the button. */
export function encodeAction(action: MessageAction): string {
  return `here:${action.session}`;
}

/** The command behind a pressed button's data; undefined for anything we did not send. */
export function decodeAction(data: string): ActionCommand | undefined {
  const match = CHECK_IN.exec(data);
  return match ? { name: "here", options: { session: Number(match[1]) } } : undefined;
}
