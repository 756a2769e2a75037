// Check-in at the start of a session: 3,000 people in 100 Telegram groups press the reminder's
// "I'm here" button within the session's first minutes, through the real grammY adapter against
// the Bot API fake (Telegram's limits enforced), the pipeline and PostgreSQL. The presses come in
// 10 waves of 300 as fast as the fake can queue them (harder than 5 real minutes; the ManualClock
// moves 30 s per wave, from the start to 4.5 minutes after: all but the first wave are late), and 1 in 20 people
// taps twice. It checks that every person has exactly one CheckIn row (none lost, none doubled)
// and every press got its private answer (answerCallbackQuery, which Telegram doesn't count
// against the message limits), and prints the time from press to answer.
// BENCH_CHECKIN_PEOPLE scales it (default 3000, in groups of 30).
import { pathToFileURL } from "node:url";
import { ManualClock } from "../src/clock.ts";
import { createApp } from "../src/app.ts";
import { configSchema } from "../src/config.ts";
import { createLogger } from "../src/logger.ts";
import { parseProgramText } from "../src/programs/program-file.ts";
import { TelegramAdapter } from "../adapters/telegram/telegram-adapter.ts";
import { startTelegramFake } from "../test/fakes/telegram/server.ts";
import { TEST_PROGRAM } from "../test/helpers/bot.ts";
import { benchPostgres, formatMs, percentile, table } from "./support.ts";

const PEOPLE = Number(process.env.BENCH_CHECKIN_PEOPLE ?? 3000);
const GROUP_SIZE = 30;
const WAVES = 10;
/** The test program's first session: Tuesday 2030-05-14 17:00 Berlin. */
const SESSION_1 = Date.parse("2030-05-14T15:00:00Z");
/** How long a press may wait for its answer before the Telegram app gives up on it (about 15 s). */
const ANSWER_WINDOW_MS = 15_000;

export async function main(): Promise<void> {
  const db = await benchPostgres(20);
  const telegram = await startTelegramFake();
  // Real timers: the fake enforces Telegram's limits in real time, and the send budget waits through the clock.
  const clock = new ManualClock(SESSION_1 - 2 * 3_600_000, { timers: "real" });
  const app = await createApp({
    config: configSchema.parse({ LOG_LEVEL: "silent" }),
    logger: createLogger(process.env.BENCH_LOG ?? "silent"),
    clock,
    database: db,
    seedExample: false,
    http: false,
    background: false,
  });
  try {
    await app.services.programs.import(parseProgramText(TEST_PROGRAM), { activate: true });
    await app.start([new TelegramAdapter({ token: telegram.token, apiRoot: telegram.apiRoot, pollingTimeoutSeconds: 5, concurrency: 32 })]);
    const prisma = app.db.prisma;
    const program = await prisma.program.findFirstOrThrow();
    const groupCount = Math.ceil(PEOPLE / GROUP_SIZE);
    await prisma.group.createMany({ data: Array.from({ length: groupCount }, (_, index) => ({ programId: program.id, name: `G${index}`, nameKey: `g${index}`, locale: "en", timezone: "Europe/Berlin" })) });
    const groups = await prisma.group.findMany({ select: { id: true }, orderBy: { id: "asc" } });
    const chatOf = (groupId: number) => -7_000_000_000 - groupId;
    await prisma.channel.createMany({ data: groups.map((group) => ({ platform: "telegram", platformChannelId: String(chatOf(group.id)), purpose: "group" as const, groupId: group.id })) });
    for (const group of groups) telegram.addChat({ id: chatOf(group.id), type: "group", title: `G${group.id}` });
    const people = Array.from({ length: PEOPLE }, (_, index) => ({ userId: 500_000 + index, groupId: groups[Math.floor(index / GROUP_SIZE)]!.id }));
    await prisma.member.createMany({ data: people.map((person) => ({ platform: "telegram", platformUserId: String(person.userId), displayName: `P${person.userId}`, groupId: person.groupId })) });

    // The 1-hour reminder with its button, in every group.
    await app.planners.reminders.enqueueHorizon();
    const reminderAt = SESSION_1 - 3_600_000;
    const sendingFrom = performance.now();
    for (let sent = 0; sent < groupCount && performance.now() - sendingFrom < 120_000; ) {
      clock.set(reminderAt + (performance.now() - sendingFrom));
      sent += (await app.dispatcher.drain()).sent;
    }
    const reminderOf = new Map(telegram.messages.map((message) => [message.chatId, message.messageId]));
    if (reminderOf.size !== groupCount) throw new Error(`only ${reminderOf.size} of ${groupCount} reminders went out`);

    const injected = new Map<string, number>();
    const startedAt = performance.now();
    for (let wave = 0; wave < WAVES; wave++) {
      clock.set(SESSION_1 + wave * 30_000);
      const inWave = people.filter((_, index) => index % WAVES === wave);
      const presses = [...inWave, ...inWave.filter((person) => person.userId % 20 === 0)];
      for (const person of presses) {
        const chat = chatOf(person.groupId);
        const update = telegram.injectCallbackQuery({ from: { id: person.userId, first_name: `P${person.userId}`, language_code: "en" }, chatId: chat, messageId: reminderOf.get(chat)!, data: "here:1" });
        injected.set(update.callback_query!.id, performance.now());
      }
      await until(() => telegram.callbackAnswers.length >= injected.size, 120_000, () => `${telegram.callbackAnswers.length} of ${injected.size} answered after wave ${wave + 1}; pending updates ${telegram.pendingUpdates.length}`);
    }
    const ms = performance.now() - startedAt;
    const latencies = telegram.callbackAnswers.map((answer) => answer.timestamp - performance.timeOrigin - injected.get(answer.callbackQueryId)!).sort((a, b) => a - b);
    const rows = await prisma.checkIn.count();
    const distinct = (await prisma.checkIn.groupBy({ by: ["memberId"] })).length;
    const late = await prisma.checkIn.count({ where: { late: true } });
    const answered = new Set(telegram.callbackAnswers.map((answer) => answer.callbackQueryId)).size;
    console.log(`Check-in: ${PEOPLE} people in ${groupCount} Telegram groups press the reminder's button in ${WAVES} waves (1 in 20 twice), real grammY against the Bot API fake, PostgreSQL`);
    table([
      {
        presses: injected.size,
        "check-in rows": rows,
        "distinct people": distinct,
        lost: PEOPLE - distinct,
        doubled: rows - distinct,
        late,
        answered,
        "all presses": formatMs(ms),
        "presses/s": (injected.size / (ms / 1000)).toFixed(0),
        "p50 press -> answer": formatMs(percentile(latencies, 50)),
        "p99 press -> answer": formatMs(percentile(latencies, 99)),
        "max press -> answer": formatMs(latencies.at(-1) ?? Number.NaN),
        [`answers over ${ANSWER_WINDOW_MS / 1000} s`]: latencies.filter((latency) => latency > ANSWER_WINDOW_MS).length,
        "429s": telegram.tooManyRequestsCount,
        "messages posted in groups": telegram.messages.length - groupCount,
      },
    ]);
  } finally {
    await app.stop(); // closes the database, and with it drops the bench schema
    await telegram.close();
  }
}

async function until(check: () => boolean, timeoutMs: number, state: () => string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`check-in answers did not all arrive in time: ${state()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
