// Proves the Slack fakes against the real @slack/web-api WebClient and the real @slack/bolt App
// (HTTP mode, default HTTPReceiver on an ephemeral port, endpoint /slack/events).
import type { AddressInfo } from "node:net";
import { App, LogLevel, type Logger } from "@slack/bolt";
import { ErrorCode, WebAPIPlatformError, WebAPIRateLimitedError, WebClient, WebClientEvent } from "@slack/web-api";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  appMentionEvent,
  channelLeftEvent,
  memberLeftChannelEvent,
  sendBlockAction,
  sendEvent,
  sendSlashCommand,
  sendUrlVerification,
  signSlackRequest,
  startSlackFake,
  startSocketModeFake,
  type BoltTarget,
  type FakeSlackChannel,
  type FakeSlackUser,
  type SlackFake,
  type SocketModeFake,
} from "./slack/index.ts";
import { WebSocket } from "ws";

const ADA: FakeSlackUser = { id: "U0HUMAN01", name: "ada", realName: "Ada Lovelace", locale: "fr-FR", tz: "Europe/Paris", email: "ada@example.org" };
const BOB: FakeSlackUser = { id: "U0HUMAN02", name: "bob", realName: "Bob Marley" };

const CHANNELS: FakeSlackChannel[] = [
  { id: "C0GENERAL", name: "general", isGeneral: true, members: [ADA.id, BOB.id] },
  { id: "C0OUTSIDE", name: "outside", botIsMember: false },
  { id: "C0ARCHIVE", name: "old-cohort", isArchived: true },
  { id: "G0PRIVATE", name: "coordinators", isPrivate: true, botIsMember: false },
  { id: "C0ADAONLY", name: "ada-only", members: [ADA.id] },
];

/** A Logger (for Bolt and WebClient) that keeps lines instead of printing them. */
function memoryLogger(): Logger & { lines: { level: string; text: string }[] } {
  let level = LogLevel.DEBUG;
  const lines: { level: string; text: string }[] = [];
  const write = (lvl: string) => (...msg: unknown[]) => void lines.push({ level: lvl, text: msg.map(String).join(" ") });
  return {
    lines,
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    setLevel: (l: LogLevel) => void (level = l),
    getLevel: () => level,
    setName: () => undefined,
  };
}

async function expectPlatformError(promise: Promise<unknown>, error: string): Promise<WebAPIPlatformError> {
  const caught = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(caught).toBeInstanceOf(WebAPIPlatformError);
  const platformError = caught as WebAPIPlatformError;
  expect(platformError.code).toBe(ErrorCode.PlatformError);
  expect(platformError.data.error).toBe(error);
  return platformError;
}

