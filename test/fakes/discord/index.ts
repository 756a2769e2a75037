// Local fake of Discord's REST API (v10) and Gateway (v10) for driving the real discord.js Client.
//
//   const fake = await startDiscordFake({ heartbeatIntervalMs: 1000 });
//   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
//   await client.login(fake.token);
//   const ix = fake.interact({ commandName: "ping" });
//   await ix.waitForCallback();
//   await client.destroy(); await fake.close();

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeGateway, type DispatchOptions, type GatewaySession } from "./gateway.ts";
import { createComponentInteraction, createInteraction, interactionHandle, type AutocompleteOptions, type InteractOptions, type InteractionHandle, type PressOptions } from "./interactions.ts";
import { RateLimiter } from "./rateLimit.ts";
import { RestApi } from "./rest.ts";
import { FakeState, PRIVILEGED_INTENTS, type ChannelRecord, type GuildRecord } from "./state.ts";
import type {
  ChannelState,
  DiscordFakeOptions,
  FakeChannelInit,
  FakeUserInit,
  IdentifyRecord,
  InteractionRecord,
  Json,
  RateLimitHit,
  RequestRecord,
  ResumeRecord,
  StoredCommand,
  StoredMessage,
  StormOptions,
} from "./types.ts";

export type * from "./types.ts";
export type { AutocompleteOptions, InteractOptions, InteractionHandle, OptionValue } from "./interactions.ts";
export { Routes } from "./rest.ts";
export { CloseCode, Op } from "./gateway.ts";
export { DISCORD_LOCALES, CHAT_INPUT_NAME } from "./validation.ts";
export { DEFAULT_ROUTE_LIMITS } from "./rateLimit.ts";

export interface DiscordFake {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Pass as discord.js `rest.api` (the client appends /v10). */
  readonly apiBase: string;
  /** ws://127.0.0.1:<port>/gateway (what GET /gateway/bot returns). */
  readonly gatewayUrl: string;
  readonly token: string;
  readonly botUserId: string;
  readonly applicationId: string;
  /** The built-in human user that interactions come from by default. */
  readonly defaultUserId: string;
  readonly guildIds: string[];
  /** First guild / its first text channel, for convenience. */
  readonly defaultGuildId: string;
  readonly defaultChannelId: string;

  // -- world --
  guild(id: string): GuildRecord | undefined;
  channel(id: string): ChannelRecord | undefined;
  addUser(init: FakeUserInit, guildId?: string): string;
  addChannel(guildId: string, init: FakeChannelInit): string;
  setChannelState(channelId: string, state: ChannelState): void;

  // -- rate limits --
  setRateLimitMode(mode: "real" | "off"): void;
  /** The next `count` requests to `route` get 429 with `retryAfter` seconds. */
  storm(opts: StormOptions): void;
  resetRateLimits(): void;

  // -- gateway control --
  /** Closes every gateway socket (default code 4000, resumable); `terminate` drops without a close frame. */
  dropGatewayConnections(opts?: { code?: number; reason?: string; terminate?: boolean }): Promise<void>;
  sendReconnect(): void;
  invalidateSession(resumable: boolean): void;
  requestHeartbeat(): void;
  /** Raw dispatch (op 0) to connected/resumable sessions; queued for RESUME while disconnected. */
  dispatch(t: string, d: Json, opts?: DispatchOptions): number;
  /** Simulates a user posting in a channel (MESSAGE_CREATE, content gated by MESSAGE_CONTENT). */
  userMessage(opts: { channelId?: string; userId?: string; content: string }): StoredMessage;
  interact(opts: InteractOptions): InteractionHandle;
  autocomplete(opts: AutocompleteOptions): InteractionHandle;
  /** A user presses a button under a message (INTERACTION_CREATE type 3, MESSAGE_COMPONENT). */
  pressButton(opts: PressOptions): InteractionHandle;

  // -- introspection --
  /** Messages (not deleted) in a channel, or in all channels; oldest first. */
  messages(channelId?: string, opts?: { includeDeleted?: boolean }): StoredMessage[];
  /** Registered commands for "global" (default) or a guild id. */
  commands(scope?: string): StoredCommand[];
  interactions(): InteractionRecord[];
  identifies(): IdentifyRecord[];
  resumes(): ResumeRecord[];
  requests(): RequestRecord[];
  /** Requests for a route key such as "POST /channels/{channel_id}/messages" (all when omitted). */
  requestCount(route?: string): number;
  rateLimitHits(): RateLimitHit[];
  acceptedMessageTimestamps(): number[];
  duplicateNoncesSuppressed(): number;
  /** Number of open gateway sockets. */
  gatewayConnectionCount(): number;
  gatewaySessions(): GatewaySession[];
  /** Payloads clients sent on the gateway. */
  gatewayReceived(): { at: number; op: number; d: unknown }[];
  waitFor<T>(predicate: () => T | null | undefined | false, timeoutMs?: number, what?: string): Promise<T>;
  close(): Promise<void>;
}

