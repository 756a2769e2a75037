// What a coordinator waits for with a big audience, on PGlite and PostgreSQL: /announce (the
// preview selects and counts the audience), /announce send (one Delivery per channel, queued in
// one transaction) and /announce status (counts by outcome and platform) with 3,000 channels
// over three platforms and ten earlier announcements in the outbox; and how fast the dispatcher
// renders and hands over the 3,000 messages when the platforms set no limit (the core's own
// ceiling; the platforms' limits are far below it). BENCH_CHANNELS scales it (default 3000).
import { pathToFileURL } from "node:url";
import { createApp, type App } from "../src/app.ts";
import { ManualClock } from "../src/clock.ts";
import { configSchema } from "../src/config.ts";
import type { Adapter, SendResult } from "../src/core/adapter.ts";
import { SendBudget } from "../src/core/send-budget.ts";
import { openDatabase, type Database } from "../src/db/database.ts";
import { createLogger } from "../src/logger.ts";
import { parseProgramText } from "../src/programs/program-file.ts";
import { benchPostgres, formatMs, ONE_SESSION_PROGRAM, percentile, table } from "./support.ts";

const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 3_000);
const PLATFORMS = ["telegram", "slack", "discord"];
const LOCALES = ["en", "es", "pt", "fr", "de", "it", "ko"];
const COUNTRIES = ["DE", "AT", "FR", "ES", "BR", "KR", "US", "IT"];
const EARLIER = Number(process.env.BENCH_EARLIER ?? 10);

/** Takes every message at once: what is measured is the core, not a platform. */
class InstantAdapter implements Adapter {
  readonly budget = new SendBudget({});
  sent = 0;
  constructor(readonly platform: string) {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  isConnected(): boolean {
    return true;
  }
  async send(): Promise<SendResult> {
    return { platformMessageId: String(++this.sent) };
  }
}

async function seedGroups(db: Database, programId: number): Promise<void> {
  const groups = Array.from({ length: CHANNELS }, (_, index) => ({
    programId,
    name: `Group ${index}`,
    nameKey: `group ${index}`,
    locale: LOCALES[index % LOCALES.length]!,
    country: COUNTRIES[index % COUNTRIES.length]!,
    timezone: "Europe/Berlin",
  }));
  await db.prisma.group.createMany({ data: groups });
  const ids = await db.prisma.group.findMany({ select: { id: true }, orderBy: { id: "asc" } });
  await db.prisma.channel.createMany({
    data: ids.map((group, index) => ({ platform: PLATFORMS[index % PLATFORMS.length]!, platformChannelId: `chat-${group.id}`, purpose: "group" as const, groupId: group.id })),
  });
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { ms: performance.now() - start, result };
}

function median(values: number[]): number {
  return percentile([...values].sort((left, right) => left - right), 50);
}

async function measure(db: Database, label: string): Promise<Record<string, string | number>> {
  const clock = new ManualClock("2030-05-01T10:00:00Z", { timers: "real" });
  const config = configSchema.parse({ COORDINATORS: "console:coordinator", LOG_LEVEL: "silent" });
  const app: App = await createApp({ config, logger: createLogger("silent"), clock, database: db, seedExample: false, http: false, background: false });
  const adapters = PLATFORMS.map((platform) => new InstantAdapter(platform));
  await app.start(adapters);
  try {
    const { program } = await app.services.programs.import(parseProgramText(ONE_SESSION_PROGRAM), { activate: true });
    await seedGroups(db, program.id);
    const say = async (text: string) => {
      const replies = await app.handle({ platform: "console", channelId: "hq", userId: "coordinator", displayName: "coordinator", name: "announce", text });
      return replies;
    };
    const previews: number[] = [];
    const confirms: number[] = [];
    // Earlier announcements, sent: the outbox the status query has to look through.
    for (let round = 0; round <= EARLIER; round++) {
      previews.push((await timed(() => say(`Announcement ${round}: the vote is on Thursday`))).ms);
      confirms.push((await timed(() => say("send"))).ms);
      if (round < EARLIER) await app.dispatcher.drain();
    }
    const filtered = await timed(() => say("languages=de,fr,es countries=DE,AT,FR,ES platforms=telegram,slack Filtered"));
    const statuses: number[] = [];
    for (let round = 0; round < 5; round++) statuses.push((await timed(() => say("status"))).ms);
    const before = adapters.reduce((sum, adapter) => sum + adapter.sent, 0);
    const drain = await timed(() => app.dispatcher.drain());
    const handed = adapters.reduce((sum, adapter) => sum + adapter.sent, 0) - before;
    if (handed !== CHANNELS) throw new Error(`handed over ${handed} of ${CHANNELS}`);
    return {
      database: label,
      channels: CHANNELS,
      "/announce (preview), median": formatMs(median(previews)),
      "preview with 4 filters": formatMs(filtered.ms),
      "/announce send (queue all), median": formatMs(median(confirms)),
      [`/announce status (${EARLIER + 1}×${CHANNELS} rows), median`]: formatMs(median(statuses)),
      "dispatch, no platform limit": `${formatMs(drain.ms)} (${Math.round((CHANNELS / drain.ms) * 1000)}/s)`,
    };
  } finally {
    await app.stop();
  }
}

export async function main(): Promise<void> {
  const rows = [await measure(await openDatabase({ dataDir: "memory" }).then(async (db) => (await db.migrate(), db)), "PGlite (in process)")];
  try {
    rows.push(await measure(await benchPostgres(), "PostgreSQL (local server)"));
  } catch (error) {
    console.log(`PostgreSQL skipped: ${(error as Error).message}`);
  }
  table(rows);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
