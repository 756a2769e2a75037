// One announcement to every group on three platforms at once, end to end: a coordinator writes it
// (English, plus a Spanish version) and confirms it with /announce send through the command
// pipeline; the app (real clock, background dispatcher, PostgreSQL) sends it through the real
// Telegram, Slack and Discord adapters to their local fakes, which enforce the platforms'
// published limits and answer 429 when they are exceeded.
//
// Per platform and overall: /announce send -> last message the fake accepted, against the floor
// the published limits set for N messages to N distinct channels (one message per channel, so
// only overall limits bind; evenly spaced, the first goes at 0 and the last at (N-1)/rate):
//   Telegram 30 messages/s overall -> (N-1)/30 s;  Discord 50 requests/s global -> (N-1)/50 s;
//   Slack ~1 message/s per channel and no published overall number -> no floor (0 s);
//   overall: the platforms send in parallel -> the largest of the three.
// Also: 429s (all, and after the first second), duplicates (a channel that got it twice), losses
// (a channel that never got it) and wrong versions (a Spanish group without the Spanish text).
//
// Then, in the same run, the Telegram share the way a plain grammY bot would broadcast it: the
// same rendered messages to a fresh Telegram fake with the same limits, through grammY's own
// throttler plugin (`bot.api.config.use(apiThrottler())`, its default limits), every sendMessage
// issued at once and left to the throttler to queue (its README's usage). The plugin does not
// retry a 429, so a refused message is lost unless the caller resends it; it is reported as lost.
//
// BENCH_CHANNELS scales it (default 3000, split evenly over the platforms); BENCH_LOG=warn shows
// the bot's warnings.
import { pathToFileURL } from "node:url";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { Bot, GrammyError } from "grammy";
import { createAdapters } from "../adapters/registry.ts";
import { renderChunks } from "../adapters/telegram/render.ts";
import { createApp, type App } from "../src/app.ts";
import { announcementMessage } from "../src/announcements/announcement-kind.ts";
import { variantFor } from "../src/announcements/variants.ts";
import { loadConfig } from "../src/config.ts";
import { SUPPORTED_LOCALES, type Locale } from "../src/i18n/i18n.ts";
import { createLogger } from "../src/logger.ts";
import { parseProgramText } from "../src/programs/program-file.ts";
import { startDiscordFake, type DiscordFake } from "../test/fakes/discord/index.ts";
import { startSlackFake, type SlackFake } from "../test/fakes/slack/index.ts";
import { startTelegramFake, type TelegramFake } from "../test/fakes/telegram/server.ts";
import { benchPostgres, formatMs, ONE_SESSION_PROGRAM, table } from "./support.ts";

const PLATFORMS = ["telegram", "slack", "discord"] as const;
type Platform = (typeof PLATFORMS)[number];
const PER_PLATFORM = Math.max(1, Math.floor(Number(process.env.BENCH_CHANNELS ?? 3_000) / PLATFORMS.length));
const LOCALES: readonly Locale[] = SUPPORTED_LOCALES;
const DISCORD_GUILDS = 4;

/** Messages per second each platform allows overall (Slack publishes none for distinct channels). */
const OVERALL_RATE: Record<Platform, number | undefined> = { telegram: 30, slack: undefined, discord: 50 };

// What a reader recognises each version by; the rest exercises every platform's escaping.
const ENGLISH = "Strike vote on Thursday at 18:00";
const SPANISH = "Votación de huelga el jueves a las 18:00";
const tail = " — bring *everyone* & <b>friends</b>: https://union.example/vote_now";

/** One group channel in the audience: where it is, and which version its group reads. */
interface Target {
  platform: Platform;
  platformChannelId: string;
  locale: Locale;
}

/** One message a fake accepted, or one 429 it answered (epoch ms). */
interface Accepted {
  channel: string;
  text: string;
  at: number;
}

/** One Telegram message of the broadcast, rendered as the adapter sends it. */
interface TelegramMessage {
  chatId: number;
  locale: Locale;
  html: string;
}

interface Fakes {
  telegram: TelegramFake;
  slack: SlackFake;
  discord: DiscordFake;
}

