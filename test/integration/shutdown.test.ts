// Shutting down (SIGTERM): from the first moment the bot stops taking commands and says so in the
// caller's language instead of failing on a closing database, and /healthz answers 503 so a load
// balancer stops sending it work. (test/e2e/shutdown.test.ts stops the real process mid-broadcast.)
import { get } from "node:http";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { configSchema } from "../../src/config.ts";
import type { IncomingCommand } from "../../src/core/incoming.ts";
import { renderPlain } from "../../src/core/messages.ts";
import { createLogger } from "../../src/logger.ts";
import { openTestDatabase } from "../helpers/database.ts";
import { RecordingAdapter } from "../helpers/recording-adapter.ts";

describe("a bot that is shutting down", () => {
  it("answers every command with 'send it again in a minute' and reports 503 on /healthz", async () => {
    const config = configSchema.parse({ LOG_LEVEL: "silent", PORT: "0" });
    const app = await createApp({ config, logger: createLogger("silent"), database: await openTestDatabase("pglite"), seedExample: false, background: false });
    // An adapter that takes its time to stop holds the HTTP server open meanwhile.
    let finishStopping!: () => void;
    const adapter = Object.assign(new RecordingAdapter("telegram"), { stop: () => new Promise<void>((resolve) => (finishStopping = resolve)) });
    await app.start([adapter]);
    const url = `http://127.0.0.1:${app.http.port}/healthz`;
    // A connection of its own each time: a kept-alive one would hold the closing server open.
    const healthz = () =>
      new Promise<{ status: number; body: unknown }>((resolve, reject) => {
        get(url, { agent: false }, (response) => {
          let body = "";
          response.setEncoding("utf8").on("data", (chunk: string) => (body += chunk)).on("end", () => resolve({ status: response.statusCode!, body: JSON.parse(body) }));
        }).on("error", reject);
      });
    const say = async (text: string, userLocale?: string) => {
      const command: IncomingCommand = { platform: "console", channelId: "berlin", userId: "ana", displayName: "Ana", name: "help", text, ...(userLocale ? { userLocale } : {}) };
      return (await app.handle(command)).map(renderPlain).join("\n");
    };
    expect(await say("")).toMatch(/\/help/);
    expect((await healthz()).status).toBe(200);

    const stopped = app.stop();
    expect(await say("", "de")).toBe("Ich starte gerade neu. Bitte schick das in einer Minute noch einmal.");
    await expect.poll(() => finishStopping).toBeDefined();
    expect(await healthz()).toEqual({ status: 503, body: { status: "stopping" } });
    finishStopping();
    await stopped;
    // After the database has closed: still an answer, not an apology for a failure.
    expect(await say("", "es")).toBe("Me estoy reiniciando ahora mismo. Vuelve a enviarlo dentro de un minuto, por favor.");
  }, 60_000);
});
