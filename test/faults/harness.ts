// The world a fault scenario runs in: the three platform fakes (each behind an HTTP proxy that can
// answer 5xx), a fresh schema on the machine's PostgreSQL reached through a TCP proxy that can be
// cut, thousands of group channels seeded in both, and real bot processes (`src/main.ts`) sharing
// that schema. It counts what each fake received against the outbox rows, per channel and kind.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DateTime } from "luxon";
import pg from "pg";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { parseProgramText } from "../../src/programs/program-file.ts";
import { ProgramService } from "../../src/services/programs.ts";
import { startDiscordFake, type DiscordFake } from "../fakes/discord/index.ts";
import { startSlackFake, type SlackFake } from "../fakes/slack/index.ts";
import { startTelegramFake, type TelegramFake } from "../fakes/telegram/server.ts";
import { startBotProcess, type BotProcess } from "../helpers/bot-process.ts";
import { startHttpFaults, type HttpFaults } from "./http-faults.ts";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy.ts";

export const POSTGRES_URL = process.env.DATABASE_URL ?? "postgresql://root@127.0.0.1:5432/test";
export const PLATFORMS = ["telegram", "slack", "discord"] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * 3,000 channels by default (FAULT_CHANNELS scales it). Telegram gets the smallest share: at its
 * 30 messages a second it is the slowest platform, and the scenarios test correctness, not speed.
 */
export function channelSplit(total = Number(process.env.FAULT_CHANNELS ?? 3_000)): Record<Platform, number> {
  const telegram = Math.round(total / 5);
  const slack = Math.round((total - telegram) / 2);
  return { telegram, slack, discord: total - telegram - slack };
}

/** Text every announcement carries, so it is told apart from reminders and replies. */
export const ANNOUNCEMENT = "Strike vote on Thursday at 18:00";
/** The reminder's heading starts like this in English. */
const REMINDER = /Session 1, “Kick-off”, starts in/;
const DISCORD_GUILDS = 4;
const COORDINATOR = "ana";

export type MessageKind = "announcement" | "reminder";

interface Target {
  platform: Platform;
  platformChannelId: string;
}

export interface World {
  telegram: TelegramFake;
  slack: SlackFake;
  discord: DiscordFake;
  /** 5xx injectors in front of each fake's API (with `serverErrors`). */
  faults?: Record<Platform, HttpFaults>;
  /** The cuttable proxy the bots reach PostgreSQL through (with `cuttableDatabase`). */
  database?: TcpProxy;
  /** What each channel should receive once. */
  kinds: readonly MessageKind[];
  /** A direct connection (not through the proxy) for the test's own reads. */
  db: Database;
  targets: Target[];
  bots: Bot[];
  startedAt: number;
  /** Starts bot process number `bots.length + 1`; the first one has the console (the coordinator types there). */
  startBot(): Promise<Bot>;
  /** The coordinator writes the announcement and confirms it in the first bot's console. */
  broadcast(): Promise<void>;
  /** Waits until no announcement or reminder row is pending or claimed. */
  settled(timeoutMs: number): Promise<void>;
  /** Delivered messages per channel and kind, as the fakes received them. */
  received(): Map<string, number>;
  /** 429 answers the fakes gave. */
  rateLimited(): number;
  close(): Promise<void>;
}

export interface Bot {
  process: BotProcess;
  port: number;
  /** The dispatcher's claim owner prefix of this process (`host:pid:`). */
  pid: number;
  health(): Promise<number | "no answer">;
  scrape(): Promise<string>;
}

export function deliveryKey(platform: string, channel: string, kind: MessageKind): string {
  return `${platform}:${channel}:${kind}`;
}

function kindOf(text: string): MessageKind | undefined {
  if (text.includes(ANNOUNCEMENT)) return "announcement";
  if (REMINDER.test(text)) return "reminder";
  return undefined;
}

export interface WorldOptions {
  channels?: Record<Platform, number>;
  /** A reminder to every channel, due when the bots start, besides the announcement (default true). */
  reminderWave?: boolean;
  /** Bots reach PostgreSQL through a TCP proxy the scenario can cut. */
  cuttableDatabase?: boolean;
  /** Bots reach each platform through an HTTP proxy that can answer 5xx. */
  serverErrors?: boolean;
}

