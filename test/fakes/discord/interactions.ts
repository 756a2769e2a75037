// INTERACTION_CREATE payloads (https://discord.com/developers/docs/interactions/receiving-and-responding)
// for APPLICATION_COMMAND (type 2), MESSAGE_COMPONENT (type 3: a button pressed under a message) and
// APPLICATION_COMMAND_AUTOCOMPLETE (type 4), plus the handle a test uses to await the bot's
// callback, edits and follow-ups.

import { randomToken, snowflake } from "./snowflake.ts";
import type { FakeState } from "./state.ts";
import { OptionType } from "./validation.ts";
import type {
  FakeUserInit,
  InteractionCallbackRecord,
  InteractionEditRecord,
  InteractionRecord,
  Json,
  StoredCommand,
  StoredMessage,
} from "./types.ts";

export type OptionValue = string | number | boolean;

export interface InteractOptions {
  commandName: string;
  /** Defaults to the first guild; pass `null` for a DM with the bot. */
  guildId?: string | null;
  /** Defaults to the guild's first text channel (or the user's DM channel). */
  channelId?: string;
  /** Invoking user: an id or a definition (created and added to the guild if new). Defaults to "tester". */
  user?: string | FakeUserInit;
  /** Same as `user` given as an id. */
  userId?: string;
  /** User's client locale (default: the user's locale, en-US). */
  locale?: string;
  /** Option values by name, or raw Discord option objects. */
  options?: Record<string, OptionValue> | Json[];
  subcommand?: string;
  subcommandGroup?: string;
  /** Command type (1 CHAT_INPUT default). */
  commandType?: number;
}

export interface AutocompleteOptions extends InteractOptions {
  /** Name of the option being typed in; its value is what the user typed so far. */
  focused: string;
}

export interface InteractionHandle {
  readonly id: string;
  readonly token: string;
  /** The `d` of the dispatched INTERACTION_CREATE. */
  readonly payload: Json;
  readonly record: InteractionRecord;
  /** Resolves when INTERACTION_CREATE was written to a live gateway socket. */
  waitForDelivery(timeoutMs?: number): Promise<number>;
  /** Resolves with the first accepted POST /interactions/{id}/{token}/callback. */
  waitForCallback(timeoutMs?: number): Promise<InteractionCallbackRecord>;
  /** Resolves with the n-th (1-based) edit of a response message. */
  waitForEdit(n?: number, timeoutMs?: number): Promise<InteractionEditRecord>;
  /** Resolves with the n-th (1-based) follow-up message. */
  waitForFollowUp(n?: number, timeoutMs?: number): Promise<StoredMessage>;
  /** Current original response message (null until responded with type 4/5). */
  originalMessage(): StoredMessage | null;
  followUps(): StoredMessage[];
}

function findCommand(state: FakeState, name: string, type: number, guildId: string | null): StoredCommand | undefined {
  const scopes = guildId ? [guildId, "global"] : ["global"];
  for (const scope of scopes) {
    const cmd = state.commands.get(scope)?.find((c) => c.name === name && c.type === type);
    if (cmd) return cmd;
  }
  return undefined;
}

function inferType(value: OptionValue): number {
  if (typeof value === "boolean") return OptionType.BOOLEAN;
  if (typeof value === "number") return Number.isInteger(value) ? OptionType.INTEGER : OptionType.NUMBER;
  return OptionType.STRING;
}

interface Built {
  options: Json[] | undefined;
  resolved: Json;
}

