// REST API v10 under /api/v10: routing, auth, rate limits, JSON/multipart bodies and the handlers.

import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, Errors } from "./errors.ts";
import type { FakeGateway } from "./gateway.ts";
import { RateLimiter } from "./rateLimit.ts";
import { snowflake } from "./snowflake.ts";
import { Intents, type ChannelRecord, type FakeState } from "./state.ts";
import type { InteractionRecord, Json, StoredCommand, StoredMessage } from "./types.ts";
import { validateCommand, validateCommandList, validateMessageBody } from "./validation.ts";
import { FormErrors } from "./errors.ts";

interface Ctx {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: { name: string; filename: string; size: number; contentType: string }[];
  now: number;
}

interface Reply {
  status: number;
  body?: unknown;
}

type Auth = "bot" | "none";

interface RouteDef {
  method: string;
  pattern: string;
  auth: Auth;
  /** Interaction callbacks are not bound by the global limit and expose no bucket. */
  interaction?: boolean;
  handler: (ctx: Ctx) => Reply;
}

const ok = (body: unknown): Reply => ({ status: 200, body });
const noContent: Reply = { status: 204 };
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Route keys, e.g. for `requestCount()` or rate limit overrides. */
export const Routes = {
  gatewayBot: "GET /gateway/bot",
  currentUser: "GET /users/@me",
  globalCommandsPut: "PUT /applications/{application_id}/commands",
  guildCommandsPut: "PUT /applications/{application_id}/guilds/{guild_id}/commands",
  interactionCallback: "POST /interactions/{interaction_id}/{interaction_token}/callback",
  webhookExecute: "POST /webhooks/{webhook_id}/{webhook_token}",
  webhookMessageEdit: "PATCH /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}",
  channelMessageCreate: "POST /channels/{channel_id}/messages",
  channelGet: "GET /channels/{channel_id}",
} as const;

export class RestApi {
  private readonly routes: RouteDef[];

  constructor(
    private readonly state: FakeState,
    private readonly gateway: FakeGateway,
    readonly limiter: RateLimiter,
  ) {
    this.routes = this.buildRoutes();
  }