export async function startDiscordFake(options: DiscordFakeOptions = {}): Promise<DiscordFake> {
  const state = new FakeState(options);
  const limitOpts = options.sessionStartLimit ?? {};
  const gateway = new FakeGateway(state, {
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41250,
    shardCount: options.shards ?? 1,
    allowedPrivilegedIntents: options.allowedPrivilegedIntents ?? PRIVILEGED_INTENTS,
    sessionResumeWindowMs: options.sessionResumeWindowMs ?? 120_000,
    sessionStartLimit: {
      total: limitOpts.total ?? 1000,
      remaining: limitOpts.remaining ?? 1000,
      resetAfter: limitOpts.resetAfter ?? 14_400_000,
      maxConcurrency: limitOpts.maxConcurrency ?? 1,
    },
  });
  const limiter = new RateLimiter(options.rateLimits);
  const rest = new RestApi(state, gateway, limiter);

  const server: Server = createServer((req, res) => {
    rest.handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ message: "500: Internal Server Error", code: 0, fake_error: String(e) }));
    });
  });
  server.on("upgrade", (req, socket, head) => gateway.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  gateway.baseUrl = `ws://127.0.0.1:${port}`;

  const guildIds = [...state.guilds.keys()];
  const defaultGuildId = guildIds[0] ?? "";
  const defaultChannelId =
    state.guilds.get(defaultGuildId)?.channelIds.find((id) => state.channels.get(id)?.type === 0) ?? "";

  const dispatchInteraction = (record: InteractionRecord): InteractionHandle => {
    gateway.dispatch("INTERACTION_CREATE", record.payload, {
      guildId: record.guildId,
      onSent: () => {
        record.deliveredAt ??= Date.now();
        state.notify();
      },
    });
    return interactionHandle(state, record);
  };

  let closed = false;
  const fake: DiscordFake = {
    url,
    apiBase: `${url}/api`,
    gatewayUrl: gateway.gatewayUrl,
    token: state.token,
    botUserId: state.botId,
    applicationId: state.applicationId,
    defaultUserId: state.defaultUserId,
    guildIds,
    defaultGuildId,
    defaultChannelId,

    guild: (id) => state.guilds.get(id),
    channel: (id) => state.channels.get(id),
    addUser(init, guildId) {
      const user = state.addUser(init);
      const guild = guildId ? state.guilds.get(guildId) : undefined;
      if (guild && !guild.memberIds.includes(user.id)) {
        guild.memberIds.push(user.id);
        guild.memberCount++;
      }
      return user.id;
    },
    addChannel(guildId, init) {
      const channel = state.addChannel(guildId, init);
      gateway.dispatch("CHANNEL_CREATE", state.channelObject(channel), { guildId, intent: 1 });
      return channel.id;
    },
    setChannelState(channelId, channelState) {
      const channel = state.channels.get(channelId);
      if (!channel) throw new Error(`DiscordFake: unknown channel ${channelId}`);
      channel.state = channelState;
    },

    setRateLimitMode(mode) {
      limiter.mode = mode;
    },
    storm: (opts) => limiter.storm(opts),
    resetRateLimits() {
      limiter.reset();
      limiter.clearStorms();
    },

    dropGatewayConnections: (opts) => gateway.drop(opts),
    sendReconnect: () => gateway.sendReconnect(),
    invalidateSession: (resumable) => gateway.invalidateSessions(resumable),
    requestHeartbeat: () => gateway.requestHeartbeat(),
    dispatch: (t, d, opts) => gateway.dispatch(t, d, opts),
    userMessage({ channelId = defaultChannelId, userId = state.defaultUserId, content }) {
      if (!state.channels.has(channelId)) throw new Error(`DiscordFake: unknown channel ${channelId}`);
      const msg = state.createMessage({ channelId, authorId: userId, rawBody: { content }, source: "channel" });
      rest.dispatchMessageCreate(msg);
      return msg;
    },
    interact: (opts) => dispatchInteraction(createInteraction(state, 2, opts)),
    autocomplete: (opts) => dispatchInteraction(createInteraction(state, 4, opts, opts.focused)),
    pressButton: (opts) => dispatchInteraction(createComponentInteraction(state, opts)),

    messages(channelId, opts = {}) {
      return [...state.messages.values()].filter(
        (m) => (channelId === undefined || m.channelId === channelId) && (opts.includeDeleted || !m.deleted),
      );
    },
    commands: (scope = "global") => state.commands.get(scope) ?? [],
    interactions: () => [...state.interactions.values()],
    identifies: () => state.identifies,
    resumes: () => state.resumes,
    requests: () => state.requests,
    requestCount: (route) => (route ? state.requests.filter((r) => r.route === route).length : state.requests.length),
    rateLimitHits: () => state.rateLimitHits,
    acceptedMessageTimestamps: () => state.acceptedMessageTimestamps,
    duplicateNoncesSuppressed: () => state.duplicateNoncesSuppressed,
    gatewayConnectionCount: () => gateway.connections.size,
    gatewaySessions: () => [...gateway.sessions.values()],
    gatewayReceived: () => gateway.received,
    waitFor: (predicate, timeoutMs, what) => state.waitFor(predicate, timeoutMs, what),

    async close() {
      if (closed) return;
      closed = true;
      state.cancelAllWaiters();
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
