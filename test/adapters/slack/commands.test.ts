// Slash commands and mentions end to end: Slack's signed requests into the real Bolt receiver on
// the bot's HTTP server, through the core, and the replies as Slack would show them.
import { DateTime } from "luxon";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { defineCommand } from "../../../src/core/command.ts";
import { message } from "../../../src/core/messages.ts";
import { commands as allCommands } from "../../../commands/index.ts";
import { sendEvent, sendSlashCommand, appMentionEvent, type FakeSlackUser } from "../../fakes/slack/index.ts";
import { ADA, BEA, CHLOE, COMMAND, COORDINATOR, startSlackHarness, visible, type SlackHarness } from "./harness.ts";

/** Test-only commands that reply with a file, publicly and privately (like a CSV export). */
const exportCommands = [
  defineCommand({
    name: "export",
    role: "anyone",
    args: {},
    run: async () => message().text("Here is the list.").attach({ fileName: "groups.csv", contentType: "text/csv", data: new TextEncoder().encode("name\nTenants\n") }).build(),
  }),
  defineCommand({
    name: "myexport",
    role: "anyone",
    args: {},
    privateReply: true,
    run: async () => message().text("Only for you.").attach({ fileName: "mine.csv", contentType: "text/csv", data: new TextEncoder().encode("secret\n") }).build(),
  }),
];

