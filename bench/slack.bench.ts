// Slack figures: the real adapter (Bolt in HTTP mode on the bot's own server) against the local
// Slack fake, which enforces Slack's chat.postMessage limit (about 1 per second per channel,
// bursts of 3), on PostgreSQL.
// 1. Slash commands: signed `/o4p whoami` requests until the reply reaches the response_url;
//    p50/p99 and commands per second, one user at a time and 16 at once.
// 2. Outbox fan-out: one message to each of N channels; time, messages per second, 429s.
// 3. Outbox into busy channels: M messages to each of C channels; time against the floor that
//    one message per second per channel sets, 429s, duplicates and losses.
// 4. Rendering: a 90-session schedule and a 3-paragraph announcement, renders per second.
// BENCH_SLACK_CHANNELS scales the fan-out (default 500).
import { z } from "zod";
import { createSlackAdapter } from "../adapters/slack/index.ts";
import { renderMessage } from "../adapters/slack/render.ts";
import { createApp, type App } from "../src/app.ts";
import { ManualClock } from "../src/clock.ts";
import { loadConfig } from "../src/config.ts";
import { message, textMessage } from "../src/core/messages.ts";
import { createLogger } from "../src/logger.ts";
import { defineDeliveryKind } from "../src/outbox/kinds.ts";
import { parseProgramText } from "../src/programs/program-file.ts";
import { sendSlashCommand, startSlackFake, type SlackFake } from "../test/fakes/slack/index.ts";
import { benchPostgres, formatMs, percentile, table } from "./support.ts";

const SIGNING_SECRET = "bench-signing-secret";
const FAN_OUT = Number(process.env.BENCH_SLACK_CHANNELS ?? 500);
const PROGRAM = `
slug: bench
title: Bench Program
timezone: Europe/Berlin
registrationDeadline: "2099-01-01 00:00"
reminders: [1h]
sessions:
  - { title: "Only", start: "2099-01-08 17:00", duration: 2h }
`;

const benchKind = defineDeliveryKind({ name: "bench", payload: z.object({ text: z.string() }), key: "bench:{text}" });

interface Rig {
  fake: SlackFake;
  app: App;
  clock: ManualClock;
  url: string;
  close(): Promise<void>;
}

async function startRig(): Promise<Rig> {
  const fake = await startSlackFake({ users: Array.from({ length: 16 }, (_, index) => ({ id: `U0BENCH${String(index).padStart(3, "0")}`, name: `user${index}` })) });
  const db = await benchPostgres();
  const clock = new ManualClock(Date.now(), { timers: "real" });
  const config = loadConfig({ SLACK_BOT_TOKEN: fake.botToken, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_MODE: "http", SLACK_API_URL: fake.apiUrl, PORT: "0" });
  const app = await createApp({ config, logger: createLogger("silent"), clock, database: db, seedExample: false, background: false });
  app.kinds.register(benchKind.renderWith((payload) => ({ message: textMessage(payload.text) })));
  await app.start([createSlackAdapter(config)]);
  await app.services.programs.import(parseProgramText(PROGRAM), { activate: true });
  return {
    fake,
    app,
    clock,
    url: `http://127.0.0.1:${app.http.port}/slack/events`,
    async close() {
      await app.stop();
      await fake.close();
    },
  };
}

