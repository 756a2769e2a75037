// Reminders at scale on PostgreSQL: 10,000 groups in 40 time zones, 6 sessions, 2 offsets.
// 1. Time to enqueue the horizon (the default 7 days, and the whole program).
// 2. With a platform that admits 30 messages per second, the time from the due instant to the
//    last reminder handed over, against the floor that rate sets, p50/p99 lateness, 429s,
//    duplicates and losses; once undisturbed, once with the dispatcher process killed by
//    SIGKILL halfway and restarted.
// BENCH_GROUPS scales it down for a quick look (default 10000).
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DateTime } from "luxon";
import { ManualClock } from "../src/clock.ts";
import type { Database } from "../src/db/database.ts";
import { createLogger } from "../src/logger.ts";
import { Outbox } from "../src/outbox/outbox.ts";
import { ReminderPlanner } from "../src/schedule/reminders.ts";
import { startPacedPlatform } from "./fakes/paced-platform.ts";
import { benchPostgres, BENCH_POSTGRES_URL, formatMs, percentile, table } from "./support.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const GROUPS = Number(process.env.BENCH_GROUPS ?? 10_000);
const RATE = 30;
const ZONES = [
  "Europe/Berlin", "Europe/London", "Europe/Madrid", "Europe/Paris", "Europe/Rome", "Europe/Lisbon", "Europe/Warsaw",
  "Europe/Istanbul", "Africa/Lagos", "Africa/Johannesburg", "Africa/Nairobi", "Africa/Cairo", "Asia/Kolkata",
  "Asia/Kathmandu", "Asia/Dhaka", "Asia/Jakarta", "Asia/Manila", "Asia/Seoul", "Asia/Tokyo", "Asia/Shanghai",
  "Asia/Singapore", "Asia/Karachi", "Asia/Tehran", "Australia/Sydney", "Australia/Adelaide", "Australia/Perth",
  "Pacific/Auckland", "Pacific/Chatham", "America/New_York", "America/Chicago", "America/Denver",
  "America/Los_Angeles", "America/Mexico_City", "America/Bogota", "America/Lima", "America/Sao_Paulo",
  "America/Argentina/Buenos_Aires", "America/Santiago", "America/St_Johns", "America/Halifax",
];
const LOCALES = ["en", "es", "pt", "fr", "de", "it", "ko"];

/** Program, sessions, groups and their channels, straight into the tables. */
async function seed(db: Database, firstSession: Date): Promise<void> {
  const prisma = db.prisma;
  const local = DateTime.fromJSDate(firstSession, { zone: "Europe/Berlin" });
  const program = await prisma.program.create({
    data: {
      slug: "bench", title: "Bench Program", timezone: "Europe/Berlin", defaultLocale: "en",
      registrationDeadline: firstSession, reminderOffsets: [1440, 60], active: true,
    },
  });
  await prisma.session.createMany({
    data: Array.from({ length: 6 }, (_, index) => ({
      programId: program.id, index: index + 1, title: `Session ${index + 1}`,
      startsAt: local.plus({ weeks: index }).toJSDate(), durationMinutes: 120,
    })),
  });
  const groups = Array.from({ length: GROUPS }, (_, index) => ({
    programId: program.id, name: `Group ${index}`, nameKey: `group ${index}`,
    locale: LOCALES[index % LOCALES.length]!, timezone: ZONES[index % ZONES.length]!,
  }));
  for (let offset = 0; offset < groups.length; offset += 5_000) await prisma.group.createMany({ data: groups.slice(offset, offset + 5_000) });
  const ids = await prisma.group.findMany({ select: { id: true }, orderBy: { id: "asc" } });
  const channels = ids.map((group) => ({ platform: "bench", platformChannelId: `chat-${group.id}`, purpose: "group" as const, groupId: group.id }));
  for (let offset = 0; offset < channels.length; offset += 5_000) await prisma.channel.createMany({ data: channels.slice(offset, offset + 5_000) });
}