describe("Slack commands", () => {
  let slack: SlackHarness;
  beforeAll(async () => {
    slack = await startSlackHarness({ commands: [...allCommands, ...exportCommands] });
  });
  beforeEach(async () => {
    await slack.reset();
  });
  afterAll(async () => {
    await slack?.close();
  });

  const groups = () => slack.db.prisma.group.findMany({ include: { channels: true, members: true } });

  it("registers a group with /o4p register, shown to the channel, and tells how to join in Slack's terms", async () => {
    const [reply] = await slack.slash("register Tenants of Kreuzberg country=DE tz=Berlin");
    expect(reply!.visibility).toBe("in_channel");
    const text = visible(reply!);
    expect(text).toContain("Welcome! Group “Tenants of Kreuzberg” is registered for Test Program, and you are its lead.");
    expect(text).toContain("send /o4p join in this channel");
    const [group] = await groups();
    expect(group).toMatchObject({ name: "Tenants of Kreuzberg", country: "DE", timezone: "Europe/Berlin" });
    expect(group!.channels).toMatchObject([{ platform: "slack", platformChannelId: "C0BERLIN1", purpose: "group" }]);
    expect(group!.members).toMatchObject([{ platform: "slack", platformUserId: ADA.id, displayName: "Ada", isLead: true }]);
  });

  it("lets others /o4p join, answering each in their own Slack language", async () => {
    await slack.slash("register Tenants of Kreuzberg language=de");
    const [joined] = await slack.slash("join", { user: BEA });
    expect(visible(joined!)).toBe("Beatriz Souza entrou em “Tenants of Kreuzberg”. Boas-vindas!");
    const [again] = await slack.slash("join", { user: CHLOE });
    expect(visible(again!)).toMatch(/Chloé Martin a rejoint/);
    const [group] = await groups();
    expect(group!.members.map((member) => member.platformUserId).sort()).toEqual([ADA.id, BEA.id, CHLOE.id].sort());
    // users.info once per person, however many commands they send.
    await slack.slash("whoami", { user: BEA });
    expect(slack.fake.requests.filter((request) => request.method === "users.info" && request.args.user === BEA.id)).toHaveLength(1);
  });

  it("shows /o4p schedule in the group's zone, in the reader's language", async () => {
    await slack.slash("register Tokyo Tenants language=de tz=Asia/Tokyo", { user: COORDINATOR });
    const [forCoordinator] = await slack.slash("schedule", { user: COORDINATOR });
    expect(visible(forCoordinator!)).toContain("Test Program — times in Asia/Tokyo");
    // 17:00 in Berlin is midnight, the next day, in Tokyo.
    expect(visible(forCoordinator!)).toMatch(/• \*1\. First\* — Wednesday, May 15, 12:00\sAM–2:00\sAM/);
    expect(visible(forCoordinator!)).toMatch(/• \*2\. Second\* — Wednesday, May 22/);
    const [forChloe] = await slack.slash("schedule", { user: CHLOE });
    expect(visible(forChloe!)).toMatch(/• \*1\. First\* — mercredi 15 mai, 00:00–02:00/);
  });

  it("answers /o4p help and mistakes privately (ephemeral), naming commands as /o4p …", async () => {
    const [help] = await slack.slash("help");
    expect(help!.visibility).toBe("ephemeral");
    expect(visible(help!)).toContain("• `/o4p register` — Register your group in this channel");
    const [mistake] = await slack.slash("join");
    expect(mistake!.visibility).toBe("ephemeral");
    expect(visible(mistake!)).toContain("Register one with /o4p register <group name>.");
    const [typo] = await slack.slash("regster Tenants");
    expect(visible(typo!)).toMatch(/\/o4p register/);
    const [empty] = await slack.slash("");
    expect(visible(empty!)).toContain("Commands you can use here:");
  });

  it("keeps a group name's markup, markers and @everyone as plain text", async () => {
    // Slack escapes what the user typed before sending it.
    const [reply] = await slack.slash("register &lt;b&gt;Local 12&lt;/b&gt; *Strike* _Now_ @everyone");
    const text = reply!.blocks!.map((block) => (block as { text: { text: string } }).text.text).join("\n");
    expect(text).toContain("&lt;b&gt;Local 12&lt;/b&gt;");
    expect(text).not.toContain("<!everyone>");
    expect(visible(reply!)).toContain("“<b>Local 12</b> *Strike* _Now_ @everyone”");
    const [group] = await groups();
    expect(group!.name).toBe("<b>Local 12</b> *Strike* _Now_ @everyone");
  });

  it("finds the person a coordinator names with a Slack mention (/o4p grant @bea facilitator)", async () => {
    await slack.slash("whoami", { user: BEA });
    const [granted] = await slack.slash(`grant <@${BEA.id}|bea> facilitator`, { user: COORDINATOR });
    expect(visible(granted!)).toMatch(/Beatriz Souza/);
    const bea = await slack.db.prisma.member.findFirstOrThrow({ where: { platformUserId: BEA.id } });
    expect(bea.role).toBe("facilitator");
  });

  it("refuses to register a group in a direct message", async () => {
    const [reply] = await slack.slash("register Lonely Group", { channel: slack.fake.dmChannelId(ADA.id) });
    expect(reply!.visibility).toBe("ephemeral");
    expect(await groups()).toEqual([]);
  });

  it("fits a long schedule into Block Kit sections Slack accepts, every session in order", async () => {
    const first = DateTime.fromISO("2030-06-01T17:00");
    const sessions = Array.from({ length: 90 }, (_, index) => `  - { title: "Session number ${index + 1} with a long title", start: "${first.plus({ days: index }).toFormat("yyyy-MM-dd HH:mm")}", duration: 2h }`);
    await slack.app.services.programs.import(
      (await import("../../../src/programs/program-file.ts")).parseProgramText(
        `slug: long\ntitle: Long Program\ntimezone: Europe/Berlin\nregistrationDeadline: "2030-05-30 23:59"\nreminders: [1h]\nsessions:\n${sessions.join("\n")}\n`,
      ),
      { activate: true },
    );
    const replies = await slack.slash("schedule");
    const blocks = replies.flatMap((reply) => reply.blocks as { text: { text: string } }[]);
    for (const block of blocks) expect([...block.text.text].length).toBeLessThanOrEqual(3000);
    const titles = replies.flatMap((reply) => [...visible(reply).matchAll(/Session number (\d+)/g)].map((match) => Number(match[1])));
    expect(titles.sort((a, b) => a - b)).toEqual(Array.from({ length: 90 }, (_, index) => index + 1));
  });

  it("uploads a file reply to the channel, and a private one to the caller's direct messages", async () => {
    const [shown] = await slack.slash("export");
    expect(visible(shown!)).toBe("Here is the list.");
    const shared = await slack.fake.waitFor((fake) => fake.files.find((file) => file.filename === "groups.csv"));
    expect(shared.channels).toEqual(["C0BERLIN1"]);
    expect(shared.bytes.toString()).toBe("name\nTenants\n");

    const [secret] = await slack.slash("myexport", { user: BEA });
    expect(secret!.visibility).toBe("ephemeral");
    const mine = await slack.fake.waitFor((fake) => fake.files.find((file) => file.filename === "mine.csv"));
    expect(mine.channels).toEqual([slack.fake.dmChannelId(BEA.id)]);
  });

  it("rejects a forged, a stale and an unsigned request before anything happens", async () => {
    const forged = await sendSlashCommand(slack.target, { command: COMMAND, text: "register Forged", user_id: ADA.id, channel_id: "C0BERLIN1" }, { signature: "bad" });
    const stale = await sendSlashCommand(slack.target, { command: COMMAND, text: "register Replayed", user_id: ADA.id, channel_id: "C0BERLIN1" }, { stale: true });
    const unsigned = await sendSlashCommand(slack.target, { command: COMMAND, text: "register Unsigned", user_id: ADA.id, channel_id: "C0BERLIN1" }, { signature: "missing" });
    const staleMention = await sendEvent(slack.target, appMentionEvent({ user: ADA.id, channel: "C0BERLIN1", text: `<@${slack.fake.bot.userId}> register Old` }), { stale: true });
    expect([forged.status, stale.status, unsigned.status, staleMention.status]).toEqual([401, 401, 401, 401]);
    // A signed command afterwards is answered; nothing before it left a trace.
    await slack.slash("help");
    expect(await groups()).toEqual([]);
    expect(slack.fake.responses).toHaveLength(1);
    expect(slack.fake.messages).toEqual([]);
    expect(await slack.db.prisma.member.count({ where: { platformUserId: ADA.id } })).toBe(1);
  });

  describe("mentions", () => {
    it("runs the command after the bot's name and answers in the channel", async () => {
      const [reply] = await slack.mention("register Lisbon Union language=pt", { channel: "C0LISBON2" });
      expect(reply).toMatchObject({ kind: "message", channel: "C0LISBON2", thread_ts: undefined });
      expect(visible(reply!)).toMatch(/“Lisbon Union”/);
      expect((await groups())[0]!.channels[0]!.platformChannelId).toBe("C0LISBON2");
    });

    it("answers private matters with an ephemeral message to the one who asked, in their thread", async () => {
      const [help] = await slack.mention("help", { user: BEA, thread_ts: "1700000000.000100" });
      expect(help).toMatchObject({ kind: "ephemeral", user: BEA.id, thread_ts: "1700000000.000100" });
      expect(visible(help!)).toContain("Comandos que você pode usar aqui:");
    });

    it("handles an event Slack delivers twice only once", async () => {
      const event = appMentionEvent({ user: ADA.id, channel: "C0PARIS03", text: `<@${slack.fake.bot.userId}> register Paris Locataires` });
      const first = await sendEvent(slack.target, event, { envelope: { event_id: "Ev0DUPLICATE" } });
      const retry = await sendEvent(slack.target, event, { envelope: { event_id: "Ev0DUPLICATE" }, retryNum: 1, retryReason: "http_timeout" });
      expect([first.status, retry.status]).toEqual([200, 200]);
      await slack.fake.waitFor((fake) => fake.messagesIn("C0PARIS03")[0]);
      await slack.adapter.settled();
      expect(slack.fake.messagesIn("C0PARIS03")).toHaveLength(1);
    });

    it("ignores other bots mentioning it", async () => {
      const fromBot = { ...appMentionEvent({ user: "U0OTHERBOT", channel: "C0PARIS03", text: `<@${slack.fake.bot.userId}> register Loop` }), bot_id: "B0OTHER" };
      expect((await sendEvent(slack.target, fromBot)).status).toBe(200);
      await slack.mention("help", { channel: "C0PARIS03" }); // arrives after, so the bot's event was taken up
      await slack.adapter.settled();
      expect(await groups()).toEqual([]);
    });
  });
});

