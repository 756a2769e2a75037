// In-memory Discord world: users, guilds, channels, messages, commands, interactions,
// plus builders for the JSON objects Discord sends (User, Guild, Channel, Member, Message).

import { snowflake } from "./snowflake.ts";
import type {
  ChannelState,
  DiscordFakeOptions,
  FakeChannelInit,
  FakeGuildInit,
  FakeUserInit,
  IdentifyRecord,
  InteractionRecord,
  Json,
  RateLimitHit,
  RequestRecord,
  ResumeRecord,
  StoredCommand,
  StoredMessage,
} from "./types.ts";

export interface UserRecord {
  id: string;
  username: string;
  globalName: string | null;
  bot: boolean;
  locale: string;
}

export interface ChannelRecord {
  id: string;
  guildId: string | null;
  name: string | null;
  type: number;
  topic: string | null;
  parentId: string | null;
  position: number;
  state: ChannelState;
  lastMessageId: string | null;
  recipientIds: string[];
}

export interface RoleRecord {
  id: string;
  name: string;
  permissions: bigint;
  position: number;
  managed: boolean;
  botId?: string;
}

export interface GuildRecord {
  id: string;
  name: string;
  ownerId: string;
  preferredLocale: string;
  memberIds: string[];
  memberCount: number;
  channelIds: string[];
  roles: RoleRecord[];
  /** role ids per member id */
  memberRoles: Map<string, string[]>;
  joinedAt: number;
}

const bit = (n: number) => 1n << BigInt(n);
/** Permission bits given to @everyone in a freshly created server (approximation of Discord's default). */
export const DEFAULT_EVERYONE_PERMISSIONS = [0, 6, 9, 10, 11, 14, 15, 16, 17, 18, 20, 21, 25, 26, 31, 32, 35, 36, 37, 38, 39, 42, 45, 46, 49, 50].reduce(
  (acc, n) => acc | bit(n),
  0n,
);
const ALL_PERMISSIONS = (1n << 51n) - 1n;
const ADMINISTRATOR = bit(3);

export const Intents = {
  GUILDS: 1 << 0,
  GUILD_MEMBERS: 1 << 1,
  GUILD_PRESENCES: 1 << 8,
  GUILD_MESSAGES: 1 << 9,
  DIRECT_MESSAGES: 1 << 12,
  MESSAGE_CONTENT: 1 << 15,
} as const;
export const PRIVILEGED_INTENTS = Intents.GUILD_MEMBERS | Intents.GUILD_PRESENCES | Intents.MESSAGE_CONTENT;
/** Every intent bit Discord currently defines (0-25, with gaps). */
export const KNOWN_INTENTS = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8) |
  (1 << 9) | (1 << 10) | (1 << 11) | (1 << 12) | (1 << 13) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 20) | (1 << 21) |
  (1 << 24) | (1 << 25);

interface Waiter {
  check: () => boolean;
  cancel: () => void;
}

export class FakeState {
  readonly token: string;
  readonly botId: string;
  readonly applicationId: string;
  readonly applicationFlags: number;
  readonly defaultUserId: string;
  readonly ackWindowMs: number;
  readonly tokenTtlMs: number;
  readonly nonceWindowMs: number;

  readonly users = new Map<string, UserRecord>();
  readonly guilds = new Map<string, GuildRecord>();
  readonly channels = new Map<string, ChannelRecord>();
  readonly messages = new Map<string, StoredMessage>();
  /** Commands per scope: "global" or a guild id. */
  readonly commands = new Map<string, StoredCommand[]>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly interactionsByToken = new Map<string, InteractionRecord>();

  // Introspection records.
  readonly identifies: IdentifyRecord[] = [];
  readonly resumes: ResumeRecord[] = [];
  readonly requests: RequestRecord[] = [];
  readonly rateLimitHits: RateLimitHit[] = [];
  /** Creation time of every accepted message (channel messages and interaction messages). */
  readonly acceptedMessageTimestamps: number[] = [];
  duplicateNoncesSuppressed = 0;

  private waiters = new Set<Waiter>();
  private notifyScheduled = false;