export async function createWorld(options: WorldOptions = {}): Promise<World> {
  const split = options.channels ?? channelSplit();
  const kinds: MessageKind[] = options.reminderWave === false ? ["announcement"] : ["announcement", "reminder"];
  const [telegram, slack, discord] = await Promise.all([
    startTelegramFake(),
    startSlackFake(),
    startDiscordFake({ heartbeatIntervalMs: 5_000, guilds: Array.from({ length: DISCORD_GUILDS }, (_, index) => ({ name: `Union ${index + 1}` })) }),
  ]);
  // Each proxy costs the test process (which also runs the fakes) work on every request: only
  // the scenarios that need one get it.
  const faults = options.serverErrors
    ? {
        telegram: await startHttpFaults(telegram.apiRoot, /\/send(Message|Document)$/),
        slack: await startHttpFaults(slack.apiUrl.replace(/\/api\/?$/, ""), /\/api\/chat\.postMessage/),
        discord: await startHttpFaults(discord.url, /\/channels\/\d+\/messages$/),
      }
    : undefined;

  const schema = `faults_${randomBytes(5).toString("hex")}`;
  await withClient((client) => client.query(`CREATE SCHEMA "${schema}"`));
  const db = await openDatabase({ url: POSTGRES_URL, schema, poolSize: 4 });
  await db.migrate();
  const targets = await seed(db, { telegram, slack, discord }, split, kinds.includes("reminder"));
  const upstream = new URL(POSTGRES_URL);
  const database = options.cuttableDatabase ? await startTcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) }) : undefined;
  const botDatabase = new URL(POSTGRES_URL);
  if (database) botDatabase.host = `127.0.0.1:${database.port}`;
  botDatabase.searchParams.set("schema", schema);

  const env = {
    DATABASE_URL: botDatabase.toString(),
    COORDINATORS: `console:${COORDINATOR}`,
    TICK_SECONDS: "1",
    LOG_LEVEL: "info",
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: faults?.telegram.url ?? telegram.apiRoot,
    // Several processes must not long-poll one token: a webhook the fake never calls.
    TELEGRAM_WEBHOOK_URL: "https://bot.example.org/telegram/updates",
    TELEGRAM_WEBHOOK_SECRET: "fault-suite",
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: "fault-suite",
    SLACK_MODE: "http",
    SLACK_API_URL: faults ? `${faults.slack.url}/api/` : slack.apiUrl,
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_GUILD_ID: discord.defaultGuildId,
    DISCORD_API_URL: faults ? `${faults.discord.url}/api` : discord.apiBase,
  };

  const bots: Bot[] = [];
  const world: World = {
    telegram,
    slack,
    discord,
    faults,
    database,
    kinds,
    db,
    targets,
    bots,
    startedAt: Date.now(),
    async startBot() {
      const first = bots.length === 0;
      const child = startBotProcess(env, first ? ["--console", "--as", COORDINATOR, "--channel", "hq"] : ["--no-console"]);
      const ready = await child.waitForLog((entry) => entry.msg === "bot ready", 90_000);
      void ready;
      const port = (child.logs().find((entry) => entry.msg === "http server listening") as { port: number }).port;
      const base = `http://127.0.0.1:${port}`;
      const bot: Bot = {
        process: child,
        port,
        pid: child.child.pid!,
        async health() {
          try {
            return (await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(10_000) })).status;
          } catch {
            return "no answer";
          }
        },
        async scrape() {
          return (await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
        },
      };
      bots.push(bot);
      return bot;
    },
    async broadcast() {
      const console = bots[0]!.process;
      console.type(`/announce ${ANNOUNCEMENT} — bring *everyone* & <b>friends</b>: https://union.example/vote_now`);
      await console.waitForOutput(/Draft announcement #1/, 30_000);
      console.type("/announce send");
      await console.waitForOutput(/Announcement #1 is confirmed/, 60_000);
    },
    async settled(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (let round = 1; ; round++) {
        if (process.env.FAULT_PROGRESS && round % 20 === 0) {
          const rows = await db.prisma.delivery.groupBy({ by: ["platform", "status"], where: { kind: { in: ["announcement", "reminder"] } }, _count: true });
          process.stdout.write(`${seconds(Date.now() - world.startedAt)} s: ${rows.map((row) => `${row.platform} ${row.status} ${row._count}`).join(", ")}\n`);
        }
        const [{ waiting }] = await db.prisma.$queryRaw<[{ waiting: bigint }]>`
          SELECT count(*) AS waiting FROM "Delivery" WHERE kind IN ('announcement', 'reminder') AND status IN ('pending', 'claimed', 'sending')`;
        if (waiting === 0n) break;
        if (Date.now() > deadline) throw new Error(`${waiting} deliveries still waiting after ${timeoutMs / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      // A send in flight when the last row was marked may still land: let it, so duplicates show.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    },
    received() {
      const counts = new Map<string, number>();
      const count = (platform: Platform, channel: string, text: string | undefined) => {
        const kind = kindOf(text ?? "");
        if (!kind) return;
        const key = deliveryKey(platform, channel, kind);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      };
      for (const sent of telegram.messages) count("telegram", String(sent.chatId), sent.text);
      for (const posted of slack.messages) if (posted.kind === "message") count("slack", posted.channel, posted.text);
      for (const stored of discord.messages()) {
        if (stored.authorId === discord.botUserId && stored.source === "channel") count("discord", stored.channelId, stored.content);
      }
      return counts;
    },
    rateLimited() {
      return telegram.tooManyRequestsCount + slack.rateLimited.length + discord.rateLimitHits().length;
    },
    async close() {
      await Promise.all(bots.map((bot) => bot.process.stop("SIGKILL")));
      // FAULT_LOGS=<dir> keeps each process's log for a look afterwards.
      if (process.env.FAULT_LOGS) {
        mkdirSync(process.env.FAULT_LOGS, { recursive: true });
        for (const [index, bot] of bots.entries()) writeFileSync(path.join(process.env.FAULT_LOGS, `${schema}-bot${index + 1}.log`), bot.process.errors());
      }
      await db.close();
      await database?.close();
      await Promise.all(Object.values(faults ?? {}).map((proxy) => proxy.close()));
      await Promise.all([telegram.close(), slack.close(), discord.close()]);
      await withClient((client) => client.query(`DROP SCHEMA "${schema}" CASCADE`));
    },
  };
  return world;
}

/**
 * A program whose first session starts in two hours, with (for the wave) a reminder three hours
 * before: missed when the bots start, so each process's planner queues the whole wave at once
 * (sent late, which is allowed until the session begins); and one group per channel.
 */
async function seed(db: Database, fakes: { telegram: TelegramFake; slack: SlackFake; discord: DiscordFake }, split: Record<Platform, number>, reminderWave: boolean): Promise<Target[]> {
  const start = DateTime.now().setZone("Europe/Berlin").plus({ hours: 2 }).startOf("minute");
  const program = parseProgramText(`
slug: faults
title: Fault Suite Program
timezone: Europe/Berlin
defaultLanguage: en
registrationDeadline: "${start.plus({ days: 1 }).toFormat("yyyy-MM-dd HH:mm")}"
reminders: [${reminderWave ? "3h" : ""}]
homework: { nudgeBefore: off }
sessions:
  - { title: "Kick-off", start: "${start.toFormat("yyyy-MM-dd HH:mm")}", duration: 2h }
`);
  const { program: stored } = await new ProgramService(db.prisma).import(program, { activate: true });
  const targets: Target[] = [];
  for (let nth = 0; nth < split.telegram; nth++) {
    const id = -1_001_000_000_000 - nth;
    fakes.telegram.addChat({ id, type: "supergroup", title: `Group T${nth}` });
    targets.push({ platform: "telegram", platformChannelId: String(id) });
  }
  for (let nth = 0; nth < split.slack; nth++) {
    const id = `C0F${String(nth).padStart(7, "0")}`;
    fakes.slack.setChannel({ id, name: `group-s${nth}` });
    targets.push({ platform: "slack", platformChannelId: id });
  }
  for (let nth = 0; nth < split.discord; nth++) {
    const guild = fakes.discord.guildIds[nth % DISCORD_GUILDS]!;
    targets.push({ platform: "discord", platformChannelId: fakes.discord.addChannel(guild, { name: `group-d${nth}` }) });
  }
  await db.prisma.group.createMany({
    data: targets.map((_, index) => ({ programId: stored.id, name: `Group ${index}`, nameKey: `group ${index}`, locale: "en", timezone: "Europe/Berlin" })),
  });
  const groups = await db.prisma.group.findMany({ where: { programId: stored.id }, select: { id: true, nameKey: true } });
  const groupOf = new Map(groups.map((group) => [group.nameKey, group.id]));
  await db.prisma.channel.createMany({
    data: targets.map((target, index) => ({ platform: target.platform, platformChannelId: target.platformChannelId, purpose: "group" as const, groupId: groupOf.get(`group ${index}`)! })),
  });
  return targets;
}

async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** What a scenario found, as one row of the suite's table. */
export interface Figures {
  scenario: string;
  processes: number;
  expected: number;
  delivered: number;
  duplicates: number;
  lost: number;
  /** Messages claimed by a process when it was killed (the duplicates it may cause). */
  "in flight at kill": number | string;
  "time (s)": string;
  "429s": number;
  "5xx": number;
  notes: string;
}

/** Compares what the fakes received with one announcement and one reminder per channel. */
export function tally(world: World): { expected: number; delivered: number; duplicated: string[]; lost: string[] } {
  const received = world.received();
  const expectedKeys = world.targets.flatMap((target) => world.kinds.map((kind) => deliveryKey(target.platform, target.platformChannelId, kind)));
  const duplicated = [...received.entries()].flatMap(([key, count]) => Array.from({ length: count - 1 }, () => key));
  return {
    expected: expectedKeys.length,
    delivered: expectedKeys.filter((key) => received.has(key)).length,
    duplicated,
    lost: expectedKeys.filter((key) => !received.has(key)),
  };
}

/** The outbox rows a process had claimed (by its pid in the claim owner), as delivery keys. */
export async function claimedBy(world: World, pid: number): Promise<Set<string>> {
  const rows = await world.db.prisma.$queryRaw<{ platform: string; platformChannelId: string; kind: MessageKind }[]>`
    SELECT d.platform, c."platformChannelId", d.kind
    FROM "Delivery" d JOIN "Channel" c ON c.id = d."channelId"
    WHERE d.status IN ('claimed', 'sending') AND d."claimedBy" LIKE ${`%:${pid}:%`}`;
  return new Set(rows.map((row) => deliveryKey(row.platform, row.platformChannelId, row.kind)));
}

/** How the outbox rows ended: status -> count. */
export async function outcomes(world: World): Promise<Record<string, number>> {
  const rows = await world.db.prisma.delivery.groupBy({ by: ["status"], where: { kind: { in: ["announcement", "reminder"] } }, _count: true });
  return Object.fromEntries(rows.map((row) => [row.status, row._count]));
}

export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}