/** A Web API call without WebClient, to look at status codes and headers. */
async function rawCall(fake: SlackFake, method: string, args: Record<string, string>, init: { token?: string | null; json?: boolean } = {}) {
  const headers: Record<string, string> = {};
  const token = init.token === undefined ? fake.botToken : init.token;
  if (token && init.json) headers.Authorization = `Bearer ${token}`;
  const body = init.json
    ? JSON.stringify(args)
    : new URLSearchParams(token ? { token, ...args } : args).toString();
  headers["Content-Type"] = init.json ? "application/json; charset=utf-8" : "application/x-www-form-urlencoded";
  const response = await fetch(`${fake.apiUrl}${method}`, { method: "POST", headers, body });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

const noRetries = { retries: 0 };

describe("Slack Web API fake with the real WebClient", () => {
  let fake: SlackFake;
  let client: WebClient;

  beforeEach(async () => {
    fake = await startSlackFake({ users: [ADA, BOB], channels: CHANNELS });
    client = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, retryConfig: noRetries, logger: memoryLogger() });
  });

  afterEach(async () => {
    await fake.close();
  });

  it("answers auth.test with the bot identity and reports granted scopes in headers", async () => {
    const result = await client.auth.test();
    expect(result).toMatchObject({
      ok: true,
      url: "https://fake-workspace.slack.com/",
      team: fake.team.name,
      user: fake.bot.userName,
      team_id: fake.team.id,
      user_id: fake.bot.userId,
      bot_id: fake.bot.botId,
    });
    expect(result.response_metadata?.scopes).toContain("chat:write");
    expect(fake.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
  });

  it("refuses missing and wrong tokens like Slack (HTTP 200, not_authed / invalid_auth)", async () => {
    const anonymous = new WebClient(undefined, { slackApiUrl: fake.apiUrl, retryConfig: noRetries, logger: memoryLogger() });
    await expectPlatformError(anonymous.auth.test(), "not_authed");
    const wrong = new WebClient("xoxb-not-the-right-one", { slackApiUrl: fake.apiUrl, retryConfig: noRetries, logger: memoryLogger() });
    await expectPlatformError(wrong.chat.postMessage({ channel: "C0GENERAL", text: "hi" }), "invalid_auth");

    const wrongRaw = await rawCall(fake, "auth.test", {}, { token: "xoxb-wrong" });
    expect(wrongRaw.status).toBe(200);
    expect(wrongRaw.body).toEqual({ ok: false, error: "invalid_auth" });
    expect(fake.messages).toHaveLength(0);
  });

  it("accepts JSON bodies with a Bearer token, but not a token inside the JSON", async () => {
    const viaJson = await rawCall(fake, "chat.postMessage", { channel: "C0GENERAL", text: "json hello" }, { json: true });
    expect(viaJson.body).toMatchObject({ ok: true, channel: "C0GENERAL" });
    expect(fake.messages.at(-1)?.text).toBe("json hello");

    const response = await fetch(`${fake.apiUrl}auth.test`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: fake.botToken }),
    });
    // Slack also warns when a JSON body's Content-Type has no charset.
    expect(await response.json()).toEqual({ ok: false, error: "not_authed", warning: "missing_charset", response_metadata: { warnings: ["missing_charset"] } });

    const unknown = await rawCall(fake, "chat.doesNotExist", {});
    expect(unknown.body).toEqual({ ok: false, error: "unknown_method", req_method: "chat.doesNotExist" });
  });

  it("users.info returns locale only when include_locale=true", async () => {
    const plain = await client.users.info({ user: ADA.id });
    expect(plain.user?.id).toBe(ADA.id);
    expect(plain.user?.tz).toBe("Europe/Paris");
    expect(plain.user).not.toHaveProperty("locale");
    expect(plain.user?.profile).not.toHaveProperty("email"); // needs users:read.email

    const withLocale = await client.users.info({ user: ADA.id, include_locale: true });
    expect(withLocale.user?.locale).toBe("fr-FR");

    await expectPlatformError(client.users.info({ user: "U0NOBODY" }), "user_not_found");
  });

  it("answers missing_scope with needed/provided when the token lacks the scope", async () => {
    fake.setScopes(["chat:write", "commands"]);
    const error = await expectPlatformError(client.users.info({ user: ADA.id }), "missing_scope");
    expect(error.data).toMatchObject({ needed: "users:read", provided: "chat:write,commands" });
    expect(error.data.response_metadata?.acceptedScopes).toEqual(["users:read"]);
  });

  it("posts messages with unique increasing ts and records them", async () => {
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*Week 1* starts Monday" } }];
    const first = await client.chat.postMessage({ channel: "C0GENERAL", text: "Week 1 starts Monday", blocks });
    const second = await client.chat.postMessage({ channel: "#general", text: "reply", thread_ts: first.ts! });
    expect(first).toMatchObject({ ok: true, channel: "C0GENERAL" });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(first.message).toMatchObject({ type: "message", text: "Week 1 starts Monday", bot_id: fake.bot.botId, user: fake.bot.userId });
    expect(second.channel).toBe("C0GENERAL");

    expect(fake.messages).toHaveLength(2);
    expect(fake.messages[0]).toMatchObject({ kind: "message", channel: "C0GENERAL", text: "Week 1 starts Monday", ts: first.ts });
    expect(fake.messages[0]?.blocks?.[0]).toMatchObject(blocks[0]!);
    expect(fake.messages[1]).toMatchObject({ thread_ts: first.ts, text: "reply" });
    expect(fake.acceptedPostTimes).toHaveLength(2);
    expect(fake.requestCounts["chat.postMessage"]).toBe(2);
  });

  it("posting to a user id lands in the DM channel", async () => {
    const result = await client.chat.postMessage({ channel: ADA.id, text: "Welcome!" });
    expect(result.channel).toBe(fake.dmChannelId(ADA.id));
    expect(result.channel).toMatch(/^D/);
    expect(fake.messagesIn(result.channel!)).toHaveLength(1);
  });

  it("validates text length, block count and section text like chat.postMessage does", async () => {
    await expectPlatformError(client.chat.postMessage({ channel: "C0GENERAL", text: "x".repeat(40_001) }), "msg_too_long");
    await client.chat.postMessage({ channel: "C0GENERAL", text: "x".repeat(40_000) });

    const tooMany = Array.from({ length: 51 }, () => ({ type: "divider" as const }));
    const blocksError = await expectPlatformError(client.chat.postMessage({ channel: "C0GENERAL", text: "t", blocks: tooMany }), "invalid_blocks");
    expect(blocksError.data.response_metadata?.messages?.[0]).toContain("[json-pointer:/blocks]");

    const longSection = [{ type: "section", text: { type: "mrkdwn", text: "y".repeat(3001) } }];
    const sectionError = await expectPlatformError(client.chat.postMessage({ channel: "C0GENERAL", text: "t", blocks: longSection }), "invalid_blocks");
    expect(sectionError.data.response_metadata?.messages?.[0]).toBe("[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]");

    await expectPlatformError(client.chat.postMessage({ channel: "C0GENERAL", text: "" }), "no_text");
    expect(fake.messages).toHaveLength(1);
  });

  it("surfaces channel states as platform errors", async () => {
    const error = await expectPlatformError(client.chat.postMessage({ channel: "C0OUTSIDE", text: "hello?" }), "not_in_channel");
    expect(error.data.ok).toBe(false);
    await expectPlatformError(client.chat.postMessage({ channel: "C0NOSUCH", text: "hello?" }), "channel_not_found");
    await expectPlatformError(client.chat.postMessage({ channel: "C0ARCHIVE", text: "hello?" }), "is_archived");
    // A private channel the bot is not in is invisible to it.
    await expectPlatformError(client.chat.postMessage({ channel: "G0PRIVATE", text: "hello?" }), "channel_not_found");

    fake.setChannelState("C0GENERAL", "not_in_channel");
    await expectPlatformError(client.chat.postMessage({ channel: "C0GENERAL", text: "hi" }), "not_in_channel");
    fake.setChannelState("C0GENERAL", "unknown");
    await expectPlatformError(client.conversations.info({ channel: "C0GENERAL" }), "channel_not_found");
    expect(fake.messages).toHaveLength(0);
  });

  it("conversations.join makes the bot a member; conversations.info reflects it", async () => {
    expect((await client.conversations.info({ channel: "C0OUTSIDE" })).channel).toMatchObject({ id: "C0OUTSIDE", is_member: false, is_channel: true });
    const joined = await client.conversations.join({ channel: "C0OUTSIDE" });
    expect(joined.channel?.is_member).toBe(true);
    const again = await client.conversations.join({ channel: "C0OUTSIDE" });
    expect(again.warning).toBe("already_in_channel");
    await client.chat.postMessage({ channel: "C0OUTSIDE", text: "hello, I joined" });
    await expectPlatformError(client.conversations.join({ channel: "C0ARCHIVE" }), "is_archived");
    const info = await client.conversations.info({ channel: "C0GENERAL", include_num_members: true });
    expect(info.channel?.num_members).toBe(3);
  });

  it("chat.postEphemeral requires a user in the channel and returns message_ts; chat.update edits", async () => {
    await expect(client.chat.postEphemeral({ channel: "C0GENERAL", text: "psst" } as never)).rejects.toMatchObject({ data: { error: "invalid_arguments" } });
    const ephemeral = await client.chat.postEphemeral({ channel: "C0GENERAL", user: ADA.id, text: "only you" });
    expect(ephemeral.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(fake.messages.at(-1)).toMatchObject({ kind: "ephemeral", user: ADA.id, channel: "C0GENERAL", ts: ephemeral.message_ts });
    await expectPlatformError(client.chat.postEphemeral({ channel: "C0ADAONLY", user: BOB.id, text: "x" }), "user_not_in_channel");

    const posted = await client.chat.postMessage({ channel: "C0GENERAL", text: "draft" });
    const updated = await client.chat.update({ channel: "C0GENERAL", ts: posted.ts!, text: "final" });
    expect(updated).toMatchObject({ ok: true, channel: "C0GENERAL", ts: posted.ts, text: "final" });
    expect(fake.getMessage("C0GENERAL", posted.ts!)?.text).toBe("final");
    expect(fake.updates).toHaveLength(1);
    await expectPlatformError(client.chat.update({ channel: "C0GENERAL", ts: "1.000000", text: "x" }), "message_not_found");
  });

  it("filesUploadV2 with a CSV Buffer goes through getUploadURLExternal, the upload URL and completeUploadExternal", async () => {
    const csv = "name,week\nAda,1\nBob,2\n";
    const result = await client.filesUploadV2({
      channel_id: "C0GENERAL",
      file: Buffer.from(csv),
      filename: "roster.csv",
      title: "Cohort roster",
      initial_comment: "Here is the roster",
    });
    expect(result.ok).toBe(true);
    expect(fake.files).toHaveLength(1);
    const file = fake.files[0]!;
    expect(file).toMatchObject({
      filename: "roster.csv",
      title: "Cohort roster",
      channel_id: "C0GENERAL",
      initial_comment: "Here is the roster",
      size: Buffer.byteLength(csv),
      declaredLength: Buffer.byteLength(csv),
      mimetype: "text/csv",
    });
    expect(file.bytes.toString("utf8")).toBe(csv);
    expect(fake.requestCounts).toMatchObject({ "files.getUploadURLExternal": 1, "files.completeUploadExternal": 1 });

    await expect(
      client.filesUploadV2({ channel_id: "C0OUTSIDE", file: Buffer.from(csv), filename: "again.csv" }),
    ).rejects.toMatchObject({ data: { error: "not_in_channel" } });
  });

  it("a 429 storm is retried by WebClient after waiting Retry-After", async () => {
    const retrying = new WebClient(fake.botToken, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 3, minTimeout: 0, maxTimeout: 1 },
      logger: memoryLogger(),
    });
    const rateLimitedEvents: number[] = [];
    retrying.on(WebClientEvent.RATE_LIMITED, (seconds: number) => rateLimitedEvents.push(seconds));
    fake.startRateLimitStorm({ calls: 1, retryAfterSeconds: 1 });

    const started = Date.now();
    const result = await retrying.chat.postMessage({ channel: "C0GENERAL", text: "after the storm" });
    const elapsed = Date.now() - started;

    expect(result.ok).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(990);
    expect(rateLimitedEvents).toEqual([1]);
    expect(fake.rateLimitedCount).toBe(1);
    const [limited, accepted] = fake.requests.filter((r) => r.method === "chat.postMessage");
    expect(limited).toMatchObject({ httpStatus: 429, error: "ratelimited" });
    expect(accepted).toMatchObject({ httpStatus: 200, ok: true });
    expect(accepted!.timestamp - limited!.timestamp).toBeGreaterThanOrEqual(990);
    expect(fake.acceptedPostTimes).toHaveLength(1);
  });

  it("with rejectRateLimitedCalls the 429 surfaces as a rate-limit error without retrying", async () => {
    const rejecting = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, rejectRateLimitedCalls: true, logger: memoryLogger() });
    fake.startRateLimitStorm({ calls: 1, retryAfterSeconds: 7 });
    const started = Date.now();
    const error = await rejecting.chat.postMessage({ channel: "C0GENERAL", text: "x" }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(WebAPIRateLimitedError);
    expect(error).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });
    expect(fake.callCount("chat.postMessage")).toBe(1);
    expect(fake.messages).toHaveLength(0);
  });

  it("real limits: chat.postMessage paces one channel at ~1/s after a short burst (WebClient waits it out)", async () => {
    const paced = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 5, minTimeout: 0, maxTimeout: 1 }, logger: memoryLogger() });
    for (let i = 1; i <= 5; i += 1) await paced.chat.postMessage({ channel: "C0GENERAL", text: `message ${i}` });
    await paced.chat.postMessage({ channel: "C0ADAONLY", text: "another channel is not limited" });

    const times = fake.messagesIn("C0GENERAL").map((m) => m.timestamp);
    expect(times).toHaveLength(5);
    expect(times[2]! - times[0]!).toBeLessThan(500); // the burst
    expect(times[3]! - times[0]!).toBeGreaterThanOrEqual(990);
    expect(times[4]! - times[3]!).toBeGreaterThanOrEqual(990);
    expect(fake.rateLimitedCount).toBe(2);
    expect(fake.rateLimited.every((r) => r.channel === "C0GENERAL" && r.reason === "channel")).toBe(true);
  });
});

