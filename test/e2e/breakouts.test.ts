// The real program, started as `npm start` starts it, driven through its console: a group
// registers, a facilitator declares her language, a coordinator generates and publishes the first
// session's rooms, the group's channel gets them through the outbox, and people look them up.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess } from "../helpers/bot-process.ts";
import { seedDataDir } from "../helpers/data-dir.ts";

describe("breakout rooms in the console", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "bot-breakouts-"));
  beforeAll(() => seedDataDir(dataDir));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("are generated, published to the group's channel through the outbox, and looked up", async () => {
    const bot = startBotProcess({ DATA_DIR: dataDir, COORDINATORS: "console:ana", TICK_SECONDS: "1" }, ["--console", "--as", "ana", "--channel", "kreuzberg"]);
    // Each step waits for its answer (every expected text appears once in the whole output).
    const step = async (lines: string[], expected: RegExp) => {
      for (const line of lines) bot.type(line);
      await bot.waitForOutput(expected);
    };
    try {
      await bot.waitForOutput(/Type \/help to start/);
      await step(["/register Tenants of Kreuzberg language=de"], /Die Gruppe „Tenants of Kreuzberg“ ist für .* registriert/);
      for (const person of ["ben", "carla", "dora"]) await step([`:as ${person}`, "/join"], new RegExp(`${person} ist „Tenants of Kreuzberg“ beigetreten`));
      await step([":as fiona staff", "/whoami"], /You are fiona/);
      await step([":as ana staff", "/grant fiona facilitator"], /fiona is now a facilitator/);
      await step([":as fiona staff", "/facilitator languages de capacity=1"], /Leads rooms in: German/);
      await step([":as ana staff", "/breakouts generate 1 size=4"], /Breakout proposal for session 1, “Power and the organizing approach”\n1 room for 4 people/);
      expect(bot.output()).toMatch(/Room 1 · German — facilitator: fiona — 4 people/);
      await step(["/breakouts publish 1"], /Published the rooms of session 1: 1 group gets its rooms in its channel now\./);
      await step([], /\[#kreuzberg\] 🧩 Breakout-Räume für Sitzung 1, „Macht und der Organizing-Ansatz“/);
      expect(bot.output()).toMatch(/• Raum 1 · Deutsch \(Moderation: fiona\): ana, ben, carla, dora/);
      await step([":as ben kreuzberg", "/breakout"], /Dein Breakout-Raum in Sitzung 1, „Macht und der Organizing-Ansatz“\nRaum 1 · Deutsch\nModeration: fiona/);
      await step([":as fiona staff", "/breakout rooms"], /Room 1 · German — 4 people\n• ana \(Tenants of Kreuzberg\)\n• ben/);
      // Sent once: a few more dispatcher rounds add nothing.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(bot.output().match(/\[#kreuzberg\] 🧩/g)).toHaveLength(1);
    } finally {
      expect(await bot.stop()).toBe(0);
    }
  }, 120_000);
});
