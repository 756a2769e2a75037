// Commands typed in Telegram, end to end: the real grammY bot long-polls the local fake of the
// Bot API, the real core answers, and we read what the chat shows (text after Telegram parsed
// our HTML, and its entities).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { commands as allCommands } from "../../../commands/index.ts";
import { defineCommand, type CommandEntry } from "../../../src/core/command.ts";
import { message } from "../../../src/core/messages.ts";
import { SUPPORTED_LOCALES } from "../../../src/i18n/i18n.ts";
import { ALICE, BOB, CARLA, COORDINATOR, DANA, startTelegramHarness, type TelegramHarness } from "./harness.ts";

/** Entities that format text (as opposed to those Telegram detects, like /commands). */
const FORMATTING = ["bold", "italic", "underline", "strikethrough", "spoiler", "code", "pre", "text_link", "blockquote"];

/** Test-only commands: what the core received as attachments, and a private CSV export. */
const testCommands: CommandEntry[] = [
  ...allCommands,
  defineCommand({
    name: "attachments",
    role: "anyone",
    args: {},
    async run(context) {
      const attachments = context.incoming.attachments ?? [];
      return attachments.map((file) => `${file.fileName} | ${file.contentType} | ${file.size} | ${file.url}`).join("\n") || "none";
    },
  }),
  defineCommand({
    name: "export",
    role: "anyone",
    args: {},
    privateReply: true,
    async run() {
      return message()
        .text("Your roster")
        .attach({ fileName: "roster.csv", contentType: "text/csv", data: Buffer.from("name\nAlice & Bob\n") })
        .build();
    },
  }),
];