  constructor(opts: DiscordFakeOptions) {
    this.token = opts.token ?? "fake-bot-token";
    this.ackWindowMs = opts.interactionAckWindowMs ?? 3000;
    this.tokenTtlMs = opts.interactionTokenTtlMs ?? 15 * 60_000;
    this.nonceWindowMs = opts.nonceWindowMs ?? 5 * 60_000;
    const bot = this.addUser({ username: "fake-bot", globalName: null, ...opts.botUser, bot: true });
    this.botId = bot.id;
    this.applicationId = opts.applicationId ?? bot.id;
    this.applicationFlags = opts.applicationFlags ?? 0;
    this.defaultUserId = this.addUser({ username: "tester", globalName: "Tester" }).id;
    const guilds = opts.guilds ?? [{ name: "Fake Guild", channels: [{ name: "general" }] }];
    for (const g of guilds) this.addGuild(g);
  }

  addUser(init: FakeUserInit): UserRecord {
    const existing = init.id ? this.users.get(init.id) : undefined;
    if (existing) return existing;
    const user: UserRecord = {
      id: init.id ?? snowflake(),
      username: init.username,
      globalName: init.globalName ?? null,
      bot: init.bot ?? false,
      locale: init.locale ?? "en-US",
    };
    this.users.set(user.id, user);
    return user;
  }

  addGuild(init: FakeGuildInit): GuildRecord {
    const id = init.id ?? snowflake();
    const members = (init.members ?? [{ id: this.defaultUserId, username: "tester" }]).map((m) => this.addUser(m));
    const botRoleId = snowflake();
    const guild: GuildRecord = {
      id,
      name: init.name,
      ownerId: init.ownerId ?? members[0]?.id ?? this.defaultUserId,
      preferredLocale: init.preferredLocale ?? "en-US",
      memberIds: [this.botId, ...members.map((m) => m.id)],
      memberCount: init.memberCount ?? members.length + 1,
      channelIds: [],
      roles: [
        { id, name: "@everyone", permissions: DEFAULT_EVERYONE_PERMISSIONS, position: 0, managed: false },
        { id: botRoleId, name: this.users.get(this.botId)?.username ?? "bot", permissions: DEFAULT_EVERYONE_PERMISSIONS | bit(13), position: 1, managed: true, botId: this.botId },
      ],
      memberRoles: new Map([[this.botId, [botRoleId]]]),
      joinedAt: Date.now(),
    };
    this.guilds.set(id, guild);
    for (const c of init.channels ?? [{ name: "general" }]) this.addChannel(id, c);
    return guild;
  }

  addChannel(guildId: string | null, init: FakeChannelInit): ChannelRecord {
    const guild = guildId ? this.guilds.get(guildId) : undefined;
    const channel: ChannelRecord = {
      id: init.id ?? snowflake(),
      guildId,
      name: init.name,
      type: init.type ?? 0,
      topic: init.topic ?? null,
      parentId: init.parentId ?? null,
      position: guild?.channelIds.length ?? 0,
      state: init.state ?? "ok",
      lastMessageId: null,
      recipientIds: [],
    };
    this.channels.set(channel.id, channel);
    guild?.channelIds.push(channel.id);
    return channel;
  }

  /** DM channel between the bot and a user (created on demand, like POST /users/@me/channels). */
  dmChannel(userId: string): ChannelRecord {
    for (const c of this.channels.values()) {
      if (c.type === 1 && c.recipientIds[0] === userId) return c;
    }
    const channel = this.addChannel(null, { name: "", type: 1 });
    channel.name = null;
    channel.recipientIds = [userId];
    return channel;
  }

  permissionsFor(guild: GuildRecord, userId: string): bigint {
    if (guild.ownerId === userId) return ALL_PERMISSIONS;
    const roleIds = new Set([guild.id, ...(guild.memberRoles.get(userId) ?? [])]);
    const perms = guild.roles.filter((r) => roleIds.has(r.id)).reduce((acc, r) => acc | r.permissions, 0n);
    return perms & ADMINISTRATOR ? ALL_PERMISSIONS : perms;
  }