describe("Slack Web API fake: limits with a controlled clock", () => {
  let fake: SlackFake;
  let clock = 1_700_000_000_000;

  beforeEach(async () => {
    clock = 1_700_000_000_000;
    fake = await startSlackFake({ users: [ADA], channels: CHANNELS, now: () => clock, rateLimits: { methodTiers: true } });
  });

  afterEach(async () => {
    await fake.close();
  });

  it("answers HTTP 429 with Retry-After and {ok:false,error:'ratelimited'}", async () => {
    for (let i = 0; i < 3; i += 1) expect((await rawCall(fake, "chat.postMessage", { channel: "C0GENERAL", text: `m${i}` })).status).toBe(200);
    const limited = await rawCall(fake, "chat.postMessage", { channel: "C0GENERAL", text: "too fast" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(limited.body).toEqual({ ok: false, error: "ratelimited" });
    expect((await rawCall(fake, "chat.postMessage", { channel: "C0ADAONLY", text: "other channel" })).status).toBe(200);

    clock += 1000;
    expect((await rawCall(fake, "chat.postMessage", { channel: "C0GENERAL", text: "later" })).status).toBe(200);
    expect(fake.acceptedPostTimes).toEqual([clock - 1000, clock - 1000, clock - 1000, clock - 1000, clock]);
    expect(fake.messages[0]?.ts).toBe("1700000000.000000");
    expect(new Set(fake.messages.map((m) => m.ts)).size).toBe(5);
  });

  it("limits off accepts everything; storms still apply", async () => {
    fake.setRateLimits("off");
    for (let i = 0; i < 10; i += 1) expect((await rawCall(fake, "chat.postMessage", { channel: "C0GENERAL", text: `m${i}` })).status).toBe(200);
    fake.startRateLimitStorm({ calls: 2, retryAfterSeconds: 30, methods: ["users.info"] });
    expect((await rawCall(fake, "chat.postMessage", { channel: "C0GENERAL", text: "not in storm" })).status).toBe(200);
    const first = await rawCall(fake, "users.info", { user: ADA.id });
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("30");
    expect((await rawCall(fake, "users.info", { user: ADA.id })).status).toBe(429);
    expect((await rawCall(fake, "users.info", { user: ADA.id })).status).toBe(200);
    expect(fake.rateLimitedCount).toBe(2);
  });

  it("optional method tiers: users.info (Tier 4) allows 100 per minute", async () => {
    for (let i = 0; i < 100; i += 1) expect((await rawCall(fake, "users.info", { user: ADA.id })).status).toBe(200);
    clock += 15_000;
    const limited = await rawCall(fake, "users.info", { user: ADA.id });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("45");
    clock += 45_000;
    expect((await rawCall(fake, "users.info", { user: ADA.id })).status).toBe(200);
  });

  it("a response_url takes 5 posts within 30 minutes", async () => {
    const url = fake.createResponseUrl();
    const post = (body: unknown) => fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    for (let i = 0; i < 5; i += 1) expect((await post({ text: `update ${i}` })).status).toBe(200);
    const sixth = await post({ text: "one too many" });
    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toMatchObject({ error: "used_url" });

    const late = fake.createResponseUrl();
    clock += 31 * 60 * 1000;
    expect((await fetch(late, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text: "late" }) })).status).toBe(404);
    expect(fake.responses).toHaveLength(5);
  });
});