describe("Telegram commands", () => {
  let h: TelegramHarness;
  beforeAll(async () => {
    h = await startTelegramHarness({ commands: testCommands, fake: { rateLimits: "off" } });
  });
  afterAll(async () => {
    await h?.close();
  });
  let GROUP: ReturnType<TelegramHarness["newGroup"]>;
  beforeEach(async () => {
    await h.reset();
    GROUP = h.newGroup();
  });

  const t = (locale: (typeof SUPPORTED_LOCALES)[number], key: string, params?: Record<string, unknown>) => h.app.i18n.t(locale, key, params);

  it("registers a group with /register@bot, then members /join with plain /join, each answered in their language", async () => {
    const registered = await h.ask(ALICE, "/register@fake_test_bot Tenants of Kreuzberg tz=Berlin", GROUP);
    expect(registered.message.text).toContain(t("en", "register.done", { group: "Tenants of Kreuzberg", program: "Test Program" }));
    // The heading is bold: formatting comes from the message's structure.
    expect(registered.message.entities).toContainEqual({ type: "bold", offset: 0, length: expect.any(Number) });
    expect(registered.parseMode).toBe("HTML");
    const channel = await h.db.prisma.channel.findFirstOrThrow({ include: { group: true } });
    expect(channel).toMatchObject({ platform: "telegram", platformChannelId: String(GROUP.id), group: { name: "Tenants of Kreuzberg" } });

    const joined = await h.ask(BOB, "/join", GROUP);
    expect(joined.message.text).toBe(t("de", "join.done", { name: "Bob", group: "Tenants of Kreuzberg" }));
    const bob = await h.db.prisma.member.findFirstOrThrow({ where: { platformUserId: String(BOB.id) } });
    expect(bob).toMatchObject({ platform: "telegram", username: "bob", locale: "de", groupId: channel.groupId });

    const whoami = await h.ask(ALICE, "/whoami", GROUP);
    expect(whoami.message.text).toContain("Alice Lee");
  });

  it("shows the schedule in the group's zone, with the session titles bold", async () => {
    await h.ask(ALICE, "/register Tokyo Tenants tz=Asia/Tokyo language=ko", GROUP);
    const schedule = await h.ask(CARLA, "/schedule", GROUP);
    const text = schedule.message.text!;
    expect(text).toContain(t("es", "schedule.heading", { program: "Test Program", zone: "Asia/Tokyo" }));
    // Session 1 is Tuesday 17:00 in Berlin, which is Wednesday midnight in Tokyo.
    expect(text).toMatch(/1\. First — miércoles, 15 de mayo/);
    const bold = schedule.message.entities!.filter((entity) => entity.type === "bold").map((entity) => text.slice(entity.offset, entity.offset + entity.length));
    expect(bold).toEqual(expect.arrayContaining(["1. First", "2. Second"]));
  });

  it("answers in a private chat where a command makes sense, and says which don't", async () => {
    const whoami = await h.ask(ALICE, "/whoami");
    expect(whoami.message.text).toContain("Alice Lee");
    for (const line of ["/register Tenants", "/join", "/language es"]) {
      const refused = await h.ask(CARLA, line);
      expect(refused.message.text).toBe(t("es", "errors.groupChatOnly", { command: line.split(" ")[0] }));
    }
    expect(await h.db.prisma.group.count()).toBe(0);
    const start = await h.ask(BOB, "/start");
    expect(start.message.text).toBe(t("de", "telegram.welcome", { name: "Bob" }));
  });

  it("knows someone who only pressed Start, and a role granted in advance by id applies when they arrive", async () => {
    const EVA = { id: 1077, first_name: "Eva", language_code: "fr" };
    const granted = await h.ask(COORDINATOR, `/grant telegram:${EVA.id} facilitator`);
    expect(granted.message.text).toBe(t("en", "grant.inAdvance", { reference: `telegram:${EVA.id}`, role: "facilitator" }));
    await h.ask(EVA, "/start");
    const eva = await h.db.prisma.member.findUniqueOrThrow({ where: { platform_platformUserId: { platform: "telegram", platformUserId: String(EVA.id) } } });
    expect(eva).toMatchObject({ displayName: "Eva", role: "facilitator", locale: "fr" });
    // Bob only pressed Start: a coordinator can now find him by name.
    await h.ask(BOB, "/start");
    const grant = await h.ask(COORDINATOR, "/grant bob facilitator");
    expect(grant.message.text).toBe(t("en", "grant.done", { name: "Bob", role: "facilitator" }));
    const whoami = await h.ask(EVA, "/whoami");
    expect(whoami.message.text).toContain(t("fr", "whoami.role", { role: t("fr", "roles.facilitator") }));
  });

  it("ignores commands for other bots, and unknown ones not addressed to it in a group", async () => {
    // As an administrator the bot sees every message, even those privacy mode would hold back.
    h.telegram.addChat(GROUP, "administrator");
    h.telegram.injectMessage({ from: ALICE, chat: GROUP, text: "/register@another_bot Not for us" });
    h.telegram.injectMessage({ from: ALICE, chat: GROUP, text: "/ban@another_bot" });
    h.telegram.injectMessage({ from: ALICE, chat: GROUP, text: "/rules" });
    const unknown = await h.ask(ALICE, "/regster@fake_test_bot Tenants", GROUP);
    expect(unknown.message.text).toBe(t("en", "errors.unknownCommandSuggest", { command: "/regster", suggestion: "/register" }));
    expect(h.telegram.undelivered).toEqual([]);
    expect(h.telegram.sent).toHaveLength(1);
    expect(await h.db.prisma.group.count()).toBe(0);
  });

  it("asks an anonymous admin to write from their own account", async () => {
    h.telegram.addChat({ id: -100777, type: "supergroup", title: "Union hall" });
    const asTheGroup = (text: string) =>
      h.telegram.injectMessage({
        chat: -100777,
        from: { id: 1087968824, first_name: "Group", username: "GroupAnonymousBot", is_bot: true },
        text,
        extra: { sender_chat: { id: -100777, type: "supergroup", title: "Union hall" } },
      });
    asTheGroup("/warn"); // another bot's command: none of ours to answer
    const anonymous = asTheGroup("/register Union hall");
    const reply = await h.telegram.waitFor((sent) => sent.message.reply_to_message?.message_id === anonymous.message!.message_id);
    expect(reply.message.text).toBe(t("en", "telegram.anonymous"));
    expect(h.telegram.sent).toHaveLength(1);
    expect(await h.db.prisma.group.count()).toBe(0);
  });

  it("escapes what people typed: a group name with <b>, & and * stays text", async () => {
    const name = "<b>Tenants</b> & *friends* _of_ `Kreuzberg`";
    const reply = await h.ask(ALICE, `/register ${name}`, GROUP);
    expect(reply.message.text).toContain(`“${name}”`);
    const formatted = reply.message.entities!.filter((entity) => FORMATTING.includes(entity.type));
    // Only the heading is bold: nothing the user typed became formatting.
    expect(formatted).toHaveLength(1);
    expect(formatted[0]).toMatchObject({ type: "bold", offset: 0 });
    expect(formatted[0]!.length).toBe(reply.message.text!.split("\n")[0]!.length);
  });

  it("passes a document sent with a command in its caption to the core as an attachment", async () => {
    const reply = await h.ask(ALICE, "/attachments", GROUP, { document: { fileName: "week 1 homework.pdf", content: "%PDF-1.4" } });
    const document = h.telegram.chatMessages(GROUP.id).find((stored) => stored.document)!.document!;
    expect(reply.message.text).toBe(`week 1 homework.pdf | application/pdf | 8 | telegram-file:${document.file_id}`);
    const none = await h.ask(ALICE, "/attachments", GROUP);
    expect(none.message.text).toBe("none");
  });

  it("uploads a file reply with sendDocument, and sends a private one to the caller's private chat", async () => {
    const inPrivate = await h.ask(ALICE, "/export");
    expect(inPrivate.method).toBe("sendDocument");
    const [document] = h.telegram.documents;
    expect(document).toMatchObject({ chatId: ALICE.id, fileName: "roster.csv", caption: "Your roster" });
    expect(document!.content!.toString()).toBe("name\nAlice & Bob\n");

    // Alice has a private chat with the bot: the file goes there, the group only hears that it did.
    const inGroup = await h.ask(ALICE, "/export", GROUP);
    expect(inGroup.message.text).toBe(t("en", "telegram.sentPrivately"));
    expect(h.telegram.documents.map((sent) => sent.chatId)).toEqual([ALICE.id, ALICE.id]);

    // Dana never started a chat with the bot: it can't reach her privately and says how to fix it.
    const refused = await h.ask(DANA, "/export", GROUP);
    expect(refused.message.text).toBe(t("fr", "telegram.startPrivateChat", { bot: "@fake_test_bot" }));
    expect(h.telegram.documents).toHaveLength(2);
  });

  it("sends a /dashboard sign-in link only to the caller's private chat, even when asked in a group", async () => {
    const inPrivate = await h.ask(COORDINATOR, "/dashboard");
    expect(inPrivate.message.text).toMatch(/\/dashboard\/signin\?token=[\w-]{43}/);
    const inGroup = await h.ask(COORDINATOR, "/dashboard", GROUP);
    expect(inGroup.message.text).toBe(t("en", "telegram.sentPrivately"));
    const links = h.telegram.chatMessages(COORDINATOR.id).filter((sent) => sent.text?.includes("/dashboard/signin?token="));
    expect(links).toHaveLength(2);
    expect(h.telegram.chatMessages(GROUP.id).some((sent) => sent.text?.includes("token="))).toBe(false);
  });

  it("publishes the command menu in every shipped language, without group-only commands in private chats", async () => {
    const menu = (scope: "default" | "all_private_chats", language = "") => h.telegram.commands({ type: scope }, language)!;
    expect(menu("default").map((entry) => entry.command)).toEqual(expect.arrayContaining(["help", "register", "join", "schedule", "session", "reminders", "grant"]));
    for (const locale of SUPPORTED_LOCALES) {
      expect(menu("default", locale)).toContainEqual({ command: "register", description: t(locale, "commands.register.description") });
      expect(menu("all_private_chats", locale)).toContainEqual({ command: "whoami", description: t(locale, "commands.whoami.description") });
    }
    const privateNames = menu("all_private_chats").map((entry) => entry.command);
    expect(privateNames).toContain("schedule");
    for (const groupOnly of ["register", "join", "language", "timezone"]) expect(privateNames).not.toContain(groupOnly);
    // Subcommands are typed after the command; the entry lists them.
    expect(menu("default", "de").find((entry) => entry.command === "session")!.description).toBe(`move: ${t("de", "commands.session.move.description")}`);
  });

  it("lets a configured coordinator run privileged commands from Telegram", async () => {
    await h.ask(ALICE, "/register Tenants of Kreuzberg", GROUP);
    const paused = await h.ask(COORDINATOR, "/reminders pause", GROUP);
    expect(paused.message.text).toMatch(/paused/);
    const refused = await h.ask(BOB, "/reminders resume", GROUP);
    expect(refused.message.text).toBe(t("de", "errors.forbidden", { command: "/reminders resume", role: t("de", "roles.coordinator") }));
  });

  it("schedules an announcement whose at= comes after the text, without at= in the text", async () => {
    await h.ask(ALICE, "/register Tenants of Kreuzberg", GROUP);
    const preview = await h.ask(COORDINATOR, '/announce Another scheduled. at="2030-05-03 09:00"');
    expect(preview.message.text).toContain("Another scheduled.");
    expect(preview.message.text).not.toContain("at=");
    const confirmed = await h.ask(COORDINATOR, "/announce send");
    expect(confirmed.message.text).toContain("it goes out Friday, May 3, 2030 at 09:00 AM GMT+2 to 1 channel.");
    expect((await h.db.prisma.announcement.findFirstOrThrow()).defaultText).toBe("Another scheduled.");
    const deliveries = await h.db.prisma.delivery.findMany({ where: { kind: "announcement" } });
    expect(deliveries.map((delivery) => delivery.notBefore.toISOString())).toEqual(["2030-05-03T07:00:00.000Z"]);
  });

  it("paces a burst of replies in one chat to Telegram's limits instead of provoking 429s", async () => {
    h.telegram.setRateLimits("telegram");
    try {
      const asked = Array.from({ length: 6 }, () => h.telegram.injectMessage({ from: BOB, text: "/whoami" }));
      await h.eventually(() => h.telegram.messages.filter((sent) => sent.chatId === BOB.id).length === asked.length, 15_000);
      expect(h.telegram.tooManyRequestsCount).toBe(0);
    } finally {
      h.telegram.setRateLimits("off");
    }
  });

  it("waits out a 429's retry_after and still answers", async () => {
    h.telegram.storm(1, 1);
    const started = Date.now();
    const reply = await h.ask(ALICE, "/whoami");
    expect(reply.message.text).toContain("Alice Lee");
    expect(h.telegram.tooManyRequestsCount).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});
