// The CLI's announcement report: the list, one report with a bar per platform, and --watch,
// which redraws in a terminal (or prints a line per change in a pipe) until it is done.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { reportLines, summaryLine, watchReport } from "../../src/announcements/cli-report.ts";
import { AnnouncementReports } from "../../src/announcements/reports.ts";
import { backends } from "../helpers/database.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";
import { RecordingAdapter } from "../helpers/recording-adapter.ts";

describe.each(backends)("announcements in the CLI on %s", (backend) => {
  let bot: TestBot;
  let reports: AnnouncementReports;
  const telegram = new RecordingAdapter("telegram");
  const slack = new RecordingAdapter("slack");

  beforeAll(async () => {
    bot = await createTestBot(backend, { adapters: [telegram, slack] });
    reports = new AnnouncementReports(bot.db.prisma, bot.clock);
  });
  beforeEach(async () => {
    await bot.reset();
    telegram.reset();
    slack.reset();
    for (const [channel, platform] of [["berlin", "telegram"], ["wien", "telegram"], ["lyon", "slack"], ["madrid", "slack"]] as const) {
      await bot.say(`lead-${channel}`, channel, `/register Group ${channel}`, { platform });
    }
    await bot.say("coordinator", "hq", "/announce Strike vote on Thursday: bring your whole group");
    await bot.say("coordinator", "hq", "/announce send");
  });
  afterAll(async () => {
    await bot.close();
  });

  const latest = async () => reports.report((await reports.latest())!);

  it("lists announcements with their state and counts, drafts too", async () => {
    await bot.say("coordinator", "hq", "/announce Not sent yet");
    const lines = (await reports.list()).map(summaryLine);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^#2 +draft +— +coordinator +no deliveries +“Not sent yet”$/);
    expect(lines[1]).toMatch(/^#1 +sending +2030-05-01 12:00 +coordinator +4 channels: waiting 4 +“Strike vote on Thursday: bring your whole group”$/);
  });

  it("reports progress overall and per platform, with the reasons of failures", async () => {
    telegram.failNext("permanent", { channelId: "wien" });
    await bot.app.dispatcher.drain();
    expect(reportLines(await latest())).toEqual([
      "Announcement #1 · Test Program · by coordinator · done",
      "  “Strike vote on Thursday: bring your whole group”",
      "  confirmed 2030-05-01 12:00 (Europe/Berlin)",
      `  ${"█".repeat(30)} 100%  4/4 channels done`,
      "  sent 3 · waiting 0 · failed 1 · skipped 0 · cancelled 0",
      `  slack     ${"█".repeat(30)} 100%  sent 2`,
      `  telegram  ${"█".repeat(30)} 100%  sent 1 · failed 1`,
      "  failed: 1 × 403 Forbidden: bot was kicked",
    ]);
  });

  /** Each wait lets the platforms send a little more: Slack is rate limited once, for a second (the row goes back). */
  function progressing() {
    slack.failNext("rate_limited", { channelId: "madrid", retryAfterMs: 1_000 });
    let waits = 0;
    return {
      async wait() {
        waits++;
        if (waits === 1) await bot.app.dispatcher.drain();
        else {
          bot.clock.advance(1_000);
          await bot.app.dispatcher.drain();
        }
      },
      waits: () => waits,
    };
  }

  it("--watch in a pipe prints the report, a line whenever progress changes, and the final report", async () => {
    const output: string[] = [];
    const steps = progressing();
    const final = await watchReport({ load: latest, write: (text) => output.push(text), interactive: false, wait: steps.wait });
    expect(final.state).toBe("done");
    expect(steps.waits()).toBe(2);
    const text = output.join("");
    expect(text).not.toContain("\x1b[");
    expect(output[0]).toMatch(/· sending\n[\s\S]*  0%  0\/4 channels done/);
    expect(output[1]).toMatch(/^ +█+░+ +75%  3\/4 channels done\n$/);
    expect(output[2]).toMatch(/· done\n[\s\S]*100%  4\/4 channels done/);
    expect(output).toHaveLength(3);
  });

  it("--watch in a terminal redraws the report in place until it is done", async () => {
    const output: string[] = [];
    const steps = progressing();
    await watchReport({ load: latest, write: (text) => output.push(text), interactive: true, wait: steps.wait });
    expect(output).toHaveLength(3);
    expect(output[0]).not.toContain("\x1b[");
    const firstHeight = output[0]!.split("\n").length - 1;
    // Each later frame first moves up over the previous one and clears it.
    expect(output[1]!.startsWith(`\x1b[${firstHeight}F\x1b[J`)).toBe(true);
    expect(output[2]).toMatch(/^\x1b\[\d+F\x1b\[JAnnouncement #1 · Test Program · by coordinator · done\n/);
  });

  it("stops at once for a cancelled announcement", async () => {
    await bot.say("coordinator", "hq", "/announce cancel");
    const output: string[] = [];
    const final = await watchReport({ load: latest, write: (text) => output.push(text), interactive: false, wait: () => Promise.reject(new Error("should not wait")) });
    expect(final.state).toBe("cancelled");
    expect(output.join("")).toContain("cancelled 4");
  });
});
