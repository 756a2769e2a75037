// The real program, started as `npm start` starts it, driven through its console on stdin.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startBotProcess } from "../helpers/bot-process.ts";

describe("the bot in a console", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "bot-e2e-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("registers, joins and answers whoami, keeps serving after the console closes, and keeps its data across a restart", async () => {
    const env = { DATA_DIR: dataDir, COORDINATORS: "console:ana" };
    const first = startBotProcess(env, ["--console", "--as", "ana", "--channel", "kreuzberg"]);
    try {
      await first.waitForOutput(/Type \/help to start/);
      expect(first.output()).toMatch(/No chat platform is configured/);
      expect(first.output()).toMatch(/loaded the example program “Organizing for Power – Workers Rising Everywhere”/);
      const ready = await first.waitForLog((entry) => entry.msg === "http server listening");

      first.type("/register Tenants of Kreuzberg country=DE tz=Berlin");
      await first.waitForOutput(/Group “Tenants of Kreuzberg” is registered/);
      first.type(":as ben");
      first.type("/join");
      await first.waitForOutput(/ben joined “Tenants of Kreuzberg”/);
      first.type("/whoami");
      await first.waitForOutput(/You are ben\n• Role: participant\n• Group: Tenants of Kreuzberg/);

      first.endInput();
      await first.waitForOutput(/Console closed\. The bot keeps running/);
      // Still serving: the health endpoint answers after stdin is gone.
      const health = await fetch(`http://127.0.0.1:${ready.port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: "ok", database: "ok", adapters: { console: true } });
      expect(first.child.exitCode).toBeNull();
    } finally {
      expect(await first.stop("SIGTERM")).toBe(0);
    }
    expect(first.logs().some((entry) => entry.msg === "bot stopped")).toBe(true);

    const second = startBotProcess(env, ["--console", "--as", "ben", "--channel", "kreuzberg"]);
    try {
      await second.waitForOutput(/Type \/help to start/);
      expect(second.output()).not.toMatch(/loaded the example program/);
      second.type("/whoami");
      await second.waitForOutput(/Group: Tenants of Kreuzberg/);
      second.type("/register Tenants of Kreuzberg");
      await second.waitForOutput(/already registered/);
    } finally {
      expect(await second.stop("SIGINT")).toBe(0);
    }
  }, 120_000);

  it("refuses to start on a bad configuration value, naming the variable", async () => {
    const bot = startBotProcess({ DATA_DIR: dataDir, PORT: "not-a-port" });
    expect(await bot.exited).toBe(1);
    expect(bot.errors()).toMatch(/Invalid configuration:\n\s+PORT: /);
    expect(bot.errors()).toMatch(/See \.env\.example/);
  }, 60_000);
});
