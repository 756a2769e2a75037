// The real program, started as `npm start` starts it: a program whose first session starts in a
// little over a minute, a group registered in the console, and its reminder printed, once.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess } from "../helpers/bot-process.ts";
import { seedDataDir } from "../helpers/data-dir.ts";

describe("a reminder in the console", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "bot-reminder-"));
  beforeAll(() => seedDataDir(dataDir));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("arrives once, in the group's zone, a minute before the session (or late, if registration came after that, but never after the start)", async () => {
    const start = DateTime.now().setZone("Europe/Berlin").plus({ seconds: 125 }).startOf("minute");
    const programFile = path.join(dataDir, "soon.yaml");
    writeFileSync(
      programFile,
      [
        "slug: starting-soon",
        "title: Starting Soon",
        "timezone: Europe/Berlin",
        `registrationDeadline: "${start.plus({ days: 1 }).toFormat("yyyy-MM-dd HH:mm")}"`,
        "reminders: [1m]",
        "sessions:",
        `  - { title: "Kick-off", start: "${start.toFormat("yyyy-MM-dd HH:mm")}", duration: 1h }`,
      ].join("\n"),
    );
    const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", DATA_DIR: dataDir };
    execFileSync(process.execPath, ["--import", "tsx", "src/cli.ts", "import", programFile], { env, cwd: path.resolve(import.meta.dirname, "../.."), stdio: "pipe" });

    const bot = startBotProcess({ DATA_DIR: dataDir, TICK_SECONDS: "1" }, ["--console", "--as", "kenji", "--channel", "tokyo-room"]);
    try {
      await bot.waitForOutput(/Type \/help to start/);
      expect(bot.output()).not.toMatch(/example program/); // a program was already loaded
      bot.type("/register Tokyo Tenants tz=Asia/Tokyo");
      await bot.waitForOutput(/Group “Tokyo Tenants” is registered for Starting Soon/);
      const tokyo = start.setZone("Asia/Tokyo");
      const output = await bot.waitForOutput(/\[#tokyo-room\] ⏰ Session 1, “Kick-off”, starts in/, 95_000);
      expect(output).toContain(`${tokyo.setLocale("en").toLocaleString(DateTime.TIME_SIMPLE)}–`);
      expect(output).toContain("(Asia/Tokyo)");
      // A few more ticks: still exactly one.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(bot.output().match(/⏰ Session 1/g)).toHaveLength(1);
    } finally {
      expect(await bot.stop()).toBe(0);
    }
  }, 150_000);
});
