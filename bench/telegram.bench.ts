// Telegram figures, with the real grammY client against the local fake of the Bot API enforcing
// Telegram's limits (30 messages a second overall, 20 a minute per group, ~1 a second per chat),
// on PostgreSQL:
// 1. Commands: 60 groups register, then their members /join all at once, interleaved across
//    groups, and then one group's members after another's (where a chat's own limit holds its
//    answers back); time to the last answer, answers per second, per-command latency (injected ->
//    answered), 429s; with updates handled one at a time, and with the adapter's per-chat queues.
// 2. Outbox: reminders due at once for many groups, sent by the dispatcher through the adapter;
//    time to the last one against the floor 30/s sets, 429s, duplicates, losses.
// BENCH_TELEGRAM_GROUPS scales the outbox run (default 300); BENCH_LOG=warn shows the bot's warnings.
import { pathToFileURL } from "node:url";
import { ManualClock } from "../src/clock.ts";
import { createApp, type App } from "../src/app.ts";
import { configSchema } from "../src/config.ts";
import { createLogger } from "../src/logger.ts";
import { parseProgramText } from "../src/programs/program-file.ts";
import { TelegramAdapter } from "../adapters/telegram/telegram-adapter.ts";
import { startTelegramFake, type TelegramFake } from "../test/fakes/telegram/server.ts";
import { TEST_PROGRAM } from "../test/helpers/bot.ts";
import { benchPostgres, formatMs, percentile, table } from "./support.ts";

const GROUPS = Number(process.env.BENCH_TELEGRAM_GROUPS ?? 300);
const MEMBERS_PER_GROUP = 5;
const COMMAND_GROUPS = Math.min(GROUPS, 60);
const RATE = 30;

/** The test program's first session: Tuesday 2030-05-14 17:00 Berlin. */
const SESSION_1 = Date.parse("2030-05-14T15:00:00Z");

interface Running {
  app: App;
  telegram: TelegramFake;
  clock: ManualClock;
  close(): Promise<void>;
}

async function start(concurrency: number): Promise<Running> {
  const db = await benchPostgres(20);
  const telegram = await startTelegramFake();
  const clock = new ManualClock(SESSION_1 - 3 * 24 * 3_600_000, { timers: "real" });
  const app = await createApp({
    config: configSchema.parse({ LOG_LEVEL: "silent" }),
    logger: createLogger(process.env.BENCH_LOG ?? "silent"),
    clock,
    database: db,
    seedExample: false,
    http: false,
    background: false,
  });
  await app.services.programs.import(parseProgramText(TEST_PROGRAM), { activate: true });
  await app.start([new TelegramAdapter({ token: telegram.token, apiRoot: telegram.apiRoot, pollingTimeoutSeconds: 5, concurrency })]);
  return {
    app,
    telegram,
    clock,
    async close() {
      await app.stop();
      await telegram.close();
    },
  };
}

/** Injects one command per (user, chat) at once and waits for every answer. */
async function burst(telegram: TelegramFake, commands: { user: number; chat: number; text: string }[]) {
  const startedAt = performance.now();
  const injected = new Map<string, number>();
  for (const { user, chat, text } of commands) {
    const update = telegram.injectMessage({ from: { id: user, first_name: `U${user}`, language_code: "en" }, chat: { id: chat, type: "group", title: `G${chat}` }, text });
    injected.set(`${chat}:${update.message!.message_id}`, performance.now());
  }
  const latencies: number[] = [];
  await new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`only ${latencies.length} of ${commands.length} answered (sent ${telegram.messages.length}, pending updates ${telegram.pendingUpdates.length}, undelivered ${telegram.undelivered.length}, 429s ${telegram.tooManyRequestsCount})`)), 300_000);
    const seen = new Set<string>();
    const check = () => {
      for (const sent of telegram.messages) {
        const key = `${sent.chatId}:${sent.message.reply_to_message?.message_id}`;
        const at = injected.get(key);
        if (at === undefined || seen.has(key)) continue;
        seen.add(key);
        latencies.push(sent.timestamp - performance.timeOrigin - at);
      }
      if (seen.size === commands.length) {
        clearTimeout(deadline);
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(check, 20);
  });
  return { ms: performance.now() - startedAt, latencies: latencies.sort((a, b) => a - b) };
}

