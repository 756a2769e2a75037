// A bot for integration tests: the real pipeline, services and database, no adapters. `say`
// sends a command as a user in a channel and returns the replies as plain text.
import { ManualClock, type ManualClockOptions } from "../../src/clock.ts";
import { createApp, type App } from "../../src/app.ts";
import { configSchema } from "../../src/config.ts";
import type { Adapter } from "../../src/core/adapter.ts";
import type { IncomingCommand } from "../../src/core/incoming.ts";
import { renderPlain } from "../../src/core/messages.ts";
import { createLogger } from "../../src/logger.ts";
import { parseProgramText, type ProgramFile } from "../../src/programs/program-file.ts";
import { openTestDatabase, type Backend, type TestDatabase } from "./database.ts";

export interface TestBot {
  app: App;
  db: TestDatabase;
  clock: ManualClock;
  /** Sends "/command text" as `user` in `channel`; returns the replies as plain text. */
  say(user: string, channel: string, line: string, extra?: Partial<IncomingCommand>): Promise<string>;
  /** Empties the database, reloads the test program and resets the clock: a fresh bot, quickly. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export const TEST_PROGRAM = `
slug: test-program
title: Test Program
timezone: Europe/Berlin
defaultLanguage: en
registrationDeadline: "2030-05-12 23:59"
reminders: [24h, 1h]
sessions:
  - { title: "First", start: "2030-05-14 17:00", duration: 2h }
  - { title: "Second", start: "2030-05-21 17:00", duration: 2h }
`;

export async function createTestBot(
  backend: Backend,
  options: {
    coordinators?: string;
    now?: string;
    program?: string | null;
    platform?: string;
    adapters?: Adapter[];
    /** How the clock's timers run (see ManualClock); by default waits pass at once ("auto"). */
    timers?: ManualClockOptions["timers"];
  } = {},
): Promise<TestBot> {
  const db = await openTestDatabase(backend);
  const clock = new ManualClock(options.now ?? "2030-05-01T10:00:00Z", { timers: options.timers ?? "auto" });
  const config = configSchema.parse({ COORDINATORS: options.coordinators ?? "console:coordinator", LOG_LEVEL: "silent" });
  const app = await createApp({ config, logger: createLogger("silent"), clock, database: db, seedExample: false, http: false, background: false });
  await app.start(options.adapters ?? []);
  const start = clock.now();
  const loadProgram = async () => {
    if (options.program === null) return;
    const file: ProgramFile = parseProgramText(options.program ?? TEST_PROGRAM);
    await app.services.programs.import(file, { activate: true });
  };
  await loadProgram();
  const platform = options.platform ?? "console";
  return {
    app,
    db,
    clock,
    async say(user, channel, line, extra = {}) {
      const match = /^\/(\S+)\s*([\s\S]*)$/.exec(line);
      if (!match) throw new Error(`not a command: ${line}`);
      const replies = await app.handle({
        platform,
        channelId: channel,
        userId: user,
        displayName: user,
        name: match[1]!,
        text: match[2]!,
        ...extra,
      });
      return replies.map(renderPlain).join("\n---\n");
    },
    async reset() {
      await db.reset();
      clock.set(start);
      await app.services.members.bootstrapCoordinators();
      await loadProgram();
    },
    close: () => app.stop(),
  };
}
