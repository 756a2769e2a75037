// A local fake of the Slack Web API (https://api.slack.com/methods) for tests and benchmarks.
// Node built-ins only. Point the real clients at it:
//   new WebClient(token, { slackApiUrl: fake.apiUrl })
//   new App({ token, signingSecret, clientOptions: { slackApiUrl: fake.apiUrl } })
// It also serves the `upload_url`s that files.getUploadURLExternal hands out and `response_url`s for
// slash commands / interactions (what Bolt's `respond()` posts to).
//
// Conventions copied from Slack: every Web API answer is HTTP 200 with {"ok":true|false,...} except
// rate limiting (HTTP 429 + Retry-After); tokens come from `Authorization: Bearer` or a `token`
// form/query parameter (never from a JSON body); form values arrive as strings, JSON-typed
// arguments (blocks, files, ...) as JSON-encoded strings or, in JSON bodies, as real values.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { validateBlocks } from "./blocks.ts";
import { RateLimiter, resolveRateLimitSettings, type RateLimitOption, type RateLimitStorm } from "./rate-limits.ts";
import {
  DEFAULT_APP_TOKEN,
  DEFAULT_BOT,
  DEFAULT_BOT_SCOPES,
  DEFAULT_BOT_TOKEN,
  DEFAULT_TEAM,
  TsClock,
  randomSlackId,
  type FakeBotIdentity,
  type FakeTeam,
} from "./workspace.ts";

// ---------------------------------------------------------------------------------------------
// Public types

export interface FakeSlackUser {
  id: string;
  name: string;
  realName?: string;
  displayName?: string;
  /** Returned in profile.email only when the token has users:read.email. */
  email?: string;
  tz?: string;
  tzLabel?: string;
  tzOffset?: number;
  /** Returned only when users.info is called with include_locale=true. Default "en-US". */
  locale?: string;
  isBot?: boolean;
  isAdmin?: boolean;
  deleted?: boolean;
}

export interface FakeSlackChannel {
  id: string;
  name: string;
  isPrivate?: boolean;
  isArchived?: boolean;
  /** Whether the bot is a member. Default true. */
  botIsMember?: boolean;
  /** Human members. When given, chat.postEphemeral to anyone else fails with user_not_in_channel. */
  members?: string[];
  isGeneral?: boolean;
  topic?: string;
  purpose?: string;
}

/** Shorthand states: member (default), bot not in channel, archived, or unknown (deleted). */
export type ChannelState = "member" | "not_in_channel" | "archived" | "unknown";

export interface SlackFakeOptions {
  /** The only valid token. Default DEFAULT_BOT_TOKEN. */
  botToken?: string;
  /** The app-level token, valid only for apps.connections.open. Default DEFAULT_APP_TOKEN. */
  appToken?: string;
  team?: Partial<FakeTeam>;
  bot?: Partial<FakeBotIdentity>;
  /** Scopes granted to the token (drive missing_scope). Default DEFAULT_BOT_SCOPES. */
  scopes?: readonly string[];
  users?: FakeSlackUser[];
  /** Default: one public channel C0GENERAL (#general) the bot is in. */
  channels?: FakeSlackChannel[];
  /** "real" (default), "off", or detailed settings. */
  rateLimits?: RateLimitOption;
  /** Clock in ms (rate limits, timestamps). Default Date.now. */
  now?: () => number;
}

export interface RecordedMessage {
  kind: "message" | "ephemeral";
  channel: string;
  text: string | undefined;
  blocks: unknown[] | undefined;
  attachments: unknown[] | undefined;
  thread_ts: string | undefined;
  /** Recipient of an ephemeral message. */
  user: string | undefined;
  /** Message ts (message_ts for ephemeral). */
  ts: string;
  /** When the fake accepted it (ms since epoch). */
  timestamp: number;
  /** The arguments as received, token removed. */
  args: Record<string, unknown>;
}

export interface RecordedUpdate {
  channel: string;
  ts: string;
  text: string | undefined;
  blocks: unknown[] | undefined;
  timestamp: number;
  args: Record<string, unknown>;
}

export interface RecordedFile {
  id: string;
  filename: string;
  title: string | undefined;
  bytes: Buffer;
  size: number;
  /** `length` announced to files.getUploadURLExternal. */
  declaredLength: number;
  mimetype: string;
  filetype: string;
  channel_id: string | undefined;
  /** All channels it was shared to (channel_id or the comma-separated `channels`). */
  channels: string[];
  initial_comment: string | undefined;
  thread_ts: string | undefined;
  alt_text: string | undefined;
  snippet_type: string | undefined;
  completedAt: number;
}

export interface RecordedResponse {
  /** Id in /response/<id>. */
  id: string;
  url: string;
  body: Record<string, unknown>;
  response_type: string | undefined;
  /** What Slack shows: response_type defaults to ephemeral. */
  visibility: "ephemeral" | "in_channel";
  text: string | undefined;
  blocks: unknown[] | undefined;
  replace_original: boolean | undefined;
  delete_original: boolean | undefined;
  thread_ts: string | undefined;
  timestamp: number;
}

export interface RecordedRequest {
  method: string;
  httpStatus: number;
  ok: boolean;
  error: string | undefined;
  timestamp: number;
  contentType: string | undefined;
  args: Record<string, unknown>;
}

export interface RecordedRateLimit {
  method: string;
  channel: string | undefined;
  retryAfterSeconds: number;
  reason: "storm" | "channel" | "tier";
  timestamp: number;
}

// ---------------------------------------------------------------------------------------------
// Internal types and helpers

type Json = Record<string, unknown>;
type Params = Record<string, unknown>;

