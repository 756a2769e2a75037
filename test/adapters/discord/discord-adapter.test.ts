// The Discord adapter end to end: the real discord.js client against the local Discord fake
// (REST + gateway v10), through the real core and database. Everything is asserted as a user
// (or Discord) would see it: the registered menu, replies, ephemeral flags, channel messages.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { commands as allCommands } from "../../../commands/index.ts";
import { arg } from "../../../src/core/args.ts";
import { defineCommand, flattenCommands, type CommandEntry } from "../../../src/core/command.ts";
import { message, textMessage } from "../../../src/core/messages.ts";
import { DiscordAdapter, messageNonce } from "../../../adapters/discord/discord-adapter.ts";
import { Routes, startDiscordFake, type DiscordFake, type FakeUserInit } from "../../fakes/discord/index.ts";
import { answerOf, EPHEMERAL, replyText, startDiscordBot, type DiscordBot } from "./harness.ts";

const SESSION_1 = Date.parse("2030-05-14T15:00:00Z"); // Tuesday 17:00 in Berlin
const HOUR = 3_600_000;
const LOADING = 128;
const START = "2030-05-01T10:00:00Z";
const GUILD_COMMANDS_GET = "GET /applications/{application_id}/guilds/{guild_id}/commands";

const ANA: FakeUserInit = { id: "310000000000000001", username: "ana", globalName: "Ana", locale: "de" };
const BEN: FakeUserInit = { id: "310000000000000002", username: "ben", globalName: "Ben", locale: "en-US" };
const CORA: FakeUserInit = { id: "310000000000000003", username: "cora", globalName: "Cora", locale: "en-US" };

/** Handlers that wait until the test lets them finish, so deferral is observed without timing. */
const gates = new Map<string, () => void>();
function gate(name: string): Promise<void> {
  return new Promise((resolve) => gates.set(name, resolve));
}

const testCommands = [
  defineCommand({ name: "report", role: "anyone", args: {}, slow: true, run: async () => (await gate("report"), "Report ready") }),
  defineCommand({ name: "ponder", role: "anyone", args: {}, run: async () => (await gate("ponder"), "Thought it through") }),
  defineCommand({ name: "secret", role: "anyone", args: {}, run: async () => (await gate("secret"), textMessage("Only for you", { private: true })) }),
  defineCommand({
    name: "submit",
    role: "anyone",
    acceptsAttachments: true,
    args: { note: arg.text({ max: 200 }) },
    run: async (context, args) =>
      `Received ${(context.incoming.attachments ?? []).map((file) => `${file.fileName} (${file.contentType}, ${file.url})`).join(", ")} with “${args.note}”`,
  }),
  defineCommand({
    name: "export",
    role: "anyone",
    args: {},
    run: async () => message().text("Here it is").attach({ fileName: "export.csv", contentType: "text/csv", data: new TextEncoder().encode("a,b\r\n1,2\r\n") }).build(),
  }),
];
const commands = [...allCommands, ...testCommands];

