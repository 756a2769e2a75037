// The real program in a console: two groups register, a coordinator drafts an announcement with
// a German version, sees the preview, confirms it, and each group's channel prints its version
// once. Then, with the bot stopped, the CLI reports how it went.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess } from "../helpers/bot-process.ts";
import { seedDataDir } from "../helpers/data-dir.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PROGRAM = "Organizing for Power – Workers Rising Everywhere";

describe("an announcement in the console", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "bot-announce-"));
  beforeAll(() => seedDataDir(dataDir));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("is previewed, confirmed, sent once to each group in its language, and reported by the CLI", async () => {
    const bot = startBotProcess({ DATA_DIR: dataDir, COORDINATORS: "console:ana", TICK_SECONDS: "1" }, ["--console", "--as", "ben", "--channel", "berlin"]);
    try {
      await bot.waitForOutput(/Type \/help to start/);
      bot.type("/register Berliner Mieter language=de");
      await bot.waitForOutput(/Die Gruppe „Berliner Mieter“ ist für .* registriert/); // in the group's language
      bot.type(":as lea lyon");
      bot.type("/register Locataires de Lyon language=fr");
      await bot.waitForOutput(/Le groupe «\sLocataires de Lyon\s» est inscrit/);

      bot.type(":as ana hq");
      bot.type("/announce Hello everyone! @everyone, the vote is on Thursday.");
      await bot.waitForOutput(/Draft announcement #1: nothing has been sent yet[\s\S]*It goes to 2 channels: console 2\.[\s\S]*won't notify anyone/);
      bot.type("/announce lang=de Hallo zusammen! Die Abstimmung ist am Donnerstag.");
      await bot.waitForOutput(/German version:\nHallo zusammen!/);
      expect(bot.output()).not.toMatch(/\[#(berlin|lyon)\]/); // nothing sent before confirming
      bot.type("/announce send");
      await bot.waitForOutput(/Announcement #1 is confirmed and is going out now to 2 channels/);

      await bot.waitForOutput(new RegExp(`\\[#berlin\\] 📣 Ankündigung von ${PROGRAM}\\nHallo zusammen! Die Abstimmung ist am Donnerstag\\.`));
      await bot.waitForOutput(new RegExp(`\\[#lyon\\] 📣 Annonce de ${PROGRAM}\\nHello everyone! @everyone, the vote is on Thursday\\.`));
      bot.type("/announce status");
      await bot.waitForOutput(/📣 Announcement #1: done[\s\S]*100%: 2 of 2 channels done\nsent 2 · waiting 0/);
      bot.type("/announce send");
      await bot.waitForOutput(/You have no draft announcement/);
      // A few more ticks: still once each.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(bot.output().match(/\[#berlin\] 📣/g)).toHaveLength(1);
      expect(bot.output().match(/\[#lyon\] 📣/g)).toHaveLength(1);
    } finally {
      expect(await bot.stop()).toBe(0);
    }

    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", DATA_DIR: dataDir },
        encoding: "utf8",
      });
    const list = cli("announcements");
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^#1 +done .* ana +2 channels: sent 2  “Hello everyone! @everyone, the vote is on Thursda…”$/m);
    const watched = cli("announcement", "status", "--watch");
    expect(watched.status).toBe(0);
    expect(watched.stdout).toMatch(/Announcement #1 · .* · by ana · done\n[\s\S]*100%  2\/2 channels done\n  sent 2 · waiting 0 · failed 0/);
    const missing = cli("announcement", "status", "7");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe("There is no announcement #7.\n");
  }, 150_000);
});