  // ---- waiting -------------------------------------------------------------

  /** Re-evaluates waitFor predicates (batched in a microtask). Call after every mutation. */
  notify(): void {
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    queueMicrotask(() => {
      this.notifyScheduled = false;
      for (const w of [...this.waiters]) w.check();
    });
  }

  /**
   * Resolves with the first truthy value of `predicate`. Re-checked after every fake state change and
   * every 10 ms (predicates may look at state outside the fake, e.g. a client's cache).
   */
  waitFor<T>(predicate: () => T | null | undefined | false, timeoutMs = 5000, what = "condition"): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const finish = (outcome: () => void) => {
        this.waiters.delete(waiter);
        clearInterval(poll);
        clearTimeout(timer);
        outcome();
      };
      const waiter: Waiter = {
        check: () => {
          try {
            const value = predicate();
            if (!value) return false;
            finish(() => resolve(value));
          } catch (e) {
            finish(() => reject(e as Error));
          }
          return true;
        },
        cancel: () => finish(() => reject(new Error(`DiscordFake.waitFor: fake closed while waiting for ${what}`))),
      };
      this.waiters.add(waiter);
      const poll = setInterval(() => waiter.check(), 10);
      const timer = setTimeout(
        () => finish(() => reject(new Error(`DiscordFake.waitFor: timed out after ${timeoutMs} ms waiting for ${what}`))),
        timeoutMs,
      );
      waiter.check();
    });
  }

  /** Rejects pending waitFor calls (used by close()). */
  cancelAllWaiters(): void {
    for (const w of [...this.waiters]) {
      this.waiters.delete(w);
      w.cancel();
    }
  }

  // ---- JSON builders --------------------------------------------------------

  userObject(id: string): Json {
    const u = this.users.get(id);
    if (!u) throw new Error(`unknown user ${id}`);
    return {
      id: u.id,
      username: u.username,
      discriminator: "0",
      global_name: u.globalName,
      avatar: null,
      avatar_decoration_data: null,
      banner: null,
      accent_color: null,
      public_flags: 0,
      flags: 0,
      ...(u.bot ? { bot: true } : {}),
      primary_guild: null,
      collectibles: null,
    };
  }

  /** GET /users/@me shape (adds the private fields a bot sees about itself). */
  currentUserObject(): Json {
    return { ...this.userObject(this.botId), mfa_enabled: false, locale: "en-US", verified: true, email: null, premium_type: 0 };
  }

  applicationObject(): Json {
    const owner = this.users.get(this.defaultUserId);
    return {
      id: this.applicationId,
      name: this.users.get(this.botId)?.username ?? "fake-bot",
      icon: null,
      description: "",
      summary: "",
      type: null,
      bot: this.userObject(this.botId),
      bot_public: true,
      bot_require_code_grant: false,
      verify_key: "0".repeat(64),
      flags: this.applicationFlags,
      team: null,
      owner: owner ? this.userObject(owner.id) : undefined,
      approximate_guild_count: this.guilds.size,
      integration_types_config: { "0": {} },
      redirect_uris: [],
      interactions_endpoint_url: null,
      tags: [],
    };
  }

  roleObject(r: RoleRecord): Json {
    return {
      id: r.id,
      name: r.name,
      description: null,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: r.position,
      permissions: r.permissions.toString(),
      managed: r.managed,
      mentionable: false,
      flags: 0,
      ...(r.botId ? { tags: { bot_id: r.botId } } : {}),
    };
  }

  /** Guild member object; `withUser` false for MESSAGE_CREATE's partial member. */
  memberObject(guild: GuildRecord, userId: string, withUser = true): Json {
    return {
      ...(withUser ? { user: this.userObject(userId) } : {}),
      nick: null,
      avatar: null,
      banner: null,
      roles: guild.memberRoles.get(userId) ?? [],
      joined_at: new Date(userId === this.botId ? guild.joinedAt : guild.joinedAt - 86_400_000).toISOString(),
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      communication_disabled_until: null,
      unusual_dm_activity_until: null,
    };
  }

  /** Channel object; inside GUILD_CREATE Discord omits guild_id. */
  channelObject(c: ChannelRecord, includeGuildId = true): Json {
    if (c.type === 1) {
      return {
        id: c.id,
        type: 1,
        last_message_id: c.lastMessageId,
        flags: 0,
        recipients: c.recipientIds.map((id) => this.userObject(id)),
      };
    }
    const base: Json = {
      id: c.id,
      type: c.type,
      ...(includeGuildId && c.guildId ? { guild_id: c.guildId } : {}),
      name: c.name,
      position: c.position,
      permission_overwrites: [],
      parent_id: c.parentId,
      flags: 0,
    };
    if (c.type === 0 || c.type === 5) {
      Object.assign(base, { topic: c.topic, nsfw: false, last_message_id: c.lastMessageId, rate_limit_per_user: 0, last_pin_timestamp: null });
    } else if (c.type === 2 || c.type === 13) {
      Object.assign(base, { bitrate: 64000, user_limit: 0, rtc_region: null, nsfw: false, rate_limit_per_user: 0, last_message_id: null });
    }
    return base;
  }

  /** Full guild object as sent in GUILD_CREATE (guild fields + the GUILD_CREATE extras). */
  guildCreateObject(guild: GuildRecord, withAllMembers: boolean): Json {
    const memberIds = withAllMembers ? guild.memberIds : [this.botId];
    const firstText = guild.channelIds.map((id) => this.channels.get(id)).find((c) => c?.type === 0);
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: guild.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: guild.roles.map((r) => this.roleObject(r)),
      emojis: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: firstText?.id ?? null,
      system_channel_flags: 0,
      rules_channel_id: null,
      max_presences: null,
      max_members: 500000,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: guild.preferredLocale,
      public_updates_channel_id: null,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      nsfw_level: 0,
      nsfw: false,
      stickers: [],
      premium_progress_bar_enabled: false,
      safety_alerts_channel_id: null,
      incidents_data: null,
      home_header: null,
      hub_type: null,
      latest_onboarding_question_id: null,
      // GUILD_CREATE extras
      joined_at: new Date(guild.joinedAt).toISOString(),
      large: guild.memberCount > 250,
      unavailable: false,
      member_count: guild.memberCount,
      voice_states: [],
      members: memberIds.map((id) => this.memberObject(guild, id)),
      channels: guild.channelIds
        .map((id) => this.channels.get(id))
        .filter((c): c is ChannelRecord => !!c && c.state !== "unknown")
        .map((c) => this.channelObject(c, false)),
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      lazy: true,
      application_command_counts: {},
      embedded_activities: [],
      activity_instances: [],
    };
  }

  /** REST guild object (GET /guilds/{id}). */
  guildObject(guild: GuildRecord): Json {
    const full = this.guildCreateObject(guild, false);
    for (const k of ["joined_at", "large", "unavailable", "member_count", "voice_states", "members", "channels", "threads", "presences",
      "stage_instances", "guild_scheduled_events", "soundboard_sounds", "lazy", "application_command_counts", "embedded_activities", "activity_instances"]) {
      delete full[k];
    }
    return full;
  }

  /** Resolves `mentions` / `mention_everyone` the way allowed_mentions restricts them. */
  private mentionsFor(m: StoredMessage): { users: Json[]; roles: string[]; everyone: boolean } {
    const am = m.allowedMentions as { parse?: string[]; users?: string[]; roles?: string[] } | undefined;
    const parse = am ? (am.parse ?? []) : ["users", "roles", "everyone"];
    const userIds = [...m.content.matchAll(/<@!?(\d{17,20})>/g)].map((x) => x[1] ?? "");
    const roleIds = [...m.content.matchAll(/<@&(\d{17,20})>/g)].map((x) => x[1] ?? "");
    const users = [...new Set(userIds)]
      .filter((id) => parse.includes("users") || (am?.users ?? []).includes(id))
      .filter((id) => this.users.has(id))
      .map((id) => this.userObject(id));
    const roles = [...new Set(roleIds)].filter((id) => parse.includes("roles") || (am?.roles ?? []).includes(id));
    const everyone = /@(everyone|here)/.test(m.content) && parse.includes("everyone");
    return { users, roles, everyone };
  }

  messageObject(m: StoredMessage): Json {
    const mentions = this.mentionsFor(m);
    const interaction = m.interactionId ? this.interactions.get(m.interactionId) : undefined;
    return {
      type: m.type,
      content: m.content,
      mentions: mentions.users,
      mention_roles: mentions.roles,
      attachments: m.attachments,
      embeds: m.embeds,
      timestamp: new Date(m.timestamp).toISOString(),
      edited_timestamp: m.editedTimestamp === null ? null : new Date(m.editedTimestamp).toISOString(),
      flags: m.flags,
      components: m.components,
      id: m.id,
      channel_id: m.channelId,
      author: this.userObject(m.authorId),
      pinned: false,
      mention_everyone: mentions.everyone,
      tts: m.tts,
      ...(m.nonce !== undefined ? { nonce: m.nonce } : {}),
      ...(m.webhookId ? { webhook_id: m.webhookId, application_id: this.applicationId } : {}),
      ...(m.messageReference ? { message_reference: { type: 0, ...m.messageReference, channel_id: m.channelId } } : {}),
      ...(interaction
        ? {
            interaction_metadata: {
              id: interaction.id,
              type: interaction.type,
              user: this.userObject(interaction.userId),
              authorizing_integration_owners: interaction.payload.authorizing_integration_owners,
              ...(m.source === "interaction_followup" && interaction.originalMessageId
                ? { original_response_message_id: interaction.originalMessageId }
                : {}),
            },
          }
        : {}),
    };
  }

  createMessage(init: Partial<StoredMessage> & { channelId: string; authorId: string; rawBody: Json; source: StoredMessage["source"] }): StoredMessage {
    const now = Date.now();
    const channel = this.channels.get(init.channelId);
    const body = init.rawBody;
    const message: StoredMessage = {
      id: snowflake(now),
      channelId: init.channelId,
      guildId: channel?.guildId ?? null,
      authorId: init.authorId,
      content: typeof body.content === "string" ? body.content : "",
      embeds: Array.isArray(body.embeds) ? (body.embeds as Json[]) : [],
      components: Array.isArray(body.components) ? (body.components as Json[]) : [],
      attachments: init.attachments ?? [],
      allowedMentions: (body.allowed_mentions as Json | undefined) ?? undefined,
      nonce: typeof body.nonce === "string" || typeof body.nonce === "number" ? body.nonce : undefined,
      enforceNonce: body.enforce_nonce === true,
      flags: typeof body.flags === "number" ? body.flags : 0,
      type: init.type ?? (body.message_reference ? 19 : 0),
      tts: body.tts === true,
      messageReference: (body.message_reference as Json | undefined) ?? undefined,
      timestamp: now,
      editedTimestamp: null,
      deleted: false,
      source: init.source,
      interactionId: init.interactionId ?? null,
      webhookId: init.webhookId ?? null,
      rawBody: body,
      ...(init.flags !== undefined ? { flags: init.flags } : {}),
    };
    this.messages.set(message.id, message);
    if (channel) channel.lastMessageId = message.id;
    this.acceptedMessageTimestamps.push(now);
    this.notify();
    return message;
  }

  /** Applies an edit body (content/embeds/components/allowed_mentions/flags) to a message. */
  editMessage(m: StoredMessage, body: Json, markEdited: boolean): void {
    if (body.content !== undefined) m.content = typeof body.content === "string" ? body.content : "";
    if (body.embeds !== undefined) m.embeds = Array.isArray(body.embeds) ? (body.embeds as Json[]) : [];
    if (body.components !== undefined) m.components = Array.isArray(body.components) ? (body.components as Json[]) : [];
    if (body.allowed_mentions !== undefined) m.allowedMentions = (body.allowed_mentions as Json | null) ?? undefined;
    if (typeof body.flags === "number") m.flags = (m.flags & 64) | (body.flags & ~64 & ~128);
    m.flags &= ~128; // LOADING cleared by any edit
    if (markEdited) m.editedTimestamp = Date.now();
    this.notify();
  }
}
