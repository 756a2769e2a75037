// Buttons under a message as a Telegram inline keyboard (callback_data carries the action, at most
// 64 bytes), and a press (a callback_query update, checked with zod) back to the core's command.
// The answer goes to answerCallbackQuery: a notice only the presser sees, at most 200 characters.
import { setTimeout as sleep } from "node:timers/promises";
import { GrammyError, HttpError, type Api } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import { z } from "zod";
import { decodeAction, encodeAction } from "../../src/core/actions.ts";
import type { IncomingCommand } from "../../src/core/incoming.ts";
import { renderPlain, type OutgoingMessage } from "../../src/core/messages.ts";
import { displayNameOf, PLATFORM, userSchema } from "./inbound.ts";

/** Bot API: answerCallbackQuery's text is 0-200 characters. */
export const CALLBACK_ANSWER_LIMIT = 200;

export function inlineKeyboard(message: OutgoingMessage): InlineKeyboardMarkup | undefined {
  if (!message.actions?.length) return undefined;
  return { inline_keyboard: [message.actions.map((action) => ({ text: action.label, callback_data: encodeAction(action) }))] };
}

const callbackQuerySchema = z.object({
  id: z.string().min(1),
  from: userSchema,
  message: z.object({ chat: z.object({ id: z.number().int(), type: z.string() }) }).optional(),
  data: z.string().optional(),
});

export interface ButtonPress {
  queryId: string;
  chatId: string;
  command: IncomingCommand;
}

/** A press on one of our buttons, or undefined for anything else (an old message, another bot's data). */
export function readButtonPress(raw: unknown): ButtonPress | undefined {
  const parsed = callbackQuerySchema.safeParse(raw);
  if (!parsed.success || !parsed.data.message || parsed.data.data === undefined) return undefined;
  const { id, from, message, data } = parsed.data;
  const action = decodeAction(data);
  if (!action || from.is_bot) return undefined;
  const chatId = String(message.chat.id);
  return {
    queryId: id,
    chatId,
    command: {
      platform: PLATFORM,
      channelId: chatId,
      isPrivateChat: message.chat.type === "private",
      userId: String(from.id),
      displayName: displayNameOf(from),
      ...(from.username ? { username: from.username } : {}),
      ...(from.language_code ? { userLocale: from.language_code } : {}),
      name: action.name,
      options: action.options,
    },
  };
}

/** The core's replies as the text of a callback answer, cut to Telegram's limit. */
export function callbackAnswerText(replies: readonly OutgoingMessage[]): string {
  const text = replies.map(renderPlain).join("\n");
  return [...text].length <= CALLBACK_ANSWER_LIMIT ? text : `${[...text].slice(0, CALLBACK_ANSWER_LIMIT - 1).join("")}…`;
}

/** Tries to answer a press a few times: Telegram shows a spinner until it is answered. */
const ANSWER_ATTEMPTS = 4;

/**
 * answerCallbackQuery, tried again after a network failure, a 5xx or a 429 (waiting its
 * retry_after), since a press left unanswered keeps spinning on the presser's screen.
 */
export async function answerPress(api: Api, queryId: string, text: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await api.answerCallbackQuery(queryId, { text });
      return;
    } catch (error) {
      const retryAfter = error instanceof GrammyError ? error.parameters.retry_after : undefined;
      const transient = error instanceof HttpError || (error instanceof GrammyError && (error.error_code === 429 || error.error_code >= 500));
      if (!transient || attempt >= ANSWER_ATTEMPTS) throw error;
      await sleep(retryAfter !== undefined ? retryAfter * 1000 : 250 * attempt);
    }
  }
}
