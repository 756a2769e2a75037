// The Discord adapter against the local Discord fake with Discord's limits enforced (5 messages
// per 5 s per channel, 50 requests per second overall), on PostgreSQL:
// 1. outbox sends: many channels (the global limit binds), few busy channels (the channel limit
//    binds), and the first again through a 429 storm, sent by the running dispatcher; wall time
//    from queueing to the last message against the floor the limits set,
//    429s answered, duplicates and losses;
// 2. slash commands: time from INTERACTION_CREATE to Discord receiving the answer (p50/p99), ten
//    users at a time.
import { createApp, type App } from "../src/app.ts";
import { configSchema } from "../src/config.ts";
import { message } from "../src/core/messages.ts";
import { createLogger } from "../src/logger.ts";
import { defineDeliveryKind } from "../src/outbox/kinds.ts";
import { z } from "zod";
import { DiscordAdapter } from "../adapters/discord/discord-adapter.ts";
import { Routes, startDiscordFake, type DiscordFake } from "../test/fakes/discord/index.ts";
import { benchPostgres, formatMs, percentile, table } from "./support.ts";

const benchNote = defineDeliveryKind({ name: "bench-note", payload: z.object({ n: z.number() }), key: "note:{channelId}:{n}" });

/** The bot as it runs: its dispatcher sends what is queued, paced as in production. */
async function startBot(fake: DiscordFake): Promise<{ app: App; close(): Promise<void> }> {
  const db = await benchPostgres();
  const config = configSchema.parse({ LOG_LEVEL: "silent" });
  const app = await createApp({ config, logger: createLogger("silent"), database: db, seedExample: false, http: false });
  app.kinds.register(
    benchNote.renderWith(({ n }, target) => ({
      message: message().heading(`Note ${n} for *${target.channel.platformChannelId}*`).text("Bring <b>friends</b> & @everyone").build(),
    })),
  );
  await app.start([new DiscordAdapter({ token: fake.token, applicationId: fake.applicationId, guildId: fake.defaultGuildId, apiUrl: fake.apiBase })]);
  return { app, close: () => app.stop() };
}

/** `channels` new channels with `perChannel` notes each, sent by the dispatcher; figures from the fake. */
async function outboxRun(name: string, channels: number, perChannel: number, storm?: { count: number; retryAfter: number }): Promise<Record<string, string | number>> {
  const fake = await startDiscordFake({ heartbeatIntervalMs: 5_000 });
  const bot = await startBot(fake);
  try {
    const ids = Array.from({ length: channels }, (_, index) => fake.addChannel(fake.defaultGuildId, { name: `group-${index}` }));
    const prisma = bot.app.db.prisma;
    await prisma.channel.createMany({ data: ids.map((id) => ({ platform: "discord", platformChannelId: id, purpose: "announcements" as const })) });
    const rows = await prisma.channel.findMany({ select: { id: true } });
    if (storm) fake.storm({ route: Routes.channelMessageCreate, count: storm.count, retryAfter: storm.retryAfter });
    const posted = () => fake.messages().filter((stored) => stored.authorId === fake.botUserId && stored.source === "channel");
    const started = performance.now();
    await bot.app.outbox.enqueue(
      rows.flatMap((row) => Array.from({ length: perChannel }, (_, n) => benchNote.request({ channelId: row.id, payload: { n }, notBefore: new Date() }))),
    );
    // The running dispatcher sends them (enqueueing wakes it); wait until the fake has them all.
    while (posted().length < channels * perChannel && performance.now() - started < 300_000) await new Promise((resolve) => setTimeout(resolve, 10));
    const elapsed = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // a duplicate would arrive late
    const all = posted();
    const distinct = new Set(all.map((stored) => `${stored.channelId}:${stored.content}`)).size;
    const hits = fake.rateLimitHits();
    // Evenly paced, a channel's n-th message can go at (n-1) * 1 s; all messages at 1/50 s each.
    const floor = Math.max((perChannel - 1) * 1_000, ((channels * perChannel - 1) * 1_000) / 50);
    return {
      scenario: name,
      messages: channels * perChannel,
      delivered: all.length,
      duplicates: all.length - distinct,
      lost: channels * perChannel - distinct,
      "429 (storm)": hits.filter((hit) => hit.cause === "storm").length,
      "429 (limits)": hits.filter((hit) => hit.cause !== "storm").length,
      time: formatMs(elapsed),
      floor: formatMs(floor),
      "msg/s": Number(((all.length / elapsed) * 1000).toFixed(1)),
    };
  } finally {
    await bot.close();
    await fake.close();
  }
}

async function interactionRun(total: number, concurrency: number): Promise<Record<string, string | number>> {
  const fake = await startDiscordFake({ heartbeatIntervalMs: 5_000 });
  const bot = await startBot(fake);
  try {
    const latencies: number[] = [];
    let next = 0;
    const worker = async () => {
      while (next < total) {
        const n = next++;
        const handle = fake.interact({ commandName: "whoami", user: { id: String(330000000000000000n + BigInt(n % 200)), username: `user${n % 200}` } });
        latencies.push((await handle.waitForCallback(10_000)).latencyMs);
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const elapsed = performance.now() - started;
    latencies.sort((a, b) => a - b);
    return {
      scenario: `/whoami × ${total}, ${concurrency} at a time`,
      "p50 to answer": formatMs(percentile(latencies, 50)),
      "p99 to answer": formatMs(percentile(latencies, 99)),
      max: formatMs(latencies.at(-1) ?? Number.NaN),
      "answered/s": Number(((total / elapsed) * 1000).toFixed(1)),
    };
  } finally {
    await bot.close();
    await fake.close();
  }
}

export async function main(): Promise<void> {
  table([
    await outboxRun("400 channels × 1", 400, 1),
    await outboxRun("10 channels × 15", 10, 15),
    await outboxRun("400 channels × 1, 30 × 429 (1 s)", 400, 1, { count: 30, retryAfter: 1 }),
  ]);
  table([await interactionRun(500, 10)]);
}