async function commandRun(concurrency: number): Promise<Record<string, string | number>[]> {
  const bot = await start(concurrency);
  const rows: Record<string, string | number>[] = [];
  const measure = async (phase: string, commands: { user: number; chat: number; text: string }[]) => {
    const before = bot.telegram.tooManyRequestsCount;
    const result = await burst(bot.telegram, commands);
    rows.push({
      handling: concurrency === 1 ? "one update at a time" : `per-chat queues (${concurrency})`,
      phase: `${commands.length} × ${phase}`,
      "to last answer": formatMs(result.ms),
      "answers/s": (commands.length / (result.ms / 1000)).toFixed(1),
      "p50 latency": formatMs(percentile(result.latencies, 50)),
      "p99 latency": formatMs(percentile(result.latencies, 99)),
      "429s": bot.telegram.tooManyRequestsCount - before,
    });
  };
  try {
    const chats = Array.from({ length: COMMAND_GROUPS }, (_, index) => -5_000_000_000 - index);
    await measure("/register", chats.map((chat, index) => ({ user: 10_000 + index, chat, text: `/register Bench Group ${index}` })));
    const member = (round: number, index: number) => 100_000 + round * 10_000 + index;
    // Members of different groups interleave, as they would when a session is about to start.
    await measure(
      "/join, groups interleaved",
      Array.from({ length: MEMBERS_PER_GROUP }, (_, round) => chats.map((chat, index) => ({ user: member(round, index), chat, text: "/join" }))).flat(),
    );
    // One group's members all at once, then the next group's: a chat's own limit holds its answers back.
    await measure(
      "/join, one group after another",
      chats.slice(0, 20).flatMap((chat, index) => Array.from({ length: MEMBERS_PER_GROUP }, (_, round) => ({ user: member(MEMBERS_PER_GROUP + round, index), chat, text: "/join" }))),
    );
    return rows;
  } finally {
    await bot.close();
  }
}

async function outboxRun(): Promise<Record<string, string | number>> {
  const bot = await start(32);
  try {
    const program = await bot.app.db.prisma.program.findFirstOrThrow();
    const groups = Array.from({ length: GROUPS }, (_, index) => ({ programId: program.id, name: `G${index}`, nameKey: `g${index}`, locale: "en", timezone: "Europe/Berlin" }));
    await bot.app.db.prisma.group.createMany({ data: groups });
    const ids = await bot.app.db.prisma.group.findMany({ select: { id: true }, orderBy: { id: "asc" } });
    const chatOf = (groupId: number) => -6_000_000_000 - groupId;
    await bot.app.db.prisma.channel.createMany({
      data: ids.map((group) => ({ platform: "telegram", platformChannelId: String(chatOf(group.id)), purpose: "group" as const, groupId: group.id })),
    });
    for (const group of ids) bot.telegram.addChat({ id: chatOf(group.id), type: "group", title: `G${group.id}` });
    const enqueued = await bot.app.planners.reminders.enqueueHorizon();
    bot.clock.set(SESSION_1 - 24 * 3_600_000);
    bot.telegram.clearRecords();
    const startedAt = performance.now();
    let report = await bot.app.dispatcher.drain();
    let sent = report.sent;
    while (sent < GROUPS && performance.now() - startedAt < 120_000) {
      // Rows put off by the dispatcher are due later: move the clock with real time.
      bot.clock.set(SESSION_1 - 24 * 3_600_000 + (performance.now() - startedAt));
      report = await bot.app.dispatcher.drain();
      sent += report.sent;
    }
    const ms = performance.now() - startedAt;
    const perChat = new Map<number, number>();
    for (const message of bot.telegram.messages) perChat.set(message.chatId, (perChat.get(message.chatId) ?? 0) + 1);
    const floor = ((GROUPS - 1) / RATE) * 1000;
    return {
      "reminders due": GROUPS,
      enqueued,
      "due -> last sent": formatMs(ms),
      floor: formatMs(floor),
      "over floor": `${(((ms - floor) / floor) * 100).toFixed(1)}%`,
      "sent/s": (GROUPS / (ms / 1000)).toFixed(1),
      "429s": bot.telegram.tooManyRequestsCount,
      duplicates: [...perChat.values()].reduce((sum, count) => sum + count - 1, 0),
      lost: GROUPS - perChat.size,
    };
  } finally {
    await bot.close();
  }
}

export async function main(): Promise<void> {
  console.log(`Telegram adapter: real grammY against the Bot API fake with Telegram's limits, PostgreSQL; ${COMMAND_GROUPS} groups × ${MEMBERS_PER_GROUP} members for commands, ${GROUPS} groups for the outbox`);
  table([...(await commandRun(1)), ...(await commandRun(32))]);
  table([await outboxRun()]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
