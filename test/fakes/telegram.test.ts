/**
 * Proves the fake Telegram Bot API against the real grammY Bot.
 */
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { Bot, GrammyError, InputFile, webhookCallback } from "grammy";
import type { Update } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTelegramFake, type StartOptions, type TelegramFake } from "./telegram/server.ts";

const GROUP = { id: -4001234567, type: "group", title: "Cohort 7" } as const;
const ALICE = { id: 1001, first_name: "Alice", username: "alice", language_code: "en" };
const BOB = { id: 1002, first_name: "Bob", username: "bob_the_trainee", language_code: "de" };

let telegram: TelegramFake;
let bot: Bot;
let polling: Promise<void> | undefined;

async function setup(options: StartOptions = {}): Promise<void> {
  telegram = await startTelegramFake(options);
  bot = new Bot(telegram.token, { client: { apiRoot: telegram.apiRoot } });
}

/** Starts long polling (bot.init + deleteWebhook done, getUpdates loop about to run). */
async function startPolling(): Promise<void> {
  let started!: () => void;
  const ready = new Promise<void>((resolve) => (started = resolve));
  polling = bot.start({ timeout: 20, onStart: () => started() });
  await ready;
}

/** Polls `condition` until it holds (for effects that produce no API call). */
async function eventually(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The GrammyError a call fails with. */
async function apiError(call: Promise<unknown>): Promise<GrammyError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof GrammyError) return error;
    throw error;
  }
  throw new Error("expected the Bot API call to fail");
}

async function rawPost(path: string, body: string, contentType: string): Promise<{ status: number; json: any }> {
  const response = await fetch(`${telegram.apiRoot}${path}`, {
    method: "POST",
    headers: { "content-type": contentType },
    body,
  });
  return { status: response.status, json: await response.json() };
}

afterEach(async () => {
  if (polling) {
    if (bot.isRunning()) await bot.stop();
    await polling.catch(() => undefined);
    polling = undefined;
  }
  await telegram?.close();
});

describe("connection and envelope", () => {
  beforeEach(() => setup());

  it("bot.init() gets the bot user from getMe", async () => {
    await bot.init();
    expect(bot.botInfo).toEqual(telegram.botInfo);
    expect(bot.botInfo).toMatchObject({
      id: 123456789,
      is_bot: true,
      username: "fake_test_bot",
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    });
    expect(telegram.requestCounts.getMe).toBe(1);
  });

  it("rejects an unknown token with 401 and an unknown method with 404", async () => {
    const stranger = new Bot("42:not-the-token", { client: { apiRoot: telegram.apiRoot } });
    const unauthorized = await apiError(stranger.init());
    expect(unauthorized.error_code).toBe(401);
    expect(unauthorized.description).toBe("Unauthorized");

    const raw = bot.api.raw as unknown as Record<string, (payload: object) => Promise<unknown>>;
    const missing = await apiError(raw.sendTelepathicMessage!({ chat_id: 1 }));
    expect(missing.error_code).toBe(404);
    expect(missing.description).toBe("Not Found: method not found");
    expect(telegram.unknownMethods).toEqual(["sendTelepathicMessage"]);
  });

  it("accepts JSON, urlencoded, query-string and case-insensitive method names", async () => {
    telegram.addChat({ id: ALICE.id, type: "private", first_name: "Alice" });
    const path = `/bot${telegram.token}/sendmessage`;
    const form = await rawPost(path, new URLSearchParams({ chat_id: String(ALICE.id), text: "form" }).toString(), "application/x-www-form-urlencoded");
    expect(form).toMatchObject({ status: 200, json: { ok: true, result: { text: "form", chat: { id: ALICE.id } } } });
    const json = await rawPost(path, JSON.stringify({ chat_id: ALICE.id, text: "json", reply_markup: { inline_keyboard: [[{ text: "Go", callback_data: "go" }]] } }), "application/json");
    expect(json.json.result.reply_markup).toEqual({ inline_keyboard: [[{ text: "Go", callback_data: "go" }]] });
    const query = await fetch(`${telegram.apiRoot}/bot${telegram.token}/getMe?x=1`);
    expect(await query.json()).toMatchObject({ ok: true, result: { username: "fake_test_bot" } });
    expect(telegram.messages.map((m) => m.text)).toEqual(["form", "json"]);
    expect(telegram.messages[1]!.replyMarkup).toEqual({ inline_keyboard: [[{ text: "Go", callback_data: "go" }]] });
  });
});