/** Converts `{ name: value }` into Discord option objects using the registered schema when known. */
function buildOptions(
  state: FakeState,
  opts: InteractOptions,
  schema: Json[] | undefined,
  guildId: string | null,
  focused?: string,
): Built {
  const resolved: { users?: Json; members?: Json; channels?: Json; roles?: Json; attachments?: Json } = {};
  let path: Json[] | undefined = schema;
  const wrap: ((inner: Json[]) => Json[])[] = [];
  const descend = (name: string, type: number) => {
    const def = path?.find((o) => o.name === name && o.type === type);
    if (path && !def) throw new Error(`DiscordFake.interact: command has no ${type === 1 ? "subcommand" : "subcommand group"} "${name}"`);
    path = def?.options as Json[] | undefined;
    wrap.push((inner) => [{ name, type, options: inner }]);
  };
  if (opts.subcommandGroup) descend(opts.subcommandGroup, OptionType.SUB_COMMAND_GROUP);
  if (opts.subcommand) descend(opts.subcommand, OptionType.SUB_COMMAND);

  let leaf: Json[];
  if (Array.isArray(opts.options)) {
    leaf = opts.options;
  } else {
    leaf = Object.entries(opts.options ?? {}).map(([name, value]) => {
      const def = path?.find((o) => o.name === name);
      if (schema && !def) throw new Error(`DiscordFake.interact: unknown option "${name}"`);
      const type = (def?.type as number | undefined) ?? inferType(value);
      const option: Json = { name, type, value: focused === name ? String(value) : value };
      if (focused === name) option.focused = true;
      if (type === OptionType.ATTACHMENT) {
        // The option's value is the id of an attachment the user uploaded, described in
        // resolved.attachments (Interactions > Receiving and Responding > Resolved Data Structure).
        // Here the test gives the file's name.
        const attachmentId = snowflake();
        const filename = String(value);
        (resolved.attachments ??= {})[attachmentId] = {
          id: attachmentId,
          filename,
          size: 1024,
          content_type: filename.endsWith(".pdf") ? "application/pdf" : "application/octet-stream",
          url: `https://cdn.discordapp.com/ephemeral-attachments/${attachmentId}/${encodeURIComponent(filename)}`,
          proxy_url: `https://media.discordapp.net/ephemeral-attachments/${attachmentId}/${encodeURIComponent(filename)}`,
          ephemeral: true,
        };
        return { name, type, value: attachmentId };
      }
      const id = String(value);
      const guild = guildId ? state.guilds.get(guildId) : undefined;
      if ((type === OptionType.USER || type === OptionType.MENTIONABLE) && state.users.has(id)) {
        (resolved.users ??= {})[id] = state.userObject(id);
        if (guild?.memberIds.includes(id)) {
          const { user: _user, ...member } = state.memberObject(guild, id);
          (resolved.members ??= {})[id] = { ...member, permissions: state.permissionsFor(guild, id).toString() };
        }
      } else if (type === OptionType.CHANNEL && state.channels.has(id)) {
        const c = state.channels.get(id);
        if (c) (resolved.channels ??= {})[id] = { ...state.channelObject(c), permissions: "0" };
      } else if ((type === OptionType.ROLE || type === OptionType.MENTIONABLE) && guild) {
        const role = guild.roles.find((r) => r.id === id);
        if (role) (resolved.roles ??= {})[id] = state.roleObject(role);
      }
      return option;
    });
  }
  let options: Json[] | undefined = leaf;
  for (const w of wrap.reverse()) options = w(options);
  if (options.length === 0 && wrap.length === 0) options = undefined;
  return { options, resolved };
}

export interface PressOptions {
  /** The message whose button is pressed (it must carry a component with this custom_id). */
  messageId: string;
  customId: string;
  /** Pressing user: an id or a definition (created and added to the guild if new). Defaults to "tester". */
  user?: string | FakeUserInit;
  locale?: string;
}

/**
 * A MESSAGE_COMPONENT interaction: `data` is { custom_id, component_type: 2 } (a button) and
 * `message` the message it is under, as Discord sends them.
 */
export function createComponentInteraction(state: FakeState, opts: PressOptions): InteractionRecord {
  const stored = state.messages.get(opts.messageId);
  if (!stored) throw new Error(`DiscordFake.pressButton: unknown message ${opts.messageId}`);
  const buttons = stored.components.flatMap((row) => (Array.isArray(row.components) ? (row.components as Json[]) : []));
  if (!buttons.some((button) => button.type === 2 && button.custom_id === opts.customId)) {
    throw new Error(`DiscordFake.pressButton: message ${opts.messageId} has no button ${opts.customId}`);
  }
  const record = createInteraction(state, 3, { commandName: "", guildId: stored.guildId, channelId: stored.channelId, ...(opts.user ? { user: opts.user } : {}), ...(opts.locale ? { locale: opts.locale } : {}) });
  record.payload.data = { custom_id: opts.customId, component_type: 2 };
  record.payload.message = state.messageObject(stored);
  return record;
}

