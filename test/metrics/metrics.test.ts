// /metrics as an operator reads it: commands by name and outcome, the outbox depth per platform and
// kind before a broadcast goes out, sends, 429s and failures per platform after it, delivery lag,
// and adapter connections; on PGlite and PostgreSQL. The endpoint itself: Prometheus text, and
// the bearer token when METRICS_TOKEN is set.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { configSchema } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";
import { backends, openTestDatabase } from "../helpers/database.ts";
import { RecordingAdapter } from "../helpers/recording-adapter.ts";

/** The value of one sample in a Prometheus text scrape, or undefined when absent. */
function sample(scrape: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of scrape.split("\n")) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? "").split(",");
    if (wanted.every((pair) => have.includes(pair))) return Number(match[3]);
  }
  return undefined;
}

describe.each(backends)("metrics on %s", (backend) => {
  let bot: TestBot;
  const telegram = new RecordingAdapter("telegram");
  const slack = new RecordingAdapter("slack");
  const scrape = async () => (await bot.app.metrics.scrape()).body;

  beforeAll(async () => {
    bot = await createTestBot(backend, { adapters: [telegram, slack] });
  });
  beforeEach(async () => {
    await bot.reset();
    telegram.reset();
    slack.reset();
  });
  afterAll(async () => {
    await bot.close();
  });

  it("counts commands by name and outcome, never by what someone mistyped", async () => {
    await bot.say("ana", "berlin", "/help");
    await bot.say("ana", "berlin", "/help");
    await bot.say("ana", "berlin", "/grant ben facilitator");
    await bot.say("ana", "berlin", "/homework submit my answer"); // berlin is no group's channel
    await bot.say("ana", "berlin", "/drop table members");
    const text = await scrape();
    expect(sample(text, "bot_commands_total", { command: "help", outcome: "ok" })).toBe(2);
    expect(sample(text, "bot_commands_total", { command: "grant", outcome: "forbidden" })).toBe(1);
    expect(sample(text, "bot_commands_total", { command: "homework submit", outcome: "user_error" })).toBe(1);
    expect(sample(text, "bot_commands_total", { command: "unknown", outcome: "user_error" })).toBe(1);
    expect(text).not.toContain('command="drop"');
    expect(sample(text, "bot_command_duration_seconds_count", { command: "help" })).toBe(2);
  });

  it("shows a broadcast waiting in the outbox per platform and kind, then its sends, 429s, failures and lag", async () => {
    await bot.say("lead-b", "berlin", "/register Berlin Tenants", { platform: "telegram" });
    await bot.say("lead-w", "wien", "/register Wiener Mieter", { platform: "telegram" });
    await bot.say("lead-l", "lyon", "/register Locataires de Lyon", { platform: "slack" });
    await bot.say("coordinator", "hq", "/announce The vote is on Thursday");
    await bot.say("coordinator", "hq", "/announce send");

    const before = await scrape();
    expect(sample(before, "bot_outbox_depth", { platform: "telegram", kind: "announcement", state: "due" })).toBe(2);
    expect(sample(before, "bot_outbox_depth", { platform: "slack", kind: "announcement", state: "due" })).toBe(1);
    expect(sample(before, "bot_adapter_connected", { platform: "telegram" })).toBe(1);

    telegram.failNext("rate_limited", { retryAfterMs: 10 });
    slack.failNext("transient");
    await bot.app.dispatcher.drain();
    bot.clock.advance(60_000); // past the transient failure's backoff
    await bot.app.dispatcher.drain();

    const after = await scrape();
    expect(sample(after, "bot_outbox_depth", { platform: "telegram", kind: "announcement", state: "due" })).toBeUndefined();
    expect(sample(after, "bot_sends_total", { platform: "telegram", kind: "announcement" })).toBe(2);
    expect(sample(after, "bot_sends_total", { platform: "slack", kind: "announcement" })).toBe(1);
    expect(sample(after, "bot_send_failures_total", { platform: "telegram", reason: "rate_limited" })).toBe(1);
    expect(sample(after, "bot_send_failures_total", { platform: "slack", reason: "transient" })).toBe(1);
    // The retried Slack message went out a minute (of the test's clock) after it was due.
    expect(sample(after, "bot_delivery_lag_seconds_bucket", { platform: "slack", kind: "announcement", le: "30" })).toBe(0);
    expect(sample(after, "bot_delivery_lag_seconds_bucket", { platform: "slack", kind: "announcement", le: "60" })).toBe(1);
    expect(sample(after, "bot_delivery_lag_seconds_count", { platform: "telegram", kind: "announcement" })).toBe(2);
  });
});

describe("the /metrics endpoint", () => {
  async function serve(token?: string) {
    const config = configSchema.parse({ LOG_LEVEL: "silent", PORT: "0", ...(token ? { METRICS_TOKEN: token } : {}) });
    const app = await createApp({ config, logger: createLogger("silent"), database: await openTestDatabase("pglite"), seedExample: false, background: false });
    await app.start([]);
    return { app, url: `http://127.0.0.1:${app.http.port}/metrics` };
  }

  it("serves Prometheus text to anyone when no token is set", async () => {
    const { app, url } = await serve();
    try {
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      const body = await response.text();
      expect(body).toContain("# TYPE bot_commands_total counter");
      expect(body).toContain("# TYPE bot_delivery_lag_seconds histogram");
      expect(body).toMatch(/^process_resident_memory_bytes \d+/m);
    } finally {
      await app.stop();
    }
  });

  it("asks for the bearer token when METRICS_TOKEN is set", async () => {
    const { app, url } = await serve("s3cret-scrape");
    try {
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
      const allowed = await fetch(url, { headers: { authorization: "Bearer s3cret-scrape" } });
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toContain("bot_outbox_depth");
    } finally {
      await app.stop();
    }
  });
});