describe("long polling with bot.start()", () => {
  beforeEach(() => setup());

  it("delivers an injected /start@botname and records the bot's ctx.reply", async () => {
    const seen: Update[] = [];
    bot.use((ctx, next) => {
      seen.push(ctx.update);
      return next();
    });
    bot.command("start", (ctx) => ctx.reply(`Welcome, ${ctx.from?.first_name}!`));
    await startPolling();

    const injectedAt = Date.now();
    const update = telegram.injectMessage({ chat: GROUP, from: ALICE, text: "/start@fake_test_bot" });
    expect(update.message?.entities).toEqual([{ type: "bot_command", offset: 0, length: 20 }]);

    const reply = await telegram.waitFor((m) => m.chatId === GROUP.id);
    expect(Date.now() - injectedAt).toBeLessThan(2000); // long poll answered at once, not after its timeout
    expect(reply.text).toBe("Welcome, Alice!");
    expect(reply.message).toMatchObject({
      chat: GROUP,
      from: { id: telegram.botInfo.id, is_bot: true, username: "fake_test_bot" },
      text: "Welcome, Alice!",
    });
    expect(reply.message.message_id).toBe(update.message!.message_id + 1);
    expect(seen.map((u) => u.update_id)).toEqual([update.update_id]);

    await bot.stop();
    await polling;
    polling = undefined;
    // bot.stop() confirms the processed update with a final getUpdates(offset)
    expect(telegram.pendingUpdates).toEqual([]);
    const last = telegram.requests.filter((r) => r.method === "getUpdates").at(-1)!;
    expect(last.params).toMatchObject({ offset: update.update_id + 1, limit: 1 });
  });

  it("hands my_chat_member and group migration updates to the bot", async () => {
    const events: string[] = [];
    bot.on("my_chat_member", (ctx) => {
      events.push(`${ctx.myChatMember.old_chat_member.status}->${ctx.myChatMember.new_chat_member.status}`);
    });
    bot.on("message:new_chat_members", (ctx) => {
      events.push(`joined:${ctx.message.new_chat_members.map((u) => u.username).join(",")}`);
    });
    bot.on("message:migrate_to_chat_id", (ctx) => {
      events.push(`migrate_to:${ctx.message.migrate_to_chat_id}`);
    });
    bot.on("message:migrate_from_chat_id", (ctx) => {
      events.push(`migrate_from:${ctx.message.migrate_from_chat_id}@${ctx.chat.id}`);
    });
    await startPolling();

    telegram.botAddedToGroup({ chat: GROUP, by: ALICE });
    const { supergroup } = telegram.migrateGroupToSupergroup({ chat: GROUP.id, by: ALICE });
    expect(supergroup.id).toBe(-1004001234567);
    telegram.botRemovedFromGroup({ chat: supergroup.id, by: ALICE });
    await eventually(() => events.length === 5);

    expect(events).toEqual([
      "left->member",
      "joined:fake_test_bot",
      `migrate_to:${supergroup.id}`,
      `migrate_from:${GROUP.id}@${supergroup.id}`,
      "member->kicked",
    ]);

    const upgraded = await apiError(bot.api.sendMessage(GROUP.id, "hello old group"));
    expect(upgraded.error_code).toBe(400);
    expect(upgraded.description).toBe("Bad Request: group chat was upgraded to a supergroup chat");
    expect(upgraded.parameters.migrate_to_chat_id).toBe(supergroup.id);

    const kicked = await apiError(bot.api.sendMessage(supergroup.id, "still there?"));
    expect(kicked.error_code).toBe(403);
    expect(kicked.description).toBe("Forbidden: bot was kicked from the supergroup chat");
  });

  it("answers callback queries and edits the message", async () => {
    bot.command("menu", (ctx) =>
      ctx.reply("Pick one", { reply_markup: { inline_keyboard: [[{ text: "Week 1", callback_data: "week:1" }]] } }),
    );
    bot.callbackQuery(/^week:(\d)$/, async (ctx) => {
      await ctx.answerCallbackQuery({ text: "Loading" });
      await ctx.editMessageText(`<b>Week ${ctx.match[1]}</b>`, { parse_mode: "HTML" });
    });
    await startPolling();

    telegram.injectMessage({ from: BOB, text: "/menu" });
    const menu = await telegram.waitFor((m) => m.text === "Pick one");
    telegram.injectCallbackQuery({ from: BOB, chatId: BOB.id, messageId: menu.messageId, data: "week:1" });
    const edit = await telegram.waitForRequest((r) => r.method === "editMessageText");
    expect(edit.status).toBe(200);
    expect(telegram.callbackAnswers).toMatchObject([{ text: "Loading", showAlert: false }]);
    expect(telegram.edits[0]!.message).toMatchObject({
      text: "Week 1",
      entities: [{ type: "bold", offset: 0, length: 6 }],
    });
    expect(telegram.edits[0]!.message.reply_markup).toBeUndefined(); // editing without reply_markup drops the keyboard

    const again = await apiError(bot.api.editMessageText(BOB.id, menu.messageId, "<b>Week 1</b>", { parse_mode: "HTML" }));
    expect(again.description).toMatch(/^Bad Request: message is not modified/);
    const stale = await apiError(bot.api.answerCallbackQuery("no-such-query"));
    expect(stale.description).toBe("Bad Request: query is too old and response timeout expired or query ID is invalid");
  });

  it("withholds plain group messages from a bot in privacy mode", async () => {
    const texts: string[] = [];
    bot.on("message:text", (ctx) => {
      texts.push(ctx.message.text);
    });
    await startPolling();
    telegram.injectMessage({ chat: GROUP, from: ALICE, text: "good morning everyone" });
    telegram.injectMessage({ chat: GROUP, from: ALICE, text: "/schedule@other_bot" });
    telegram.injectMessage({ chat: GROUP, from: ALICE, text: "/schedule" });
    await eventually(() => texts.length === 1);
    expect(texts).toEqual(["/schedule"]);
    expect(telegram.undelivered.map((u) => u.update.message?.text)).toEqual(["good morning everyone", "/schedule@other_bot"]);
  });
});

