// Homework at scale: 3,000 groups of 10 (30,000 members), 6 sessions with homework, half of
// the members of 70% of the groups submitted for session 1. On PGlite (the default) and on
// PostgreSQL, through the whole command pipeline:
// - /homework submit: latency p50/p99 under 8 concurrent members (each submit is a replace);
// - /homework list and /homework export as a coordinator (all 3,000 groups): time and size;
// - the nudge planner: one pass over the program (3,000 groups) and the same pass again.
// BENCH_GROUPS scales it (default 3000).
import { pathToFileURL } from "node:url";
import { DateTime } from "luxon";
import { createApp, type App } from "../src/app.ts";
import { ManualClock } from "../src/clock.ts";
import { configSchema } from "../src/config.ts";
import { renderPlain } from "../src/core/messages.ts";
import { openDatabase, type Database } from "../src/db/database.ts";
import { createLogger } from "../src/logger.ts";
import { benchPostgres, formatMs, percentile, table } from "./support.ts";

const GROUPS = Number(process.env.BENCH_GROUPS ?? 3_000);
const MEMBERS = 10;
const LOCALES = ["en", "es", "pt", "fr", "de", "it", "ko"];
const FIRST_SESSION = new Date("2030-05-14T15:00:00Z");
/** Two days before session 1's homework is due: submits are on time, the nudge is within its horizon. */
const NOW = new Date("2030-05-20T14:30:00Z");