describe("Discord adapter", () => {
  let fake: DiscordFake;
  let bot: DiscordBot;
  let otherGuildId: string;
  let channelCount = 0;
  let leadCount = 0;

  beforeAll(async () => {
    fake = await startDiscordFake({
      heartbeatIntervalMs: 1000,
      guilds: [{ name: "Organizing Hub" }, { name: "Tenants Elsewhere", channels: [{ name: "tenants" }] }],
    });
    otherGuildId = fake.guildIds[1]!;
    bot = await startDiscordBot(fake, { guildId: fake.defaultGuildId, commands, deferAfterMs: 1000, coordinators: `discord:${CORA.id}` });
  });

  afterAll(async () => {
    await bot?.close();
    await fake?.close();
  });

  beforeEach(async () => {
    // Each test starts before the registration deadline, with no other test's messages waiting.
    bot.clock.set(START);
    await bot.db.prisma.delivery.updateMany({ where: { status: "pending" }, data: { status: "cancelled" } });
  });

  /** Lets the handler waiting at this gate finish. */
  async function openGate(name: string): Promise<void> {
    const release = await fake.waitFor(() => gates.get(name), 5000, `the ${name} handler to start`);
    gates.delete(name);
    release();
  }

  /** A fresh channel: its own rate-limit bucket, its own group. */
  function newChannel(guildId = fake.defaultGuildId): string {
    return fake.addChannel(guildId, { name: `group-${++channelCount}` });
  }

  /** Registers a group in a channel, led by someone new (one may lead only one group); returns the lead. */
  async function registerGroup(channelId: string, name: string, locale = "de"): Promise<FakeUserInit> {
    const lead = { id: String(320000000000000000n + BigInt(++leadCount)), username: `lead${leadCount}`, locale };
    const handle = fake.interact({ commandName: "register", channelId, user: lead, locale, options: { name, timezone: "Europe/Berlin" } });
    expect(await replyText(fake, handle)).toContain(name);
    return lead;
  }

  const channelRow = (channelId: string) =>
    bot.db.prisma.channel.findUniqueOrThrow({ where: { platform_platformChannelId: { platform: "discord", platformChannelId: channelId } } });
  const botMessages = (channelId: string) => fake.messages(channelId).filter((stored) => stored.authorId === fake.botUserId && stored.source === "channel");

  /**
   * Sends what is due, moving the clock on while something waits for a retry. The dispatcher
   * paces each channel in real time (Discord's buckets are real time), so a retry_after also
   * needs a little real time to pass.
   */
  async function drainUntilSent(): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      if ((await bot.app.dispatcher.drain()).sent > 0) return;
      bot.clock.advance(2_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error("nothing was sent");
  }

  describe("command menu", () => {
    it("publishes every command in the server, with typed options and names in every shipped language", () => {
      const registered = fake.commands(fake.defaultGuildId);
      expect(registered.map((command) => command.name).sort()).toEqual(commands.map((command) => command.name).sort());
      const register = registered.find((command) => command.name === "register")!;
      expect(register.name_localizations).toEqual({ "es-ES": "registrar", "es-419": "registrar", "pt-BR": "registrar", fr: "inscrire", de: "registrieren", it: "registra", ko: "등록" });
      expect(Object.keys(register.description_localizations ?? {})).toHaveLength(7);
      const session = registered.find((command) => command.name === "session")!;
      expect(session.options).toMatchObject([{ type: 1, name: "move", options: [{ name: "session", type: 4, autocomplete: true }, { name: "when", type: 3 }] }]);
      const submit = registered.find((command) => command.name === "submit")!;
      expect(submit.options).toMatchObject([{ name: "note", type: 3 }, { name: "file", type: 11 }]);
      expect(fake.requestCount(Routes.guildCommandsPut)).toBe(1);
      expect(fake.identifies()[0]?.intents).toBe(1); // Guilds only: no privileged intent
    });

    it("publishes nothing when the menu is unchanged, and again when the declarations change or the scope is global", async () => {
      // More adapters on the same bot, as a restart (or a second process) would start them.
      const startAdapter = async (options: { guildId?: string; commands: readonly CommandEntry[] }) => {
        const adapter = new DiscordAdapter({ token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiBase, guildId: options.guildId });
        await adapter.start({ ...bot.app.host, commands: options.commands });
        await adapter.stop();
      };
      const lookups = fake.requestCount(GUILD_COMMANDS_GET);
      await startAdapter({ guildId: fake.defaultGuildId, commands });
      expect(fake.requestCount(GUILD_COMMANDS_GET)).toBe(lookups + 1); // it looked ...
      expect(fake.requestCount(Routes.guildCommandsPut)).toBe(1); // ... and left them alone

      await startAdapter({ commands: allCommands });
      expect(fake.commands("global").map((command) => command.name).sort()).toEqual(allCommands.map((command) => command.name).sort());
      await startAdapter({ commands: [...allCommands, testCommands[0]!] });
      expect(fake.requestCount(Routes.globalCommandsPut)).toBe(2);
      expect(fake.commands("global").map((command) => command.name)).toContain("report");
      // Every extra adapter let go of its gateway connection.
      await fake.waitFor(() => fake.gatewayConnectionCount() === 1, 5000, "only the main bot connected");
    });
  });

  describe("start-up", () => {
    it("stops with a clear message on a wrong token, application id or server, and lets go of the connection", async () => {
      const attempt = (options: { token?: string; applicationId?: string; guildId?: string }) =>
        new DiscordAdapter({ token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiBase, ...options }).start(bot.app.host);
      await expect(attempt({ token: "not-the-token" })).rejects.toThrow(/invalid token/i);
      await expect(attempt({ applicationId: "123456789012345678" })).rejects.toThrow(/DISCORD_APPLICATION_ID 123456789012345678 is not this bot's application/);
      await expect(attempt({ guildId: "999999999999999999" })).rejects.toThrow(
        /could not publish the slash commands in server 999999999999999999: Missing Access .*applications\.commands/,
      );
      await fake.waitFor(() => fake.gatewayConnectionCount() === 1, 5000, "only the main bot connected");
    });
  });

  describe("slash commands", () => {
    it("registers, joins and shows the schedule, each in the caller's Discord language", async () => {
      const channelId = newChannel();
      const registered = fake.interact({ commandName: "register", channelId, user: ANA, locale: "de", options: { name: "Mieterbund Kreuzberg", timezone: "Europe/Berlin" } });
      const [welcome] = await answerOf(fake, registered);
      expect(welcome!.content).toContain("Willkommen! Die Gruppe „Mieterbund Kreuzberg“ ist für Test Program registriert");
      expect(welcome!.flags & EPHEMERAL).toBe(0);

      const joined = fake.interact({ commandName: "join", channelId, user: BEN });
      expect(await replyText(fake, joined)).toBe("Ben joined “Mieterbund Kreuzberg”. Welcome!");

      const schedule = fake.interact({ commandName: "schedule", channelId, user: BEN, locale: "de" });
      const text = await replyText(fake, schedule);
      expect(text).toContain("**Test Program – Uhrzeiten in der Zeitzone Europe/Berlin**");
      expect(text).toMatch(/^- \*\*1\\?\. First\*\* — Dienstag, 14\. Mai.*17:00/m);

      const group = await bot.db.prisma.group.findFirstOrThrow({ where: { name: "Mieterbund Kreuzberg" }, include: { members: true } });
      expect(group.members.map((member) => member.displayName).sort()).toEqual(["Ana", "Ben"]);
      expect((await channelRow(channelId)).groupId).toBe(group.id);
    });

    it("answers quickly without deferring, and keeps private replies and errors ephemeral", async () => {
      const help = fake.interact({ commandName: "help", user: BEN });
      const [list] = await answerOf(fake, help);
      expect((await help.waitForCallback()).type).toBe(4);
      expect(list!.flags & EPHEMERAL).toBe(EPHEMERAL);
      expect(list!.content).toContain("`/register`");

      const inPrivate = fake.interact({ commandName: "register", guildId: null, user: ANA, locale: "de", options: { name: "Allein" } });
      const [refusal] = await answerOf(fake, inPrivate);
      expect(refusal!.content).toBe("/register funktioniert im Chat deiner Gruppe, nicht in einem privaten Chat mit mir.");
      expect(refusal!.flags & EPHEMERAL).toBe(EPHEMERAL);

      const forbidden = fake.interact({ commandName: "grant", user: BEN, options: { user: ANA.id!, role: "coordinator" } });
      const [denied] = await answerOf(fake, forbidden);
      expect(denied!.content).toBe("/grant is for the coordinator role only.");
      expect(denied!.flags & EPHEMERAL).toBe(EPHEMERAL);
    });

    it("answers every declared command as a slash command", async () => {
      const channelId = newChannel();
      await registerGroup(channelId, "Alle Befehle");
      for (const { path, definition } of flattenCommands(allCommands)) {
        // Plausible values for what is required; the rest is left out, as a user may.
        const options = Object.fromEntries(
          Object.entries(definition.args)
            .filter(([, spec]) => spec.required)
            .map(([name, spec]) => [name, spec.type === "integer" ? 1 : (spec.choices?.[0] ?? "someone")]),
        );
        const handle = fake.interact({ commandName: path[0]!, subcommand: path[1], channelId, user: CORA, options });
        const [reply] = await answerOf(fake, handle);
        expect(reply!.content, `/${path.join(" ")}`).not.toMatch(/^$|something went wrong/);
      }
    });

    it("answers an interaction it cannot read with a clear private message", async () => {
      const handle = fake.interact({ commandName: "whoami", user: BEN, locale: "x-".repeat(20) });
      const [reply] = await answerOf(fake, handle);
      expect(reply!.content).toBe("I could not read that command. Please try again.");
      expect(reply!.flags & EPHEMERAL).toBe(EPHEMERAL);
    });

    it("refuses a bad option value with a clear private message and changes nothing", async () => {
      const channelId = newChannel();
      const lead = await registerGroup(channelId, "Zeitzonen-Test");
      const handle = fake.interact({ commandName: "timezone", channelId, user: lead, locale: "de", options: { zone: "Mars/Olympus" } });
      const [reply] = await answerOf(fake, handle);
      expect(reply!.content).toContain("Die Zeitzone „Mars/Olympus“ kenne ich nicht.");
      expect(reply!.flags & EPHEMERAL).toBe(EPHEMERAL);
      expect((await bot.db.prisma.group.findFirstOrThrow({ where: { name: "Zeitzonen-Test" } })).timezone).toBe("Europe/Berlin");
    });

    it("takes a person picked in a text option (<@id>) as that person", async () => {
      await answerOf(fake, fake.interact({ commandName: "whoami", user: BEN }));
      const handle = fake.interact({ commandName: "grant", user: CORA, options: { user: `<@${BEN.id}>`, role: "facilitator" } });
      expect(await replyText(fake, handle)).toBe("Ben is now a facilitator.");
    });

    it("takes an announcement's time from its own option field, and keeps the text as typed", async () => {
      const channelId = newChannel();
      await registerGroup(channelId, "Mieter Schöneberg");
      const text = 'Another scheduled. We meet "at=noon" as usual.';
      const drafted = fake.interact({ commandName: "announce", subcommand: "draft", user: CORA, options: { text, at: "2030-05-03 09:00" } });
      expect(await replyText(fake, drafted)).toContain("It goes out Friday, May 3, 2030 at 09:00 AM GMT+2.");
      const sent = fake.interact({ commandName: "announce", subcommand: "send", user: CORA });
      expect(await replyText(fake, sent)).toMatch(/it goes out Friday, May 3, 2030 at 09:00 AM GMT\+2 to \d+ channel/);
      const announcement = await bot.db.prisma.announcement.findFirstOrThrow({ orderBy: { id: "desc" } });
      expect(announcement.defaultText).toBe(text);
      expect(announcement.sendAt?.toISOString()).toBe("2030-05-03T07:00:00.000Z");
    });

    it("suggests time zones and sessions while the user types", async () => {
      const zones = fake.autocomplete({ commandName: "register", user: ANA, options: { timezone: "Tokyo" }, focused: "timezone" });
      const zoneChoices = (await zones.waitForCallback()).data?.choices as { name: string; value: string }[];
      expect(zoneChoices[0]).toEqual({ name: "Asia/Tokyo", value: "Asia/Tokyo" });

      const sessions = fake.autocomplete({ commandName: "session", subcommand: "move", user: CORA, options: { session: "" }, focused: "session" });
      const sessionChoices = (await sessions.waitForCallback()).data?.choices;
      expect(sessionChoices).toEqual([
        { name: "1. First", value: 1 },
        { name: "2. Second", value: 2 },
      ]);
    });

    it("hands attachments to the command and sends a file reply as an attachment", async () => {
      const submitted = fake.interact({ commandName: "submit", user: BEN, options: { note: "week 1", file: "homework.pdf" } });
      expect(await replyText(fake, submitted)).toMatch(
        /^Received homework\.pdf \(application\/pdf, https:\/\/cdn\.discordapp\.com\/ephemeral-attachments\/\d+\/homework\.pdf\) with “week 1”$/,
      );

      const exported = fake.interact({ commandName: "export", user: CORA });
      const [reply] = await answerOf(fake, exported);
      expect(reply!.content).toBe("Here it is");
      expect(reply!.attachments).toMatchObject([{ filename: "export.csv", size: 10 }]);
    });
  });

  describe("replies that take time", () => {
    it("acknowledges a command declared slow at once and edits its reply in", async () => {
      const handle = fake.interact({ commandName: "report", user: BEN });
      const callback = await handle.waitForCallback();
      expect(callback.type).toBe(5);
      expect(handle.originalMessage()!.flags & LOADING).toBe(LOADING);
      await openGate("report");
      expect(await replyText(fake, handle)).toBe("Report ready");
      expect(handle.record.edits).toHaveLength(1);
    });

    it("defers any reply not ready within the window, before Discord's 3 seconds run out", async () => {
      const handle = fake.interact({ commandName: "ponder", user: BEN });
      const callback = await handle.waitForCallback();
      expect(callback.type).toBe(5);
      expect(callback.latencyMs).toBeLessThan(3000);
      await openGate("ponder");
      expect(await replyText(fake, handle)).toBe("Thought it through");
      expect(handle.record.rejectedCallbacks).toEqual([]);
    });

    it("replaces a public acknowledgement with an ephemeral message when the reply turns out private", async () => {
      const handle = fake.interact({ commandName: "secret", user: BEN });
      expect((await handle.waitForCallback()).data?.flags ?? 0).toBe(0);
      await openGate("secret");
      const [reply] = await answerOf(fake, handle);
      expect(reply!.content).toBe("Only for you");
      expect(reply!.flags & EPHEMERAL).toBe(EPHEMERAL);
      expect(handle.originalMessage()!.deleted).toBe(true);
    });
  });

  describe("outbox", () => {
    it("posts a reminder to the group's channel in its language, with no mentions and a nonce", async () => {
      bot.clock.set(SESSION_1 - 2 * 24 * HOUR);
      const channelId = newChannel();
      await registerGroup(channelId, "Erinnerungsgruppe");
      bot.clock.set(SESSION_1 - 24 * HOUR);
      await drainUntilSent();
      const [reminder] = botMessages(channelId);
      expect(reminder!.content).toMatch(/^\*\*⏰ Sitzung 1, „First“.*1 Tag/);
      expect(reminder!.content).toContain("Dienstag, 14. Mai");
      expect(reminder!.allowedMentions).toEqual({ parse: [] });
      expect(reminder!.enforceNonce).toBe(true);
      expect(String(reminder!.nonce).length).toBeLessThanOrEqual(25);
      const delivery = await bot.db.prisma.delivery.findFirstOrThrow({ where: { channel: { platformChannelId: channelId } }, orderBy: { id: "asc" } });
      expect(delivery).toMatchObject({ status: "sent", platformMessageId: reminder!.id });
    });

    it("honours a 429's retry_after and delivers the message exactly once", async () => {
      bot.clock.set(SESSION_1 - 2 * 24 * HOUR);
      const channelId = newChannel();
      await registerGroup(channelId, "Drosselgruppe");
      bot.clock.set(SESSION_1 - 24 * HOUR);
      const hitsBefore = fake.rateLimitHits().length;
      fake.storm({ route: Routes.channelMessageCreate, count: 1, retryAfter: 0.4 });

      const first = await bot.app.dispatcher.drain();
      expect(first).toMatchObject({ sent: 0, rateLimited: 1 });
      const waiting = await bot.db.prisma.delivery.findFirstOrThrow({ where: { channel: { platformChannelId: channelId }, status: "pending" }, orderBy: { id: "asc" } });
      // Discord's Retry-After header is in whole seconds: at least a second from now.
      expect(waiting.nextAttemptAt.getTime() - bot.clock.now().getTime()).toBeGreaterThanOrEqual(1000);
      expect(waiting.attempts).toBe(0);

      await drainUntilSent();
      expect(botMessages(channelId)).toHaveLength(1);
      expect(fake.rateLimitHits().slice(hitsBefore)).toMatchObject([{ route: Routes.channelMessageCreate, cause: "storm" }]);
    });

    it.each([
      ["missing_access", 50001],
      ["missing_permissions", 50013],
      ["unknown", 10003],
    ] as const)("treats %s (%i) as permanent: the delivery fails and the channel is marked unreachable", async (state, code) => {
      bot.clock.set(SESSION_1 - 2 * 24 * HOUR);
      const channelId = newChannel();
      await registerGroup(channelId, `Gruppe ${code}`);
      fake.setChannelState(channelId, state);
      bot.clock.set(SESSION_1 - 24 * HOUR);
      expect(await bot.app.dispatcher.drain()).toMatchObject({ sent: 0, failed: 1 });
      const channel = await channelRow(channelId);
      expect(channel.unreachableAt).not.toBeNull();
      expect(channel.unreachableReason).toContain(String(code));
      const rows = await bot.db.prisma.delivery.findMany({ where: { channelId: channel.id } });
      expect(rows.every((row) => row.status === "failed")).toBe(true);
    });

    it("escapes an announcement and sends it only once, however often it is retried", async () => {
      const channelId = newChannel();
      const announcement = message().heading("Strike *vote*").text("<b>Bring</b> everyone_you_know & vote @everyone `now`").build();
      const first = await bot.adapter.send(channelId, announcement, { idempotencyKey: "announcement:7:channel:1" });
      const retried = await bot.adapter.send(channelId, announcement, { idempotencyKey: "announcement:7:channel:1" });
      expect(retried.platformMessageId).toBe(first.platformMessageId);
      const [posted] = botMessages(channelId);
      expect(botMessages(channelId)).toHaveLength(1);
      expect(posted!.content).toBe("**Strike \\*vote\\***\n\\<b\\>Bring\\</b\\> everyone\\_you\\_know & vote @\u200beveryone \\`now\\`");
      expect(posted!.allowedMentions).toEqual({ parse: [] });
      expect(posted!.nonce).toBe(messageNonce("announcement:7:channel:1", 0));
      expect(fake.duplicateNoncesSuppressed()).toBeGreaterThanOrEqual(1);
    });
  });

  describe("gateway", () => {
    it("marks a channel unreachable when it is deleted, and all of a server's channels when the bot is removed", async () => {
      const deletedId = newChannel();
      await registerGroup(deletedId, "Gelöschter Kanal");
      // The gateway delivers in order: the bot knew the channel (CHANNEL_CREATE) before it registered there.
      fake.dispatch("CHANNEL_DELETE", { id: deletedId, type: 0, guild_id: fake.defaultGuildId, name: "gone", position: 0, permission_overwrites: [], parent_id: null }, { guildId: fake.defaultGuildId, intent: 1 });
      await expect.poll(async () => (await channelRow(deletedId)).unreachableReason, { timeout: 5000 }).toBe("the channel was deleted");

      const elsewhere = fake.guild(otherGuildId)!.channelIds[0]!;
      await registerGroup(elsewhere, "Anderswo");
      const stays = newChannel();
      await registerGroup(stays, "Bleibt");
      fake.dispatch("GUILD_DELETE", { id: otherGuildId }, { guildId: otherGuildId });
      await expect.poll(async () => (await channelRow(elsewhere)).unreachableReason, { timeout: 5000 }).toBe("the bot was removed from the server");
      expect((await channelRow(stays)).unreachableAt).toBeNull();
    });

    it("resumes after a dropped connection and answers an interaction sent meanwhile", async () => {
      const identifies = fake.identifies().length;
      const resumes = fake.resumes().length;
      await fake.dropGatewayConnections({ code: 4000 });
      const handle = fake.interact({ commandName: "whoami", user: BEN });
      expect(handle.record.deliveredAt).toBeNull(); // queued while the bot is away
      expect(await replyText(fake, handle)).toContain("Ben");
      expect(fake.resumes().slice(resumes)).toMatchObject([{ path: "/gateway/resume" }]);
      expect(fake.identifies()).toHaveLength(identifies);
      await fake.waitFor(() => bot.adapter.isConnected(), 5000, "the adapter to report itself connected");
    });
  });
});