/** What a fake saw of the broadcast since `since`. */
function observed(fakes: Fakes, platform: Platform, since: number): { accepted: Accepted[]; refusedAt: number[] } {
  switch (platform) {
    case "telegram":
      return {
        accepted: fakes.telegram.messages.filter((sent) => sent.timestamp >= since).map((sent) => ({ channel: String(sent.chatId), text: sent.text ?? "", at: sent.timestamp })),
        refusedAt: fakes.telegram.requests.filter((request) => request.status === 429 && request.timestamp >= since).map((request) => request.timestamp),
      };
    case "slack":
      return {
        accepted: fakes.slack.messages.filter((posted) => posted.kind === "message" && posted.timestamp >= since).map((posted) => ({ channel: posted.channel, text: posted.text ?? "", at: posted.timestamp })),
        refusedAt: fakes.slack.rateLimited.filter((hit) => hit.timestamp >= since).map((hit) => hit.timestamp),
      };
    case "discord":
      return {
        accepted: fakes.discord
          .messages()
          .filter((stored) => stored.authorId === fakes.discord.botUserId && stored.source === "channel" && stored.timestamp >= since)
          .map((stored) => ({ channel: stored.channelId, text: stored.content, at: stored.timestamp })),
        refusedAt: fakes.discord.rateLimitHits().filter((hit) => hit.at >= since).map((hit) => hit.at),
      };
  }
}

/** The figures of one sender: time from `startedAt` to the last accepted message, and what went wrong. */
function figures(sender: string, targets: Target[], accepted: Accepted[], refusedAt: number[], startedAt: number, floorMs: number | undefined): Record<string, string | number> {
  const received = new Map<string, number>();
  for (const message of accepted) received.set(message.channel, (received.get(message.channel) ?? 0) + 1);
  const wanted = new Map(targets.map((target) => [target.platformChannelId, target]));
  const wrongVersion = accepted.filter((message) => {
    const target = wanted.get(message.channel);
    return target !== undefined && !message.text.includes(target.locale === "es" ? SPANISH : ENGLISH);
  }).length;
  const times = accepted.map((message) => message.at).sort((a, b) => a - b);
  const first = times[0] ?? Number.NaN;
  const last = times.at(-1) ?? Number.NaN;
  const total = last - startedAt;
  return {
    sender,
    channels: targets.length,
    "start → 1st accepted": formatMs(first - startedAt),
    "start → last accepted": formatMs(total),
    "1st → last": formatMs(last - first),
    floor: floorMs === undefined ? "none" : formatMs(floorMs),
    "over floor": floorMs ? `${(((total - floorMs) / floorMs) * 100).toFixed(1)}%` : "—",
    "msg/s": Number(((accepted.length / total) * 1000).toFixed(1)),
    "429s": refusedAt.length,
    "429s after 1 s": refusedAt.filter((at) => at - startedAt > 1_000).length,
    duplicates: [...received.values()].reduce((sum, count) => sum + Math.max(0, count - 1), 0),
    lost: targets.filter((target) => !received.has(target.platformChannelId)).length,
    "wrong version": wrongVersion,
  };
}

function floorOf(platform: Platform, messages: number): number | undefined {
  const rate = OVERALL_RATE[platform];
  return rate === undefined ? undefined : ((messages - 1) / rate) * 1_000;
}

async function startFakes(): Promise<Fakes> {
  const [telegram, slack, discord] = await Promise.all([
    startTelegramFake(),
    startSlackFake(),
    startDiscordFake({ heartbeatIntervalMs: 5_000, guilds: Array.from({ length: DISCORD_GUILDS }, (_, index) => ({ name: `Union ${index + 1}` })) }),
  ]);
  return { telegram, slack, discord };
}

