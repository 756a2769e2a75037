// Reminders through the outbox on PGlite and PostgreSQL: idempotent enqueueing, rendering in
// each group's language and zone at send time, catch-up after downtime, retries and permanent
// failures, claim takeover, moving a session, pausing. An injectable clock instead of sleeps.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { backends } from "../helpers/database.ts";
import { processDispatcher } from "../helpers/dispatcher.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";
import { RecordingAdapter } from "../helpers/recording-adapter.ts";

// The test program: session 1 on Tuesday 2030-05-14 17:00 Berlin (15:00 UTC), session 2 a week later.
const SESSION_1 = Date.parse("2030-05-14T15:00:00Z");
const HOUR = 3_600_000;

describe.each(backends)("reminders on %s", (backend) => {
  let bot: TestBot;
  let adapter: RecordingAdapter;
  beforeAll(async () => {
    adapter = new RecordingAdapter();
    bot = await createTestBot(backend, { adapters: [adapter] });
  });
  beforeEach(async () => {
    await bot.reset();
    adapter.reset();
  });
  afterAll(async () => {
    await bot.close();
  });

  async function registerGroups() {
    await bot.say("ana", "berlin", "/register Berlin Tenants");
    await bot.say("kenji", "tokyo", "/register Tokyo Tenants language=ko tz=Asia/Tokyo");
    await bot.say("mere", "auckland", "/register Auckland Union language=es tz=Pacific/Auckland");
  }

  const deliveries = () => bot.db.prisma.delivery.findMany({ orderBy: { id: "asc" }, include: { channel: true } });

  it("enqueues each reminder once, however often the horizon is enqueued", async () => {
    await registerGroups();
    bot.clock.set(SESSION_1 - 2 * 24 * HOUR);
    const first = await bot.app.planners.reminders.enqueueHorizon();
    expect(first).toBe(3 * 2); // three groups, two offsets, one session within the week
    expect(await bot.app.planners.reminders.enqueueHorizon()).toBe(0);
    bot.clock.set(SESSION_1 + 2 * 24 * HOUR);
    expect(await bot.app.planners.reminders.enqueueHorizon()).toBe(3 * 2); // the next session's
    const keys = (await deliveries()).map((row) => row.dedupeKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("gives a group that registers its reminders at once, without waiting for the next tick", async () => {
    bot.clock.set(SESSION_1 - 2 * 24 * HOUR);
    await bot.say("ana", "berlin", "/register Berlin Tenants");
    expect((await deliveries()).map((row) => row.dedupeKey)).toEqual([
      "reminder:1:2030-05-14T15:00:00.000Z:1:1440",
      "reminder:1:2030-05-14T15:00:00.000Z:1:60",
    ]);
  });

  it("sends each group its reminder in its own language and zone, at the offsets, once", async () => {
    await registerGroups();
    bot.clock.set(SESSION_1 - 25 * HOUR);
    await bot.app.planners.reminders.enqueueHorizon();
    expect((await bot.app.dispatcher.drain()).sent).toBe(0); // nothing due yet

    bot.clock.set(SESSION_1 - 24 * HOUR);
    expect((await bot.app.dispatcher.drain()).sent).toBe(3);
    expect(adapter.to("berlin")[0]!.text).toMatch(/Session 1, “First”, starts in 1 day\n.*Tuesday, May 14, 5:00 PM–7:00 PM \(Europe\/Berlin\)/);
    // Tokyo: 17:00 Berlin summer time is midnight, Wednesday; in Korean.
    expect(adapter.to("tokyo")[0]!.text).toMatch(/5월 15일 수요일.*AM 12:00/);
    // Auckland: Wednesday 03:00, in Spanish.
    expect(adapter.to("auckland")[0]!.text).toMatch(/miércoles, 15 de mayo.*3:00/);

    await bot.app.dispatcher.drain();
    expect(adapter.sent).toHaveLength(3);
    bot.clock.set(SESSION_1 - HOUR);
    await bot.app.dispatcher.drain();
    expect(adapter.sent).toHaveLength(6);
    expect(adapter.to("berlin")[1]!.text).toMatch(/starts in 1 hour/);
    const rows = await deliveries();
    expect(rows.every((row) => row.status === "sent" && !row.late)).toBe(true);
  });

  it("renders at send time: a language change after enqueueing is honoured", async () => {
    await bot.say("ana", "berlin", "/register Berlin Tenants");
    bot.clock.set(SESSION_1 - 30 * HOUR);
    await bot.app.planners.reminders.enqueueHorizon();
    await bot.say("ana", "berlin", "/language de");
    bot.clock.set(SESSION_1 - 24 * HOUR);
    await bot.app.dispatcher.drain();
    expect(adapter.to("berlin")[0]!.text).toMatch(/Dienstag, 14. Mai/);
  });

  describe("a group that registers shortly before a session", () => {
    beforeEach(async () => {
      // The coordinators keep registration open until the day after the first session.
      await bot.db.prisma.program.updateMany({ data: { registrationDeadline: new Date(SESSION_1 + 24 * HOUR) } });
    });

    /** Registers Berlin at `before` ms ahead of session 1, then runs a minute of ticks and sends. */
    async function registerAndRunUntil(before: number, until: number) {
      bot.clock.set(SESSION_1 - before);
      await bot.say("ana", "berlin", "/register Berlin Tenants");
      await bot.app.dispatcher.drain();
      while (bot.clock.now().getTime() < SESSION_1 - until) {
        bot.clock.advance(60_000);
        await bot.app.planners.reminders.enqueueHorizon(); // the scheduler's tick
        await bot.app.dispatcher.drain();
      }
    }

    it("gets one reminder a minute before the 1-hour one, not the overdue 1-day one as well", async () => {
      await registerAndRunUntil(61 * 60_000, 30 * 60_000);
      expect(adapter.to("berlin").map((sent) => sent.text.split("\n")[0])).toEqual(["⏰ Session 1, “First”, starts in 1 hour"]);
      const session1 = (await deliveries()).filter((row) => (row.payload as { sessionId: number }).sessionId === 1);
      expect(session1.map((row) => [row.status, row.lastError])).toEqual([
        ["skipped", "superseded by the 60-minute reminder"],
        ["sent", null],
      ]);
    });

    it("still hears at once of a session that is most of a day away, and again an hour before", async () => {
      await registerAndRunUntil(20 * HOUR, 20 * HOUR - 60_000);
      bot.clock.set(SESSION_1 - HOUR);
      await bot.app.dispatcher.drain();
      expect(adapter.to("berlin").map((sent) => sent.text.split("\n")[0])).toEqual([
        "⏰ Session 1, “First”, starts in 20 hours",
        "⏰ Session 1, “First”, starts in 1 hour",
      ]);
    });
  });

  describe("catch-up after downtime", () => {
    beforeEach(async () => {
      await bot.say("ana", "berlin", "/register Berlin Tenants");
      bot.clock.set(SESSION_1 - 30 * HOUR);
      await bot.app.planners.reminders.enqueueHorizon();
    });

    it("still sends a missed reminder, marked late, when the session has not started", async () => {
      bot.clock.set(SESSION_1 - 20 * HOUR);
      await bot.app.dispatcher.drain();
      expect(adapter.sent).toHaveLength(1);
      const row = (await deliveries()).find((delivery) => delivery.status === "sent")!;
      expect(row.late).toBe(true);
    });

    it("sends only the latest of several missed reminders", async () => {
      bot.clock.set(SESSION_1 - 30 * 60_000);
      await bot.app.dispatcher.drain();
      expect(adapter.sent).toHaveLength(1);
      expect(adapter.sent[0]!.text).toMatch(/starts in 30 minutes/);
      const rows = await deliveries();
      expect(rows.map((row) => [row.status, row.lastError])).toEqual(
        expect.arrayContaining([["skipped", "superseded by the 60-minute reminder"], ["sent", null]]),
      );
    });

    it("never sends a reminder after the session began, and records it as skipped", async () => {
      bot.clock.set(SESSION_1 + 60_000);
      await bot.app.dispatcher.drain();
      expect(adapter.sent).toHaveLength(0);
      expect((await deliveries()).map((row) => row.status)).toEqual(["skipped", "skipped"]);
    });

    it("does not enqueue reminders for a session that has begun", async () => {
      await bot.db.prisma.delivery.deleteMany();
      bot.clock.set(SESSION_1 + 60_000);
      await bot.app.planners.reminders.enqueueHorizon();
      expect((await deliveries()).filter((row) => row.payload && (row.payload as { sessionId: number }).sessionId === 1)).toEqual([]);
    });
  });

  describe("failures", () => {
    beforeEach(async () => {
      await bot.say("ana", "berlin", "/register Berlin Tenants");
      await bot.say("kenji", "tokyo", "/register Tokyo Tenants tz=Asia/Tokyo");
      bot.clock.set(SESSION_1 - 24 * HOUR);
      await bot.app.planners.reminders.enqueueHorizon();
    });

    it("honours retry_after on a 429 without counting it as a failed attempt", async () => {
      adapter.failNext("rate_limited", { channelId: "berlin", retryAfterMs: 7_000 });
      const report = await bot.app.dispatcher.drain();
      expect(report).toMatchObject({ sent: 1, rateLimited: 1 });
      const waiting = (await deliveries()).find((row) => row.channel.platformChannelId === "berlin" && row.status === "pending")!;
      expect(waiting.attempts).toBe(0);
      expect(waiting.nextAttemptAt.getTime()).toBe(SESSION_1 - 24 * HOUR + 7_000);
      bot.clock.advance(6_000);
      expect((await bot.app.dispatcher.drain()).sent).toBe(0);
      bot.clock.advance(1_000);
      expect((await bot.app.dispatcher.drain()).sent).toBe(1);
      expect(adapter.to("berlin")).toHaveLength(1);
    });

    it("waits out a rate limit of a moment in place: sent in the same pass, nothing put back", async () => {
      adapter.failNext("rate_limited", { channelId: "berlin", retryAfterMs: 50 });
      const report = await bot.app.dispatcher.drain();
      expect(report).toMatchObject({ sent: 2, rateLimited: 1 });
      expect(adapter.to("berlin")).toHaveLength(1);
      const due = (await deliveries()).filter((row) => row.notBefore <= bot.clock.now());
      expect(due.map((row) => row.status)).toEqual(["sent", "sent"]);
    });

    it("retries transient errors with exponential backoff and jitter, then gives up", async () => {
      adapter.failNext("transient", { channelId: "berlin", times: 8 });
      const delays: number[] = [];
      for (let attempt = 1; attempt <= 8; attempt++) {
        await bot.app.dispatcher.drain();
        const row = (await deliveries()).find((delivery) => delivery.channel.platformChannelId === "berlin")!;
        if (row.status === "failed") break;
        delays.push(row.nextAttemptAt.getTime() - bot.clock.now().getTime());
        bot.clock.set(row.nextAttemptAt);
      }
      const row = (await deliveries()).find((delivery) => delivery.channel.platformChannelId === "berlin")!;
      expect(row.status).toBe("failed");
      expect(row.lastError).toMatch(/gave up after 8 attempts: 502/);
      expect(delays).toHaveLength(7);
      // 5 s doubling each time, each within ±50% jitter.
      delays.forEach((delay, index) => {
        const base = 5_000 * 2 ** index;
        expect(delay).toBeGreaterThanOrEqual(base * 0.5);
        expect(delay).toBeLessThanOrEqual(base * 1.5);
      });
      expect(adapter.to("berlin")).toHaveLength(0);
      expect(adapter.to("tokyo")).toHaveLength(1);
    });

    it("records a permanent error, marks the channel unreachable and stops sending there", async () => {
      adapter.failNext("permanent", { channelId: "berlin" });
      const report = await bot.app.dispatcher.drain();
      expect(report.failed).toBeGreaterThanOrEqual(1);
      const rows = await deliveries();
      const berlin = rows.filter((row) => row.channel.platformChannelId === "berlin");
      // The 24-hour reminder failed, and so did the others waiting for that channel.
      expect(berlin.map((row) => row.status)).toEqual(["failed", "failed", "failed"]);
      expect(berlin[0]!.channel.unreachableReason).toMatch(/kicked/);
      bot.clock.set(SESSION_1 + 2 * 24 * HOUR);
      await bot.app.planners.reminders.enqueueHorizon();
      await bot.app.dispatcher.drain();
      expect(adapter.to("berlin")).toHaveLength(0);
      expect((await deliveries()).filter((row) => row.channel.platformChannelId === "berlin")).toHaveLength(3);
      expect(adapter.to("tokyo").length).toBeGreaterThan(0);
    });
  });

  it("takes over the claim of a process that died, after the claim expires", async () => {
    await bot.say("ana", "berlin", "/register Berlin Tenants");
    bot.clock.set(SESSION_1 - 24 * HOUR);
    await bot.app.planners.reminders.enqueueHorizon();
    // A process claims the row and dies before sending it.
    const claimed = await bot.app.outbox.claim({ platform: "console", owner: "dead-process", limit: 10, ttlMs: 60_000 });
    expect(claimed.map((row) => row.dedupeKey)).toEqual(["reminder:1:2030-05-14T15:00:00.000Z:1:1440"]);
    expect((await bot.app.dispatcher.drain()).sent).toBe(0); // still claimed
    bot.clock.advance(61_000);
    expect((await bot.app.dispatcher.drain()).sent).toBe(1);
    expect(adapter.sent).toHaveLength(1);
    // The dead process's late update can't undo it.
    expect(await bot.app.outbox.markFailed(claimed[0]!, "dead-process", "too late")).toBe(false);
    expect((await deliveries()).find((row) => row.id === claimed[0]!.id)!.status).toBe("sent");
  });

  it("moves a session: pending reminders follow the new time and every group is told", async () => {
    await registerGroups();
    bot.clock.set(SESSION_1 - 30 * HOUR);
    await bot.app.planners.reminders.enqueueHorizon();
    const reply = await bot.say("coordinator", "hq", "/session move 1 2030-05-15 18:00");
    expect(reply).toMatch(/now starts Wednesday, May 15, 2030 at 06:00 PM/);
    await bot.app.dispatcher.drain();
    expect(adapter.to("tokyo")[0]!.text).toMatch(/이동|1/);
    expect(adapter.to("berlin")[0]!.text).toMatch(/has moved\nNow: Wednesday, May 15, 6:00 PM–8:00 PM \(Europe\/Berlin\)\nBefore: Tuesday, May 14, 5:00 PM–7:00 PM/);
    const rows = await deliveries();
    expect(rows.filter((row) => row.kind === "reminder" && row.status === "cancelled")).toHaveLength(6);
    const fresh = rows.filter((row) => row.kind === "reminder" && row.status === "pending");
    expect(fresh).toHaveLength(6);
    expect(fresh.every((row) => row.expiresAt!.toISOString() === "2030-05-15T16:00:00.000Z")).toBe(true);
    // The old 24-hour reminder time passes: nothing is sent for the old time.
    bot.clock.set(SESSION_1 - 24 * HOUR);
    expect((await bot.app.dispatcher.drain()).sent).toBe(0);
  });

  it("refuses a move that breaks the sessions' order or moves a session already held, naming the neighbour", async () => {
    await bot.say("ana", "berlin", "/register Berlin Tenants");
    expect(await bot.say("coordinator", "hq", "/session move 2 2030-05-14 18:00")).toBe(
      "Session 2 would then start before session 1, “First”, ends (Tuesday, May 14, 2030 at 07:00 PM GMT+2). Sessions keep their order: pick a later time, or move session 1 first.",
    );
    expect(await bot.say("coordinator", "hq", "/session move 1 2030-05-21 16:00")).toBe(
      "Session 1 would then run into session 2, “Second”, which starts Tuesday, May 21, 2030 at 05:00 PM GMT+2. Sessions keep their order: pick an earlier time, or move session 2 first.",
    );
    bot.clock.set(SESSION_1 + HOUR);
    expect(await bot.say("coordinator", "hq", "/session move 1 2030-05-16 17:00")).toBe(
      "Session 1, “First”, started on Tuesday, May 14, 2030 at 05:00 PM GMT+2; a session that has begun cannot be moved.",
    );
    const sessions = await bot.db.prisma.session.findMany({ orderBy: { index: "asc" } });
    expect(sessions.map((session) => session.startsAt.toISOString())).toEqual(["2030-05-14T15:00:00.000Z", "2030-05-21T15:00:00.000Z"]);
    expect(await bot.db.prisma.delivery.count({ where: { kind: "session-moved" } })).toBe(0);
  });

  it("refuses to move a session into the past, to a time that doesn't exist, or for a non-coordinator", async () => {
    await bot.say("ana", "berlin", "/register Berlin Tenants");
    expect(await bot.say("coordinator", "hq", "/session move 1 2020-01-01 10:00")).toMatch(/already passed/);
    expect(await bot.say("coordinator", "hq", "/session move 1 2031-03-30 02:30")).toMatch(/does not exist/);
    expect(await bot.say("coordinator", "hq", "/session move 9 2030-06-01 10:00")).toMatch(/no session 9/);
    expect(await bot.say("coordinator", "hq", "/session move 1 tomorrow")).toMatch(/can't read/);
    expect(await bot.say("ana", "berlin", "/session move 1 2030-06-01 10:00")).toMatch(/for the coordinator role only/);
    expect(await bot.db.prisma.session.findFirstOrThrow({ where: { index: 1 } })).toMatchObject({ startsAt: new Date(SESSION_1) });
  });

  it("pauses reminders (what falls due meanwhile is not sent later) and resumes them", async () => {
    await bot.say("ana", "berlin", "/register Berlin Tenants");
    bot.clock.set(SESSION_1 - 30 * HOUR);
    await bot.app.planners.reminders.enqueueHorizon();
    expect(await bot.say("coordinator", "hq", "/reminders pause")).toMatch(/paused; 2 waiting reminders were cancelled/);
    bot.clock.set(SESSION_1 - 24 * HOUR);
    await bot.app.planners.reminders.enqueueHorizon();
    await bot.app.dispatcher.drain();
    expect(adapter.sent).toHaveLength(0);
    bot.clock.set(SESSION_1 - 2 * HOUR);
    // Back on: the 1-hour reminder of session 1 (still ahead) and session 2's first one are waiting.
    expect(await bot.say("coordinator", "hq", "/reminders resume")).toMatch(/back on; 2 reminders are waiting/);
    bot.clock.set(SESSION_1 - HOUR);
    await bot.app.dispatcher.drain();
    expect(adapter.sent.map((send) => send.text)).toEqual([expect.stringMatching(/starts in 1 hour/)]);
  });
});

describe.runIf(backends.includes("postgres"))("two dispatchers racing on one PostgreSQL", () => {
  it("send every reminder exactly once", async () => {
    const adapter = new RecordingAdapter();
    const bot = await createTestBot("postgres", { adapters: [adapter] });
    try {
      for (let group = 0; group < 150; group++) {
        await bot.say(`lead${group}`, `channel${group}`, `/register Group ${group}`);
      }
      bot.clock.set(SESSION_1 - 30 * 60_000); // the 1-hour reminders are due, the 24-hour ones superseded
      await bot.app.planners.reminders.enqueueHorizon();
      // A second process: its own connection pool and its own dispatcher, same clock.
      const other = await bot.db.reopen();
      const otherAdapter = new RecordingAdapter();
      const second = processDispatcher(bot, other, [otherAdapter], { maxInFlight: 7 });
      const [one, two] = await Promise.all([bot.app.dispatcher.drain(), second.drain()]);
      const keys = [...adapter.sent, ...otherAdapter.sent].map((send) => send.idempotencyKey);
      expect(keys).toHaveLength(150);
      expect(new Set(keys).size).toBe(150);
      expect(one.sent + two.sent).toBe(150);
      expect(one.skipped + two.skipped).toBe(150);
      const statuses = await bot.db.prisma.delivery.groupBy({ by: ["status"], _count: true });
      // Session 2's reminders are already in the outbox, waiting for their time.
      expect(Object.fromEntries(statuses.map((row) => [row.status, row._count]))).toEqual({ sent: 150, skipped: 150, pending: 300 });
    } finally {
      await bot.close();
    }
  }, 60_000);
});
