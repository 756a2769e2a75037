// The real bot (test/adapters/harness.ts) with the real Telegram adapter and grammY, talking to
// the local fake of the Bot API. Tests type as Telegram users and read what the fake received, as
// a member of the chat would see it.
import type { CommandEntry } from "../../../src/core/command.ts";
import { TelegramAdapter, type TelegramAdapterOptions } from "../../../adapters/telegram/telegram-adapter.ts";
import { startTelegramFake, type ChatInput, type OutgoingMessage, type StartOptions, type TelegramFake, type UserInput } from "../../fakes/telegram/server.ts";
import { startAdapterBot, type AdapterBot } from "../harness.ts";

export const ALICE = { id: 1001, first_name: "Alice", last_name: "Lee", username: "alice", language_code: "en" } satisfies UserInput;
export const BOB = { id: 1002, first_name: "Bob", username: "bob", language_code: "de" } satisfies UserInput;
export const CARLA = { id: 1003, first_name: "Carla", language_code: "es" } satisfies UserInput;
/** Never opens a private chat with the bot. */
export const DANA = { id: 1004, first_name: "Dana", language_code: "fr" } satisfies UserInput;
/** Coordinator by configuration (COORDINATORS=telegram:1009). */
export const COORDINATOR = { id: 1009, first_name: "Cora", language_code: "en" } satisfies UserInput;

export interface HarnessOptions {
  fake?: StartOptions;
  /** Receive updates by webhook on the app's HTTP server instead of long polling. */
  webhook?: boolean;
  commands?: readonly CommandEntry[];
  adapter?: Partial<TelegramAdapterOptions>;
}

export interface TelegramHarness extends AdapterBot<TelegramAdapter> {
  telegram: TelegramFake;
  /** The webhook URL the adapter registered (webhook mode). */
  webhookUrl?: string;
  /** `from` sends `text` in `chat` (a user's private chat when omitted); resolves with the bot's answer. */
  ask(from: UserInput, text: string, chat?: ChatInput | number, extra?: { document?: { fileName: string; content: string } }): Promise<OutgoingMessage>;
  /** A fresh start (see AdapterBot), and forgets what the fake recorded. */
  reset(): Promise<void>;
  /** A basic group chat no test has used yet (each group may get only 20 messages a minute). */
  newGroup(title?: string): { id: number; type: "group"; title: string };
}

export const WEBHOOK_SECRET = "test-webhook_secret-42";

export async function startTelegramHarness(options: HarnessOptions = {}): Promise<TelegramHarness> {
  const telegram = await startTelegramFake({ ...(options.webhook ? { webhookDelivery: true, webhookRetryDelayMs: 20 } : {}), ...options.fake });
  let webhookUrl: string | undefined;
  const bot = await startAdapterBot({
    coordinators: `telegram:${COORDINATOR.id}`,
    commands: options.commands,
    async adapter({ app }) {
      if (options.webhook) {
        const port = await app.http.listen(0, "127.0.0.1");
        webhookUrl = `http://127.0.0.1:${port}/telegram/updates`;
      }
      return new TelegramAdapter({
        token: telegram.token,
        apiRoot: telegram.apiRoot,
        pollingTimeoutSeconds: 5,
        ...(webhookUrl ? { webhook: { url: webhookUrl, secret: WEBHOOK_SECRET } } : {}),
        ...options.adapter,
      });
    },
  });
  let groups = 0;

  return {
    ...bot,
    telegram,
    webhookUrl,
    async reset() {
      await bot.reset();
      telegram.clearRecords();
    },
    newGroup(title = "Kreuzberg tenants") {
      return { id: -4_001_000_000 - ++groups, type: "group", title };
    },
    ask(from, text, chat, extra = {}) {
      const isDocument = extra.document !== undefined;
      const update = telegram.injectMessage({
        from,
        ...(chat !== undefined ? { chat } : {}),
        ...(isDocument ? { document: extra.document, caption: text } : { text }),
      });
      const sent = update.message!;
      const answer = (message: OutgoingMessage) =>
        message.chatId === sent.chat.id &&
        (sent.chat.type === "private" || message.message.reply_to_message?.message_id === sent.message_id);
      return telegram.waitFor(answer, 10_000, { includeExisting: false });
    },
    async close() {
      await bot.close();
      await telegram.close();
    },
  };
}