/** The group channels, spread over the platforms and languages, in the fakes and in the database. */
async function seed(app: App, fakes: Fakes, programId: number): Promise<Target[]> {
  const count = PER_PLATFORM * PLATFORMS.length;
  const targets: Target[] = Array.from({ length: count }, (_, index) => {
    const platform = PLATFORMS[index % PLATFORMS.length]!;
    const nth = Math.floor(index / PLATFORMS.length);
    const locale = LOCALES[index % LOCALES.length]!;
    switch (platform) {
      case "telegram": {
        const id = -1_001_000_000_000 - nth;
        fakes.telegram.addChat({ id, type: "supergroup", title: `Group ${index}` });
        return { platform, platformChannelId: String(id), locale };
      }
      case "slack": {
        const id = `C0ANN${String(nth).padStart(6, "0")}`;
        fakes.slack.setChannel({ id, name: `group-${index}` });
        return { platform, platformChannelId: id, locale };
      }
      case "discord": {
        const guild = fakes.discord.guildIds[nth % DISCORD_GUILDS]!;
        return { platform, platformChannelId: fakes.discord.addChannel(guild, { name: `group-${index}` }), locale };
      }
    }
  });
  const prisma = app.db.prisma;
  await prisma.group.createMany({
    data: targets.map((target, index) => ({ programId, name: `Group ${index}`, nameKey: `group ${index}`, locale: target.locale, timezone: "Europe/Berlin" })),
  });
  const groups = await prisma.group.findMany({ where: { programId }, select: { id: true, nameKey: true } });
  const groupOf = new Map(groups.map((group) => [group.nameKey, group.id]));
  await prisma.channel.createMany({
    data: targets.map((target, index) => ({ platform: target.platform, platformChannelId: target.platformChannelId, purpose: "group" as const, groupId: groupOf.get(`group ${index}`)! })),
  });
  return targets;
}

