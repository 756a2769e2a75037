// The real bot (createApp: pipeline, services, outbox, database) with the real Telegram adapter
// and grammY, talking to the local fake of the Bot API. Tests type as Telegram users and read
// what the fake received, as a member of the chat would see it.
import { ManualClock } from "../../../src/clock.ts";
import { createApp, type App } from "../../../src/app.ts";
import { configSchema } from "../../../src/config.ts";
import type { CommandEntry } from "../../../src/core/command.ts";
import { createLogger } from "../../../src/logger.ts";
import { parseProgramText } from "../../../src/programs/program-file.ts";
import { TelegramAdapter, type TelegramAdapterOptions } from "../../../adapters/telegram/telegram-adapter.ts";
import { startTelegramFake, type ChatInput, type OutgoingMessage, type StartOptions, type TelegramFake, type UserInput } from "../../fakes/telegram/server.ts";
import { TEST_PROGRAM } from "../../helpers/bot.ts";
import { openTestDatabase, type Backend, type TestDatabase } from "../../helpers/database.ts";

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

export interface TelegramHarness {
  telegram: TelegramFake;
  app: App;
  db: TestDatabase;
  clock: ManualClock;
  adapter: TelegramAdapter;
  /** The webhook URL the adapter registered (webhook mode). */
  webhookUrl?: string;
  /** `from` sends `text` in `chat` (a user's private chat when omitted); resolves with the bot's answer. */
  ask(from: UserInput, text: string, chat?: ChatInput | number, extra?: { document?: { fileName: string; content: string } }): Promise<OutgoingMessage>;
  /** Empties the database, reloads the program, forgets what the fake recorded: a fresh start. */
  reset(): Promise<void>;
  /** A basic group chat no test has used yet (each group may get only 20 messages a minute). */
  newGroup(title?: string): { id: number; type: "group"; title: string };
  /** Waits until `check` holds (for effects that send nothing). */
  eventually(check: () => Promise<boolean> | boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const WEBHOOK_SECRET = "test-webhook_secret-42";

export async function startTelegramHarness(backend: Backend, options: HarnessOptions = {}): Promise<TelegramHarness> {
  const telegram = await startTelegramFake({ ...(options.webhook ? { webhookDelivery: true, webhookRetryDelayMs: 20 } : {}), ...options.fake });
  const db = await openTestDatabase(backend);
  const clock = new ManualClock("2030-05-01T10:00:00Z", { timers: "real" });
  const config = configSchema.parse({ COORDINATORS: `telegram:${COORDINATOR.id}`, LOG_LEVEL: "silent" });
  const app = await createApp({
    config,
    logger: createLogger("silent"),
    clock,
    database: db,
    seedExample: false,
    http: false,
    background: false,
    ...(options.commands ? { commands: options.commands } : {}),
  });
  const loadProgram = () => app.services.programs.import(parseProgramText(TEST_PROGRAM), { activate: true });
  await loadProgram();
  let groups = 0;
  let webhookUrl: string | undefined;
  if (options.webhook) {
    const port = await app.http.listen(0, "127.0.0.1");
    webhookUrl = `http://127.0.0.1:${port}/telegram/updates`;
  }
  const adapter = new TelegramAdapter({
    token: telegram.token,
    apiRoot: telegram.apiRoot,
    pollingTimeoutSeconds: 5,
    ...(webhookUrl ? { webhook: { url: webhookUrl, secret: WEBHOOK_SECRET } } : {}),
    ...options.adapter,
  });
  await app.start([adapter]);

  async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error("condition not met in time");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  return {
    telegram,
    app,
    db,
    clock,
    adapter,
    webhookUrl,
    eventually,
    async reset() {
      await db.reset();
      await app.services.members.bootstrapCoordinators();
      await loadProgram();
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
      await app.stop();
      await telegram.close();
    },
  };
}
