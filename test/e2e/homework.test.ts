// The real program in a console: a group member submits homework, a coordinator binds a
// facilitators' channel, lists, reviews (the feedback arrives in the group's channel through the
// outbox) and exports a CSV, which the console writes under <DATA_DIR>/exports.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess } from "../helpers/bot-process.ts";
import { seedDataDir } from "../helpers/data-dir.ts";

describe("homework in the console", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "bot-homework-"));
  beforeAll(() => seedDataDir(dataDir));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("submits, lists, reviews and exports to a file", async () => {
    const bot = startBotProcess({ DATA_DIR: dataDir, COORDINATORS: "console:ana", TICK_SECONDS: "1" }, ["--console", "--as", "ana", "--channel", "kreuzberg"]);
    try {
      await bot.waitForOutput(/Type \/help to start/);
      bot.type("/register Tenants of Kreuzberg tz=Berlin");
      await bot.waitForOutput(/Group “Tenants of Kreuzberg” is registered/);
      bot.type("/homework");
      await bot.waitForOutput(/📚 Homework for session 1, “Power and the organizing approach”\nMap your workplace or building/);
      bot.type('/homework submit We mapped 12 coworkers, "the night shift" too: https://notes.example.org/map');
      await bot.waitForOutput(/Thank you, ana! Your homework for session 1, “Power and the organizing approach”, is in\./);

      bot.type(":as ana facilitators");
      bot.type("/homework list");
      await bot.waitForOutput(/\/homework list works only in a facilitators' channel/);
      bot.type("/bind facilitators");
      await bot.waitForOutput(/This is now a facilitators' channel/);
      bot.type("/homework list");
      await bot.waitForOutput(/Tenants of Kreuzberg: 1 submission, 0 still missing\n• #1 ana · .*: We mapped 12 coworkers/);
      bot.type("/homework review 1 Great map, now add who talks to whom.");
      await bot.waitForOutput(/Your feedback on #1 \(ana, “Tenants of Kreuzberg”\) is on its way/);
      await bot.waitForOutput(/\[#kreuzberg\] 💬 Feedback on homework for session 1, “Power and the organizing approach”\nFor ana, from ana:\nGreat map, now add who talks to whom\./);

      bot.type("/homework export");
      const output = await bot.waitForOutput(/File saved: (.+\.csv)\n/);
      const saved = /File saved: (.+\.csv)\n/.exec(output)![1]!;
      expect(path.dirname(saved)).toBe(path.resolve(dataDir, "exports"));
      const csv = readFileSync(saved, "utf8");
      expect(csv.startsWith("\uFEFFnumber,session,group,")).toBe(true);
      expect(csv).toContain(',"We mapped 12 coworkers, ""the night shift"" too: https://notes.example.org/map",https://notes.example.org/map,');
      expect(csv).toContain(',ana,"Great map, now add who talks to whom."\r\n');
      expect(csv.split("\r\n")).toHaveLength(3);
    } finally {
      expect(await bot.stop()).toBe(0);
    }
  }, 120_000);
});