async function seed(db: Database): Promise<void> {
  const prisma = db.prisma;
  const program = await prisma.program.create({
    data: { slug: "bench", title: "Bench", timezone: "Europe/Berlin", defaultLocale: "en", registrationDeadline: FIRST_SESSION, reminderOffsets: [], active: true },
  });
  const local = DateTime.fromJSDate(FIRST_SESSION, { zone: "Europe/Berlin" });
  for (let index = 1; index <= 6; index++) {
    const session = await prisma.session.create({
      data: { programId: program.id, index, title: `Session ${index}`, startsAt: local.plus({ weeks: index - 1 }).toJSDate(), durationMinutes: 120 },
    });
    await prisma.homeworkAssignment.create({ data: { sessionId: session.id, texts: Object.fromEntries(LOCALES.map((locale) => [locale, `Homework ${index} (${locale})`])) } });
  }
  const groups = Array.from({ length: GROUPS }, (_, index) => ({
    programId: program.id, name: `Group ${index}`, nameKey: `group ${index}`, locale: LOCALES[index % LOCALES.length]!, timezone: "Europe/Berlin",
  }));
  for (let offset = 0; offset < groups.length; offset += 2_000) await prisma.group.createMany({ data: groups.slice(offset, offset + 2_000) });
  const groupIds = (await prisma.group.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((group) => group.id);
  await prisma.channel.createMany({ data: groupIds.map((id) => ({ platform: "console", platformChannelId: `group-${id}`, purpose: "group" as const, groupId: id })) });
  await prisma.channel.create({ data: { platform: "console", platformChannelId: "facilitators", purpose: "facilitators" } });
  const members = groupIds.flatMap((groupId) =>
    Array.from({ length: MEMBERS }, (_, index) => ({ platform: "console", platformUserId: `m${groupId}-${index}`, displayName: `Member ${groupId}-${index}`, groupId, isLead: index === 0 })),
  );
  for (let offset = 0; offset < members.length; offset += 5_000) await prisma.member.createMany({ data: members.slice(offset, offset + 5_000) });
  const assignment = await prisma.homeworkAssignment.findFirstOrThrow({ where: { session: { index: 1 } } });
  const submitters = await prisma.member.findMany({ where: { groupId: { not: null } }, select: { id: true, groupId: true, platformUserId: true } });
  const submissions = submitters
    .filter((member) => member.groupId! % 10 < 7 && Number(member.platformUserId.split("-")[1]) < MEMBERS / 2)
    .map((member) => ({
      assignmentId: assignment.id, groupId: member.groupId!, memberId: member.id, late: false, submittedAt: new Date(NOW.getTime() - 86_400_000),
      text: `We talked to ${member.id % 7} coworkers, "the night shift" too.\nNotes: https://notes.example.org/${member.id}`,
    }));
  for (let offset = 0; offset < submissions.length; offset += 5_000) await prisma.homeworkSubmission.createMany({ data: submissions.slice(offset, offset + 5_000) });
}

async function measure(label: string, db: Database): Promise<Record<string, string | number>[]> {
  await seed(db);
  const clock = new ManualClock(NOW, { timers: "real" });
  const config = configSchema.parse({ LOG_LEVEL: "silent", COORDINATORS: "console:coordinator" });
  const app: App = await createApp({ config, logger: createLogger("silent"), clock, database: db, seedExample: false, http: false, background: false });
  await app.start([]);
  try {
    const rows: Record<string, string | number>[] = [];
    // Submits: 8 members of different groups at a time, 400 in all.
    const latencies: number[] = [];
    const started = performance.now();
    for (let round = 0; round < 50; round++) {
      await Promise.all(
        Array.from({ length: 8 }, async (_, slot) => {
          const groupId = ((round * 8 + slot) % GROUPS) + 1;
          const start = performance.now();
          await app.handle({ platform: "console", channelId: `group-${groupId}`, userId: `m${groupId}-1`, displayName: `Member ${groupId}-1`, name: "homework", text: `submit Round ${round}: https://notes.example.org/${round}` });
          latencies.push(performance.now() - start);
        }),
      );
    }
    const recorded = await db.prisma.homeworkSubmission.count({ where: { text: { startsWith: "Round " } } });
    if (recorded !== Math.min(400, GROUPS)) throw new Error(`expected ${Math.min(400, GROUPS)} submissions, found ${recorded}`);
    latencies.sort((a, b) => a - b);
    const submitSeconds = (performance.now() - started) / 1000;
    rows.push({ [label]: "/homework submit ×400 (8 at a time)", result: `${(400 / submitSeconds).toFixed(0)}/s`, p50: formatMs(percentile(latencies, 50)), p99: formatMs(percentile(latencies, 99)) });

    const ask = async (text: string) => {
      const start = performance.now();
      const [reply] = await app.handle({ platform: "console", channelId: "facilitators", userId: "coordinator", displayName: "coordinator", name: "homework", text });
      return { reply: reply!, ms: performance.now() - start };
    };
    const list = await ask("list 1");
    rows.push({ [label]: `/homework list, ${GROUPS} groups`, result: `${(renderPlain(list.reply).length / 1000).toFixed(0)} k characters`, p50: formatMs(list.ms), p99: "" });
    const exported = await ask("export 1");
    const lines = new TextDecoder().decode(exported.reply.file!.data).split("\r\n").length - 2;
    rows.push({ [label]: "/homework export", result: `${lines} rows, ${(exported.reply.file!.data.length / 1_048_576).toFixed(1)} MB`, p50: formatMs(exported.ms), p99: "" });

    let start = performance.now();
    const nudges = await app.planners.homeworkNudges.enqueueHorizon({ horizonMs: 8 * 7 * 86_400_000 });
    rows.push({ [label]: "nudge planner, whole program", result: `${nudges} rows`, p50: formatMs(performance.now() - start), p99: "" });
    start = performance.now();
    const again = await app.planners.homeworkNudges.enqueueHorizon({ horizonMs: 8 * 7 * 86_400_000 });
    rows.push({ [label]: "same again (idempotent)", result: `${again} rows`, p50: formatMs(performance.now() - start), p99: "" });
    return rows;
  } finally {
    await app.stop();
  }
}

export async function main(): Promise<void> {
  console.log(`${GROUPS} groups × ${MEMBERS} members, 6 assignments; session 1: half the members of 70% of the groups submitted`);
  table(await measure("PGlite", await openDatabase({ dataDir: "memory" }).then(async (db) => (await db.migrate(), db))));
  table(await measure("PostgreSQL", await benchPostgres()));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