/** Builds the INTERACTION_CREATE `d` and registers the interaction in the state. */
export function createInteraction(state: FakeState, type: 2 | 3 | 4, opts: InteractOptions, focused?: string): InteractionRecord {
  const now = Date.now();
  const guildId = opts.guildId === undefined ? ([...state.guilds.keys()][0] ?? null) : opts.guildId;
  const guild = guildId ? state.guilds.get(guildId) : undefined;
  if (guildId && !guild) throw new Error(`DiscordFake.interact: unknown guild ${guildId}`);
  let userId = opts.userId ?? (typeof opts.user === "string" ? opts.user : undefined);
  if (typeof opts.user === "object") {
    userId = state.addUser(opts.user).id;
    if (guild && !guild.memberIds.includes(userId)) {
      guild.memberIds.push(userId);
      guild.memberCount++;
    }
  }
  userId ??= state.defaultUserId;
  const user = state.users.get(userId);
  if (!user) throw new Error(`DiscordFake.interact: unknown user ${userId}`);
  let channelId = opts.channelId;
  if (!channelId) {
    channelId = guild
      ? guild.channelIds.find((id) => state.channels.get(id)?.type === 0)
      : state.dmChannel(userId).id;
  }
  const channel = channelId ? state.channels.get(channelId) : undefined;
  if (!channel) throw new Error(`DiscordFake.interact: unknown channel ${String(channelId)}`);

  const commandType = opts.commandType ?? 1;
  const command = findCommand(state, opts.commandName, commandType, guildId);
  // A registered command's schema is enforced (no schema: option types are inferred from the JS values).
  const schema = command ? ((command.options as Json[] | undefined) ?? []) : undefined;
  const { options, resolved } = buildOptions(state, opts, schema, guildId, focused);
  const data: Json = {
    id: command?.id ?? snowflake(),
    name: opts.commandName,
    type: commandType,
    ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
    ...(options ? { options } : {}),
    ...(Object.keys(resolved).length ? { resolved } : {}),
  };

  const id = snowflake(now);
  const token = `aW50ZXJhY3Rpb246${id}:${randomToken(96)}`;
  const appPermissions = guild ? state.permissionsFor(guild, state.botId) : 0n;
  const payload: Json = {
    id,
    application_id: state.applicationId,
    type,
    data,
    ...(guild ? { guild_id: guild.id, guild: { id: guild.id, locale: guild.preferredLocale, features: [] } } : {}),
    channel_id: channel.id,
    channel: guild ? { ...state.channelObject(channel), permissions: state.permissionsFor(guild, userId).toString() } : state.channelObject(channel),
    ...(guild
      ? { member: { ...state.memberObject(guild, userId), permissions: state.permissionsFor(guild, userId).toString() } }
      : { user: state.userObject(userId) }),
    token,
    version: 1,
    app_permissions: appPermissions.toString(),
    locale: opts.locale ?? user.locale,
    ...(guild ? { guild_locale: guild.preferredLocale } : {}),
    entitlements: [],
    authorizing_integration_owners: guild ? { "0": guild.id } : { "0": "0" },
    context: guild ? 0 : 1,
    attachment_size_limit: 10 * 1024 * 1024,
  };

  const record: InteractionRecord = {
    id,
    token,
    type,
    guildId: guild?.id ?? null,
    channelId: channel.id,
    userId,
    commandName: opts.commandName,
    payload,
    createdAt: now,
    deliveredAt: null,
    callback: null,
    rejectedCallbacks: [],
    originalMessageId: null,
    edits: [],
    followUpIds: [],
    deletedMessageIds: [],
  };
  state.interactions.set(id, record);
  state.interactionsByToken.set(token, record);
  return record;
}

export function interactionHandle(state: FakeState, record: InteractionRecord): InteractionHandle {
  const messages = (ids: string[]) => ids.map((id) => state.messages.get(id)).filter((m): m is StoredMessage => !!m);
  return {
    id: record.id,
    token: record.token,
    payload: record.payload,
    record,
    waitForDelivery: (timeoutMs = 5000) => state.waitFor(() => record.deliveredAt, timeoutMs, `delivery of interaction ${record.id}`),
    waitForCallback: (timeoutMs = 5000) => state.waitFor(() => record.callback, timeoutMs, `callback for interaction ${record.id}`),
    waitForEdit: (n = 1, timeoutMs = 5000) => state.waitFor(() => record.edits[n - 1], timeoutMs, `edit #${n} of interaction ${record.id}`),
    waitForFollowUp: (n = 1, timeoutMs = 5000) =>
      state.waitFor(() => messages(record.followUpIds)[n - 1], timeoutMs, `follow-up #${n} of interaction ${record.id}`),
    originalMessage: () => (record.originalMessageId ? (state.messages.get(record.originalMessageId) ?? null) : null),
    followUps: () => messages(record.followUpIds),
  };
}
