// Claims under stress, found by the fault suite (test/faults): a row whose claim expired while it
// waited is not sent by the process that waited once another has taken it over; a send whose
// outcome could not be recorded (the database went away mid-send) is recorded when the database
// is back instead of being sent again; and a platform's deliveries don't all hit the connection
// pool at once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Adapter, SendResult } from "../../src/core/adapter.ts";
import { openDatabase } from "../../src/db/database.ts";
import { createLogger } from "../../src/logger.ts";
import { Dispatcher } from "../../src/outbox/dispatcher.ts";
import { Outbox } from "../../src/outbox/outbox.ts";
import { startTcpProxy } from "../faults/tcp-proxy.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";
import { backends } from "../helpers/database.ts";
import { processDispatcher } from "../helpers/dispatcher.ts";
import { RecordingAdapter } from "../helpers/recording-adapter.ts";

const SESSION_1 = Date.parse("2030-05-14T15:00:00Z");

/** Records sends like RecordingAdapter, each taking `ms`, and the most that were in flight at once. */
class SlowAdapter extends RecordingAdapter {
  inFlight = 0;
  mostInFlight = 0;
  constructor(private readonly ms: number) {
    super();
  }
  override async send(...args: Parameters<Adapter["send"]>): Promise<SendResult> {
    this.mostInFlight = Math.max(this.mostInFlight, ++this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, this.ms));
    this.inFlight--;
    return super.send(...args);
  }
}

async function registerGroups(bot: TestBot, count: number): Promise<void> {
  for (let group = 1; group <= count; group++) await bot.say(`lead${group}`, `channel${group}`, `/register Group ${group}`);
  bot.clock.set(SESSION_1 - 2 * 3_600_000); // each channel's 24-hour reminder is due, the 1-hour one not yet
  await bot.app.planners.reminders.enqueueHorizon();
}

describe.each(backends)("outbox claims on %s", (backend) => {
  let bot: TestBot;
  // One message a second overall: the second row waits a second for its slot after the claim.
  const waiting = new RecordingAdapter("console", { global: { messages: 1, perMs: 1_000 } });
  const slow = new SlowAdapter(30);

  beforeAll(async () => {
    // Manual timers: the second row's slot comes only when the test moves the clock.
    bot = await createTestBot(backend, { adapters: [waiting], timers: "manual" });
  });
  beforeEach(async () => {
    await bot.reset();
    waiting.reset();
  });
  afterAll(async () => {
    await bot.close();
  });

  it("does not send a row whose claim expired while it waited and that another process took over", async () => {
    await registerGroups(bot, 2);
    const first = bot.app.dispatcher.drain();
    await expect.poll(() => waiting.sent.length).toBe(1);
    expect(await bot.db.prisma.delivery.count({ where: { status: { in: ["claimed", "sending", "sent"] } } })).toBe(2);
    // The claims expire (a stalled process: its calendar moves, its timers don't) and a second
    // process takes the waiting row over at once.
    bot.clock.set(bot.clock.now().getTime() + 31_000);
    const other = new RecordingAdapter();
    const second = processDispatcher(bot, backend === "postgres" ? await bot.db.reopen() : bot.db, [other]);
    await second.drain();
    expect(other.sent).toHaveLength(1);
    // The first process's slot comes: it must not send the row the second one took.
    await bot.clock.advanceAsync(1_100);
    await first;
    const keys = [...waiting.sent, ...other.sent].map((send) => send.idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(2);
    expect(await bot.db.prisma.delivery.count({ where: { status: "sent" } })).toBe(2);
  });

  it("sends a platform's due rows a few at a time, not all at once", async () => {
    await registerGroups(bot, 24);
    const dispatcher = processDispatcher(bot, bot.db, [slow]);
    expect((await dispatcher.drain()).sent).toBe(24);
    expect(slow.mostInFlight).toBeGreaterThan(1);
    expect(slow.mostInFlight).toBeLessThanOrEqual(8);
  });
});

describe.runIf(backends.includes("postgres"))("a send while the database goes away", () => {
  it("is recorded once the database is back, and never sent again", async () => {
    // Real timers: the database comes back after a real second and a half.
    const bot = await createTestBot("postgres", { adapters: [], timers: "real" });
    const url = new URL(process.env.DATABASE_URL!);
    const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    const schema = (await bot.db.prisma.$queryRaw<[{ schema: string }]>`SELECT current_schema() AS schema`)[0].schema;
    const throughProxy = await openDatabase({ url: url.toString(), schema });
    try {
      await registerGroups(bot, 1);
      // The platform accepts the message, and the database is gone before the row is marked.
      const platform = new RecordingAdapter();
      const cutting: Adapter = Object.assign(Object.create(platform) as Adapter, {
        async send(...args: Parameters<Adapter["send"]>) {
          const result = await platform.send(...args);
          proxy.cut();
          setTimeout(() => proxy.restore(), 1_500);
          return result;
        },
      });
      const dispatcher = new Dispatcher({
        db: throughProxy.prisma,
        outbox: new Outbox(throughProxy.prisma, bot.clock),
        kinds: bot.app.kinds,
        i18n: bot.app.i18n,
        clock: bot.clock,
        logger: createLogger("silent"),
        onUnreachable: async () => {},
      });
      dispatcher.addAdapter(cutting);
      expect((await dispatcher.drain()).sent).toBe(1);
      // Long after the claim would have expired, another process finds nothing to send.
      bot.clock.advance(120_000);
      const other = new RecordingAdapter();
      expect((await processDispatcher(bot, bot.db, [other]).drain()).sent).toBe(0);
      expect(platform.sent).toHaveLength(1);
      expect(other.sent).toHaveLength(0);
      expect(await bot.db.prisma.delivery.count({ where: { status: "sent" } })).toBe(1);
    } finally {
      await throughProxy.close();
      await proxy.close();
      await bot.close();
    }
  }, 60_000);
});