interface ApiResult {
  status: number;
  body: Json;
  headers?: Record<string, string>;
}

interface ChannelRecord {
  id: string;
  name: string;
  kind: "public" | "private" | "im";
  isArchived: boolean;
  botIsMember: boolean;
  members: string[] | undefined;
  isGeneral: boolean;
  topic: string;
  purpose: string;
  created: number;
  /** For DMs: the other user. */
  imUser?: string;
}

interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[] | undefined;
  thread_ts: string | undefined;
  edited?: { user: string; ts: string };
}

interface PendingUpload {
  id: string;
  uploadKey: string;
  filename: string;
  declaredLength: number;
  alt_text: string | undefined;
  snippet_type: string | undefined;
  bytes: Buffer | undefined;
  completed: boolean;
}

interface ResponseUrlState {
  id: string;
  createdAt: number;
  uses: number;
}

interface Waiter {
  check: () => boolean;
  cancel: (error: Error) => void;
}

/** Documented text limit; longer text is refused with msg_too_long. */
export const MAX_MESSAGE_TEXT = 40_000;
/** A response_url accepts 5 posts within 30 minutes. */
export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

/** Scopes a method accepts (any one of them is enough), as in the X-Accepted-OAuth-Scopes header. */
const METHOD_SCOPES: Record<string, readonly string[]> = {
  "auth.test": [],
  "chat.postMessage": ["chat:write"],
  "chat.postEphemeral": ["chat:write"],
  "chat.update": ["chat:write"],
  "users.info": ["users:read"],
  "conversations.info": ["channels:read", "groups:read", "im:read", "mpim:read"],
  "conversations.join": ["channels:join"],
  "conversations.open": ["channels:manage", "groups:write", "im:write", "mpim:write"],
  "files.getUploadURLExternal": ["files:write"],
  "files.completeUploadExternal": ["files:write"],
};

/** Methods called with the app-level token (https://docs.slack.dev/reference/methods/apps.connections.open). */
const APP_LEVEL_METHODS = new Set(["apps.connections.open"]);

const ok = (body: Json = {}): ApiResult => ({ status: 200, body: { ok: true, ...body } });
const fail = (error: string, extra: Json = {}): ApiResult => ({ status: 200, body: { ok: false, error, ...extra } });
/** Slack's generic answer for a missing/invalid argument on newer methods. */
const invalidArguments = (...messages: string[]): ApiResult =>
  fail("invalid_arguments", { response_metadata: { messages: messages.map((m) => `[ERROR] ${m}`) } });

function getString(params: Params, key: string): string | undefined {
  const value = params[key];
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

function getBool(params: Params, key: string): boolean {
  const value = params[key];
  return value === true || value === "true" || value === "1" || value === 1;
}

const INVALID_JSON = Symbol("invalid json");

/** A JSON-typed argument: JSON-encoded string (form) or a real value (JSON body). */
function getJson(params: Params, key: string): unknown {
  const value = params[key];
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return INVALID_JSON;
  }
}

const charCount = (text: string) => [...text].length;

function withoutToken(params: Params): Params {
  const { token: _token, ...rest } = params;
  return rest;
}

function mediaType(header: string | undefined): string | undefined {
  return header?.split(";")[0]?.trim().toLowerCase() || undefined;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Parses multipart/form-data with the platform's own parser (undici's Response.formData). */
async function parseMultipart(raw: Buffer, contentType: string): Promise<{ fields: Params; files: { name: string; filename: string; bytes: Buffer }[] }> {
  const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
  const fields: Params = {};
  const files: { name: string; filename: string; bytes: Buffer }[] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === "string") fields[name] = value;
    else files.push({ name, filename: value.name, bytes: Buffer.from(await value.arrayBuffer()) });
  }
  return { fields, files };
}

const FILE_TYPES: Record<string, { mimetype: string; filetype: string; pretty: string }> = {
  csv: { mimetype: "text/csv", filetype: "csv", pretty: "CSV" },
  txt: { mimetype: "text/plain", filetype: "text", pretty: "Plain Text" },
  json: { mimetype: "application/json", filetype: "json", pretty: "JSON" },
  md: { mimetype: "text/plain", filetype: "markdown", pretty: "Markdown (raw)" },
  pdf: { mimetype: "application/pdf", filetype: "pdf", pretty: "PDF" },
  png: { mimetype: "image/png", filetype: "png", pretty: "PNG" },
  jpg: { mimetype: "image/jpeg", filetype: "jpg", pretty: "JPEG" },
  ics: { mimetype: "text/calendar", filetype: "calendar", pretty: "Calendar" },
};

function fileTypeOf(filename: string) {
  const ext = filename.includes(".") ? filename.split(".").pop()!.toLowerCase() : "";
  return FILE_TYPES[ext] ?? { mimetype: "application/octet-stream", filetype: "binary", pretty: "Binary" };
}

// ---------------------------------------------------------------------------------------------
// The fake

export class SlackFake {
  /** Base for WebClient `slackApiUrl`: http://127.0.0.1:<port>/api/ */
  readonly apiUrl: string;
  /** http://127.0.0.1:<port> */
  readonly baseUrl: string;
  readonly botToken: string;
  readonly appToken: string;
  readonly team: FakeTeam;
  readonly bot: FakeBotIdentity;
  /** Serves Socket Mode connections once startSocketModeFake (socket-mode.ts) attached it. */
  socketMode: { issueUrl(): string } | undefined;

