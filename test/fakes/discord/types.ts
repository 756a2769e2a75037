// Public types of the Discord fake. Payloads are kept loosely typed (JSON objects)
// because the fake speaks raw Discord JSON, not discord.js structures.

export type Json = Record<string, unknown>;

/** How a channel behaves towards the bot. */
export type ChannelState =
  | "ok"
  /** 403 code 50001 "Missing Access" (bot cannot see the channel). */
  | "missing_access"
  /** 403 code 50013 "Missing Permissions" (bot can see it but not post). */
  | "missing_permissions"
  /** 404 code 10003 "Unknown Channel" (channel was deleted). */
  | "unknown";

export interface FakeUserInit {
  id?: string;
  username: string;
  globalName?: string | null;
  bot?: boolean;
  /** Client locale used for interactions from this user (default en-US). */
  locale?: string;
}

export interface FakeChannelInit {
  id?: string;
  name: string;
  /** Discord channel type; 0 GUILD_TEXT (default), 2 GUILD_VOICE, 4 GUILD_CATEGORY, 5 GUILD_ANNOUNCEMENT... */
  type?: number;
  topic?: string | null;
  parentId?: string | null;
  state?: ChannelState;
}

export interface FakeGuildInit {
  id?: string;
  name: string;
  channels?: FakeChannelInit[];
  /** Human members besides the bot (a default "tester" user is added when omitted). */
  members?: FakeUserInit[];
  /** member_count reported in GUILD_CREATE (default: bot + members). */
  memberCount?: number;
  preferredLocale?: string;
  ownerId?: string;
}

export type RateLimitScope = "user" | "shared" | "global";

export interface RouteLimit {
  limit: number;
  windowMs: number;
}

export interface RateLimitOptions {
  /** "real": per-route buckets + global limit (default). "off": never limit, send no headers. */
  mode?: "real" | "off";
  /** Global requests per second for bot-authenticated requests (Discord: 50). */
  globalPerSecond?: number;
  /** Per-route overrides, keyed by route key such as "POST /channels/{channel_id}/messages". */
  routes?: Record<string, RouteLimit>;
  /**
   * Discord sends `Retry-After` as whole seconds (rounded up) while the body's `retry_after`
   * is a float. "exact" sends the float in the header too (handy for fast benchmarks).
   */
  retryAfterHeader?: "ceil" | "exact";
}

export interface StormOptions {
  /** Route key ("POST /channels/{channel_id}/messages") or "*" for every rate-limited route. */
  route: string;
  /** How many upcoming requests get a 429. */
  count: number;
  /** retry_after in seconds (float). */
  retryAfter: number;
  scope?: RateLimitScope;
}

export interface DiscordFakeOptions {
  token?: string;
  botUser?: Partial<FakeUserInit>;
  /** Application id; defaults to the bot user id (true for all modern Discord apps). */
  applicationId?: string;
  /** Application flags sent in READY (default 0). */
  applicationFlags?: number;
  guilds?: FakeGuildInit[];
  /** HELLO heartbeat_interval in ms (Discord: 41250). Keep it short in tests. */
  heartbeatIntervalMs?: number;
  /** Recommended shard count returned by GET /gateway/bot (default 1). */
  shards?: number;
  sessionStartLimit?: { total?: number; remaining?: number; resetAfter?: number; maxConcurrency?: number };
  /** Privileged intents the "developer portal" allows (bitmask; default all three). */
  allowedPrivilegedIntents?: number;
  /** How long a disconnected gateway session stays resumable (default 120 s). */
  sessionResumeWindowMs?: number;
  rateLimits?: RateLimitOptions;
  /** Window to send the initial interaction response (Discord: 3 s). */
  interactionAckWindowMs?: number;
  /** Lifetime of interaction tokens for edits/follow-ups (Discord: 15 min). */
  interactionTokenTtlMs?: number;
  /** How long `enforce_nonce` remembers nonces (Discord: "the past few minutes"). */
  nonceWindowMs?: number;
}

export interface StoredMessage {
  id: string;
  channelId: string;
  guildId: string | null;
  authorId: string;
  content: string;
  embeds: Json[];
  components: Json[];
  attachments: Json[];
  /** allowed_mentions exactly as sent (undefined when omitted). */
  allowedMentions: Json | undefined;
  nonce: string | number | undefined;
  enforceNonce: boolean;
  flags: number;
  /** Discord message type (0 DEFAULT, 19 REPLY, 20 CHAT_INPUT_COMMAND...). */
  type: number;
  tts: boolean;
  messageReference: Json | undefined;
  /** Creation time in ms since epoch (also encoded in the id). */
  timestamp: number;
  editedTimestamp: number | null;
  deleted: boolean;
  source: "channel" | "interaction_original" | "interaction_followup";
  interactionId: string | null;
  webhookId: string | null;
  /** The raw JSON body of the creating request. */
  rawBody: Json;
}

export interface InteractionCallbackRecord {
  type: number;
  data: Json | undefined;
  at: number;
  /** ms between interaction creation and the accepted callback. */
  latencyMs: number;
  withResponse: boolean;
}

export interface InteractionEditRecord {
  messageId: string;
  body: Json;
  at: number;
  /** "edit": PATCH .../messages/{id}; "followup_replaced_loading": first follow-up after a defer. */
  via: "edit" | "followup_replaced_loading";
}

export interface InteractionRecord {
  id: string;
  token: string;
  /** Interaction type: 2 APPLICATION_COMMAND, 3 MESSAGE_COMPONENT, 4 AUTOCOMPLETE. */
  type: number;
  guildId: string | null;
  channelId: string;
  userId: string;
  commandName: string;
  payload: Json;
  createdAt: number;
  /** When the INTERACTION_CREATE frame was written to a live socket (null while queued). */
  deliveredAt: number | null;
  callback: InteractionCallbackRecord | null;
  /** Callbacks that Discord would have refused (already acknowledged, expired, invalid). */
  rejectedCallbacks: { status: number; code: number; at: number }[];
  originalMessageId: string | null;
  edits: InteractionEditRecord[];
  followUpIds: string[];
  deletedMessageIds: string[];
}

export interface IdentifyRecord {
  at: number;
  sessionId: string;
  intents: number;
  shard: [number, number];
  properties: Json;
  compress: boolean;
  largeThreshold: number | undefined;
  presence: Json | undefined;
  /** Query of the connection: v, encoding, compress. */
  query: { v: string | null; encoding: string | null; compress: string | null };
}

export interface ResumeRecord {
  at: number;
  sessionId: string;
  seq: number;
  replayed: number;
  path: string;
}

export interface RequestRecord {
  at: number;
  method: string;
  path: string;
  /** Route key like "POST /channels/{channel_id}/messages" ("UNMATCHED" for 404s). */
  route: string;
  status: number;
}

export interface RateLimitHit {
  at: number;
  route: string;
  scope: RateLimitScope;
  global: boolean;
  retryAfter: number;
  /** "bucket": real limit exceeded, "storm": injected by storm(). */
  cause: "bucket" | "global" | "storm";
}

export interface StoredCommand extends Json {
  id: string;
  application_id: string;
  name: string;
  type: number;
}