/** Resolves when no delivery of the announcement is waiting any more (or the deadline passes). */
async function settled(app: App, announcementId: number, deadlineMs: number): Promise<Record<string, number>> {
  const started = performance.now();
  for (;;) {
    const rows = await app.db.prisma.delivery.groupBy({ by: ["status"], where: { dedupeKey: { startsWith: `announcement:${announcementId}:` } }, _count: true });
    const counts = Object.fromEntries(rows.map((row) => [row.status, row._count]));
    if (!counts.pending && !counts.claimed) return counts;
    if (performance.now() - started > deadlineMs) {
      console.log(`still waiting after ${formatMs(deadlineMs)}: ${JSON.stringify(counts)}`);
      return counts;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The whole bot: confirm, then wait for every delivery; figures per platform and overall. */
async function botRun(fakes: Fakes): Promise<{ rows: Record<string, string | number>[]; telegramShare: TelegramMessage[] }> {
  const config = loadConfig({
    LOG_LEVEL: "silent",
    COORDINATORS: "console:coordinator",
    PORT: "0",
    TELEGRAM_BOT_TOKEN: fakes.telegram.token,
    TELEGRAM_API_ROOT: fakes.telegram.apiRoot,
    SLACK_BOT_TOKEN: fakes.slack.botToken,
    SLACK_SIGNING_SECRET: "bench-signing-secret",
    SLACK_MODE: "http",
    SLACK_API_URL: fakes.slack.apiUrl,
    DISCORD_TOKEN: fakes.discord.token,
    DISCORD_APPLICATION_ID: fakes.discord.applicationId,
    DISCORD_GUILD_ID: fakes.discord.defaultGuildId,
    DISCORD_API_URL: fakes.discord.apiBase,
  });
  const app = await createApp({ config, logger: createLogger(process.env.BENCH_LOG ?? "silent"), database: await benchPostgres(), seedExample: false });
  try {
    const { program } = await app.services.programs.import(parseProgramText(ONE_SESSION_PROGRAM), { activate: true });
    const targets = await seed(app, fakes, program.id);
    await app.start(await createAdapters(config, { requested: false, stdinIsTerminal: false }));
    const say = (text: string) => app.handle({ platform: "console", channelId: "hq", userId: "coordinator", displayName: "Coordinator", name: "announce", text });
    await say(`${ENGLISH}${tail}`);
    await say(`lang=es ${SPANISH}${tail}`);

    const startedAt = Date.now();
    await say("send");
    const confirmMs = Date.now() - startedAt;
    const announcement = await app.db.prisma.announcement.findFirstOrThrow({ where: { status: "confirmed" }, include: { program: true } });
    const queued = await app.db.prisma.delivery.count({ where: { kind: "announcement" } });
    if (queued !== targets.length) throw new Error(`/announce send queued ${queued} deliveries for ${targets.length} channels`);
    const deadline = Math.max(120_000, 4 * Math.max(...PLATFORMS.map((platform) => floorOf(platform, PER_PLATFORM) ?? 0)));
    const outcome = await settled(app, announcement.id, deadline);
    // A send in flight when the last row was marked may still land; let it, so duplicates show.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    console.log(`/announce send answered in ${formatMs(confirmMs)}; deliveries: ${JSON.stringify(outcome)}`);

    const rows = PLATFORMS.map((platform) => {
      const { accepted, refusedAt } = observed(fakes, platform, startedAt);
      return figures(`bot → ${platform}`, targets.filter((target) => target.platform === platform), accepted, refusedAt, startedAt, floorOf(platform, PER_PLATFORM));
    });
    const all = PLATFORMS.map((platform) => observed(fakes, platform, startedAt));
    const overallFloor = Math.max(...PLATFORMS.map((platform) => floorOf(platform, PER_PLATFORM) ?? 0));
    rows.push(figures("bot, all three", targets, all.flatMap((seen) => seen.accepted), all.flatMap((seen) => seen.refusedAt), startedAt, overallFloor));

    // The Telegram share exactly as the adapter renders it, for the grammY run.
    const telegramShare = targets
      .filter((target) => target.platform === "telegram")
      .map((target) => {
        const message = announcementMessage(variantFor(announcement, target.locale).text, announcement.program.title, false, app.i18n.translator(target.locale));
        return { chatId: Number(target.platformChannelId), locale: target.locale, html: renderChunks(message)[0]!.html };
      });
    return { rows, telegramShare };
  } finally {
    await app.stop();
  }
}

/** A plain grammY bot with the throttler plugin sends the Telegram share to a fresh fake. */
async function grammyRun(share: TelegramMessage[]): Promise<Record<string, string | number>> {
  const telegram = await startTelegramFake();
  try {
    for (const { chatId } of share) telegram.addChat({ id: chatId, type: "supergroup", title: `Group ${chatId}` });
    const bot = new Bot(telegram.token, { client: { apiRoot: telegram.apiRoot } });
    bot.api.config.use(apiThrottler());
    const startedAt = Date.now();
    const results = await Promise.allSettled(
      share.map(({ chatId, html }) => bot.api.sendMessage(chatId, html, { parse_mode: "HTML", link_preview_options: { is_disabled: true } })),
    );
    const failures = results.flatMap((result) => (result.status === "rejected" ? [result.reason as unknown] : []));
    const refusedByPlugin = failures.filter((error) => error instanceof GrammyError && error.error_code === 429).length;
    if (failures.length > refusedByPlugin) console.log(`grammY: ${failures.length - refusedByPlugin} sends failed for other reasons, e.g. ${String(failures.find((error) => !(error instanceof GrammyError && error.error_code === 429)))}`);
    const accepted = telegram.messages.map((sent) => ({ channel: String(sent.chatId), text: sent.text ?? "", at: sent.timestamp }));
    const refusedAt = telegram.requests.filter((request) => request.status === 429).map((request) => request.timestamp);
    const targets = share.map(({ chatId, locale }) => ({ platform: "telegram" as const, platformChannelId: String(chatId), locale }));
    return figures("grammY + apiThrottler → telegram", targets, accepted, refusedAt, startedAt, floorOf("telegram", share.length));
  } finally {
    await telegram.close();
  }
}

export async function main(): Promise<void> {
  console.log(
    `Announcement to ${PER_PLATFORM * PLATFORMS.length} group channels (${PER_PLATFORM} each on Telegram, Slack, Discord; ${LOCALES.length} languages, English + Spanish versions), ` +
      `real adapters against fakes enforcing the published limits, PostgreSQL; then the Telegram share through grammY's apiThrottler()`,
  );
  const fakes = await startFakes();
  let bot: Awaited<ReturnType<typeof botRun>>;
  try {
    bot = await botRun(fakes);
  } finally {
    await Promise.all([fakes.telegram.close(), fakes.slack.close(), fakes.discord.close()]);
  }
  const grammy = await grammyRun(bot.telegramShare);
  table([...bot.rows, grammy]);
  console.log(
    "start = /announce send issued (bot) or the first sendMessage issued (grammY). Floor: N messages to N distinct channels, evenly paced at the published overall rate, " +
      "first at 0 and last at (N-1)/rate: Telegram 30/s, Discord 50/s; Slack publishes only ~1/s per channel, so one message per channel has no floor. " +
      "grammY's throttler does not resend a message refused with 429: those are lost.",
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
