// The fault suite: the outbox's promises (a restart loses nothing and sends nothing twice; several
// processes share one PostgreSQL) checked under faults with real bot processes, the three platform
// fakes and the machine's PostgreSQL. Each scenario sends an announcement to 3,000 group channels
// (a fifth on Telegram, the slowest, the rest on Slack and Discord), the shared-database ones a
// reminder wave to every channel as well, and counts what the fakes received against the outbox
// rows. It asserts correctness, never timings;
// the figures are printed as one table at the end.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { claimedBy, createWorld, outcomes, seconds, tally, waitUntil, type Figures, type World } from "./harness.ts";

const SETTLE_MS = 600_000; // a deadline for a stuck run, not a timing assertion

describe.sequential("the outbox under faults", () => {
  const table: Figures[] = [];
  let world: World | undefined;

  afterEach(async () => {
    await world?.close();
    world = undefined;
  });
  afterAll(() => {
    process.stdout.write("\nFault suite figures\n");
    console.table(table);
  });

  /** Checks and records a scenario: nothing lost, duplicates only among `allowed`. */
  async function conclude(row: Omit<Figures, "expected" | "delivered" | "duplicates" | "lost" | "429s" | "5xx" | "time (s)">, allowed = new Set<string>()) {
    const current = world!;
    const counts = tally(current);
    table.push({
      ...row,
      expected: counts.expected,
      delivered: counts.delivered,
      duplicates: counts.duplicated.length,
      lost: counts.lost.length,
      "time (s)": seconds(Date.now() - current.startedAt),
      "429s": current.rateLimited(),
      "5xx": Object.values(current.faults ?? {}).reduce((sum, proxy) => sum + proxy.failed, 0),
    });
    expect(await outcomes(current)).toEqual({ sent: counts.expected });
    expect(counts.lost).toEqual([]);
    expect(counts.duplicated.filter((key) => !allowed.has(key))).toEqual([]);
    expect(new Set(counts.duplicated).size).toBe(counts.duplicated.length); // at most one extra each
  }

  it.each([2, 3])("%i processes share a broadcast and a reminder wave: each message once", async (processes) => {
    world = await createWorld();
    for (let index = 0; index < processes; index++) await world.startBot();
    await world.broadcast();
    await world.settled(SETTLE_MS);
    await conclude({ scenario: `${processes} processes`, processes, "in flight at kill": "—", notes: "" });
  });

  it("kill -9 of one of three processes mid-broadcast: the others finish it", async () => {
    world = await createWorld({ reminderWave: false });
    for (let index = 0; index < 3; index++) await world.startBot();
    await world.broadcast();
    const current = world;
    await waitUntil(async () => (await sentCount(current, "announcement")) >= current.targets.length / 4, SETTLE_MS, "a quarter of the broadcast");
    const victim = current.bots[2]!;
    victim.process.child.kill("SIGKILL");
    await victim.process.exited;
    const inFlight = await claimedBy(current, victim.pid);
    const sentAtKill = await sentCount(current, "announcement");
    await current.settled(SETTLE_MS);
    await conclude(
      {
        scenario: "kill -9 mid-broadcast",
        processes: 3,
        "in flight at kill": inFlight.size,
        notes: `killed process 3 when ${sentAtKill} of ${current.targets.length} announcements were sent; its claims were taken over after they expired`,
      },
      inFlight,
    );
  });

  it("the database unreachable for 20 s mid-broadcast: /healthz says 503, nothing is lost or doubled, the bots recover", async () => {
    world = await createWorld({ reminderWave: false, cuttableDatabase: true });
    for (let index = 0; index < 2; index++) await world.startBot();
    await world.broadcast();
    const current = world;
    const database = current.database!;
    await waitUntil(async () => (await sentCount(current, "announcement")) >= current.targets.length / 5, SETTLE_MS, "a fifth of the broadcast");
    const cutAt = Date.now();
    const deliveredBeforeCut = tally(current).delivered;
    database.cut();
    const during: (number | string)[] = [];
    while (Date.now() - cutAt < 20_000) {
      // Give the bots a moment to notice; from then on every answer must be 503.
      const answers = await Promise.all(current.bots.map((bot) => bot.health()));
      if (Date.now() - cutAt > 5_000) during.push(...answers);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const deliveredDuringCut = tally(current).delivered - deliveredBeforeCut;
    database.restore();
    const restoredAt = Date.now();
    await waitUntil(async () => (await Promise.all(current.bots.map((bot) => bot.health()))).every((status) => status === 200), 60_000, "/healthz 200 again");
    const recoveredMs = Date.now() - restoredAt;
    await current.settled(SETTLE_MS);
    expect(during.length).toBeGreaterThan(0);
    expect(new Set(during)).toEqual(new Set([503]));
    await conclude({
      scenario: "database cut for 20 s",
      processes: 2,
      "in flight at kill": "—",
      notes: `/healthz: ${during.length} answers during the cut, all 503; 200 again ${seconds(recoveredMs)} s after; ${database.dropped} connections dropped or refused; ${deliveredDuringCut} messages delivered during the cut (sends already under way)`,
    });
  });

  it("5xx and 429 storms from every platform: backoff, nothing lost, no error loop", async () => {
    world = await createWorld({ reminderWave: false, serverErrors: true });
    for (let index = 0; index < 2; index++) await world.startBot();
    const current = world;
    const faults = current.faults!;
    // From the first send on: a burst of server errors and of 429s on every platform.
    faults.telegram.storm(150, 502);
    faults.slack.storm(150, 503);
    faults.discord.storm(150, 500);
    current.telegram.storm(150, 3);
    current.slack.startRateLimitStorm({ calls: 150, retryAfterSeconds: 3, methods: ["chat.postMessage"] });
    current.discord.storm({ route: "POST /channels/{channel_id}/messages", count: 150, retryAfter: 3 });
    await current.broadcast();
    await current.settled(SETTLE_MS);
    const attempts = Object.values(faults).reduce((sum, proxy) => sum + proxy.sendAttempts, 0);
    const refused = current.rateLimited() + Object.values(faults).reduce((sum, proxy) => sum + proxy.failed, 0);
    const expected = current.targets.length;
    // Every refusal costs one more attempt, a few more at most (discord.js retries a 5xx itself):
    // an error loop would send each failed message again and again.
    expect(attempts).toBeLessThanOrEqual(expected + 4 * refused);
    await conclude({
      scenario: "5xx and 429 storms",
      processes: 2,
      "in flight at kill": "—",
      notes: `${attempts} send attempts for ${expected} messages (${(attempts / expected).toFixed(2)} per message)`,
    });
  });
});

async function sentCount(world: World, kind: string): Promise<number> {
  return world.db.prisma.delivery.count({ where: { kind, status: "sent" } });
}