describe("getUpdates semantics", () => {
  beforeEach(() => setup());

  it("honours offset, limit, timeout and allowed_updates", async () => {
    const first = telegram.injectMessage({ text: "one" });
    telegram.injectMessage({ text: "two" });
    telegram.injectMessage({ text: "three" });
    const batch = await bot.api.getUpdates({ limit: 2 });
    expect(batch.map((u) => u.message?.text)).toEqual(["one", "two"]);
    const rest = await bot.api.getUpdates({ offset: first.update_id + 2 });
    expect(rest.map((u) => u.message?.text)).toEqual(["three"]);
    expect(telegram.pendingUpdates.map((u) => u.message?.text)).toEqual(["three"]);

    const started = Date.now();
    const empty = await bot.api.getUpdates({ offset: first.update_id + 3, timeout: 1 });
    expect(empty).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    const waiting = bot.api.getUpdates({ offset: first.update_id + 3, timeout: 20, allowed_updates: ["callback_query"] });
    await eventually(() => telegram.requests.some((r) => r.method === "getUpdates" && r.status === undefined));
    telegram.injectMessage({ text: "filtered out" });
    telegram.injectMyChatMember({ chat: ALICE.id, from: ALICE, newStatus: "kicked" }); // also not allowed
    const sent = await bot.api.sendMessage(BOB.id, "x").catch((e: GrammyError) => e.description);
    expect(sent).toBe("Bad Request: chat not found");
    const menuHost = telegram.addChat({ id: BOB.id, type: "private", first_name: "Bob" });
    const host = await bot.api.sendMessage(menuHost.id, "menu", { reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "a" }]] } });
    const before = Date.now();
    telegram.injectCallbackQuery({ from: BOB, chatId: BOB.id, messageId: host.message_id, data: "a" });
    const delivered = await waiting;
    expect(Date.now() - before).toBeLessThan(1000);
    expect(delivered.map((u) => Object.keys(u)[1])).toEqual(["callback_query"]);
    expect(telegram.undelivered.map((u) => u.reason)).toEqual([
      'update type "message" is not in allowed_updates',
      'update type "my_chat_member" is not in allowed_updates',
    ]);
  });

  it("treats a negative offset as 'the last N updates' and forgets the rest", async () => {
    for (const text of ["a", "b", "c"]) telegram.injectMessage({ text });
    expect((await bot.api.getUpdates({ offset: -1 })).map((u) => u.message?.text)).toEqual(["c"]);
    expect(telegram.pendingUpdates.map((u) => u.message?.text)).toEqual(["c"]);
  });

  it("terminates a long poll superseded by another getUpdates with 409", async () => {
    const firstPoll = bot.api.getUpdates({ timeout: 20 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const secondPoll = bot.api.getUpdates({ timeout: 20 });
    const conflict = await apiError(firstPoll);
    expect(conflict.error_code).toBe(409);
    expect(conflict.description).toBe(
      "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    );
    telegram.injectMessage({ text: "hello" });
    expect((await secondPoll).map((u) => u.message?.text)).toEqual(["hello"]);
  });
});

describe("webhooks", () => {
  beforeEach(() => setup());

  it("makes getUpdates fail with 409 while a webhook is set", async () => {
    await bot.api.setWebhook("https://bot.example.org/telegram", { secret_token: "s3cret_token-1" });
    expect(telegram.webhook).toMatchObject({ url: "https://bot.example.org/telegram", secretToken: "s3cret_token-1", maxConnections: 40 });
    const conflict = await apiError(bot.api.getUpdates());
    expect(conflict.error_code).toBe(409);
    expect(conflict.description).toBe(
      "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    );
    telegram.injectMessage({ text: "queued" });
    expect(await bot.api.getWebhookInfo()).toMatchObject({
      url: "https://bot.example.org/telegram",
      has_custom_certificate: false,
      pending_update_count: 1,
    });
    await bot.api.deleteWebhook();
    expect((await bot.api.getUpdates()).map((u) => u.message?.text)).toEqual(["queued"]);
  });

  it("delivers updates to grammY's webhookCallback when webhookDelivery is on", async () => {
    await telegram.close();
    await setup({ webhookDelivery: true, webhookRetryDelayMs: 20 });
    bot.command("start", (ctx) => ctx.reply("hello from webhook mode"));
    const handle = webhookCallback(bot, "http", { secretToken: "hook-secret" });
    const server = createServer((req, res) => void handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram`;
    try {
      await bot.api.setWebhook(url, { secret_token: "hook-secret" });
      telegram.injectMessage({ from: ALICE, text: "/start" });
      const reply = await telegram.waitFor((m) => m.text === "hello from webhook mode");
      expect(reply.chatId).toBe(ALICE.id);
      // grammY replies before it finishes answering the webhook POST
      await eventually(() => telegram.webhookDeliveries.length === 1);
      expect(telegram.webhookDeliveries.map((d) => d.status)).toEqual([200]);
      expect(telegram.pendingUpdates).toEqual([]);

      // grammY rejects a wrong secret with 401: the update stays queued and the error is reported
      await bot.api.setWebhook(url, { secret_token: "another-secret" });
      telegram.injectMessage({ from: ALICE, text: "/start" });
      await eventually(() => telegram.webhook?.lastErrorMessage !== undefined);
      expect(telegram.webhook?.lastErrorMessage).toBe("Wrong response from the webhook: 401 Unauthorized");
      expect(telegram.pendingUpdates).toHaveLength(1);
      expect((await bot.api.getWebhookInfo()).last_error_message).toBe("Wrong response from the webhook: 401 Unauthorized");
      await bot.api.deleteWebhook({ drop_pending_updates: true });
      expect(telegram.pendingUpdates).toEqual([]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("validates webhook URLs like Telegram", async () => {
    const insecure = await apiError(bot.api.setWebhook("http://bot.example.org/telegram"));
    expect(insecure.description).toBe("Bad Request: bad webhook: An HTTPS URL must be provided for webhook");
    const port = await apiError(bot.api.setWebhook("https://bot.example.org:3000/telegram"));
    expect(port.description).toBe("Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443");
  });
});

describe("commands", () => {
  beforeEach(() => setup());

  it("stores commands per scope and language_code", async () => {
    await bot.api.setMyCommands([
      { command: "start", description: "Register" },
      { command: "schedule", description: "This week's sessions" },
    ]);
    await bot.api.setMyCommands([{ command: "start", description: "Anmelden" }], { language_code: "de" });
    await bot.api.setMyCommands([{ command: "homework", description: "Submit homework" }], {
      scope: { type: "all_private_chats" },
      language_code: "en",
    });

    expect(telegram.commands()).toEqual([
      { command: "start", description: "Register" },
      { command: "schedule", description: "This week's sessions" },
    ]);
    expect(telegram.commands({ type: "default" }, "de")).toEqual([{ command: "start", description: "Anmelden" }]);
    expect(telegram.commands({ type: "all_private_chats" }, "en")).toEqual([
      { command: "homework", description: "Submit homework" },
    ]);
    expect(telegram.commands({ type: "all_private_chats" })).toBeUndefined();
    expect(await bot.api.getMyCommands({ language_code: "de" })).toEqual([{ command: "start", description: "Anmelden" }]);
    expect(await bot.api.getMyCommands({ language_code: "fr" })).toEqual([]);

    await bot.api.deleteMyCommands({ language_code: "de" });
    expect(telegram.commands({ type: "default" }, "de")).toBeUndefined();
    expect(telegram.commandSets).toHaveLength(2);

    const invalid = await apiError(bot.api.setMyCommands([{ command: "Start", description: "x" }]));
    expect(invalid.description).toBe("Bad Request: BOT_COMMAND_INVALID");
    // grammY's types only allow valid codes, so send the bad one through the raw API
    const raw = bot.api.raw as unknown as Record<string, (payload: object) => Promise<unknown>>;
    const language = await apiError(raw.setMyCommands!({ commands: [{ command: "start", description: "x" }], language_code: "deu" }));
    expect(language.description).toBe("Bad Request: invalid language code specified");
    expect(language.error_code).toBe(400);
  });
});

describe("sending rules", () => {
  beforeEach(() => setup({ rateLimits: "off" }));

  it("blocks sends to kicked, blocked, deactivated and unknown chats", async () => {
    telegram.addChat(GROUP);
    telegram.kickBot(GROUP.id);
    const kicked = await apiError(bot.api.sendMessage(GROUP.id, "hi"));
    expect(kicked.error_code).toBe(403);
    expect(kicked.description).toBe("Forbidden: bot was kicked from the group chat");

    telegram.injectMessage({ from: ALICE, text: "hello" });
    telegram.blockBot(ALICE.id);
    const blocked = await apiError(bot.api.sendMessage(ALICE.id, "hi"));
    expect(blocked.error_code).toBe(403);
    expect(blocked.description).toBe("Forbidden: bot was blocked by the user");

    telegram.deactivateUser(BOB.id);
    expect((await apiError(bot.api.sendMessage(BOB.id, "hi"))).description).toBe("Forbidden: user is deactivated");

    const unknown = await apiError(bot.api.sendMessage(-100999, "hi"));
    expect(unknown.error_code).toBe(400);
    expect(unknown.description).toBe("Bad Request: chat not found");
    expect(telegram.sent).toHaveLength(0);

    telegram.addChat({ id: -4009, type: "group", title: "Old cohort" });
    telegram.markMigrated(-4009, -1000000004009);
    const upgraded = await apiError(bot.api.sendMessage(-4009, "hi"));
    expect(upgraded.error_code).toBe(400);
    expect(upgraded.parameters.migrate_to_chat_id).toBe(-1000000004009);
    const moved = await bot.api.sendMessage(-1000000004009, "hi again");
    expect(moved.chat).toMatchObject({ id: -1000000004009, type: "supergroup", title: "Old cohort" });
  });

  it("validates HTML like Telegram and returns parsed text with entities", async () => {
    telegram.addChat({ id: ALICE.id, type: "private", first_name: "Alice" });
    const html = (text: string) => bot.api.sendMessage(ALICE.id, text, { parse_mode: "HTML" });

    const unclosed = await apiError(html("<b>Week 1"));
    expect(unclosed.error_code).toBe(400);
    expect(unclosed.description).toBe("Bad Request: can't parse entities: Can't find end tag corresponding to start tag b");
    expect((await apiError(html("<b>x</i>"))).description).toBe(
      "Bad Request: can't parse entities: Unmatched end tag at byte offset 4, expected \"</b>\", found \"</i>\"",
    );
    expect((await apiError(html("<br>"))).description).toBe(
      "Bad Request: can't parse entities: Unsupported start tag \"br\" at byte offset 0",
    );
    expect((await apiError(html("1 < 2"))).description).toBe(
      "Bad Request: can't parse entities: Unsupported start tag \"\" at byte offset 2",
    );
    expect((await apiError(html("Q&A session"))).description).toMatch(/^Bad Request: can't parse entities: Unescaped '&'/);
    expect((await apiError(html('<span class="x">y</span>'))).description).toMatch(/Tag "span" must have class "tg-spoiler"/);

    const ok = await html('1 &lt; 2 &amp;&amp; <b>bold <i>both</i></b> <a href="https://example.org">link</a> &#128075;');
    expect(ok.text).toBe("1 < 2 && bold both link 👋");
    expect(ok.entities).toEqual([
      { type: "bold", offset: 9, length: 9 },
      { type: "italic", offset: 14, length: 4 },
      { type: "text_link", offset: 19, length: 4, url: "https://example.org/" },
    ]);
    const stored = telegram.messages.at(-1)!;
    expect(stored.text).toContain("&lt;"); // the fake keeps the raw text as sent
    expect(stored.parseMode).toBe("HTML");

    const pre = await html('<pre><code class="language-ts">const x = 1;</code></pre>');
    expect(pre.entities).toEqual([{ type: "pre", offset: 0, length: 12, language: "ts" }]);
  });

  it("validates MarkdownV2 escaping", async () => {
    telegram.addChat({ id: ALICE.id, type: "private", first_name: "Alice" });
    const md = (text: string) => bot.api.sendMessage(ALICE.id, text, { parse_mode: "MarkdownV2" });
    expect((await apiError(md("Session starts at 18.00"))).description).toBe(
      "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    );
    expect((await apiError(md("*bold"))).description).toBe(
      "Bad Request: can't parse entities: Can't find end of Bold entity at byte offset 0",
    );
    const ok = await md("*Week 1* starts at 18\\.00 \\- see [agenda](https://example.org/a)");
    expect(ok.text).toBe("Week 1 starts at 18.00 - see agenda");
    expect(ok.entities).toEqual([
      { type: "bold", offset: 0, length: 6 },
      { type: "text_link", offset: 29, length: 6, url: "https://example.org/a" },
    ]);
  });

  it("enforces the 4096 character limit after entity parsing, and non-empty text", async () => {
    telegram.addChat({ id: ALICE.id, type: "private", first_name: "Alice" });
    const tooLong = await apiError(bot.api.sendMessage(ALICE.id, "a".repeat(4097)));
    expect(tooLong.description).toBe("Bad Request: message is too long");
    const exactly = await bot.api.sendMessage(ALICE.id, `<b>${"a".repeat(4096)}</b>`, { parse_mode: "HTML" });
    expect(exactly.text).toHaveLength(4096);
    expect((await apiError(bot.api.sendMessage(ALICE.id, "   \n "))).description).toBe("Bad Request: message text is empty");
    expect((await apiError(bot.api.sendMessage(ALICE.id, "<b></b>", { parse_mode: "HTML" }))).description).toBe(
      "Bad Request: message text is empty",
    );
    const trimmed = await bot.api.sendMessage(ALICE.id, "  hi /start  ");
    expect(trimmed.text).toBe("hi /start");
    expect(trimmed.entities).toEqual([{ type: "bot_command", offset: 3, length: 6 }]);
  });

  it("sendDocument records an uploaded InputFile and serves it back via getFile", async () => {
    telegram.addChat({ id: ALICE.id, type: "private", first_name: "Alice" });
    const content = Buffer.from("name,week\nAlice,1\n", "utf8");
    const sent = await bot.api.sendDocument(ALICE.id, new InputFile(content, "roster week 1.csv"), {
      caption: "<b>Roster</b>",
      parse_mode: "HTML",
    });
    expect(sent.document).toMatchObject({ file_name: "roster week 1.csv", mime_type: "text/csv", file_size: content.length });
    expect(sent.caption).toBe("Roster");
    expect(sent.caption_entities).toEqual([{ type: "bold", offset: 0, length: 6 }]);

    const [document] = telegram.documents;
    expect(document).toMatchObject({ chatId: ALICE.id, source: "upload", fileName: "roster week 1.csv", caption: "<b>Roster</b>" });
    expect(document!.content!.equals(content)).toBe(true);
    expect(telegram.sent.map((s) => s.method)).toEqual(["sendDocument"]);

    const file = await bot.api.getFile(sent.document!.file_id);
    const download = await fetch(`${telegram.apiRoot}/file/bot${telegram.token}/${file.file_path}`);
    expect(Buffer.from(await download.arrayBuffer()).equals(content)).toBe(true);

    const again = await bot.api.sendDocument(ALICE.id, sent.document!.file_id);
    expect(again.document!.file_unique_id).toBe(sent.document!.file_unique_id);
    expect(telegram.documents[1]!.source).toBe("file_id");
    const wrong = await apiError(bot.api.sendDocument(ALICE.id, "not-a-file-id"));
    expect(wrong.description).toBe("Bad Request: wrong file identifier/HTTP URL specified");
  });

  it("checks replies, inline keyboards and deletions", async () => {
    telegram.addChat({ id: ALICE.id, type: "private", first_name: "Alice" });
    const missing = await apiError(bot.api.sendMessage(ALICE.id, "re", { reply_parameters: { message_id: 999 } }));
    expect(missing.description).toBe("Bad Request: message to be replied not found");
    const tooLongData = await apiError(
      bot.api.sendMessage(ALICE.id, "pick", { reply_markup: { inline_keyboard: [[{ text: "x", callback_data: "x".repeat(65) }]] } }),
    );
    expect(tooLongData.description).toBe("Bad Request: BUTTON_DATA_INVALID");
    const first = await bot.api.sendMessage(ALICE.id, "first");
    const reply = await bot.api.sendMessage(ALICE.id, "second", { reply_parameters: { message_id: first.message_id } });
    expect(reply.reply_to_message?.text).toBe("first");
    expect(await bot.api.deleteMessage(ALICE.id, first.message_id)).toBe(true);
    expect((await apiError(bot.api.deleteMessage(ALICE.id, first.message_id))).description).toBe(
      "Bad Request: message to delete not found",
    );
    expect(telegram.deletions).toMatchObject([{ chatId: ALICE.id, messageId: first.message_id }]);
  });

  it("answers getChat, getChatMember and leaveChat", async () => {
    telegram.injectMessage({ chat: GROUP, from: ALICE, text: "/start" });
    expect(await bot.api.getChat(GROUP.id)).toMatchObject({ id: GROUP.id, type: "group", title: "Cohort 7" });
    expect(await bot.api.getChatMember(GROUP.id, ALICE.id)).toMatchObject({ status: "member", user: { id: ALICE.id } });
    expect(await bot.api.getChatMember(GROUP.id, telegram.botInfo.id)).toMatchObject({ status: "member" });
    telegram.addUser(BOB);
    expect(await bot.api.getChatMember(GROUP.id, BOB.id)).toMatchObject({ status: "left" });
    expect((await apiError(bot.api.getChatMember(GROUP.id, 555))).description).toBe("Bad Request: user not found");

    expect(await bot.api.leaveChat(GROUP.id)).toBe(true);
    expect(telegram.pendingUpdates.at(-1)?.my_chat_member).toMatchObject({
      old_chat_member: { status: "member" },
      new_chat_member: { status: "left" },
    });
    expect((await apiError(bot.api.sendMessage(GROUP.id, "hi"))).description).toBe(
      "Forbidden: bot is not a member of the group chat",
    );
  });
});

describe("flood control", () => {
  it("storm mode answers the next sends with 429 and retry_after", async () => {
    await setup({ rateLimits: "off" });
    telegram.addChat({ id: ALICE.id, type: "private", first_name: "Alice" });
    telegram.storm(2, 7);
    for (let i = 0; i < 2; i++) {
      const error = await apiError(bot.api.sendMessage(ALICE.id, `try ${i}`));
      expect(error).toBeInstanceOf(GrammyError);
      expect(error.error_code).toBe(429);
      expect(error.description).toBe("Too Many Requests: retry after 7");
      expect(error.parameters.retry_after).toBe(7);
    }
    await bot.api.sendMessage(ALICE.id, "through");
    expect(telegram.tooManyRequestsCount).toBe(2);
    expect(telegram.messages.map((m) => m.text)).toEqual(["through"]);
    expect(telegram.acceptedSendTimestamps).toHaveLength(1);
  });

  it("limits one chat to about one message per second after a short burst", async () => {
    await setup(); // documented Telegram limits
    telegram.addChat({ id: ALICE.id, type: "private", first_name: "Alice" });
    const outcomes: Array<number | string> = [];
    for (let i = 0; i < 6; i++) {
      outcomes.push(await bot.api.sendMessage(ALICE.id, `m${i}`).then(() => "ok", (e: GrammyError) => e.parameters.retry_after ?? -1));
    }
    expect(outcomes.slice(0, 3)).toEqual(["ok", "ok", "ok"]);
    expect(outcomes.slice(3).every((o) => typeof o === "number" && o >= 1)).toBe(true);
    expect(telegram.tooManyRequestsCount).toBe(3);
    // another chat is not affected by this chat's limit
    telegram.addChat({ id: BOB.id, type: "private", first_name: "Bob" });
    await bot.api.sendMessage(BOB.id, "hello Bob");
  });

  it("limits a group to 20 messages per minute", async () => {
    await setup({ rateLimits: { perChatBurst: 100, perChatPerSecond: 100 } });
    telegram.addChat(GROUP);
    for (let i = 0; i < 20; i++) await bot.api.sendMessage(GROUP.id, `announcement ${i}`);
    const error = await apiError(bot.api.sendMessage(GROUP.id, "one too many"));
    expect(error.error_code).toBe(429);
    expect(error.parameters.retry_after).toBeGreaterThanOrEqual(59);
    expect(error.parameters.retry_after).toBeLessThanOrEqual(60);
  });

  it("limits broadcasts to about 30 messages per second overall", async () => {
    await setup();
    for (let i = 0; i < 31; i++) telegram.addChat({ id: 5000 + i, type: "private", first_name: `U${i}` });
    const results = await Promise.all(
      Array.from({ length: 31 }, (_, i) => bot.api.sendMessage(5000 + i, "broadcast").then(() => "ok", (e: GrammyError) => e.error_code)),
    );
    expect(results.filter((r) => r === "ok")).toHaveLength(30);
    expect(results.filter((r) => r === 429)).toHaveLength(1);
  });
});

describe("process hygiene", () => {
  it("bot.stop() and close() leave nothing that keeps the process alive", async () => {
    const script = fileURLToPath(new URL("./telegram/exit-check.ts", import.meta.url));
    const tsx = fileURLToPath(new URL("../../node_modules/.bin/tsx", import.meta.url));
    const started = Date.now();
    const output = await new Promise<string>((resolve, reject) => {
      execFile(tsx, [script], { timeout: 20_000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(stdout);
      });
    });
    expect(JSON.parse(output.trim().split("\n").at(-1)!)).toEqual({ done: true, left: [] });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
