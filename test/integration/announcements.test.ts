// Announcements through the whole pipeline and the outbox, on PGlite and PostgreSQL: drafting
// with a preview, audience filters, versions per language, confirming exactly once (double
// confirm, restart, two dispatchers), scheduling in the coordinator's zone, cancelling, mentions
// and the delivery report. Three platforms in one bot, each a RecordingAdapter.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { backends } from "../helpers/database.ts";
import { processDispatcher } from "../helpers/dispatcher.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";
import { RecordingAdapter } from "../helpers/recording-adapter.ts";

const HQ = "hq"; // the coordinators' channel, bound to no group

/** channel -> [platform, registration line] */
const GROUPS: Record<string, [string, string]> = {
  berlin: ["telegram", "/register Berlin Tenants country=Germany language=de"],
  wien: ["telegram", "/register Wiener Mieter country=AT language=de"],
  lyon: ["slack", "/register Locataires de Lyon country=France language=fr"],
  madrid: ["slack", "/register Inquilinas Madrid country=ES language=es"],
  seoul: ["discord", "/register Seoul Workers country=KR language=ko tz=Asia/Seoul"],
  boston: ["discord", "/register Boston Nurses country=US language=en tz=America/New_York"],
};

describe.each(backends)("announcements on %s", (backend) => {
  let bot: TestBot;
  const telegram = new RecordingAdapter("telegram");
  const slack = new RecordingAdapter("slack");
  const discord = new RecordingAdapter("discord");
  const adapters = [telegram, slack, discord];

  beforeAll(async () => {
    bot = await createTestBot(backend, { adapters, coordinators: "console:coordinator,console:zoe,discord:coordinator" });
  });
  beforeEach(async () => {
    await bot.reset();
    for (const adapter of adapters) adapter.reset();
    for (const [channel, [platform, line]] of Object.entries(GROUPS)) {
      await bot.say(`lead-${channel}`, channel, line, { platform });
    }
  });
  afterAll(async () => {
    await bot.close();
  });

  const announce = (line: string, user = "coordinator") => bot.say(user, HQ, `/announce ${line}`);
  const sent = () => adapters.flatMap((adapter) => adapter.sent.map((send) => ({ ...send, platform: adapter.platform })));
  const receivers = () => sent().map((send) => send.channelId).sort();
  const announcementRows = () => bot.db.prisma.delivery.findMany({ where: { kind: "announcement" }, include: { channel: true }, orderBy: { id: "asc" } });

  describe("drafting", () => {
    it("shows a preview with the text and the audience per platform and language, and sends nothing", async () => {
      const reply = await announce("Hello everyone!\nSession 2 is on Tuesday.");
      expect(reply).toContain("📝 Draft announcement #1: nothing has been sent yet");
      expect(reply).toContain("Text for everyone:\nHello everyone!\nSession 2 is on Tuesday.");
      expect(reply).toContain("It goes to 6 channels: discord 2, slack 2, telegram 2.");
      expect(reply).toContain("• German: 2 channels, the text for everyone");
      expect(reply).toContain("• Korean: 1 channel, the text for everyone");
      expect(reply).toContain("It goes out as soon as you confirm it.");
      expect(reply).toMatch(/Confirm with \/announce send/);
      expect(await announcementRows()).toEqual([]);
      await bot.app.dispatcher.drain();
      expect(sent()).toEqual([]);
    });

    it("keeps one draft per coordinator: a new text replaces it, /announce alone shows it again", async () => {
      await announce("First try");
      await announce("Second try");
      await announce("Zoe's own", "zoe");
      expect(await announce("")).toContain("Text for everyone:\nSecond try");
      expect(await bot.db.prisma.announcement.count({ where: { status: "draft" } })).toBe(2);
      expect(await announce("send")).toMatch(/is confirmed/);
      await bot.app.dispatcher.drain();
      expect(new Set(sent().map((send) => send.text.split("\n")[1]))).toEqual(new Set(["Second try"]));
      expect(await bot.db.prisma.announcement.findFirstOrThrow({ where: { defaultText: "Zoe's own" } })).toMatchObject({ status: "draft" });
    });

    it("takes up to 4,000 characters as people count them, and names both lengths when refusing", async () => {
      expect(await announce(`${"x".repeat(3998)}👩🏽‍🌾`)).toContain("📝 Draft announcement #1");
      const refused = await announce("x".repeat(4001));
      expect(refused).toMatch(/^Too long: .* \(4,001 characters; at most 4,000\)\./);
      // In a Korean group's channel the refusal is Korean.
      const korean = await bot.say("coordinator", "seoul", `/announce ${"x".repeat(4001)}`, { platform: "discord" });
      expect(korean).toMatch(/^너무 길어요: .* \(4,001자, 최대 4,000자\)/);
      expect(await bot.db.prisma.announcement.count()).toBe(1);
    });

    it("accepts right-to-left text with its direction marks, and refuses direction overrides", async () => {
      const arabic = "\u200Fاجتماعنا القادم يوم الثلاثاء\u061C: 17:00\u200E";
      const hebrew = "\u200Fהפגישה הבאה ביום שלישי";
      expect(await announce(`${arabic}\n${hebrew}`)).toContain(`Text for everyone:\n${arabic}\n${hebrew}`);
      expect(await announce("Vote \u202Eon Tuesday")).toMatch(/control characters/);
    });

    it("explains how to start when there is no draft", async () => {
      expect(await announce("")).toMatch(/Write an announcement with \/announce <text>/);
      expect(await announce("send")).toMatch(/You have no draft announcement/);
      expect(await announce("languages=de")).toMatch(/You have no draft announcement/);
    });
  });

  describe("audience", () => {
    it.each([
      ["languages=de", ["berlin", "wien"]],
      ["languages=Deutsch,français", ["berlin", "lyon", "wien"]],
      ["countries=DE,at", ["berlin", "wien"]],
      ['countries="Frankreich;Corea del Sur"', ["lyon", "seoul"]],
      ["countries=Korea", ["seoul"]],
      ['countries="USA, Deutschland"', ["berlin", "boston"]],
      ["platforms=slack,discord", ["boston", "lyon", "madrid", "seoul"]],
      ['groups="Berlin Tenants;seoul  workers"', ["berlin", "seoul"]],
      ['groups="Berlin Tenants,Boston Nurses"', ["berlin", "boston"]],
      ["languages=de platforms=telegram countries=AT", ["wien"]],
    ])("%s reaches exactly its channels", async (options, expected) => {
      const reply = await announce(`${options} Hello`);
      expect(reply).toContain(`It goes to ${expected.length} channel`);
      await announce("send");
      expect((await announcementRows()).map((row) => row.channel.platformChannelId).sort()).toEqual(expected);
      await bot.app.dispatcher.drain();
      expect(receivers()).toEqual(expected);
    });

    it("matches a group stored with a country name from before countries were checked", async () => {
      await bot.db.prisma.group.updateMany({ where: { name: "Seoul Workers" }, data: { country: "Korea" } });
      expect(await announce("countries=KR Hello")).toContain("It goes to 1 channel: discord 1.");
      expect(await announce("countries=Südkorea")).toContain("It goes to 1 channel: discord 1.");
    });

    it("changes the audience of the draft with options alone, and all clears a filter", async () => {
      await announce("languages=de Hello");
      const narrowed = await announce("platforms=telegram countries=AT");
      expect(narrowed).toContain("It goes to 1 channel: telegram 1.");
      expect(narrowed).toContain("Only: languages de · countries AT · platforms telegram");
      const widened = await announce("languages=all countries=all platforms=all");
      expect(widened).toContain("It goes to 6 channels");
      expect(widened).not.toContain("Only:");
    });

    it("refuses an unknown language, group, platform or mentions value, and writes no draft", async () => {
      expect(await announce("languages=de,klingon Hello")).toMatch(/I don't know the language “klingon”/);
      expect(await announce('groups="Berlin Tenant" Hello')).toMatch(/No group is called “Berlin Tenant”. Did you mean Berlin Tenants\?/);
      expect(await announce('groups="Nobody Here" Hello')).toMatch(/No group is called “Nobody Here”. Separate several groups with ;/);
      expect(await announce("platforms=tele-gram Hello")).toMatch(/“tele-gram” is not a platform name/);
      expect(await announce("mentions=maybe Hello")).toMatch(/must be one of everyone, none/);
      expect(await announce("countries=Frankreih Hello")).toMatch(/I don't know the country “Frankreih”\. Did you mean France \(FR\)\?/);
      expect(await bot.db.prisma.announcement.count()).toBe(0);
    });

    it("warns about a filter that matches no group, and won't confirm an audience of nobody", async () => {
      const reply = await announce("countries=JP Hello");
      expect(reply).toContain("No group channel matches this audience, so it would reach nobody.");
      expect(reply).toContain("Note: no group matches countries=JP.");
      expect(await announce("send")).toMatch(/there is nobody to send it to/);
      expect(await announcementRows()).toEqual([]);
      await announce("countries=all");
      expect(await announce("send")).toMatch(/going out now to 6 channels/);
    });

    it("leaves out channels the bot can no longer post in, and groups that withdrew", async () => {
      await bot.db.prisma.channel.updateMany({ where: { platformChannelId: "wien" }, data: { unreachableAt: new Date(), unreachableReason: "kicked" } });
      await bot.db.prisma.group.updateMany({ where: { name: "Boston Nurses" }, data: { status: "withdrawn" } });
      expect(await announce("Hello")).toContain("It goes to 4 channels: slack 2, discord 1, telegram 1.");
    });
  });

  describe("versions per language", () => {
    it("sends each group the version in its language, else the default, headed in its language", async () => {
      await announce("Hello everyone");
      await announce("lang=de Hallo");
      await announce("lang=es Hola a todas");
      const preview = await announce("lang=de Hallo zusammen");
      expect(preview).toContain("Text for everyone:\nHello everyone\nGerman version:\nHallo zusammen\nSpanish version:\nHola a todas");
      expect(preview).toContain("• German: 2 channels, in their language");
      expect(preview).toContain("• French: 1 channel, the text for everyone");
      await announce("send");
      await bot.app.dispatcher.drain();
      const text = (channel: string) => sent().find((send) => send.channelId === channel)?.text;
      expect(text("berlin")).toBe("📣 Ankündigung von Test Program\nHallo zusammen");
      expect(text("wien")).toBe("📣 Ankündigung von Test Program\nHallo zusammen");
      expect(text("madrid")).toBe("📣 Anuncio de Test Program\nHola a todas");
      expect(text("lyon")).toBe("📣 Annonce de Test Program\nHello everyone");
      expect(text("seoul")).toBe("📣 Test Program 공지\nHello everyone");
      expect(text("boston")).toBe("📣 Announcement from Test Program\nHello everyone");
    });

    it("makes lang= of a new draft its default language, which a later lang= for it replaces", async () => {
      expect(await announce("lang=es Hola")).toContain("Text for everyone (Spanish):\nHola");
      const replaced = await announce("lang=es Hola a todos");
      expect(replaced).toContain("Text for everyone (Spanish):\nHola a todos");
      expect(replaced).not.toContain("Spanish version:");
      expect(await announce("lang=de")).toMatch(/lang= goes with the text in that language/);
    });

    it("renders at send time: a group that changes its language before it goes out reads its new language", async () => {
      await announce('at="2030-05-02 12:00" Hello');
      await announce("lang=es Hola");
      await announce("send");
      await bot.say("lead-lyon", "lyon", "/language es", { platform: "slack" });
      bot.clock.set("2030-05-02T10:00:00Z");
      await bot.app.dispatcher.drain();
      expect(slack.to("lyon")[0]!.text).toBe("📣 Anuncio de Test Program\nHola");
    });
  });

  describe("confirming exactly once", () => {
    it("queues one delivery per channel, and a double confirm changes nothing more", async () => {
      await announce("Hello");
      const replies = await Promise.all([announce("send"), announce("send")]);
      expect(replies.filter((reply) => /is confirmed/.test(reply))).toHaveLength(1);
      expect(replies.filter((reply) => /has just been confirmed|no draft/.test(reply))).toHaveLength(1);
      const rows = await announcementRows();
      expect(rows.map((row) => row.dedupeKey).sort()).toEqual(rows.map((row) => `announcement:1:${row.channelId}`).sort());
      expect(rows).toHaveLength(6);
      // Enqueueing the same rows again (a retried confirmation) adds nothing.
      const again = rows.map((row) => ({ kind: row.kind, dedupeKey: row.dedupeKey, channelId: row.channelId, payload: { announcementId: 1 }, notBefore: row.notBefore }));
      expect(await bot.app.outbox.enqueue(again)).toBe(0);
      await bot.app.dispatcher.drain();
      await bot.app.dispatcher.drain();
      expect(receivers()).toEqual(Object.keys(GROUPS).sort());
      expect(await bot.db.prisma.auditEntry.count({ where: { action: "announcement.confirmed" } })).toBe(1);
    });

    it("sends nothing twice across a restart: what a dead process sent stays sent, what it held is taken over", async () => {
      await announce("Hello");
      await announce("send");
      // A process claims four rows, sends two of them, and dies.
      const outbox = bot.app.outbox;
      const claimed = await outbox.claim({ platform: "telegram", owner: "dead", limit: 10, ttlMs: 30_000 });
      const claimedSlack = await outbox.claim({ platform: "slack", owner: "dead", limit: 10, ttlMs: 30_000 });
      expect(claimed.length + claimedSlack.length).toBe(4);
      for (const row of [claimed[0]!, claimedSlack[0]!]) await outbox.markSent(row, "dead", "m-before-crash", false);
      // The restarted bot sends what was never claimed; the dead process's claims wait for their expiry.
      expect((await bot.app.dispatcher.drain()).sent).toBe(2);
      bot.clock.advance(31_000);
      expect((await bot.app.dispatcher.drain()).sent).toBe(2);
      const sentBefore = [claimed[0]!.platformChannelId, claimedSlack[0]!.platformChannelId];
      expect([...receivers(), ...sentBefore].sort()).toEqual(Object.keys(GROUPS).sort());
      expect((await announcementRows()).every((row) => row.status === "sent")).toBe(true);
    });

    it("goes out at once: confirming wakes an idle dispatcher rather than waiting for its next look", async () => {
      const dispatcher = processDispatcher(bot, bot.db, adapters, { idlePollMs: 600_000 });
      const unsubscribe = bot.app.outbox.onDue(() => dispatcher.kick());
      dispatcher.start();
      try {
        await announce("Hello");
        await announce("send");
        await vi.waitFor(() => expect(receivers()).toEqual(Object.keys(GROUPS).sort()), { timeout: 15_000, interval: 50 });
      } finally {
        unsubscribe();
        await dispatcher.stop();
      }
    });
  });

  describe("scheduling", () => {
    it("sends at the time given in the coordinator's zone, not before", async () => {
      const preview = await announce('at="2030-05-03 09:00" Hello');
      expect(preview).toContain("It goes out Friday, May 3, 2030 at 09:00 AM GMT+2.");
      expect(await announce("send")).toContain("it goes out Friday, May 3, 2030 at 09:00 AM GMT+2 to 6 channels. Until then, /announce cancel stops it.");
      expect((await announcementRows()).every((row) => row.notBefore.toISOString() === "2030-05-03T07:00:00.000Z")).toBe(true);
      bot.clock.set("2030-05-03T06:59:59Z");
      expect((await bot.app.dispatcher.drain()).sent).toBe(0);
      bot.clock.set("2030-05-03T07:00:00Z");
      expect((await bot.app.dispatcher.drain()).sent).toBe(6);
    });

    it("reads options written after the text: scheduled for that time, the text without at=", async () => {
      const preview = await announce('Another scheduled. at="2030-05-03 09:00" languages=de');
      expect(preview).toContain("It goes out Friday, May 3, 2030 at 09:00 AM GMT+2.");
      expect(preview).toContain("Text for everyone:\nAnother scheduled.\n");
      expect(await announce("send")).toContain("it goes out Friday, May 3, 2030 at 09:00 AM GMT+2 to 2 channels.");
      const rows = await announcementRows();
      expect(rows.map((row) => row.channel.platformChannelId).sort()).toEqual(["berlin", "wien"]);
      expect(rows.every((row) => row.notBefore.toISOString() === "2030-05-03T07:00:00.000Z")).toBe(true);
      expect((await bot.app.dispatcher.drain()).sent).toBe(0);
      bot.clock.set("2030-05-03T07:00:00Z");
      expect((await bot.app.dispatcher.drain()).sent).toBe(2);
      expect(sent().every((send) => send.text.includes("Another scheduled.") && !send.text.includes("at="))).toBe(true);
    });

    it("keeps a quoted name=value in the text", async () => {
      expect(await announce('Doors open "at=noon" sharp')).toContain("Text for everyone:\nDoors open at=noon sharp");
    });

    it("reads the time in the zone of the channel the coordinator writes in", async () => {
      // In Seoul's group channel the coordinator's zone is Asia/Seoul: 09:00 there is 00:00 UTC.
      const inSeoul = { platform: "discord" };
      await bot.say("coordinator", "seoul", '/announce at="2030-05-03 09:00" Hello', inSeoul);
      await bot.say("coordinator", "seoul", "/announce send", inSeoul);
      expect((await announcementRows())[0]!.notBefore.toISOString()).toBe("2030-05-03T00:00:00.000Z");
    });

    it("refuses a time that has passed, one the clocks skip, or one it can't read", async () => {
      expect(await announce('at="2030-04-30 09:00" Hello')).toMatch(/has already passed/);
      expect(await announce('at="2031-03-30 02:30" Hello')).toMatch(/2031-03-30 02:30 does not exist in Europe\/Berlin/);
      expect(await announce("at=2030-05-03 09:00 Hello")).toMatch(/I can't read “2030-05-03” as a date and time. Write it like at="2030-05-26 18:00"/);
      expect(await bot.db.prisma.announcement.count()).toBe(0);
    });

    it("asks for a new time when the one set passes before confirming; at=now sends it at once", async () => {
      await announce('at="2030-05-01 12:30" Hello');
      bot.clock.set("2030-05-01T10:31:00Z");
      expect(await announce("send")).toMatch(/The time you set, .* has passed/);
      expect(await announcementRows()).toEqual([]);
      expect(await announce("at=now")).toContain("It goes out as soon as you confirm it.");
      await announce("send");
      expect((await bot.app.dispatcher.drain()).sent).toBe(6);
    });
  });

  describe("cancelling", () => {
    it("discards a draft", async () => {
      await announce("Hello");
      expect(await announce("cancel")).toBe("Your draft announcement #1 is discarded.");
      expect(await announce("send")).toMatch(/no draft/);
      expect(await announce("cancel")).toMatch(/There is nothing to cancel/);
    });

    it("cancels a scheduled announcement: what was waiting is cancelled and nothing goes out", async () => {
      await announce('at="2030-05-03 09:00" Hello');
      await announce("send");
      expect(await announce("cancel")).toBe("Announcement #1 is cancelled: 6 messages that were waiting won't go out.");
      expect((await announcementRows()).map((row) => row.status)).toEqual(Array(6).fill("cancelled"));
      bot.clock.set("2030-05-03T08:00:00Z");
      await bot.app.dispatcher.drain();
      expect(sent()).toEqual([]);
      expect(await announce("status")).toContain("cancelled 6");
      expect(await announce("cancel 1")).toMatch(/already cancelled/);
    });

    it("cancels a delivery another process had claimed but not begun to send, which then can't send it", async () => {
      await announce("Hello");
      await announce("send");
      const outbox = bot.app.outbox;
      const [held] = await outbox.claim({ platform: "discord", owner: "other", limit: 1, ttlMs: 30_000 });
      expect(await announce("cancel")).toBe("Announcement #1 is cancelled: 6 messages that were waiting won't go out.");
      expect(await outbox.renewClaim(held!, "other", 30_000)).toBe(false); // what a dispatcher asks right before it sends
      bot.clock.advance(31_000);
      await bot.app.dispatcher.drain();
      expect(sent()).toEqual([]);
      const row = (await announcementRows()).find((candidate) => candidate.id === held!.id)!;
      expect(row).toMatchObject({ status: "cancelled", lastError: "announcement cancelled" });
      expect(await announce("status")).toContain("sent 0 · waiting 0 · failed 0 · skipped 0 · cancelled 6");
    });

    it("says so when everything has already gone out, and tells partly sent from waiting", async () => {
      await announce("Hello");
      await announce("send");
      await bot.app.dispatcher.drain();
      expect(await announce("cancel 1")).toMatch(/has already gone out everywhere/);
      await announce("Second");
      await announce("send");
      slack.failNext("rate_limited", { retryAfterMs: 1_500, times: 2 });
      await bot.app.dispatcher.drain();
      expect(await announce("cancel")).toBe("Announcement #2 is cancelled: 2 messages that were waiting won't go out.\n4 channels had already received it.");
    });

    it("keeps another coordinator's draft theirs, and refuses numbers that don't exist", async () => {
      await announce("Zoe's", "zoe");
      expect(await announce("cancel 1")).toMatch(/#1 is another coordinator's draft/);
      expect(await announce("cancel 42")).toMatch(/There is no announcement #42/);
      expect(await announce("status 42")).toMatch(/There is no announcement #42/);
    });
  });

  describe("mentions", () => {
    it("never lets @everyone notify unless the coordinator asks with mentions=everyone", async () => {
      const quiet = await announce("@everyone vote today");
      expect(quiet).toContain("Mentions like @everyone and @here won't notify anyone. Add mentions=everyone if they should.");
      await announce("send");
      await bot.app.dispatcher.drain();
      expect(sent().every((send) => !send.message.allowMassMentions)).toBe(true);

      for (const adapter of adapters) adapter.reset();
      const loud = await announce("mentions=everyone @everyone vote today");
      expect(loud).toContain("@everyone, @here and role mentions will notify people.");
      await announce("send");
      await bot.app.dispatcher.drain();
      expect(sent()).toHaveLength(6);
      expect(sent().every((send) => send.message.allowMassMentions === true)).toBe(true);
    });
  });

  describe("status", () => {
    it("reports sent, waiting, failed with reasons, per platform, as it progresses", async () => {
      expect(await announce("status")).toMatch(/No announcement has been confirmed yet/);
      await announce("Hello everyone, session 2 moves online");
      await announce("send");
      const queued = await announce("status");
      expect(queued).toContain("📣 Announcement #1: going out\n“Hello everyone, session 2 moves online”\nConfirmed by coordinator");
      expect(queued).toContain("0%: 0 of 6 channels done\nsent 0 · waiting 6 · failed 0 · skipped 0 · cancelled 0");

      telegram.failNext("permanent", { channelId: "wien" });
      // A second or more puts the row back (a shorter one is waited out in place); the
      // dispatcher's pacing then waits it out in real time.
      slack.failNext("rate_limited", { channelId: "lyon", retryAfterMs: 1_000 });
      await bot.app.dispatcher.drain();
      const partly = await announce("status");
      expect(partly).toContain("83%: 5 of 6 channels done\nsent 4 · waiting 1 · failed 1 · skipped 0 · cancelled 0");
      expect(partly).toContain("• discord: sent 2\n• slack: sent 1 · waiting 1\n• telegram: sent 1 · failed 1");
      expect(partly).toContain("Why some failed:\n• 1 × 403 Forbidden: bot was kicked");

      bot.clock.advance(1_000);
      await bot.app.dispatcher.drain();
      const done = await announce("status 1");
      expect(done).toContain("📣 Announcement #1: done");
      expect(done).toContain("████████████████████ 100%: 6 of 6 channels done");
    });

    it("shows a scheduled announcement as scheduled, in the reader's language and zone", async () => {
      await announce('at="2030-05-03 09:00" Hello');
      await announce("send");
      const status = await bot.say("coordinator", "seoul", "/announce status", { platform: "discord", userLocale: "de" });
      expect(status).toContain("📣 Ankündigung #1: geplant für Freitag, 3. Mai 2030 um 16:00 GMT+9");
      expect(status).toContain("gesendet 0 · wartend 6");
    });
  });
});

describe.runIf(backends.includes("postgres"))("two dispatchers racing over one announcement on PostgreSQL", () => {
  it("send it to every channel exactly once", async () => {
    const platforms = ["telegram", "slack", "discord"];
    const first = platforms.map((platform) => new RecordingAdapter(platform));
    const bot = await createTestBot("postgres", { adapters: first });
    try {
      for (let index = 0; index < 90; index++) {
        await bot.say(`lead${index}`, `channel${index}`, `/register Group ${index}`, { platform: platforms[index % 3]! });
      }
      await bot.say("coordinator", HQ, "/announce Everyone: the strike vote is on Thursday");
      expect(await bot.say("coordinator", HQ, "/announce send")).toMatch(/going out now to 90 channels/);
      // Two processes, each with its own connection pool, outbox and dispatcher (same clock),
      // claiming in small batches so that they really take turns.
      const other = await bot.db.reopen();
      const second = platforms.map((platform) => new RecordingAdapter(platform));
      const [one, two] = await Promise.all([
        processDispatcher(bot, bot.db, first, { maxInFlight: 7 }).drain(),
        processDispatcher(bot, other, second, { maxInFlight: 7 }).drain(),
      ]);
      const keys = [...first, ...second].flatMap((adapter) => adapter.sent.map((send) => send.idempotencyKey));
      expect(keys).toHaveLength(90);
      expect(new Set(keys).size).toBe(90);
      expect(one.sent + two.sent).toBe(90);
      expect(Math.min(one.sent, two.sent)).toBeGreaterThan(0); // they did take turns
      const statuses = await bot.db.prisma.delivery.groupBy({ by: ["status"], where: { kind: "announcement" }, _count: true });
      expect(Object.fromEntries(statuses.map((row) => [row.status, row._count]))).toEqual({ sent: 90 });
    } finally {
      await bot.close();
    }
  }, 60_000);
});

/** A RecordingAdapter whose sends hang, in flight, until release(): a platform slow to answer. */
class HeldAdapter extends RecordingAdapter {
  inFlight = 0;
  private open!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));
  override async send(...args: Parameters<RecordingAdapter["send"]>) {
    this.inFlight++;
    await this.gate;
    return super.send(...args);
  }
  release(): void {
    this.open();
  }
}

describe.each(backends)("cancelling an announcement while it is being sent, on %s", (backend) => {
  it("stops exactly what had not been handed to a platform, says so, and the status agrees with what the platforms received", async () => {
    // Discord sends at once; Slack's two sends hang in flight; Telegram admits one message a
    // second, so its second row waits, claimed, for its turn; WhatsApp has no adapter here, so
    // its row stays queued.
    const discord = new RecordingAdapter("discord");
    const slack = new HeldAdapter("slack");
    const telegram = new RecordingAdapter("telegram", { global: { messages: 1, perMs: 1_000 } });
    // Time stands still (manual timers): Telegram's second message waits for a second that never comes.
    const bot = await createTestBot(backend, { adapters: [discord, slack, telegram], coordinators: "console:coordinator", timers: "manual" });
    try {
      for (const [channel, [platform, line]] of Object.entries(GROUPS)) await bot.say(`lead-${channel}`, channel, line, { platform });
      await bot.say("lead-lagos", "lagos", "/register Lagos Drivers", { platform: "whatsapp" });
      await bot.say("coordinator", HQ, "/announce Strike vote on Thursday");
      expect(await bot.say("coordinator", HQ, "/announce send")).toMatch(/to 7 channels/);

      const draining = bot.app.dispatcher.drain();
      await expect.poll(() => [discord.sent.length, telegram.sent.length, slack.inFlight]).toEqual([2, 1, 2]);
      const states = await bot.db.prisma.delivery.groupBy({ by: ["status"], where: { kind: "announcement" }, _count: true });
      expect(Object.fromEntries(states.map((row) => [row.status, row._count]))).toEqual({ sent: 3, sending: 2, claimed: 1, pending: 1 });

      expect(await bot.say("coordinator", HQ, "/announce cancel")).toBe(
        [
          "Announcement #1 is cancelled: 2 messages that were waiting won't go out.",
          "3 channels had already received it.",
          "2 channels were getting it at that moment: it will arrive there.",
        ].join("\n"),
      );
      slack.release();
      bot.clock.advance(2_000); // Telegram's turn comes: its cancelled row must not go out
      await draining;
      await bot.app.dispatcher.drain();

      const received = [discord, slack, telegram].reduce((total, adapter) => total + adapter.sent.length, 0);
      expect([discord.sent.length, slack.sent.length, telegram.sent.length]).toEqual([2, 2, 1]);
      expect(await bot.say("coordinator", HQ, "/announce status")).toContain(`sent ${received} · waiting 0 · failed 0 · skipped 0 · cancelled 2`);
    } finally {
      await bot.close();
    }
  }, 60_000);
});