async function slashCommands(rig: Rig, concurrency: number, seconds = 5): Promise<Record<string, string | number>> {
  const target = { url: rig.url, signingSecret: SIGNING_SECRET, workspace: rig.fake };
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, user) => {
      while (performance.now() < deadline) {
        const started = performance.now();
        const sent = await sendSlashCommand(target, { command: "/o4p", text: "whoami", user_id: `U0BENCH${String(user).padStart(3, "0")}`, channel_id: "C0GENERAL" });
        await rig.fake.waitFor((fake) => fake.responses.some((response) => response.url === sent.payload.response_url), 10_000);
        latencies.push(performance.now() - started);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  rig.fake.reset();
  return {
    scenario: `slash commands, ${concurrency} at once`,
    commands: latencies.length,
    "per second": Math.round(latencies.length / seconds),
    "p50 ms": percentile(latencies, 50).toFixed(1),
    "p99 ms": percentile(latencies, 99).toFixed(1),
  };
}

/** `perChannel` bench messages due now in each of `channels` fresh channels; drained and timed. */
async function outbox(rig: Rig, label: string, channels: number, perChannel: number): Promise<Record<string, string | number>> {
  const prefix = `C0${label.slice(0, 3).toUpperCase()}`;
  const ids = Array.from({ length: channels }, (_, index) => `${prefix}${String(index).padStart(5, "0")}`);
  for (const id of ids) rig.fake.setChannel({ id, name: id.toLowerCase() });
  const prisma = rig.app.db.prisma;
  await prisma.channel.createMany({ data: ids.map((id) => ({ platform: "slack", platformChannelId: id, purpose: "announcements" as const })) });
  const rows = await prisma.channel.findMany({ where: { platformChannelId: { in: ids } }, select: { id: true, platformChannelId: true } });
  const now = rig.clock.now();
  await rig.app.outbox.enqueue(
    rows.flatMap((row) =>
      Array.from({ length: perChannel }, (_, index) => benchKind.request({ channelId: row.id, payload: { text: `${row.platformChannelId} #${index}` }, notBefore: now })),
    ),
  );
  rig.fake.reset();
  const started = performance.now();
  let report = await rig.app.dispatcher.drain();
  let sent = report.sent;
  // Rows the dispatcher handed back because their channel was busy come due again later.
  while (sent < channels * perChannel && performance.now() - started < 600_000) {
    rig.clock.advance(1_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    report = await rig.app.dispatcher.drain();
    sent += report.sent;
  }
  const elapsed = performance.now() - started;
  const texts = rig.fake.messages.map((posted) => posted.text ?? "");
  const floorMs = (perChannel - 1) * 1000;
  return {
    scenario: label,
    messages: channels * perChannel,
    delivered: new Set(texts).size,
    duplicates: texts.length - new Set(texts).size,
    time: formatMs(elapsed),
    floor: floorMs > 0 ? formatMs(floorMs) : "—",
    "per second": Math.round((channels * perChannel) / (elapsed / 1000)),
    "429s": rig.fake.rateLimitedCount,
  };
}

function rendering(): Record<string, string | number>[] {
  const context = { slashCommand: "/o4p", commandNames: ["help", "register", "join", "schedule"] };
  const schedule = message().heading("Bench Program — times in Asia/Tokyo");
  schedule.list(Array.from({ length: 90 }, (_, index) => [{ text: `${index + 1}. Session with a title`, style: "bold" as const }, " — Wednesday, May 15, 12:00 AM–2:00 AM · Tuesday 5:00 PM–7:00 PM (Europe/Berlin)"]));
  const announcement = message().heading("📣 Announcement").text("<b>Strike vote</b> tonight & *everyone* must come: https://union.example/vote_now @everyone\n".repeat(3)).build();
  return [
    ["90-session schedule", schedule.build()],
    ["announcement", announcement],
  ].map(([label, outgoing]) => {
    const runs = 2_000;
    const started = performance.now();
    for (let run = 0; run < runs; run++) renderMessage(outgoing as ReturnType<typeof textMessage>, context);
    const ms = performance.now() - started;
    return { scenario: `render ${label as string}`, "renders/s": Math.round(runs / (ms / 1000)), "µs each": ((ms * 1000) / runs).toFixed(0) };
  });
}

export async function main(): Promise<void> {
  const rig = await startRig();
  try {
    table([await slashCommands(rig, 1), await slashCommands(rig, 16)]);
    table([await outbox(rig, "fan-out", FAN_OUT, 1), await outbox(rig, "busy channels", 20, 5)]);
    table(rendering());
  } finally {
    await rig.close();
  }
}