async function timeEnqueue(): Promise<Record<string, string | number>[]> {
  const db = await benchPostgres();
  try {
    const now = new Date();
    await seed(db, new Date(now.getTime() + 30 * 3_600_000));
    const clock = new ManualClock(now, { timers: "real" });
    const planner = new ReminderPlanner(db.prisma, new Outbox(db.prisma, clock), clock, createLogger("silent"));
    let started = performance.now();
    const week = await planner.enqueueHorizon();
    const weekMs = performance.now() - started;
    started = performance.now();
    const again = await planner.enqueueHorizon();
    const againMs = performance.now() - started;
    started = performance.now();
    const all = await planner.enqueueHorizon({ horizonMs: 7 * 7 * 24 * 3_600_000 });
    const allMs = performance.now() - started;
    return [
      { enqueue: "7-day horizon (default)", rows: week, time: formatMs(weekMs) },
      { enqueue: "same horizon again (idempotent)", rows: again, time: formatMs(againMs) },
      { enqueue: "whole program (6 sessions x 2 offsets)", rows: all, time: formatMs(allMs) },
    ];
  } finally {
    await db.close();
  }
}

function startWorker(schemaUrl: string, platformUrl: string): Promise<ChildProcess> {
  const child = fork(path.join(here, "reminders-worker.ts"), [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, DATABASE_URL: schemaUrl, PLATFORM_URL: platformUrl, RATE: String(RATE), LOG_LEVEL: "error" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("message", () => resolve(child));
    child.once("exit", (code) => reject(new Error(`worker exited early (${code})`)));
  });
}

async function dispatchRun(kill: boolean): Promise<Record<string, string | number>> {
  const db = await benchPostgres();
  const platform = await startPacedPlatform({ messages: RATE, perMs: 1000, latencyMs: 2 });
  const workers: ChildProcess[] = [];
  try {
    // The 24-hour reminders of session 1 fall due 20 s from now, for every group at once.
    const due = new Date(Date.now() + 20_000);
    await seed(db, new Date(due.getTime() + 24 * 3_600_000));
    const url = new URL(BENCH_POSTGRES_URL);
    url.searchParams.set("schema", db.schema);
    workers.push(await startWorker(url.toString(), platform.url));
    let killedAt: number | undefined;
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (kill && killedAt === undefined && platform.received.size >= GROUPS / 2) {
          killedAt = platform.received.size;
          workers[0]!.kill("SIGKILL");
          startWorker(url.toString(), platform.url).then((worker) => workers.push(worker), reject);
        }
        if (platform.received.size >= GROUPS) {
          clearInterval(check);
          resolve();
        }
      }, 50);
    });
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // let any stragglers (duplicates) arrive
    const expected = new Set(
      (await db.prisma.delivery.findMany({ where: { notBefore: due }, select: { dedupeKey: true } })).map((row) => row.dedupeKey),
    );
    const arrivals = [...platform.received.entries()].filter(([key]) => expected.has(key));
    const lateness = arrivals.map(([, times]) => times[0]! - due.getTime()).sort((a, b) => a - b);
    const duplicates = arrivals.reduce((sum, [, times]) => sum + times.length - 1, 0);
    const lost = [...expected].filter((key) => !platform.received.has(key)).length;
    // The longest silence between two accepted messages: with SIGKILL, the restart's cost.
    const arrivalTimes = arrivals.flatMap(([, times]) => times).sort((a, b) => a - b);
    const longestPause = Math.max(0, ...arrivalTimes.slice(1).map((at, index) => at - arrivalTimes[index]!));
    const last = lateness.at(-1)!;
    const floor = ((expected.size - 1) / RATE) * 1000;
    return {
      run: kill ? `SIGKILL at ${killedAt} sent, restarted` : "undisturbed",
      reminders: expected.size,
      "due -> last sent": formatMs(last),
      floor: formatMs(floor),
      "over floor": `${(((last - floor) / floor) * 100).toFixed(1)}%`,
      "p50 late": formatMs(percentile(lateness, 50)),
      "p99 late": formatMs(percentile(lateness, 99)),
      "longest pause": formatMs(longestPause),
      "429s": platform.rejected,
      "429s after 1st s": platform.rejectedAfterFirstSecond,
      duplicates,
      lost,
    };
  } finally {
    for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill("SIGTERM");
    await Promise.all(workers.map((worker) => (worker.exitCode === null && worker.signalCode === null ? new Promise((resolve) => worker.once("exit", resolve)) : undefined)));
    await platform.close();
    await db.close();
  }
}

export async function main(): Promise<void> {
  console.log(`${GROUPS} groups in ${ZONES.length} time zones, 6 sessions, offsets 24 h and 1 h, PostgreSQL at ${new URL(BENCH_POSTGRES_URL).host}`);
  table(await timeEnqueue());
  table([await dispatchRun(false), await dispatchRun(true)]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