  /** Accepted chat.postMessage / chat.postEphemeral calls, in order. */
  readonly messages: RecordedMessage[] = [];
  /** Accepted chat.update calls. */
  readonly updates: RecordedUpdate[] = [];
  /** Files completed with files.completeUploadExternal. */
  readonly files: RecordedFile[] = [];
  /** Posts received on response_urls. */
  readonly responses: RecordedResponse[] = [];
  /** Every Web API call (including refused and rate-limited ones). */
  readonly requests: RecordedRequest[] = [];
  /** Every 429 the fake answered. */
  readonly rateLimited: RecordedRateLimit[] = [];

  private readonly server: Server;
  private readonly now: () => number;
  private readonly clock: TsClock;
  private readonly limiter: RateLimiter;
  private scopes: Set<string>;
  private readonly users = new Map<string, FakeSlackUser>();
  private readonly channels = new Map<string, ChannelRecord>();
  private readonly history = new Map<string, Map<string, StoredMessage>>();
  private readonly uploads = new Map<string, PendingUpload>();
  private readonly responseUrls = new Map<string, ResponseUrlState>();
  private readonly injectedErrors: { method: string; remaining: number; body: Json }[] = [];
  private readonly waiters = new Set<Waiter>();
  private counter = 0;

  /** Use startSlackFake(). */
  constructor(server: Server, port: number, options: SlackFakeOptions) {
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.baseUrl}/api/`;
    this.botToken = options.botToken ?? DEFAULT_BOT_TOKEN;
    this.appToken = options.appToken ?? DEFAULT_APP_TOKEN;
    this.team = { ...DEFAULT_TEAM, ...options.team };
    this.bot = { ...DEFAULT_BOT, ...options.bot };
    this.now = options.now ?? Date.now;
    this.clock = new TsClock(this.now);
    this.limiter = new RateLimiter(resolveRateLimitSettings(options.rateLimits), this.now);
    this.scopes = new Set(options.scopes ?? DEFAULT_BOT_SCOPES);
    this.addUser({ id: this.bot.userId, name: this.bot.userName, realName: this.bot.name, isBot: true });
    for (const user of options.users ?? []) this.addUser(user);
    const channels = options.channels ?? [{ id: "C0GENERAL", name: "general", isGeneral: true }];
    for (const channel of channels) this.setChannel(channel);
  }

  // ----- configuration -----------------------------------------------------------------------

  addUser(user: FakeSlackUser): void {
    this.users.set(user.id, user);
  }

  /** Create or replace a channel. */
  setChannel(channel: FakeSlackChannel): void {
    const existing = this.channels.get(channel.id);
    this.channels.set(channel.id, {
      id: channel.id,
      name: channel.name,
      kind: channel.isPrivate ? "private" : "public",
      isArchived: channel.isArchived ?? false,
      botIsMember: channel.botIsMember ?? true,
      members: channel.members ? [...channel.members] : undefined,
      isGeneral: channel.isGeneral ?? false,
      topic: channel.topic ?? "",
      purpose: channel.purpose ?? "",
      created: existing?.created ?? Math.floor(this.now() / 1000) - 86_400,
    });
  }

  /** Put a channel in a state; "unknown" removes it (channel_not_found from then on). */
  setChannelState(channelId: string, state: ChannelState): void {
    if (state === "unknown") {
      this.channels.delete(channelId);
      return;
    }
    const channel = this.channels.get(channelId);
    if (!channel) {
      this.setChannel({ id: channelId, name: channelId.toLowerCase(), botIsMember: state !== "not_in_channel", isArchived: state === "archived" });
      return;
    }
    channel.botIsMember = state !== "not_in_channel";
    channel.isArchived = state === "archived";
  }

  /** Replace the token's scopes (a method needing a scope not listed answers missing_scope). */
  setScopes(scopes: readonly string[]): void {
    this.scopes = new Set(scopes);
  }

  setRateLimits(option: RateLimitOption): void {
    this.limiter.settings = resolveRateLimitSettings(option);
  }

  /** The next `calls` Web API calls (optionally only of `methods`) get 429 with this Retry-After. */
  startRateLimitStorm(options: { calls: number; retryAfterSeconds: number; methods?: readonly string[] }): void {
    const storm: RateLimitStorm = { remaining: options.calls, retryAfterSeconds: options.retryAfterSeconds };
    if (options.methods) storm.methods = options.methods;
    this.limiter.startStorm(storm);
  }

  stopRateLimitStorm(): void {
    this.limiter.stopStorm();
  }

  /** The next `times` calls of `method` (after authentication) answer {ok:false, error, ...extra}. */
  failNext(method: string, error: string, options: { times?: number; extra?: Json } = {}): void {
    this.injectedErrors.push({ method, remaining: options.times ?? 1, body: { ok: false, error, ...options.extra } });
  }

  /** A fresh response_url served by this fake. */
  createResponseUrl(): string {
    const id = `${this.team.id}/${randomSlackId("", 13)}/${randomSlackId("", 24).toLowerCase()}`;
    this.responseUrls.set(id, { id, createdAt: this.now(), uses: 0 });
    return `${this.baseUrl}/response/${id}`;
  }

  // ----- introspection -----------------------------------------------------------------------

  /** Calls per Web API method (all outcomes). */
  get requestCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const request of this.requests) counts[request.method] = (counts[request.method] ?? 0) + 1;
    return counts;
  }

  callCount(method: string): number {
    return this.requests.filter((r) => r.method === method).length;
  }

  get rateLimitedCount(): number {
    return this.rateLimited.length;
  }

  /** ms timestamps of every accepted chat.postMessage. */
  get acceptedPostTimes(): number[] {
    return this.messages.filter((m) => m.kind === "message").map((m) => m.timestamp);
  }

  messagesIn(channel: string): RecordedMessage[] {
    return this.messages.filter((m) => m.channel === channel);
  }

  /** Current state of a posted message (after chat.update). */
  getMessage(channel: string, ts: string): { text: string; blocks: unknown[] | undefined; thread_ts: string | undefined } | undefined {
    const stored = this.history.get(channel)?.get(ts);
    return stored ? { text: stored.text, blocks: stored.blocks, thread_ts: stored.thread_ts } : undefined;
  }

  /** The DM channel id the fake uses for a user (what chat.postMessage to a user id returns). */
  dmChannelId(userId: string): string {
    return `D${userId.slice(1)}`;
  }

  /**
   * Resolves with the predicate's first truthy result; it is re-checked after every recorded
   * request, message, file or response. Rejects after timeoutMs.
   */
  waitFor<T>(predicate: (fake: SlackFake) => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
    const first = predicate(this);
    if (first) return Promise.resolve(first);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          let result: T | undefined | null | false;
          try {
            result = predicate(this);
          } catch (error) {
            finish();
            reject(error);
            return true;
          }
          if (!result) return false;
          finish();
          resolve(result);
          return true;
        },
        cancel: (error) => {
          finish();
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`SlackFake.waitFor timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
    });
  }

  /** Forget everything recorded and all rate-limit state; keeps users, channels, scopes. */
  reset(): void {
    this.messages.length = 0;
    this.updates.length = 0;
    this.files.length = 0;
    this.responses.length = 0;
    this.requests.length = 0;
    this.rateLimited.length = 0;
    this.history.clear();
    this.uploads.clear();
    this.injectedErrors.length = 0;
    this.limiter.reset();
  }

  /** Stops the server (dropping open connections) and rejects pending waitFor calls. */
  async close(): Promise<void> {
    for (const waiter of [...this.waiters]) {
      if (!waiter.check()) waiter.cancel(new Error("SlackFake closed while waiting"));
    }
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ----- HTTP --------------------------------------------------------------------------------

  /** @internal request entry point */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.baseUrl);
    const raw = await readBody(req);
    if (url.pathname.startsWith("/api/")) {
      await this.handleApi(url, req, raw, res);
    } else if (url.pathname.startsWith("/upload/v1/") && req.method === "POST") {
      await this.handleUpload(url.pathname.slice("/upload/v1/".length), req, raw, res);
    } else if (url.pathname.startsWith("/response/") && req.method === "POST") {
      this.handleResponseUrl(decodeURIComponent(url.pathname.slice("/response/".length)), req, raw, res);
    } else {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
    this.notify();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter.check();
  }

  private async handleApi(url: URL, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const method = url.pathname.slice("/api/".length);
    const contentType = req.headers["content-type"];
    const type = mediaType(contentType);
    const warnings: string[] = [];

    // Arguments: query string, then the body (form, JSON or multipart).
    const params: Params = Object.fromEntries(url.searchParams);
    let bodyToken: string | undefined;
    let malformedJson = false;
    if (raw.length > 0 && req.method === "POST") {
      if (type === "application/json") {
        try {
          const parsed = JSON.parse(raw.toString("utf8")) as unknown;
          if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) Object.assign(params, parsed);
          else malformedJson = true;
        } catch {
          malformedJson = true;
        }
        // Slack ignores a token inside a JSON body: it must come as a Bearer header.
        delete params.token;
        if (!/charset=/i.test(contentType ?? "")) warnings.push("missing_charset");
      } else if (type === "multipart/form-data" && contentType) {
        const { fields, files } = await parseMultipart(raw, contentType);
        Object.assign(params, fields);
        for (const file of files) params[file.name] = file.bytes;
        bodyToken = getString(fields, "token");
      } else {
        const form = Object.fromEntries(new URLSearchParams(raw.toString("utf8")));
        Object.assign(params, form);
        bodyToken = getString(form, "token");
      }
    }

    const result = malformedJson ? fail("invalid_json") : this.dispatch(method, params, req.headers.authorization, bodyToken ?? getString(params, "token"));
    if (warnings.length > 0 && result.status === 200) {
      result.body.warning = warnings.join(",");
      const metadata = (result.body.response_metadata as Json | undefined) ?? {};
      result.body.response_metadata = { ...metadata, warnings };
    }
    this.requests.push({
      method,
      httpStatus: result.status,
      ok: result.body.ok === true,
      error: typeof result.body.error === "string" ? result.body.error : undefined,
      timestamp: this.now(),
      contentType,
      args: withoutToken(params),
    });
    res.writeHead(result.status, { "content-type": "application/json; charset=utf-8", ...result.headers });
    res.end(JSON.stringify(result.body));
  }

  private dispatch(method: string, params: Params, authorization: string | undefined, paramToken: string | undefined): ApiResult {
    const handler = this.handlers[method];
    if (!handler) return fail("unknown_method", { req_method: method });

    const storm = this.limiter.checkStorm(method);
    if (storm.limited) return this.tooManyRequests(method, undefined, storm.retryAfterSeconds, storm.reason);

    const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
    const token = bearer ?? paramToken;
    if (!token) return fail("not_authed");
    // App-level tokens (xapp-) work only for app-level methods, and bot tokens not for those.
    const appLevel = APP_LEVEL_METHODS.has(method);
    if (token === (appLevel ? this.botToken : this.appToken)) return fail("not_allowed_token_type");
    if (token !== (appLevel ? this.appToken : this.botToken)) return fail("invalid_auth");

    const accepted = METHOD_SCOPES[method] ?? [];
    const scopeHeaders: Record<string, string> = { "x-oauth-scopes": [...this.scopes].join(",") };
    if (accepted.length > 0) scopeHeaders["x-accepted-oauth-scopes"] = accepted.join(",");
    if (accepted.length > 0 && !accepted.some((scope) => this.scopes.has(scope))) {
      return { ...fail("missing_scope", { needed: accepted.join(","), provided: [...this.scopes].join(",") }), headers: scopeHeaders };
    }

    const tier = this.limiter.checkTier(method);
    if (tier.limited) return this.tooManyRequests(method, undefined, tier.retryAfterSeconds, tier.reason);

    const injected = this.injectedErrors.find((e) => e.method === method && e.remaining > 0);
    if (injected) {
      injected.remaining -= 1;
      return { status: 200, body: { ...injected.body }, headers: scopeHeaders };
    }

    const result = handler(params);
    return { ...result, headers: { ...scopeHeaders, ...result.headers } };
  }

  private tooManyRequests(method: string, channel: string | undefined, retryAfterSeconds: number, reason: RecordedRateLimit["reason"]): ApiResult {
    this.rateLimited.push({ method, channel, retryAfterSeconds, reason, timestamp: this.now() });
    return { status: 429, body: { ok: false, error: "ratelimited" }, headers: { "retry-after": String(retryAfterSeconds) } };
  }

  // ----- Web API methods ---------------------------------------------------------------------

  private readonly handlers: Record<string, (params: Params) => ApiResult> = {
    // Socket Mode: a single-use WebSocket URL. Without a Socket Mode fake attached, this fake
    // answers "socket_mode_not_started" (its own error, not Slack's).
    "apps.connections.open": () => (this.socketMode ? ok({ url: this.socketMode.issueUrl() }) : fail("socket_mode_not_started")),

    "auth.test": () =>
      ok({
        url: `https://${this.team.domain}.slack.com/`,
        team: this.team.name,
        user: this.bot.userName,
        team_id: this.team.id,
        user_id: this.bot.userId,
        bot_id: this.bot.botId,
        is_enterprise_install: false,
      }),

    "chat.postMessage": (params) => {
      const target = this.resolvePostTarget(getString(params, "channel"));
      if ("error" in target) return fail(target.error);
      const channel = target.channel;

      const limit = this.limiter.checkChannel(channel.id);
      if (limit.limited) return this.tooManyRequests("chat.postMessage", channel.id, limit.retryAfterSeconds, limit.reason);

      const content = this.readContent(params);
      if ("failure" in content) return content.failure;

      this.limiter.consumeChannel(channel.id);
      const ts = this.clock.next();
      const threadTs = getString(params, "thread_ts");
      this.store({ channel: channel.id, ts, text: content.text ?? "", blocks: content.blocks, thread_ts: threadTs });
      this.messages.push({
        kind: "message",
        channel: channel.id,
        text: content.text,
        blocks: content.blocks,
        attachments: content.attachments,
        thread_ts: threadTs,
        user: undefined,
        ts,
        timestamp: this.now(),
        args: withoutToken(params),
      });
      return ok({ channel: channel.id, ts, message: this.messageObject(channel.id, ts, content.text ?? "", content.blocks, content.attachments, threadTs) });
    },

    "chat.postEphemeral": (params) => {
      const userId = getString(params, "user");
      if (!userId) return invalidArguments("missing required field: user");
      const target = this.resolvePostTarget(getString(params, "channel"));
      if ("error" in target) return fail(target.error);
      const channel = target.channel;
      const user = this.users.get(userId);
      if (!user || user.deleted) return fail("user_not_found");
      if (channel.kind === "im" ? channel.imUser !== userId : channel.members !== undefined && !channel.members.includes(userId)) {
        return fail("user_not_in_channel");
      }
      const content = this.readContent(params);
      if ("failure" in content) return content.failure;
      const ts = this.clock.next();
      this.messages.push({
        kind: "ephemeral",
        channel: channel.id,
        text: content.text,
        blocks: content.blocks,
        attachments: content.attachments,
        thread_ts: getString(params, "thread_ts"),
        user: userId,
        ts,
        timestamp: this.now(),
        args: withoutToken(params),
      });
      return ok({ message_ts: ts });
    },

    "chat.update": (params) => {
      const channelId = getString(params, "channel");
      const channel = channelId ? this.channels.get(channelId) : undefined;
      if (!channel || (channel.kind === "private" && !channel.botIsMember)) return fail("channel_not_found");
      if (channel.isArchived) return fail("is_archived");
      const ts = getString(params, "ts");
      const stored = ts ? this.history.get(channel.id)?.get(ts) : undefined;
      if (!ts || !stored) return fail("message_not_found");
      const content = this.readContent(params);
      if ("failure" in content) return content.failure;
      stored.text = content.text ?? "";
      stored.blocks = content.blocks;
      stored.edited = { user: this.bot.userId, ts: this.clock.next() };
      this.updates.push({ channel: channel.id, ts, text: content.text, blocks: content.blocks, timestamp: this.now(), args: withoutToken(params) });
      const message = this.messageObject(channel.id, ts, stored.text, stored.blocks, content.attachments, stored.thread_ts);
      message.edited = stored.edited;
      return ok({ channel: channel.id, ts, text: stored.text, message });
    },

    "users.info": (params) => {
      const userId = getString(params, "user");
      const user = userId ? this.users.get(userId) : undefined;
      if (!user) return fail("user_not_found");
      return ok({ user: this.userObject(user, getBool(params, "include_locale")) });
    },

    "conversations.info": (params) => {
      const channelId = getString(params, "channel");
      const channel = channelId ? this.lookupChannelById(channelId) : undefined;
      if (!channel || (channel.kind === "private" && !channel.botIsMember)) return fail("channel_not_found");
      const object = this.channelObject(channel);
      if (getBool(params, "include_num_members") && channel.kind !== "im") object.num_members = this.memberCount(channel);
      if (getBool(params, "include_locale")) object.locale = "en-US";
      return ok({ channel: object });
    },

    "conversations.join": (params) => {
      const channelId = getString(params, "channel");
      const channel = channelId ? this.lookupChannelById(channelId) : undefined;
      if (!channel || (channel.kind === "private" && !channel.botIsMember)) return fail("channel_not_found");
      if (channel.kind !== "public") return fail("method_not_supported_for_channel_type");
      if (channel.isArchived) return fail("is_archived");
      if (channel.botIsMember) {
        return ok({ channel: this.channelObject(channel), warning: "already_in_channel", response_metadata: { warnings: ["already_in_channel"] } });
      }
      channel.botIsMember = true;
      return ok({ channel: this.channelObject(channel) });
    },

    // https://docs.slack.dev/reference/methods/conversations.open: the DM with one user (created
    // on first use). Group DMs (several users) are not modelled.
    "conversations.open": (params) => {
      const existing = getString(params, "channel");
      if (existing) {
        const channel = this.channels.get(existing);
        return channel?.kind === "im" ? ok({ channel: { id: channel.id } }) : fail("channel_not_found");
      }
      const users = (getString(params, "users") ?? "").split(",").map((user) => user.trim()).filter(Boolean);
      if (users.length === 0) return fail("users_list_not_supplied");
      if (users.length > 1) return invalidArguments("group DMs are not modelled by this fake");
      const user = this.users.get(users[0]!);
      if (!user) return fail("user_not_found");
      if (user.deleted) return fail("user_disabled");
      return ok({ channel: { id: this.openDm(user.id).id } });
    },

    "files.getUploadURLExternal": (params) => {
      const filename = getString(params, "filename");
      const lengthText = getString(params, "length");
      const missing = [!filename && "filename", lengthText === undefined && "length"].filter(Boolean);
      if (missing.length > 0) return invalidArguments(...missing.map((name) => `missing required field: ${name}`));
      const length = Number(lengthText);
      if (!Number.isInteger(length) || length < 0) return invalidArguments("expected an integer [json-pointer:/length]");
      if (length === 0) return fail("missing_argument");
      const id = randomSlackId("F");
      const uploadKey = randomSlackId("", 40);
      this.uploads.set(id, {
        id,
        uploadKey,
        filename: filename!,
        declaredLength: length,
        alt_text: getString(params, "alt_text") ?? getString(params, "alt_txt"),
        snippet_type: getString(params, "snippet_type"),
        bytes: undefined,
        completed: false,
      });
      return ok({ upload_url: `${this.baseUrl}/upload/v1/${uploadKey}`, file_id: id });
    },

    "files.completeUploadExternal": (params) => {
      const files = getJson(params, "files");
      if (!Array.isArray(files) || files.length === 0) return invalidArguments("missing required field: files");
      const entries: { id: string; title: string | undefined }[] = [];
      for (const entry of files) {
        if (typeof entry !== "object" || entry === null || typeof (entry as Json).id !== "string") {
          return invalidArguments("must provide an object with an id [json-pointer:/files]");
        }
        const title = (entry as Json).title;
        entries.push({ id: (entry as Json).id as string, title: typeof title === "string" ? title : undefined });
      }
      const channelId = getString(params, "channel_id");
      const channelList = (getString(params, "channels") ?? "").split(",").map((c) => c.trim()).filter(Boolean);
      const targets = channelId ? [channelId, ...channelList] : channelList;
      const sharedTo: string[] = [];
      for (const target of targets) {
        const resolved = this.resolvePostTarget(target);
        if ("error" in resolved) return fail(resolved.error);
        sharedTo.push(resolved.channel.id);
      }
      const uploads: PendingUpload[] = [];
      for (const entry of entries) {
        const upload = this.uploads.get(entry.id);
        if (!upload || upload.completed || !upload.bytes) return fail("file_not_found");
        uploads.push(upload);
      }
      const now = this.now();
      const created = Math.floor(now / 1000);
      const result = uploads.map((upload, index) => {
        upload.completed = true;
        const bytes = upload.bytes ?? Buffer.alloc(0);
        const type = fileTypeOf(upload.filename);
        const title = entries[index]?.title ?? upload.filename;
        this.files.push({
          id: upload.id,
          filename: upload.filename,
          title: entries[index]?.title,
          bytes,
          size: bytes.length,
          declaredLength: upload.declaredLength,
          mimetype: type.mimetype,
          filetype: type.filetype,
          channel_id: channelId,
          channels: sharedTo,
          initial_comment: getString(params, "initial_comment"),
          thread_ts: getString(params, "thread_ts"),
          alt_text: upload.alt_text,
          snippet_type: upload.snippet_type,
          completedAt: now,
        });
        const base = `https://files.slack.com/files-pri/${this.team.id}-${upload.id}`;
        return {
          id: upload.id,
          created,
          timestamp: created,
          name: upload.filename,
          title,
          mimetype: type.mimetype,
          filetype: type.filetype,
          pretty_type: type.pretty,
          user: this.bot.userId,
          user_team: this.team.id,
          editable: false,
          size: bytes.length,
          mode: "hosted",
          is_external: false,
          external_type: "",
          is_public: sharedTo.some((id) => this.channels.get(id)?.kind === "public"),
          public_url_shared: false,
          display_as_bot: false,
          username: "",
          url_private: `${base}/${upload.filename}`,
          url_private_download: `${base}/download/${upload.filename}`,
          permalink: `https://${this.team.domain}.slack.com/files/${this.bot.userId}/${upload.id}/${upload.filename}`,
          comments_count: 0,
          is_starred: false,
          shares: {},
          channels: [],
          groups: [],
          ims: [],
          has_rich_preview: false,
          file_access: "visible",
          ...(upload.alt_text ? { alt_txt: upload.alt_text } : {}),
        };
      });
      return ok({ files: result });
    },
  };

  // ----- method helpers ----------------------------------------------------------------------

  private lookupChannelById(id: string): ChannelRecord | undefined {
    return this.channels.get(id);
  }

  /**
   * chat.postMessage-style `channel`: an id, a name ("#general" or "general"), or a user id (posts
   * to the DM with that user). Applies Slack's visibility rules for the bot.
   */
  private resolvePostTarget(raw: string | undefined): { channel: ChannelRecord } | { error: string } {
    if (!raw) return { error: "channel_not_found" };
    let channel = this.channels.get(raw);
    if (!channel) {
      const name = raw.replace(/^#/, "");
      channel = [...this.channels.values()].find((c) => c.kind !== "im" && c.name === name);
    }
    if (!channel && this.users.has(raw)) channel = this.openDm(raw);
    if (!channel) return { error: "channel_not_found" };
    // Private channels the bot is not in are invisible to it.
    if (channel.kind === "private" && !channel.botIsMember) return { error: "channel_not_found" };
    if (channel.isArchived) return { error: "is_archived" };
    if (channel.kind === "public" && !channel.botIsMember && !this.scopes.has("chat:write.public")) return { error: "not_in_channel" };
    return { channel };
  }

  private openDm(userId: string): ChannelRecord {
    const id = this.dmChannelId(userId);
    let channel = this.channels.get(id);
    if (!channel) {
      channel = {
        id,
        name: userId,
        kind: "im",
        isArchived: false,
        botIsMember: true,
        members: undefined,
        isGeneral: false,
        topic: "",
        purpose: "",
        created: Math.floor(this.now() / 1000),
        imUser: userId,
      };
      this.channels.set(id, channel);
    }
    return channel;
  }

  /** text / blocks / attachments with Slack's checks; failure carries the error answer. */
  private readContent(params: Params):
    | { text: string | undefined; blocks: unknown[] | undefined; attachments: unknown[] | undefined }
    | { failure: ApiResult } {
    const text = getString(params, "text") || undefined;
    let blocks: unknown[] | undefined;
    const rawBlocks = getJson(params, "blocks");
    if (rawBlocks !== undefined && rawBlocks !== "") {
      if (!Array.isArray(rawBlocks)) return { failure: fail("invalid_blocks_format") };
      blocks = rawBlocks;
    }
    let attachments: unknown[] | undefined;
    const rawAttachments = getJson(params, "attachments");
    if (rawAttachments !== undefined && rawAttachments !== "") {
      if (!Array.isArray(rawAttachments)) return { failure: fail("invalid_attachments") };
      if (rawAttachments.length > 100) return { failure: fail("too_many_attachments") };
      attachments = rawAttachments;
    }
    if (!text && (!blocks || blocks.length === 0) && (!attachments || attachments.length === 0)) return { failure: fail("no_text") };
    if (text && charCount(text) > MAX_MESSAGE_TEXT) return { failure: fail("msg_too_long") };
    if (blocks) {
      const errors = validateBlocks(blocks);
      if (errors.length > 0) {
        return { failure: fail("invalid_blocks", { errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } }) };
      }
      blocks = blocks.map((block) => {
        if (typeof block !== "object" || block === null || "block_id" in block) return block;
        return { ...block, block_id: this.nextBlockId() };
      });
    }
    return { text, blocks, attachments };
  }

  private nextBlockId(): string {
    this.counter += 1;
    return this.counter.toString(36).padStart(4, "0");
  }

  private store(message: StoredMessage): void {
    let channelHistory = this.history.get(message.channel);
    if (!channelHistory) {
      channelHistory = new Map();
      this.history.set(message.channel, channelHistory);
    }
    channelHistory.set(message.ts, message);
  }

  private messageObject(
    channelId: string,
    ts: string,
    text: string,
    blocks: unknown[] | undefined,
    attachments: unknown[] | undefined,
    threadTs: string | undefined,
  ): Json {
    const message: Json = {
      user: this.bot.userId,
      type: "message",
      ts,
      bot_id: this.bot.botId,
      app_id: this.bot.appId,
      text,
      team: this.team.id,
      bot_profile: {
        id: this.bot.botId,
        app_id: this.bot.appId,
        name: this.bot.name,
        icons: {},
        deleted: false,
        updated: Math.floor(this.now() / 1000),
        team_id: this.team.id,
      },
    };
    if (blocks) message.blocks = blocks;
    if (attachments) message.attachments = attachments;
    if (threadTs && threadTs !== ts) {
      message.thread_ts = threadTs;
      // Only known for parents the bot posted itself.
      if (this.history.get(channelId)?.has(threadTs)) message.parent_user_id = this.bot.userId;
    }
    return message;
  }

  private userObject(user: FakeSlackUser, includeLocale: boolean): Json {
    const realName = user.realName ?? user.name;
    const profile: Json = {
      real_name: realName,
      display_name: user.displayName ?? "",
      real_name_normalized: realName,
      display_name_normalized: user.displayName ?? "",
      team: this.team.id,
      image_48: `https://a.slack-edge.com/fake/${user.id}_48.png`,
      image_72: `https://a.slack-edge.com/fake/${user.id}_72.png`,
    };
    if (user.email && this.scopes.has("users:read.email")) profile.email = user.email;
    if (user.isBot) {
      profile.bot_id = user.id === this.bot.userId ? this.bot.botId : undefined;
      profile.api_app_id = user.id === this.bot.userId ? this.bot.appId : undefined;
    }
    const object: Json = {
      id: user.id,
      team_id: this.team.id,
      name: user.name,
      deleted: user.deleted ?? false,
      color: "9f69e7",
      real_name: realName,
      tz: user.tz ?? "America/Los_Angeles",
      tz_label: user.tzLabel ?? "Pacific Standard Time",
      tz_offset: user.tzOffset ?? -28800,
      profile,
      is_admin: user.isAdmin ?? false,
      is_owner: false,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: user.isBot ?? false,
      is_app_user: false,
      updated: Math.floor(this.now() / 1000),
    };
    if (includeLocale) object.locale = user.locale ?? "en-US";
    return object;
  }

  private memberCount(channel: ChannelRecord): number {
    return (channel.members?.length ?? 0) + (channel.botIsMember ? 1 : 0);
  }

  private channelObject(channel: ChannelRecord): Json {
    if (channel.kind === "im") {
      return {
        id: channel.id,
        created: channel.created,
        is_im: true,
        is_org_shared: false,
        user: channel.imUser,
        is_user_deleted: false,
        priority: 0,
      };
    }
    return {
      id: channel.id,
      name: channel.name,
      is_channel: channel.kind === "public",
      is_group: channel.kind === "private",
      is_im: false,
      is_mpim: false,
      is_private: channel.kind === "private",
      created: channel.created,
      is_archived: channel.isArchived,
      is_general: channel.isGeneral,
      unlinked: 0,
      name_normalized: channel.name,
      is_shared: false,
      is_org_shared: false,
      is_pending_ext_shared: false,
      pending_shared: [],
      context_team_id: this.team.id,
      creator: this.bot.userId,
      is_ext_shared: false,
      shared_team_ids: [this.team.id],
      is_member: channel.botIsMember,
      topic: { value: channel.topic, creator: "", last_set: 0 },
      purpose: { value: channel.purpose, creator: "", last_set: 0 },
      previous_names: [],
    };
  }

  // ----- upload_url and response_url ---------------------------------------------------------

  private async handleUpload(uploadKey: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const upload = [...this.uploads.values()].find((u) => u.uploadKey === uploadKey && !u.completed);
    if (!upload) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
      return;
    }
    // Raw bytes or multipart (WebClient sends multipart with the file in a part).
    const contentType = req.headers["content-type"];
    let bytes = raw;
    if (mediaType(contentType) === "multipart/form-data" && contentType) {
      const { files } = await parseMultipart(raw, contentType);
      bytes = files[0]?.bytes ?? Buffer.alloc(0);
    }
    upload.bytes = bytes;
    res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
    res.end(`OK - ${bytes.length}`);
  }

  private handleResponseUrl(id: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): void {
    const state = this.responseUrls.get(id);
    const reply = (status: number, body: Json) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(body));
    };
    if (!state) return reply(404, { ok: false, error: "invalid_url" });
    if (this.now() - state.createdAt > RESPONSE_URL_TTL_MS) return reply(404, { ok: false, error: "expired_url" });
    if (state.uses >= RESPONSE_URL_MAX_USES) return reply(404, { ok: false, error: "used_url" });

    let body: unknown;
    try {
      const text = raw.toString("utf8");
      body = mediaType(req.headers["content-type"]) === "application/x-www-form-urlencoded"
        ? JSON.parse(new URLSearchParams(text).get("payload") ?? "")
        : JSON.parse(text);
    } catch {
      return reply(400, { ok: false, error: "invalid_payload" });
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) return reply(400, { ok: false, error: "invalid_payload" });
    const payload = body as Json;
    const blocks = Array.isArray(payload.blocks) ? payload.blocks : undefined;
    const text = typeof payload.text === "string" ? payload.text : undefined;
    const deleteOriginal = payload.delete_original === true || payload.delete_original === "true";
    if (!deleteOriginal && !text && !blocks?.length && !Array.isArray(payload.attachments)) return reply(400, { ok: false, error: "no_text" });
    if (blocks) {
      const errors = validateBlocks(blocks);
      if (errors.length > 0) return reply(400, { ok: false, error: "invalid_blocks", errors });
    }
    state.uses += 1;
    const responseType = typeof payload.response_type === "string" ? payload.response_type : undefined;
    const flag = (value: unknown) => (value === undefined ? undefined : value === true || value === "true");
    this.responses.push({
      id,
      url: `${this.baseUrl}/response/${id}`,
      body: payload,
      response_type: responseType,
      visibility: responseType === "in_channel" ? "in_channel" : "ephemeral",
      text,
      blocks,
      replace_original: flag(payload.replace_original),
      delete_original: flag(payload.delete_original),
      thread_ts: typeof payload.thread_ts === "string" ? payload.thread_ts : undefined,
      timestamp: this.now(),
    });
    reply(200, { ok: true });
  }
}

/** Starts a fake on 127.0.0.1 with an ephemeral port. Call `close()` when done. */
export async function startSlackFake(options: SlackFakeOptions = {}): Promise<SlackFake> {
  let fake: SlackFake | undefined;
  const server = createServer((req, res) => {
    if (!fake) {
      res.writeHead(503);
      res.end();
      return;
    }
    fake.handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  fake = new SlackFake(server, port, options);
  return fake;
}
