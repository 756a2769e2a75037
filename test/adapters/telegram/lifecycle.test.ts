// Starting and stopping: the adapter is chosen from configuration and loaded only then; a token
// Telegram refuses stops start-up with a clear message; a Telegram that can't be reached yet
// doesn't (the adapter keeps trying and connects when it can); stop() leaves nothing running.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { commands } from "../../../commands/index.ts";
import { createAdapters } from "../../../adapters/registry.ts";
import { TelegramAdapter } from "../../../adapters/telegram/telegram-adapter.ts";
import { configSchema } from "../../../src/config.ts";
import { systemClock } from "../../../src/clock.ts";
import type { BotHost } from "../../../src/core/adapter.ts";
import { HttpServer } from "../../../src/http/server.ts";
import { loadI18n } from "../../../src/i18n/i18n.ts";
import { createLogger } from "../../../src/logger.ts";
import { startTelegramFake } from "../../fakes/telegram/server.ts";

/** A host that handles nothing: these tests are about connecting, not commands. */
async function idleHost(): Promise<BotHost> {
  const logger = createLogger("silent");
  return {
    handle: async () => [],
    commands,
    i18n: await loadI18n(),
    logger,
    http: new HttpServer(logger),
    // Real time: reconnecting is measured against a fake that comes up a moment later.
    clock: systemClock,
    channelUnreachable: async () => {},
    channelReachable: async () => {},
    channelMoved: async () => {},
    personMet: async () => {},
    suggest: async () => [],
  };
}

describe("Telegram adapter lifecycle", () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it("is created when TELEGRAM_BOT_TOKEN is set, and not otherwise", async () => {
    const configured = configSchema.parse({ TELEGRAM_BOT_TOKEN: "1:abc" });
    const adapters = await createAdapters(configured, { requested: false, stdinIsTerminal: false });
    expect(adapters.map((adapter) => adapter.platform)).toEqual(["telegram"]);
    expect(adapters[0]).toBeInstanceOf(TelegramAdapter);
    expect(await createAdapters(configSchema.parse({}), { requested: false, stdinIsTerminal: false })).toEqual([]);
  });

  it("refuses to start with a token Telegram rejects, naming the variable", async () => {
    const telegram = await startTelegramFake();
    cleanup.push(() => telegram.close());
    const adapter = new TelegramAdapter({ token: "42:not-the-token", apiRoot: telegram.apiRoot });
    await expect(adapter.start(await idleHost())).rejects.toThrow(/TELEGRAM_BOT_TOKEN.*401 Unauthorized/);
    await adapter.stop();
  });

  it("starts while Telegram is unreachable and connects once it is there", async () => {
    const probe = await startTelegramFake();
    const { port, apiRoot } = probe;
    await probe.close();
    const adapter = new TelegramAdapter({ token: probe.token, apiRoot, reconnectDelayMs: 50, pollingTimeoutSeconds: 1 });
    await adapter.start(await idleHost());
    cleanup.push(() => adapter.stop());
    expect(adapter.isConnected()).toBe(false);

    const telegram = await startTelegramFake({ port });
    cleanup.push(() => telegram.close());
    await telegram.waitForRequest((request) => request.method === "getUpdates", 5_000);
    expect(telegram.requestCounts.setMyCommands).toBe(16);
    await expect.poll(() => adapter.isConnected(), { timeout: 5_000 }).toBe(true);
  });

  it("leaves nothing running after stop(): the process exits on its own", async () => {
    const script = fileURLToPath(new URL("./exit-check.ts", import.meta.url));
    const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
    const output = await new Promise<string>((resolve, reject) => {
      execFile(tsx, [script], { timeout: 30_000 }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)));
    });
    expect(JSON.parse(output.trim().split("\n").at(-1)!)).toEqual({ answered: true, left: [] });
  });
});