describe("signSlackRequest", () => {
  it("matches Slack's documented example signature", () => {
    // Example from https://api.slack.com/authentication/verifying-requests-from-slack
    const body =
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    const headers = signSlackRequest("8f742231b10e8888abcd99yyyzzz85a5", body, 1531420618);
    expect(headers).toEqual({
      "X-Slack-Request-Timestamp": "1531420618",
      "X-Slack-Signature": "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
    });
  });
});

describe("real Bolt App (HTTP mode, /slack/events on an ephemeral port) against the fake", () => {
  const signingSecret = "test-signing-secret-0123456789abcdef";
  let fake: SlackFake;
  let app: App;
  let target: BoltTarget;
  const logger = memoryLogger();
  const seen = {
    commands: [] as { command: string; text: string; channel_id: string }[],
    mentions: [] as { user: string; text: string; channel: string }[],
    memberLeft: [] as { user: string; channel: string }[],
    channelLeft: [] as string[],
    actions: [] as string[],
    caughtErrors: [] as string[],
  };

  beforeAll(async () => {
    fake = await startSlackFake({ users: [ADA, BOB], channels: CHANNELS });
    app = new App({
      token: fake.botToken,
      signingSecret,
      endpoints: "/slack/events",
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: noRetries },
      logger,
    });

    app.command("/register", async ({ command, ack, respond, client }) => {
      seen.commands.push({ command: command.command, text: command.text, channel_id: command.channel_id });
      await ack();
      await respond({ response_type: "ephemeral", text: `Registered for ${command.text}` });
      try {
        await client.chat.postMessage({ channel: command.channel_id, text: `<@${command.user_id}> registered for ${command.text}` });
      } catch (error) {
        if (error instanceof WebAPIPlatformError) {
          seen.caughtErrors.push(error.data.error ?? "");
          await respond({ response_type: "ephemeral", text: "Please invite me to this channel first." });
        } else throw error;
      }
    });

    app.event("app_mention", async ({ event, say }) => {
      seen.mentions.push({ user: event.user ?? "", text: event.text, channel: event.channel });
      await say({ text: "Hi! Try /register.", thread_ts: event.ts });
    });
    app.event("member_left_channel", async ({ event }) => {
      seen.memberLeft.push({ user: event.user, channel: event.channel });
    });
    app.event("channel_left", async ({ event }) => {
      seen.channelLeft.push(event.channel);
    });
    app.action("confirm_attendance", async ({ ack, action, respond }) => {
      await ack();
      seen.actions.push("value" in action ? String(action.value) : "");
      await respond({ replace_original: true, text: "Attendance confirmed" });
    });

    // Port 0 = ephemeral; start() resolves with the node http.Server.
    const server = await app.start({ port: 0, host: "127.0.0.1" });
    const { port } = server.address() as AddressInfo;
    target = { url: `http://127.0.0.1:${port}/slack/events`, signingSecret, workspace: fake };
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it("calls auth.test at start-up (Bolt's token verification)", async () => {
    await fake.waitFor((f) => f.callCount("auth.test") >= 1);
  });

  it("a signed slash command reaches app.command: ack, respond() to response_url, chat.postMessage to the channel", async () => {
    const result = await sendSlashCommand(target, { command: "/register", text: "spring cohort", channel_id: "C0GENERAL", user_id: ADA.id });
    expect(result.status).toBe(200);
    expect(result.body).toBe("");

    const response = await fake.waitFor((f) => f.responses.find((r) => r.url === result.payload.response_url));
    expect(response).toMatchObject({ response_type: "ephemeral", visibility: "ephemeral", text: "Registered for spring cohort" });
    const message = await fake.waitFor((f) => f.messages.find((m) => m.text?.includes("registered for spring cohort")));
    expect(message).toMatchObject({ kind: "message", channel: "C0GENERAL", text: `<@${ADA.id}> registered for spring cohort` });
    expect(seen.commands).toContainEqual({ command: "/register", text: "spring cohort", channel_id: "C0GENERAL" });
  });

  it("not_in_channel inside a handler is a WebAPIPlatformError the app can handle", async () => {
    const result = await sendSlashCommand(target, { command: "/register", text: "x", channel_id: "C0OUTSIDE", channel_name: "outside", user_id: ADA.id });
    expect(result.status).toBe(200);
    await fake.waitFor((f) => f.responses.find((r) => r.url === result.payload.response_url && r.text?.includes("invite me")));
    expect(seen.caughtErrors).toContain("not_in_channel");
    expect(fake.messagesIn("C0OUTSIDE")).toHaveLength(0);
  });

  it("rejects a bad signature, a stale timestamp and a missing signature with 401 before any handler", async () => {
    const before = seen.commands.length;
    const bad = await sendSlashCommand(target, { command: "/register", text: "forged" }, { signature: "bad" });
    const stale = await sendSlashCommand(target, { command: "/register", text: "replayed" }, { stale: true });
    const missing = await sendSlashCommand(target, { command: "/register", text: "unsigned" }, { signature: "missing" });
    const staleEvent = await sendEvent(target, appMentionEvent({ user: ADA.id, channel: "C0GENERAL", text: "<@U0FAKEBOT> old" }), { stale: true });
    expect([bad.status, stale.status, missing.status, staleEvent.status]).toEqual([401, 401, 401, 401]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen.commands.length).toBe(before);
    expect(seen.mentions.some((m) => m.text.includes("old"))).toBe(false);
    expect(fake.responses.some((r) => r.text?.includes("forged") || r.text?.includes("replayed"))).toBe(false);
  });

  it("answers url_verification with the challenge", async () => {
    const result = await sendUrlVerification(target, "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" });
  });

  it("delivers an app_mention event; say() in thread is recorded by the fake", async () => {
    const event = appMentionEvent({ user: BOB.id, channel: "C0GENERAL", text: `<@${fake.bot.userId}> how do I sign up?` });
    const result = await sendEvent(target, event);
    expect(result.status).toBe(200);
    const reply = await fake.waitFor((f) => f.messages.find((m) => m.thread_ts === event.ts));
    expect(reply).toMatchObject({ channel: "C0GENERAL", text: "Hi! Try /register." });
    expect(seen.mentions).toContainEqual({ user: BOB.id, text: `<@${fake.bot.userId}> how do I sign up?`, channel: "C0GENERAL" });
  });

  it("delivers member_left_channel and channel_left events", async () => {
    expect((await sendEvent(target, memberLeftChannelEvent({ user: BOB.id, channel: "C0GENERAL" }))).status).toBe(200);
    expect((await sendEvent(target, channelLeftEvent({ channel: "C0ADAONLY", actor_id: ADA.id }))).status).toBe(200);
    await expect.poll(() => seen.memberLeft).toContainEqual({ user: BOB.id, channel: "C0GENERAL" });
    await expect.poll(() => seen.channelLeft).toContain("C0ADAONLY");
  });

  it("delivers a block_actions interaction; respond() replaces the original", async () => {
    const result = await sendBlockAction(target, { action_id: "confirm_attendance", value: "week-2", user_id: ADA.id });
    expect(result.status).toBe(200);
    const response = await fake.waitFor((f) => f.responses.find((r) => r.url === result.payload.response_url));
    expect(response).toMatchObject({ replace_original: true, text: "Attendance confirmed" });
    expect(seen.actions).toContain("week-2");
  });

  it("Bolt logged no errors", () => {
    expect(logger.lines.filter((l) => l.level === "error")).toEqual([]);
  });
});

