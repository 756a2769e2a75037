// What the pipeline does around every handler: unexpected errors become an apology with a
// reference the organizers can find in the logs (without secrets), and /healthz tells the truth.
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app.ts";
import { configSchema } from "../../src/config.ts";
import { defineCommand } from "../../src/core/command.ts";
import { renderPlain } from "../../src/core/messages.ts";
import { createLogger } from "../../src/logger.ts";
import { openTestDatabase } from "../helpers/database.ts";
import { RecordingAdapter } from "../helpers/recording-adapter.ts";

const boom = defineCommand({
  name: "boom",
  role: "anyone",
  args: {},
  async run() {
    throw Object.assign(new Error("database exploded"), { token: "secret-token-value" });
  },
});

describe("the pipeline around handlers", () => {
  const logLines: string[] = [];
  let app: App;
  const adapter = new RecordingAdapter("telegram");
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    app = await createApp({
      config: configSchema.parse({ PORT: "0" }),
      logger: createLogger("info", sink),
      database: await openTestDatabase("pglite"),
      commands: [boom],
      seedExample: false,
      background: false,
    });
    await app.start([adapter]);
  });
  afterAll(async () => {
    await app.stop();
  });

  it("apologizes with a reference id for a bug, and logs the error under the same id without secrets", async () => {
    const [reply] = await app.handle({ platform: "console", channelId: "c", userId: "u", displayName: "u", name: "boom", userLocale: "de" });
    const text = renderPlain(reply!);
    const reference = /Referenz ([0-9a-f]{8})/.exec(text)?.[1];
    expect(reference, text).toBeDefined();
    const entry = logLines.map((line) => JSON.parse(line)).find((line) => line.reference === reference);
    expect(entry).toMatchObject({ msg: "command failed", command: "boom", err: { message: "database exploded" } });
    expect(logLines.join("")).not.toContain("secret-token-value");
  });

  it("answers an invalid incoming command with a clear message instead of a crash", async () => {
    const [reply] = await app.handle({ platform: "Not A Platform", channelId: "", userId: "u", displayName: "u", name: "boom" });
    expect(renderPlain(reply!)).toMatch(/could not read that command/);
  });

  it("reports health: 200 when the database answers and every adapter is connected, 503 otherwise", async () => {
    const url = `http://127.0.0.1:${app.http.port}/healthz`;
    const healthy = await fetch(url);
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toEqual({ status: "ok", database: "ok", adapters: { telegram: true } });
    adapter.isConnected = () => false;
    const degraded = await fetch(url);
    expect(degraded.status).toBe(503);
    expect(await degraded.json()).toMatchObject({ status: "degraded", adapters: { telegram: false } });
  });
});

describe("DEFAULT_LOCALE", () => {
  it("is the replies' language when neither the person, a group nor a program has one", async () => {
    const app = await createApp({
      config: configSchema.parse({ DEFAULT_LOCALE: "fr", LOG_LEVEL: "silent" }),
      logger: createLogger("silent"),
      database: await openTestDatabase("pglite"),
      seedExample: false,
      http: false,
      background: false,
    });
    await app.start([]);
    try {
      const ask = async (userLocale?: string) =>
        renderPlain((await app.handle({ platform: "console", channelId: "c", userId: "u", displayName: "u", name: "schedule", ...(userLocale ? { userLocale } : {}) }))[0]!);
      expect(await ask()).toBe(app.i18n.t("fr", "errors.noProgram"));
      // The person's own language still comes first.
      expect(await ask("es")).toBe(app.i18n.t("es", "errors.noProgram"));
    } finally {
      await app.stop();
    }
  });
});
