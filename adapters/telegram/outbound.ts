// Sends one neutral message to a chat: its text as HTML chunks, its file with sendDocument (the
// text as caption when it fits). Follows a group that became a supergroup, and remembers how far
// a message got (the adapter kit's PartProgress), so retrying it after a failure midway does not
// repeat the parts already sent.
import { InputFile, type Api } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import { DeliveryError } from "../../src/core/adapter.ts";
import type { FileAttachment, OutgoingMessage } from "../../src/core/messages.ts";
import type { Logger } from "../../src/logger.ts";
import { PartProgress } from "../kit/part-progress.ts";
import { describeError, isEntityParseError, migratedTo, toDeliveryError } from "./errors.ts";
import type { SendAnswered } from "../../src/core/send-budget.ts";
import { inlineKeyboard } from "./check-in-button.ts";
import { CAPTION_LIMIT, renderChunks, type Chunk } from "./render.ts";

/** Below the dispatcher's 30 s claim, so a hung request fails before another process may retry the row. */
const SEND_TIMEOUT_MS = 20_000;

/** grammY types its signal as the abort-controller shim's; at run time any AbortSignal works. */
type ApiSignal = Parameters<Api["sendMessage"]>[3];

type Part = ({ kind: "text"; chunk: Chunk } | { kind: "document"; file: FileAttachment; caption?: Chunk }) & { keyboard?: InlineKeyboardMarkup };

/** The buttons go under the last part, the one people read last. */
function planParts(message: OutgoingMessage): Part[] {
  const parts = planUnbuttoned(message);
  const keyboard = inlineKeyboard(message);
  if (keyboard && parts.length > 0) parts[parts.length - 1] = { ...parts[parts.length - 1]!, keyboard };
  return parts;
}

function planUnbuttoned(message: OutgoingMessage): Part[] {
  const text = renderChunks(message);
  if (!message.file) return text.map((chunk) => ({ kind: "text", chunk }));
  const caption = renderChunks(message, CAPTION_LIMIT);
  if (caption.length <= 1) return [{ kind: "document", file: message.file, caption: caption[0] }];
  return [...text.map((chunk): Part => ({ kind: "text", chunk })), { kind: "document", file: message.file }];
}

export interface DeliverOptions {
  /** The message (the user's command) this answers, in the same chat. */
  replyTo?: number;
  /**
   * Before each Bot API send: waits for room in the rate limits and holds it until the answer;
   * may return undefined for the call's first part when the caller has counted that one already.
   */
  pace?: (chatId: string, first: boolean) => Promise<SendAnswered | undefined> | SendAnswered | undefined;
  /** Stable across retries of one message: parts already delivered are skipped. */
  progressKey?: string;
  signal?: AbortSignal;
}

export interface Delivered {
  /** Where it went: a new id when the group became a supergroup meanwhile. */
  chatId: string;
  /** The first message sent. */
  messageId?: number;
}

export class TelegramOutbound {
  private readonly progress = new PartProgress();

  constructor(
    private readonly api: Api,
    private readonly moved: (fromChatId: string, toChatId: string) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  /** Sends every part; throws a DeliveryError when one fails. */
  async deliver(chatId: string, message: OutgoingMessage, options: DeliverOptions = {}): Promise<Delivered> {
    const parts = planParts(message);
    const key = options.progressKey;
    let target = chatId;
    let first: number | undefined;
    const start = this.progress.start(key);
    for (let index = start; index < parts.length; index++) {
      const done = await options.pace?.(target, index === start);
      let sent: Delivered;
      try {
        sent = await this.sendPart(target, parts[index]!, options);
      } catch (error) {
        done?.(!(error instanceof DeliveryError && error.kind === "rate_limited"));
        throw error;
      }
      done?.(true);
      target = sent.chatId;
      first ??= sent.messageId;
      this.progress.record(key, index + 1);
    }
    this.progress.finish(key);
    return { chatId: target, messageId: first };
  }

  private async sendPart(chatId: string, part: Part, options: DeliverOptions): Promise<Delivered> {
    try {
      return await this.call(chatId, part, options, "HTML");
    } catch (error) {
      const newChatId = migratedTo(error);
      if (newChatId !== undefined) {
        await this.moved(chatId, String(newChatId));
        return this.sendPart(String(newChatId), part, options);
      }
      if (isEntityParseError(error)) {
        // Every text is escaped, so this is a bug of ours; the reader still gets the words.
        this.logger.error({ platform: "telegram", chatId, error: describeError(error) }, "Telegram refused our HTML; sent as plain text");
        return this.call(chatId, part, options, undefined).catch((retryError: unknown) => {
          throw toDeliveryError(retryError);
        });
      }
      throw toDeliveryError(error);
    }
  }

  private async call(chatId: string, part: Part, options: DeliverOptions, parseMode: "HTML" | undefined): Promise<Delivered> {
    const markup = part.keyboard ? { reply_markup: part.keyboard } : {};
    const timeout = AbortSignal.timeout(SEND_TIMEOUT_MS);
    const signal = (options.signal ? AbortSignal.any([options.signal, timeout]) : timeout) as unknown as ApiSignal;
    const common = {
      ...(parseMode ? { parse_mode: parseMode } : {}),
      ...(options.replyTo ? { reply_parameters: { message_id: options.replyTo, allow_sending_without_reply: true } } : {}),
    };
    const text = (chunk: Chunk) => (parseMode ? chunk.html : chunk.plain);
    const sent =
      part.kind === "text"
        ? await this.api.sendMessage(chatId, text(part.chunk), { ...common, ...markup, link_preview_options: { is_disabled: true } }, signal)
        : await this.api.sendDocument(
            chatId,
            new InputFile(part.file.data, part.file.fileName),
            { ...common, ...markup, ...(part.caption ? { caption: text(part.caption) } : {}) },
            signal,
          );
    return { chatId, messageId: sent.message_id };
  }
}