describe("Socket Mode fake", () => {
  let fake: SlackFake;
  let socketMode: SocketModeFake;

  beforeEach(async () => {
    fake = await startSlackFake({ users: [ADA], channels: CHANNELS });
    socketMode = await startSocketModeFake(fake);
  });

  afterEach(async () => {
    await socketMode.close();
    await fake.close();
  });

  it("opens connections only for the app-level token, and the app-level token for nothing else", async () => {
    const app = new WebClient(fake.appToken, { slackApiUrl: fake.apiUrl, retryConfig: noRetries, logger: memoryLogger() });
    const opened = await app.apps.connections.open();
    expect(opened.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\?ticket=[a-z0-9]+&app_id=A0FAKEAPP$/);
    await expectPlatformError(app.chat.postMessage({ channel: "C0GENERAL", text: "x" }), "not_allowed_token_type");
    const bot = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, retryConfig: noRetries, logger: memoryLogger() });
    await expectPlatformError(bot.apps.connections.open(), "not_allowed_token_type");
  });

  it("greets a connection with hello, takes each ticket once, and waits for acknowledgements", async () => {
    const { url } = await new WebClient(fake.appToken, { slackApiUrl: fake.apiUrl, retryConfig: noRetries, logger: memoryLogger() }).apps.connections.open();
    const socket = new WebSocket(url!);
    const received: Record<string, unknown>[] = [];
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as Record<string, unknown>;
      received.push(message);
      if (typeof message.envelope_id === "string") socket.send(JSON.stringify({ envelope_id: message.envelope_id, payload: { text: "ok" } }));
    });
    await new Promise((resolve) => socket.once("open", resolve));
    await socketMode.waitForConnections(1);
    const { payload, ack } = await socketMode.sendSlashCommand({ command: "/o4p", text: "help", user_id: ADA.id });
    expect(received[0]).toMatchObject({ type: "hello", connection_info: { app_id: "A0FAKEAPP" } });
    expect(received[1]).toMatchObject({ type: "slash_commands", accepts_response_payload: true, payload: { command: "/o4p", text: "help", response_url: payload.response_url } });
    expect(ack.payload).toEqual({ text: "ok" });

    const again = new WebSocket(url!);
    const closed = await new Promise<number>((resolve) => again.once("close", (code) => resolve(code)));
    expect(closed).toBe(1008);
    socket.close();
  });
});