describe("Slack commands where the app lacks something", () => {
  let slack: SlackHarness;
  const DAN: FakeSlackUser = { id: "U0DAN0005", name: "dan", realName: "Dan Kim", locale: "ko-KR" };
  beforeAll(async () => {
    slack = await startSlackHarness();
    slack.fake.addUser(DAN);
  });
  afterAll(async () => {
    await slack?.close();
  });

  it("answers in the group's language when it may not read the user's (no users:read)", async () => {
    await slack.slash("register Berliner Mieter language=de");
    slack.fake.setScopes(["commands", "app_mentions:read", "chat:write", "channels:read", "groups:read"]);
    const [joined] = await slack.slash("join", { user: DAN });
    expect(visible(joined!)).toMatch(/dan ist „Berliner Mieter“ beigetreten/);
    expect(slack.logs.filter((line) => String(line.msg).includes("users:read scope"))).toHaveLength(1);
  });

  it("tells the caller, once, to invite the bot to a channel it isn't in", async () => {
    const [registered, hint] = await slack.slash("register Outsiders", { channel: "C0OUTSIDE", user: COORDINATOR, replies: 2 });
    expect(registered!.visibility).toBe("in_channel");
    expect(hint!.visibility).toBe("ephemeral");
    expect(visible(hint!)).toBe(`I'm not in this channel yet, so reminders and announcements can't reach it. Invite me with /invite @${slack.fake.bot.userName} and I'll post them here.`);
    const again = await slack.slash("whoami", { channel: "C0OUTSIDE", user: COORDINATOR });
    expect(again).toHaveLength(1);
    const inChannel = await slack.slash("whoami", { channel: "C0PARIS03", user: COORDINATOR });
    expect(inChannel).toHaveLength(1);
  });
});