  // ---- HTTP plumbing ---------------------------------------------------------

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const now = Date.now();
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://localhost");
    const rawBody = await readBody(req);
    let routeKey = "UNMATCHED";
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      this.state.requests.push({ at: now, method, path: url.pathname, route: routeKey, status });
      const text = body === undefined ? undefined : JSON.stringify(body);
      res.writeHead(status, { ...headers, ...(text !== undefined ? { "Content-Type": "application/json" } : {}) });
      res.end(text);
      this.state.notify();
    };

    const m = /^\/api\/v(\d+)(\/.*)$/.exec(url.pathname);
    if (!m) return send(404, Errors.notFound().body);
    if (m[1] !== "10" && m[1] !== "9") return send(400, Errors.invalidApiVersion().body);
    const path = (m[2] ?? "/").replace(/\/+$/, "") || "/";

    const match = this.match(method, path);
    if (!match) return send(404, Errors.notFound().body);
    if (match === "method") return send(405, Errors.methodNotAllowed().body);
    const { route, params } = match;
    routeKey = `${route.method} ${route.pattern}`;

    // Authorization: "Bot <token>" is required on bot routes and, when present, must be valid.
    const auth = req.headers.authorization;
    const authValid = auth === `Bot ${this.state.token}`;
    if ((route.auth === "bot" && !authValid) || (auth !== undefined && !authValid)) {
      return send(401, Errors.unauthorized().body);
    }

    const majorKey = params.channel_id ?? params.guild_id ??
      (params.webhook_id ? `${params.webhook_id}/${params.webhook_token ?? ""}` : undefined) ??
      (params.interaction_id ? `${params.interaction_id}/${params.interaction_token ?? ""}` : "");
    const limit = this.limiter.check({
      route: routeKey,
      majorKey,
      countsGlobal: route.auth === "bot" && !route.interaction,
      hasBucket: !route.interaction,
      now,
    });
    if (!limit.ok) {
      this.state.rateLimitHits.push(limit.hit);
      return send(429, limit.body, limit.headers);
    }

    let ctx: Ctx;
    try {
      const parsed = parseBody(req.headers["content-type"] ?? "", rawBody);
      ctx = { method, params, query: url.searchParams, body: parsed.json, files: parsed.files, now };
    } catch (e) {
      return send(400, e instanceof ApiError ? e.body : Errors.invalidJson().body, limit.headers);
    }
    try {
      const reply = route.handler(ctx);
      return send(reply.status, reply.body, limit.headers);
    } catch (e) {
      if (e instanceof ApiError) return send(e.status, e.body, limit.headers);
      return send(500, { message: "500: Internal Server Error", code: 0, fake_error: String(e) }, limit.headers);
    }
  }

  private match(method: string, path: string): { route: RouteDef; params: Record<string, string> } | "method" | null {
    const segs = path.split("/").filter(Boolean);
    let pathMatched = false;
    for (const route of this.routes) {
      const pat = route.pattern.split("/").filter(Boolean);
      if (pat.length !== segs.length) continue;
      const params: Record<string, string> = {};
      let okMatch = true;
      for (let i = 0; i < pat.length; i++) {
        const p = pat[i] ?? "";
        const s = decodeURIComponent(segs[i] ?? "");
        if (p.startsWith("{")) params[p.slice(1, -1)] = s;
        else if (p !== s) {
          okMatch = false;
          break;
        }
      }
      if (!okMatch) continue;
      // Literal routes (e.g. /users/@me) are listed before parameterised ones.
      if (route.method === method) return { route, params };
      pathMatched = true;
    }
    return pathMatched ? "method" : null;
  }

  // ---- routes ----------------------------------------------------------------

  private buildRoutes(): RouteDef[] {
    const r = (method: string, pattern: string, auth: Auth, handler: (ctx: Ctx) => Reply, interaction = false): RouteDef => ({
      method, pattern, auth, handler, interaction,
    });
    const s = this.state;
    return [
      r("GET", "/gateway", "none", () => ok({ url: this.gateway.gatewayUrl })),
      r("GET", "/gateway/bot", "bot", () => {
        const l = this.gateway.opts.sessionStartLimit;
        return ok({
          url: this.gateway.gatewayUrl,
          shards: this.gateway.opts.shardCount,
          session_start_limit: { total: l.total, remaining: l.remaining, reset_after: l.resetAfter, max_concurrency: l.maxConcurrency },
        });
      }),
      r("GET", "/users/@me", "bot", () => ok(s.currentUserObject())),
      r("POST", "/users/@me/channels", "bot", (ctx) => {
        const recipient = isObject(ctx.body) ? String(ctx.body.recipient_id) : "";
        if (!s.users.has(recipient)) throw Errors.unknownUser();
        return ok(s.channelObject(s.dmChannel(recipient)));
      }),
      r("GET", "/users/{user_id}", "bot", (ctx) => {
        if (!s.users.has(ctx.params.user_id ?? "")) throw Errors.unknownUser();
        return ok(s.userObject(ctx.params.user_id ?? ""));
      }),
      r("GET", "/applications/@me", "bot", () => ok(s.applicationObject())),

      // Application commands (global and guild scopes).
      r("GET", "/applications/{application_id}/commands", "bot", (ctx) => this.listCommands(ctx, "global")),
      r("PUT", "/applications/{application_id}/commands", "bot", (ctx) => this.overwriteCommands(ctx, "global")),
      r("POST", "/applications/{application_id}/commands", "bot", (ctx) => this.createCommand(ctx, "global")),
      r("GET", "/applications/{application_id}/commands/{command_id}", "bot", (ctx) => ok(this.findCommand(ctx, "global"))),
      r("PATCH", "/applications/{application_id}/commands/{command_id}", "bot", (ctx) => this.editCommand(ctx, "global")),
      r("DELETE", "/applications/{application_id}/commands/{command_id}", "bot", (ctx) => this.deleteCommand(ctx, "global")),
      r("GET", "/applications/{application_id}/guilds/{guild_id}/commands", "bot", (ctx) => this.listCommands(ctx, this.guildScope(ctx))),
      r("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", "bot", (ctx) => this.overwriteCommands(ctx, this.guildScope(ctx))),
      r("POST", "/applications/{application_id}/guilds/{guild_id}/commands", "bot", (ctx) => this.createCommand(ctx, this.guildScope(ctx))),
      r("GET", "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}", "bot", (ctx) => ok(this.findCommand(ctx, this.guildScope(ctx)))),
      r("PATCH", "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}", "bot", (ctx) => this.editCommand(ctx, this.guildScope(ctx))),
      r("DELETE", "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}", "bot", (ctx) => this.deleteCommand(ctx, this.guildScope(ctx))),

      // Interactions (authenticated by the interaction token in the URL).
      r("POST", "/interactions/{interaction_id}/{interaction_token}/callback", "none", (ctx) => this.interactionCallback(ctx), true),
      r("POST", "/webhooks/{webhook_id}/{webhook_token}", "none", (ctx) => this.followUp(ctx)),
      r("GET", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", "none", (ctx) => ok(s.messageObject(this.webhookMessage(ctx)))),
      r("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", "none", (ctx) => this.editWebhookMessage(ctx)),
      r("DELETE", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", "none", (ctx) => this.deleteWebhookMessage(ctx)),

      // Channels and messages.
      r("GET", "/channels/{channel_id}", "bot", (ctx) => ok(s.channelObject(this.channel(ctx, "view")))),
      r("GET", "/channels/{channel_id}/messages", "bot", (ctx) => {
        const channel = this.channel(ctx, "view");
        const limit = Math.min(100, Math.max(1, Number(ctx.query.get("limit") ?? 50)));
        const list = [...s.messages.values()].filter((m) => m.channelId === channel.id && !m.deleted && !(m.flags & 64));
        return ok(list.reverse().slice(0, limit).map((m) => s.messageObject(m)));
      }),
      r("POST", "/channels/{channel_id}/messages", "bot", (ctx) => this.createChannelMessage(ctx)),
      r("GET", "/channels/{channel_id}/messages/{message_id}", "bot", (ctx) => ok(s.messageObject(this.channelMessage(ctx, "view")))),
      r("PATCH", "/channels/{channel_id}/messages/{message_id}", "bot", (ctx) => {
        const msg = this.channelMessage(ctx, "send");
        const body = isObject(ctx.body) ? ctx.body : {};
        validateMessageBody(body, { mode: "edit", target: "channel", hasFiles: ctx.files.length > 0 });
        s.editMessage(msg, body, true);
        this.gateway.dispatch("MESSAGE_UPDATE", { ...s.messageObject(msg), ...(msg.guildId ? { guild_id: msg.guildId } : {}) }, {
          guildId: msg.guildId, intent: msg.guildId ? Intents.GUILD_MESSAGES : Intents.DIRECT_MESSAGES,
        });
        return ok(s.messageObject(msg));
      }),
      r("DELETE", "/channels/{channel_id}/messages/{message_id}", "bot", (ctx) => {
        const msg = this.channelMessage(ctx, "send");
        msg.deleted = true;
        this.gateway.dispatch("MESSAGE_DELETE", { id: msg.id, channel_id: msg.channelId, ...(msg.guildId ? { guild_id: msg.guildId } : {}) }, {
          guildId: msg.guildId, intent: msg.guildId ? Intents.GUILD_MESSAGES : Intents.DIRECT_MESSAGES,
        });
        return noContent;
      }),
      r("POST", "/channels/{channel_id}/typing", "bot", (ctx) => {
        this.channel(ctx, "send");
        return noContent;
      }),

      // Guilds (read-only).
      r("GET", "/guilds/{guild_id}", "bot", (ctx) => ok(s.guildObject(this.guild(ctx)))),
      r("GET", "/guilds/{guild_id}/channels", "bot", (ctx) => {
        const guild = this.guild(ctx);
        return ok(guild.channelIds.map((id) => s.channels.get(id)).filter((c): c is ChannelRecord => !!c && c.state !== "unknown").map((c) => s.channelObject(c)));
      }),
      r("GET", "/guilds/{guild_id}/members/{user_id}", "bot", (ctx) => {
        const guild = this.guild(ctx);
        const userId = ctx.params.user_id ?? "";
        if (!guild.memberIds.includes(userId)) throw Errors.unknownMember();
        return ok(s.memberObject(guild, userId));
      }),
    ];
  }

  // ---- commands ------------------------------------------------------------

  private checkApp(ctx: Ctx): void {
    if (ctx.params.application_id !== this.state.applicationId) throw Errors.unknownApplication();
  }

  private guildScope(ctx: Ctx): string {
    const guildId = ctx.params.guild_id ?? "";
    // Discord answers 50001 when the app is not in the guild (or lacks applications.commands).
    if (!this.state.guilds.has(guildId)) throw Errors.missingAccess();
    return guildId;
  }

  /** Without ?with_localizations=true Discord returns name_localized instead of the full maps. */
  private presentCommand(cmd: StoredCommand, withLocalizations: boolean): Json {
    if (withLocalizations) return cmd;
    const { name_localizations: _n, description_localizations: _d, ...rest } = cmd;
    return rest;
  }

  private listCommands(ctx: Ctx, scope: string): Reply {
    this.checkApp(ctx);
    const withLoc = ctx.query.get("with_localizations") === "true";
    return ok((this.state.commands.get(scope) ?? []).map((c) => this.presentCommand(c, withLoc)));
  }

  private storeCommand(body: Json, scope: string, existing: StoredCommand | undefined): StoredCommand {
    const type = Number(body.type ?? 1);
    const cmd: StoredCommand = {
      id: existing?.id ?? snowflake(),
      application_id: this.state.applicationId,
      version: snowflake(),
      default_member_permissions: (body.default_member_permissions as string | null | undefined) ?? null,
      type,
      name: String(body.name),
      name_localizations: (body.name_localizations as Json | null | undefined) ?? null,
      description: type === 1 || type === 4 ? String(body.description ?? "") : "",
      description_localizations: (body.description_localizations as Json | null | undefined) ?? null,
      ...(scope !== "global" ? { guild_id: scope } : { dm_permission: body.dm_permission !== false }),
      ...(Array.isArray(body.options) && body.options.length ? { options: body.options } : {}),
      nsfw: body.nsfw === true,
      integration_types: Array.isArray(body.integration_types) ? body.integration_types : [0],
      contexts: Array.isArray(body.contexts) ? body.contexts : null,
      ...(type === 4 ? { handler: body.handler ?? 1 } : {}),
    };
    return cmd;
  }

  private overwriteCommands(ctx: Ctx, scope: string): Reply {
    this.checkApp(ctx);
    validateCommandList(ctx.body);
    const previous = this.state.commands.get(scope) ?? [];
    const stored = (ctx.body as Json[]).map((body) => {
      const type = Number(body.type ?? 1);
      // Bulk overwrite keeps the id of a command whose (type, name) already existed.
      const existing = previous.find((c) => c.type === type && c.name === body.name);
      return this.storeCommand(body, scope, existing);
    });
    this.state.commands.set(scope, stored);
    this.state.notify();
    return ok(stored);
  }

  private createCommand(ctx: Ctx, scope: string): Reply {
    this.checkApp(ctx);
    const errors = new FormErrors();
    validateCommand(errors, [], ctx.body);
    errors.throwIfAny();
    const body = ctx.body as Json;
    const list = this.state.commands.get(scope) ?? [];
    const type = Number(body.type ?? 1);
    const existingIndex = list.findIndex((c) => c.type === type && c.name === body.name);
    const cmd = this.storeCommand(body, scope, list[existingIndex]);
    if (existingIndex >= 0) list[existingIndex] = cmd;
    else {
      if (list.filter((c) => c.type === type).length >= (type === 1 ? 100 : 15)) throw Errors.maxCommands();
      list.push(cmd);
    }
    this.state.commands.set(scope, list);
    this.state.notify();
    // 201 when created, 200 when an existing command was overwritten.
    return { status: existingIndex >= 0 ? 200 : 201, body: cmd };
  }

  private findCommand(ctx: Ctx, scope: string): StoredCommand {
    this.checkApp(ctx);
    const cmd = (this.state.commands.get(scope) ?? []).find((c) => c.id === ctx.params.command_id);
    if (!cmd) throw Errors.unknownCommand();
    return cmd;
  }

  private editCommand(ctx: Ctx, scope: string): Reply {
    const cmd = this.findCommand(ctx, scope);
    const merged = { ...cmd, ...(isObject(ctx.body) ? ctx.body : {}) };
    const errors = new FormErrors();
    validateCommand(errors, [], merged);
    errors.throwIfAny();
    const list = this.state.commands.get(scope) ?? [];
    const updated = this.storeCommand(merged, scope, cmd);
    list[list.indexOf(cmd)] = updated;
    this.state.notify();
    return ok(updated);
  }

  private deleteCommand(ctx: Ctx, scope: string): Reply {
    const cmd = this.findCommand(ctx, scope);
    const list = this.state.commands.get(scope) ?? [];
    list.splice(list.indexOf(cmd), 1);
    this.state.notify();
    return noContent;
  }

  // ---- interactions --------------------------------------------------------

  private rejectCallback(rec: InteractionRecord, e: ApiError, now: number): never {
    rec.rejectedCallbacks.push({ status: e.status, code: e.code, at: now });
    this.state.notify();
    throw e;
  }

  private interactionCallback(ctx: Ctx): Reply {
    const s = this.state;
    const rec = s.interactions.get(ctx.params.interaction_id ?? "");
    if (!rec || rec.token !== ctx.params.interaction_token) throw Errors.unknownInteraction();
    if (rec.callback) this.rejectCallback(rec, Errors.alreadyAcknowledged(), ctx.now);
    if (ctx.now - rec.createdAt > s.ackWindowMs) this.rejectCallback(rec, Errors.unknownInteraction(), ctx.now);

    const body = isObject(ctx.body) ? ctx.body : {};
    const type = body.type;
    const data = isObject(body.data) ? body.data : undefined;
    // Response types allowed per interaction type: 2 command -> 4,5,9(,12); 4 autocomplete -> 8.
    const allowed: Record<number, number[]> = { 2: [4, 5, 9, 12], 3: [4, 5, 6, 7, 9], 4: [8], 5: [4, 5, 6, 7] };
    if (typeof type !== "number" || !(allowed[rec.type] ?? []).includes(type)) {
      const errors = new FormErrors();
      errors.add(["type"], "INTERACTION_RESPONSE_TYPE_INVALID", "Interaction response type is invalid for this interaction");
      this.rejectCallback(rec, errors.toApiError(), ctx.now);
    }
    try {
      if (type === 4) validateMessageBody(data ?? {}, { mode: "create", target: "interaction", hasFiles: ctx.files.length > 0 });
      if (type === 5 && data?.flags !== undefined && typeof data.flags === "number" && (data.flags & ~64 & ~4096) !== 0) {
        const errors = new FormErrors();
        errors.add(["data", "flags"], "MESSAGE_FLAGS_INVALID", "Invalid flags");
        throw errors.toApiError();
      }
      if (type === 8) {
        const choices = data?.choices;
        const errors = new FormErrors();
        if (!Array.isArray(choices)) errors.add(["data", "choices"], "BASE_TYPE_REQUIRED", "This field is required");
        else {
          if (choices.length > 25) errors.add(["data", "choices"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
          choices.forEach((c: unknown, i) => {
            const name = isObject(c) ? c.name : undefined;
            if (typeof name !== "string" || name.length < 1 || name.length > 100) {
              errors.add(["data", "choices", i, "name"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.");
            }
          });
        }
        errors.throwIfAny();
      }
      if (type === 9) {
        const errors = new FormErrors();
        if (typeof data?.custom_id !== "string") errors.add(["data", "custom_id"], "BASE_TYPE_REQUIRED", "This field is required");
        if (typeof data?.title !== "string" || data.title.length > 45) errors.add(["data", "title"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 45 in length.");
        errors.throwIfAny();
      }
    } catch (e) {
      if (e instanceof ApiError) this.rejectCallback(rec, e, ctx.now);
      throw e;
    }

    const withResponse = ctx.query.get("with_response") === "true";
    rec.callback = { type: type as number, data, at: ctx.now, latencyMs: ctx.now - rec.createdAt, withResponse };
    let message: StoredMessage | undefined;
    if (type === 4 || type === 5) {
      const flags = typeof data?.flags === "number" ? data.flags : 0;
      message = s.createMessage({
        channelId: rec.channelId,
        authorId: s.botId,
        rawBody: type === 4 ? (data ?? {}) : {},
        source: "interaction_original",
        interactionId: rec.id,
        webhookId: s.applicationId,
        // Files ride along with the initial response (Create Interaction Response accepts files[n]).
        attachments: type === 4 ? this.attachments(ctx) : [],
        // 20 CHAT_INPUT_COMMAND, 23 CONTEXT_MENU_COMMAND; deferred responses carry LOADING (128).
        type: Number((rec.payload.data as Json | undefined)?.type ?? 1) === 1 ? 20 : 23,
        flags: type === 5 ? (flags & 64) | 128 : flags,
      });
      rec.originalMessageId = message.id;
      this.dispatchMessageCreate(message);
    }
    s.notify();
    if (!withResponse) return noContent;
    return ok({
      interaction: {
        id: rec.id,
        type: rec.type,
        ...(message
          ? { response_message_id: message.id, response_message_loading: (message.flags & 128) !== 0, response_message_ephemeral: (message.flags & 64) !== 0 }
          : {}),
      },
      resource: { type, ...(message ? { message: s.messageObject(message) } : {}) },
    });
  }

  /** Interaction webhook: id must be the application id, token must be live (15 min). */
  private interactionForWebhook(ctx: Ctx): InteractionRecord {
    const rec = this.state.interactionsByToken.get(ctx.params.webhook_token ?? "");
    if (!rec || ctx.params.webhook_id !== this.state.applicationId) throw Errors.unknownWebhook();
    if (ctx.now - rec.createdAt > this.state.tokenTtlMs) throw Errors.invalidWebhookToken();
    return rec;
  }

  private webhookMessage(ctx: Ctx): StoredMessage {
    const rec = this.interactionForWebhook(ctx);
    const id = ctx.params.message_id === "@original" ? rec.originalMessageId : ctx.params.message_id;
    const msg = id ? this.state.messages.get(id) : undefined;
    if (!msg || msg.deleted || msg.interactionId !== rec.id) throw Errors.unknownMessage();
    return msg;
  }

  private editWebhookMessage(ctx: Ctx): Reply {
    const msg = this.webhookMessage(ctx);
    const rec = this.state.interactions.get(msg.interactionId ?? "");
    const body = isObject(ctx.body) ? ctx.body : {};
    validateMessageBody(body, { mode: "edit", target: "interaction", hasFiles: ctx.files.length > 0 });
    const wasLoading = (msg.flags & 128) !== 0;
    this.state.editMessage(msg, body, !wasLoading);
    // Edit Original Interaction Response / Edit Webhook Message accept new files[n] too.
    if (ctx.files.length > 0) msg.attachments = [...msg.attachments, ...this.attachments(ctx)];
    rec?.edits.push({ messageId: msg.id, body, at: ctx.now, via: "edit" });
    this.state.notify();
    return ok(this.state.messageObject(msg));
  }

  private deleteWebhookMessage(ctx: Ctx): Reply {
    const msg = this.webhookMessage(ctx);
    msg.deleted = true;
    this.state.interactions.get(msg.interactionId ?? "")?.deletedMessageIds.push(msg.id);
    this.state.notify();
    return noContent;
  }

  private followUp(ctx: Ctx): Reply {
    const s = this.state;
    const rec = this.interactionForWebhook(ctx);
    // The interaction webhook only exists once the interaction was acknowledged.
    if (!rec.callback || rec.callback.type === 8) throw Errors.unknownWebhook();
    const body = isObject(ctx.body) ? ctx.body : {};
    validateMessageBody(body, { mode: "create", target: "interaction", hasFiles: ctx.files.length > 0 });
    const wait = ctx.query.get("wait") === "true";
    const original = rec.originalMessageId ? s.messages.get(rec.originalMessageId) : undefined;
    let msg: StoredMessage;
    if (original && !original.deleted && original.flags & 128) {
      // The first follow-up after a deferred response replaces the loading message.
      s.editMessage(original, body, false);
      rec.edits.push({ messageId: original.id, body, at: ctx.now, via: "followup_replaced_loading" });
      msg = original;
    } else {
      msg = s.createMessage({
        channelId: rec.channelId,
        authorId: s.botId,
        rawBody: body,
        source: "interaction_followup",
        interactionId: rec.id,
        webhookId: s.applicationId,
        attachments: this.attachments(ctx),
      });
      rec.followUpIds.push(msg.id);
      this.dispatchMessageCreate(msg);
    }
    s.notify();
    return wait ? ok(s.messageObject(msg)) : noContent;
  }

  // ---- channels ------------------------------------------------------------

  private guild(ctx: Ctx) {
    const guild = this.state.guilds.get(ctx.params.guild_id ?? "");
    if (!guild) throw Errors.unknownGuild();
    return guild;
  }

  /** Resolves a channel honouring its configured state. */
  private channel(ctx: Ctx, need: "view" | "send"): ChannelRecord {
    const channel = this.state.channels.get(ctx.params.channel_id ?? "");
    if (!channel || channel.state === "unknown") throw Errors.unknownChannel();
    if (channel.state === "missing_access") throw Errors.missingAccess();
    if (need === "send" && channel.state === "missing_permissions") throw Errors.missingPermissions();
    return channel;
  }

  private channelMessage(ctx: Ctx, need: "view" | "send"): StoredMessage {
    const channel = this.channel(ctx, need);
    const msg = this.state.messages.get(ctx.params.message_id ?? "");
    if (!msg || msg.deleted || msg.channelId !== channel.id) throw Errors.unknownMessage();
    return msg;
  }

  private attachments(ctx: Ctx): Json[] {
    return ctx.files.map((f) => ({
      id: snowflake(),
      filename: f.filename,
      size: f.size,
      content_type: f.contentType,
      url: `https://cdn.discordapp.com/attachments/fake/${encodeURIComponent(f.filename)}`,
      proxy_url: `https://media.discordapp.net/attachments/fake/${encodeURIComponent(f.filename)}`,
    }));
  }

  private createChannelMessage(ctx: Ctx): Reply {
    const s = this.state;
    const channel = this.channel(ctx, "send");
    if (![0, 1, 2, 5, 10, 11, 12, 13].includes(channel.type)) {
      throw new ApiError(400, { message: "Cannot send messages in a non-text channel", code: 50008 });
    }
    const body = isObject(ctx.body) ? ctx.body : {};
    validateMessageBody(body, { mode: "create", target: "channel", hasFiles: ctx.files.length > 0 });
    // enforce_nonce: a nonce reused by the same author in the same channel within the window returns the original.
    if (body.enforce_nonce === true && body.nonce !== undefined && body.nonce !== null) {
      const dup = [...s.messages.values()].find(
        (m) => m.channelId === channel.id && m.authorId === s.botId && m.nonce !== undefined &&
          String(m.nonce) === String(body.nonce) && ctx.now - m.timestamp <= s.nonceWindowMs,
      );
      if (dup) {
        s.duplicateNoncesSuppressed++;
        s.notify();
        return ok(s.messageObject(dup));
      }
    }
    const msg = s.createMessage({ channelId: channel.id, authorId: s.botId, rawBody: body, source: "channel", attachments: this.attachments(ctx) });
    this.dispatchMessageCreate(msg);
    return ok(s.messageObject(msg));
  }

  /** MESSAGE_CREATE for sessions with GUILD_MESSAGES (guild) / DIRECT_MESSAGES (DM); ephemeral messages are not dispatched. */
  dispatchMessageCreate(msg: StoredMessage): void {
    if (msg.flags & 64) return;
    const s = this.state;
    const guild = msg.guildId ? s.guilds.get(msg.guildId) : undefined;
    const d: Json = {
      ...s.messageObject(msg),
      ...(guild ? { guild_id: guild.id, member: s.memberObject(guild, msg.authorId, false) } : {}),
    };
    const mentionsBot = (d.mentions as Json[]).some((u) => u.id === s.botId);
    this.gateway.dispatch("MESSAGE_CREATE", d, {
      guildId: msg.guildId,
      intent: guild ? Intents.GUILD_MESSAGES : Intents.DIRECT_MESSAGES,
      // Without MESSAGE_CONTENT, content fields are empty except for the bot's own messages, DMs and mentions.
      transform: (payload, session) =>
        session.intents & Intents.MESSAGE_CONTENT || msg.authorId === s.botId || !guild || mentionsBot
          ? payload
          : { ...payload, content: "", embeds: [], attachments: [], components: [] },
    });
  }
}

// ---- body parsing ------------------------------------------------------------

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function parseBody(contentType: string, raw: Buffer): { json: unknown; files: Ctx["files"] } {
  if (raw.length === 0) return { json: undefined, files: [] };
  if (contentType.startsWith("multipart/form-data")) return parseMultipart(contentType, raw);
  try {
    return { json: JSON.parse(raw.toString("utf8")) as unknown, files: [] };
  } catch {
    throw Errors.invalidJson();
  }
}

/** Minimal multipart/form-data parser: `payload_json` becomes the body, `files[n]` become attachments. */
function parseMultipart(contentType: string, raw: Buffer): { json: unknown; files: Ctx["files"] } {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  const b = boundary?.[1] ?? boundary?.[2];
  if (!b) throw Errors.invalidJson();
  const delimiter = Buffer.from(`--${b}`);
  const files: Ctx["files"] = [];
  let json: unknown;
  let pos = raw.indexOf(delimiter);
  while (pos !== -1) {
    const start = pos + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === "--") break;
    const next = raw.indexOf(delimiter, start);
    if (next === -1) break;
    const part = raw.subarray(start + 2, next - 2); // skip CRLF after delimiter and before next
    const headerEnd = part.indexOf("\r\n\r\n");
    const headers = part.subarray(0, headerEnd).toString("utf8");
    const content = part.subarray(headerEnd + 4);
    const name = /name="([^"]*)"/.exec(headers)?.[1] ?? "";
    const filename = /filename="([^"]*)"/.exec(headers)?.[1];
    const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1] ?? "application/octet-stream";
    if (name === "payload_json") {
      try {
        json = JSON.parse(content.toString("utf8")) as unknown;
      } catch {
        throw Errors.invalidJson();
      }
    } else if (filename !== undefined) {
      files.push({ name, filename, size: content.length, contentType: type });
    }
    pos = next;
  }
  return { json, files };
}
