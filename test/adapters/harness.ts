// What the three adapter harnesses share: the whole bot (createApp: pipeline, services, outbox,
// database) with one real adapter, on the adapter tests' database, with a ManualClock on real
// timers (the platform fakes enforce their limits in real time) and the test program active. Each
// platform's harness starts its fake, builds its adapter here and adds how its users speak.
import { ManualClock } from "../../src/clock.ts";
import { createApp, type App } from "../../src/app.ts";
import { loadConfig, type Config } from "../../src/config.ts";
import type { Adapter } from "../../src/core/adapter.ts";
import type { CommandEntry } from "../../src/core/command.ts";
import { createLogger, type Logger } from "../../src/logger.ts";
import { parseProgramText } from "../../src/programs/program-file.ts";
import { TEST_PROGRAM } from "../helpers/bot.ts";
import { adapterBackend, openTestDatabase, type TestDatabase } from "../helpers/database.ts";

export interface AdapterBotOptions<A extends Adapter> {
  /** The platform's variables, read as the bot reads its environment. */
  env?: NodeJS.ProcessEnv;
  /** COORDINATORS, e.g. "telegram:1009". */
  coordinators?: string;
  /** Builds the adapter once the app exists: from the configuration, or around the app's HTTP server. */
  adapter(bot: { config: Config; app: App }): A | Promise<A>;
  /** Whether the test program is imported before the adapter starts (default) or after. */
  program?: "before start" | "after start";
  /** Silent by default. */
  logger?: Logger;
  /** Serve HTTP on the configured PORT when the app starts (default false). */
  http?: boolean;
  commands?: readonly CommandEntry[];
  now?: string;
  /** Puts the fake back too, between emptying the database and reloading the program. */
  resetPlatform?(): void;
}

export interface AdapterBot<A extends Adapter> {
  app: App;
  adapter: A;
  config: Config;
  db: TestDatabase;
  clock: ManualClock;
  /** Empties the database, resets the clock, makes the configured coordinators and reloads the program: a fresh start. */
  reset(): Promise<void>;
  /** Waits until `check` holds (for effects that send nothing). */
  eventually(check: () => Promise<boolean> | boolean, timeoutMs?: number): Promise<void>;
  /** Stops the bot; the fake is the caller's to close, after it. */
  close(): Promise<void>;
}

export async function startAdapterBot<A extends Adapter>(options: AdapterBotOptions<A>): Promise<AdapterBot<A>> {
  const db = await openTestDatabase(adapterBackend);
  const start = options.now ?? "2030-05-01T10:00:00Z";
  const clock = new ManualClock(start, { timers: "real" });
  const config = loadConfig({ ...options.env, COORDINATORS: options.coordinators ?? "" });
  const app = await createApp({
    config,
    logger: options.logger ?? createLogger("silent"),
    clock,
    database: db,
    seedExample: false,
    http: options.http ?? false,
    background: false,
    commands: options.commands,
  });
  const loadProgram = () => app.services.programs.import(parseProgramText(TEST_PROGRAM), { activate: true });
  const programAfterStart = options.program === "after start";
  if (!programAfterStart) await loadProgram();
  const adapter = await options.adapter({ config, app });
  await app.start([adapter]);
  if (programAfterStart) await loadProgram();

  return {
    app,
    adapter,
    config,
    db,
    clock,
    eventually,
    async reset() {
      await db.reset();
      options.resetPlatform?.();
      clock.set(start);
      await app.services.members.bootstrapCoordinators();
      await loadProgram();
    },
    close: () => app.stop(),
  };
}

/** Waits until `check` holds, polling every 10 ms; fails after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
