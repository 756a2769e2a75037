// The real bot (createApp, a test database, a ManualClock) with the real Discord adapter, whose
// discord.js client talks to the local Discord fake. Helpers read what a user would see.
import { ManualClock } from "../../../src/clock.ts";
import { createApp, type App } from "../../../src/app.ts";
import { configSchema } from "../../../src/config.ts";
import type { CommandEntry } from "../../../src/core/command.ts";
import { createLogger } from "../../../src/logger.ts";
import { parseProgramText } from "../../../src/programs/program-file.ts";
import { commands as allCommands } from "../../../commands/index.ts";
import { DiscordAdapter } from "../../../adapters/discord/discord-adapter.ts";
import type { DiscordFake, InteractionHandle, StoredMessage } from "../../fakes/discord/index.ts";
import { TEST_PROGRAM } from "../../helpers/bot.ts";
import { openTestDatabase, type Backend, type TestDatabase } from "../../helpers/database.ts";

export interface DiscordBot {
  app: App;
  adapter: DiscordAdapter;
  clock: ManualClock;
  db: TestDatabase;
  close(): Promise<void>;
}

export interface DiscordBotOptions {
  /** Per-server registration in this guild; undefined registers globally. */
  guildId?: string;
  commands?: readonly CommandEntry[];
  deferAfterMs?: number;
  coordinators?: string;
}

export async function startDiscordBot(backend: Backend, fake: DiscordFake, options: DiscordBotOptions = {}): Promise<DiscordBot> {
  const db = await openTestDatabase(backend);
  const clock = new ManualClock("2030-05-01T10:00:00Z", { timers: "real" });
  const config = configSchema.parse({ COORDINATORS: options.coordinators ?? "", LOG_LEVEL: "silent" });
  const app = await createApp({
    config,
    logger: createLogger("silent"),
    clock,
    database: db,
    seedExample: false,
    http: false,
    background: false,
    commands: options.commands ?? allCommands,
  });
  await app.services.programs.import(parseProgramText(TEST_PROGRAM), { activate: true });
  const adapter = new DiscordAdapter({
    token: fake.token,
    applicationId: fake.applicationId,
    guildId: options.guildId,
    apiUrl: fake.apiBase,
    deferAfterMs: options.deferAfterMs,
  });
  await app.start([adapter]);
  return { app, adapter, clock, db, close: () => app.stop() };
}

/** The messages a user sees once an interaction is answered: the response, then any follow-ups. */
export async function answerOf(fake: DiscordFake, handle: InteractionHandle, followUps = 0): Promise<StoredMessage[]> {
  await handle.waitForCallback();
  return fake.waitFor(
    () => {
      const original = handle.originalMessage();
      // A deferred response shows "thinking…" (LOADING) until it is edited or replaced.
      if (original && !original.deleted && original.flags & 128) return undefined;
      const visible = [original, ...handle.followUps()].filter((message): message is StoredMessage => !!message && !message.deleted);
      return visible.length >= 1 + followUps ? visible : undefined;
    },
    5000,
    `the answer to interaction ${handle.id}`,
  );
}

/** The text of a single-message answer. */
export async function replyText(fake: DiscordFake, handle: InteractionHandle): Promise<string> {
  const [message] = await answerOf(fake, handle);
  return message!.content;
}

export const EPHEMERAL = 64;
