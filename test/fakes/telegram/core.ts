/**
 * State of the fake Telegram: chats, users, messages, files, the update queue
 * (long polling and optional webhook delivery), commands and all records a
 * test may want to inspect. HTTP handling lives in server.ts, the Bot API
 * methods in methods.ts.
 */
import { randomBytes } from "node:crypto";
import type {
  BotCommand,
  Chat,
  ChatAdministratorRights,
  ChatMember,
  Message,
  MessageEntity,
  Update,
  User,
  UserFromGetMe,
} from "grammy/types";
import { findEntities, toMessageEntities } from "./formatting.ts";
import type { UploadedFile } from "./http-body.ts";
import { RateLimiter } from "./rate-limits.ts";
import type {
  BotChatStatus,
  CallbackAnswerRecord,
  ChatInput,
  CommandSet,
  DeletionRecord,
  EditRecord,
  InjectCallbackQueryInput,
  InjectMessageInput,
  InjectMyChatMemberInput,
  MigrationInput,
  OutgoingMessage,
  RequestRecord,
  SentDocument,
  TelegramFakeOptions,
  UndeliveredUpdate,
  UserInput,
  WebhookState,
} from "./types.ts";

// ---------------------------------------------------------------------------
// Envelope and errors

export interface ResponseParameters {
  retry_after?: number;
  migrate_to_chat_id?: number;
}

export type ApiResponse =
  | { ok: true; result: unknown; description?: string }
  | { ok: false; error_code: number; description: string; parameters?: ResponseParameters };

/** An error answer of the Bot API; thrown by method handlers. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(description);
  }

  toResponse(): ApiResponse {
    const response: ApiResponse = { ok: false, error_code: this.code, description: this.description };
    if (this.parameters) response.parameters = this.parameters;
    return response;
  }
}

export const badRequest = (what: string) => new ApiError(400, `Bad Request: ${what}`);
export const forbidden = (what: string) => new ApiError(403, `Forbidden: ${what}`);

/** A successful result that also carries the envelope's `description` (e.g. "Webhook was set"). */
export class Described {
  constructor(
    readonly result: unknown,
    readonly description: string,
  ) {}
}

// ---------------------------------------------------------------------------
// Internal records

export interface StoredMessage {
  message: Message;
  fromBot: boolean;
  deleted: boolean;
}

export interface ChatRecord {
  chat: Chat;
  botStatus: BotChatStatus;
  botRights: ChatAdministratorRights | undefined;
  /** Set when a basic group was upgraded; sends to it fail with migrate_to_chat_id. */
  migratedTo: number | undefined;
  /** Known memberships of users (not the bot). */
  members: Map<number, ChatMember>;
  messages: Map<number, StoredMessage>;
  nextMessageId: number;
  /** Private chats: the user deleted their account. */
  userDeactivated: boolean;
}

export interface StoredFile {
  fileId: string;
  fileUniqueId: string;
  fileName: string | undefined;
  mimeType: string | undefined;
  data: Buffer | undefined;
  url: string | undefined;
  path: string;
}

interface PollWaiter {
  offset: number;
  limit: number;
  finish: (result: Update[] | ApiError) => void;
  flushScheduled: boolean;
}

/** Update types delivered when allowed_updates is empty/unspecified. */
export const ALL_UPDATE_TYPES = [
  "message", "edited_message", "channel_post", "edited_channel_post", "business_connection",
  "business_message", "edited_business_message", "deleted_business_messages", "guest_message",
  "stopped_message_generation", "message_reaction", "message_reaction_count", "inline_query",
  "chosen_inline_result", "callback_query", "shipping_query", "pre_checkout_query", "purchased_paid_media",
  "poll", "poll_answer", "my_chat_member", "chat_member", "chat_join_request", "chat_boost",
  "removed_chat_boost", "managed_bot", "subscription",
] as const;
const DEFAULT_EXCLUDED = new Set(["chat_member", "message_reaction", "message_reaction_count"]);
export const DEFAULT_ALLOWED_UPDATES: readonly string[] = ALL_UPDATE_TYPES.filter((t) => !DEFAULT_EXCLUDED.has(t));

const SERVICE_FIELDS = [
  "new_chat_members", "left_chat_member", "new_chat_title", "new_chat_photo", "delete_chat_photo",
  "group_chat_created", "supergroup_chat_created", "channel_chat_created", "migrate_to_chat_id",
  "migrate_from_chat_id", "pinned_message", "message_auto_delete_timer_changed", "forum_topic_created",
  "forum_topic_edited", "forum_topic_closed", "forum_topic_reopened", "video_chat_started", "video_chat_ended",
] as const;

const ADMIN_RIGHTS_ALL: ChatAdministratorRights = {
  is_anonymous: false,
  can_manage_chat: true,
  can_delete_messages: true,
  can_manage_video_chats: true,
  can_restrict_members: true,
  can_promote_members: false,
  can_change_info: true,
  can_invite_users: true,
  can_post_stories: false,
  can_edit_stories: false,
  can_delete_stories: false,
  can_pin_messages: true,
  can_send_welcome_messages: false,
};

export const DEFAULT_TOKEN = "123456789:TEST-fake-telegram-token";

/** Mutable state of one fake Telegram instance. */
export class TelegramFakeCore {
  readonly token: string;
  readonly botInfo: UserFromGetMe;
  readonly privacyMode: boolean;
  readonly strictHtmlAmpersand: boolean;
  readonly webhookDelivery: boolean;
  readonly webhookRetryDelayMs: number;
  readonly now: () => number;
  readonly limiter: RateLimiter;
  readonly defaultUser: User;

  readonly chats = new Map<number, ChatRecord>();
  readonly users = new Map<number, User>();
  readonly files = new Map<string, StoredFile>();
  readonly filesByPath = new Map<string, StoredFile>();
  readonly callbackQueries = new Map<string, { answered: boolean }>();
  readonly commandSets = new Map<string, CommandSet>();
  pending: Update[] = [];
  nextUpdateId: number;
  allowedUpdates: Set<string> = new Set(DEFAULT_ALLOWED_UPDATES);
  /** allowed_updates as last given explicitly (undefined = default). */
  allowedUpdatesParam: string[] | undefined;
  webhook: WebhookState | undefined;
  closed = false;

  // records
  readonly sent: OutgoingMessage[] = [];
  readonly documents: SentDocument[] = [];
  readonly edits: EditRecord[] = [];
  readonly deletions: DeletionRecord[] = [];
  readonly callbackAnswers: CallbackAnswerRecord[] = [];
  readonly requests: RequestRecord[] = [];
  readonly requestCounts: Record<string, number> = {};
  readonly acceptedSendTimestamps: number[] = [];
  readonly undelivered: UndeliveredUpdate[] = [];
  readonly unknownMethods: string[] = [];
  readonly webhookDeliveries: Array<{ update: Update; status: number | undefined; error: string | undefined; timestamp: number }> = [];
  tooManyRequests = 0;

  private waiter: PollWaiter | undefined;
  private readonly listeners = new Set<() => void>();
  private fileCounter = 0;
  private callbackCounter = 0;
  private webhookBusy = false;
  private webhookRetryTimer: NodeJS.Timeout | undefined;
  private readonly webhookAbort = new AbortController();
  /** Dispatches a Bot API call (used for webhook replies); set by the server. */
  dispatch: ((method: string, params: Record<string, unknown>) => Promise<ApiResponse>) | undefined;

  constructor(options: TelegramFakeOptions = {}) {
    this.token = options.token ?? DEFAULT_TOKEN;
    const botId = Number(this.token.split(":")[0]);
    if (!Number.isSafeInteger(botId) || botId <= 0) throw new Error(`token must look like "<bot id>:<secret>"`);
    this.privacyMode = options.privacyMode ?? true;
    this.strictHtmlAmpersand = options.strictHtmlAmpersand ?? true;
    this.webhookDelivery = options.webhookDelivery ?? false;
    this.webhookRetryDelayMs = options.webhookRetryDelayMs ?? 1000;
    this.now = options.now ?? (() => performance.timeOrigin + performance.now());
    this.limiter = new RateLimiter(options.rateLimits ?? "telegram", this.now);
    this.nextUpdateId = options.firstUpdateId ?? 100000001;
    this.botInfo = {
      id: botId,
      is_bot: true,
      first_name: "Fake Test Bot",
      username: "fake_test_bot",
      can_join_groups: true,
      can_read_all_group_messages: !this.privacyMode,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
      ...options.bot,
    };
    this.users.set(botId, this.botUser);
    this.defaultUser = this.userFrom(options.defaultUser ?? { id: 1001, first_name: "Alice", username: "alice", language_code: "en" });
  }

  /** The bot as it appears in `from` fields. */
  get botUser(): User {
    const user: User = { id: this.botInfo.id, is_bot: true, first_name: this.botInfo.first_name };
    if (this.botInfo.last_name) user.last_name = this.botInfo.last_name;
    user.username = this.botInfo.username;
    return user;
  }

  unixNow(): number {
    return Math.floor(this.now() / 1000);
  }

  // -------------------------------------------------------------------------
  // Listeners (waitFor)

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  // -------------------------------------------------------------------------
  // Users and chats

  userFrom(input: UserInput): User {
    const known = this.users.get(input.id);
    const user: User = { ...known, ...input, is_bot: input.is_bot ?? known?.is_bot ?? false, first_name: input.first_name ?? known?.first_name ?? `User ${input.id}` } as User;
    this.users.set(user.id, user);
    return user;
  }

  /** Registers (or refreshes) a chat. New chats start with the bot as a member. */
  addChat(input: ChatInput, botStatus?: BotChatStatus): ChatRecord {
    const chat = normalizeChat(input);
    const existing = this.chats.get(chat.id);
    if (existing) {
      existing.chat = chat;
      if (botStatus) existing.botStatus = botStatus;
      return existing;
    }
    const record: ChatRecord = {
      chat,
      botStatus: botStatus ?? (chat.type === "channel" ? "administrator" : "member"),
      botRights: undefined,
      migratedTo: undefined,
      members: new Map(),
      messages: new Map(),
      nextMessageId: 1,
      userDeactivated: false,
    };
    if (record.botStatus === "administrator") record.botRights = { ...ADMIN_RIGHTS_ALL };
    if (chat.type === "private") {
      this.userFrom({ id: chat.id, first_name: chat.first_name, ...(chat.last_name ? { last_name: chat.last_name } : {}), ...(chat.username ? { username: chat.username } : {}) });
    }
    this.chats.set(chat.id, record);
    return record;
  }

  chatRecord(input: ChatInput | number): ChatRecord {
    if (typeof input === "number") {
      const record = this.chats.get(input);
      if (!record) throw new Error(`telegram fake: unknown chat ${input}; pass a Chat object or register it with addChat()`);
      return record;
    }
    return this.addChat(input);
  }

  privateChatFor(user: User): ChatRecord {
    const existing = this.chats.get(user.id);
    if (existing) return existing;
    const chat: Chat.PrivateChat = { id: user.id, type: "private", first_name: user.first_name };
    if (user.last_name) chat.last_name = user.last_name;
    if (user.username) chat.username = user.username;
    return this.addChat(chat);
  }

  setBotStatus(chatId: number, status: BotChatStatus, rights?: Partial<ChatAdministratorRights>): void {
    const record = this.chatRecord(chatId);
    record.botStatus = status;
    record.botRights = status === "administrator" ? { ...ADMIN_RIGHTS_ALL, ...rights } : undefined;
  }

  /** The bot's own ChatMember object in a chat. */
  botMember(record: ChatRecord): ChatMember {
    const user = this.botUser;
    switch (record.botStatus) {
      case "administrator":
        return { status: "administrator", user, can_be_edited: false, ...(record.botRights ?? ADMIN_RIGHTS_ALL) };
      case "kicked":
        return { status: "kicked", user, until_date: 0 };
      case "left":
        return { status: "left", user };
      default:
        return { status: "member", user };
    }
  }

  // -------------------------------------------------------------------------
  // Messages

  storeMessage(record: ChatRecord, message: Message, fromBot: boolean): void {
    record.messages.set(message.message_id, { message, fromBot, deleted: false });
    if (message.message_id >= record.nextMessageId) record.nextMessageId = message.message_id + 1;
  }

  findMessage(record: ChatRecord, messageId: number): StoredMessage | undefined {
    const stored = record.messages.get(messageId);
    return stored && !stored.deleted ? stored : undefined;
  }

  // -------------------------------------------------------------------------
  // Files

  storeFile(input: { fileName: string | undefined; mimeType: string | undefined; data: Buffer | undefined; url: string | undefined; kind: string }): StoredFile {
    this.fileCounter++;
    const ext = extensionOf(input.fileName) ?? "";
    const file: StoredFile = {
      fileId: `BQACAgIAAxkBAA${randomBytes(24).toString("base64url")}`,
      fileUniqueId: `AgAD${randomBytes(9).toString("base64url")}`,
      fileName: input.fileName,
      mimeType: input.mimeType,
      data: input.data,
      url: input.url,
      path: `${input.kind}/file_${this.fileCounter}${ext}`,
    };
    this.files.set(file.fileId, file);
    this.filesByPath.set(file.path, file);
    return file;
  }

  // -------------------------------------------------------------------------
  // Update queue

  /** Queues an update unless its type is filtered by allowed_updates. Returns it with its update_id. */
  enqueue(content: Omit<Update, "update_id">): Update {
    const update = { update_id: this.nextUpdateId++, ...content } as Update;
    const type = Object.keys(content)[0] ?? "";
    if (!this.allowedUpdates.has(type)) {
      this.undelivered.push({ update, reason: `update type "${type}" is not in allowed_updates` });
      return update;
    }
    this.pending.push(update);
    this.wakePoll();
    this.kickWebhook();
    this.notify();
    return update;
  }

  setAllowedUpdates(list: unknown): void {
    if (!Array.isArray(list)) return;
    const known = new Set<string>(ALL_UPDATE_TYPES);
    const chosen = list.filter((t): t is string => typeof t === "string").map((t) => t.toLowerCase()).filter((t) => known.has(t));
    if (chosen.length === 0) {
      this.allowedUpdates = new Set(DEFAULT_ALLOWED_UPDATES);
      this.allowedUpdatesParam = undefined;
    } else {
      this.allowedUpdates = new Set(chosen);
      this.allowedUpdatesParam = chosen;
    }
  }

  /** Applies getUpdates' offset: confirms (forgets) updates below it. */
  confirm(offset: number): void {
    if (offset > 0) this.pending = this.pending.filter((u) => u.update_id >= offset);
    else if (offset < 0) this.pending = this.pending.slice(offset);
  }

  selectUpdates(offset: number, limit: number): Update[] {
    return this.pending.filter((u) => u.update_id >= offset).slice(0, limit);
  }

  /** Starts a long poll; resolves with updates, [] on timeout, or rejects with a 409. */
  longPoll(offset: number, limit: number, timeoutSeconds: number, signal: AbortSignal | undefined): Promise<Update[]> {
    return new Promise<Update[]>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: PollWaiter = {
        offset,
        limit,
        flushScheduled: false,
        finish: (result) => {
          if (this.waiter === waiter) this.waiter = undefined;
          if (timer) clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          if (result instanceof ApiError) reject(result);
          else resolve(result);
        },
      };
      const onAbort = () => waiter.finish([]);
      timer = setTimeout(() => waiter.finish([]), timeoutSeconds * 1000);
      timer.unref();
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiter = waiter;
    });
  }

  /** Ends a pending long poll with 409, as Telegram does when it is superseded. */
  abortLongPoll(description: string): void {
    this.waiter?.finish(new ApiError(409, description));
  }

  private wakePoll(): void {
    const waiter = this.waiter;
    if (!waiter || waiter.flushScheduled) return;
    waiter.flushScheduled = true;
    // Batch updates injected in the same tick, like the server's short wait after a wake-up.
    setImmediate(() => {
      waiter.flushScheduled = false;
      if (this.waiter !== waiter) return;
      const batch = this.selectUpdates(waiter.offset, waiter.limit);
      if (batch.length > 0) waiter.finish(batch);
    });
  }

  // -------------------------------------------------------------------------
  // Webhook delivery (optional)

  kickWebhook(): void {
    if (!this.webhookDelivery || !this.webhook || this.webhookBusy || this.closed || this.webhookRetryTimer) return;
    void this.deliverWebhookUpdates();
  }

  private async deliverWebhookUpdates(): Promise<void> {
    this.webhookBusy = true;
    try {
      while (!this.closed && this.webhook && this.pending.length > 0) {
        const hook = this.webhook;
        const update = this.pending[0]!;
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (hook.secretToken) headers["x-telegram-bot-api-secret-token"] = hook.secretToken;
        let replyBody = "";
        let status: number | undefined;
        try {
          const response = await fetch(hook.url, {
            method: "POST",
            headers,
            body: JSON.stringify(update),
            signal: this.webhookAbort.signal,
          });
          status = response.status;
          replyBody = await response.text();
          if (!response.ok) throw new Error(`Wrong response from the webhook: ${response.status} ${response.statusText}`);
        } catch (error) {
          if (this.closed) return;
          const message = describeFetchError(error);
          this.webhookDeliveries.push({ update, status, error: message, timestamp: this.now() });
          hook.lastErrorDate = this.unixNow();
          hook.lastErrorMessage = message;
          this.webhookRetryTimer = setTimeout(() => {
            this.webhookRetryTimer = undefined;
            this.kickWebhook();
          }, this.webhookRetryDelayMs);
          this.webhookRetryTimer.unref();
          return;
        }
        this.webhookDeliveries.push({ update, status, error: undefined, timestamp: this.now() });
        this.pending = this.pending.filter((u) => u !== update);
        this.notify();
        await this.runWebhookReply(replyBody);
      }
    } finally {
      this.webhookBusy = false;
    }
  }

  /** A webhook may answer with a method call in its response body; Telegram executes it. */
  private async runWebhookReply(body: string): Promise<void> {
    if (!body.trim() || !this.dispatch) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return;
    }
    if (parsed && typeof parsed === "object" && typeof (parsed as { method?: unknown }).method === "string") {
      const { method, ...params } = parsed as { method: string } & Record<string, unknown>;
      await this.dispatch(method, params);
    }
  }

  // -------------------------------------------------------------------------
  // Sending bookkeeping

  /** Applies flood control to a send; throws the 429 answer when refused. */
  takeSendSlot(record: ChatRecord): void {
    const decision = this.limiter.take(record.chat.id, record.chat.type === "group" || record.chat.type === "supergroup");
    if (!decision.ok) {
      this.tooManyRequests++;
      throw new ApiError(429, `Too Many Requests: retry after ${decision.retryAfter}`, { retry_after: decision.retryAfter });
    }
  }

  // -------------------------------------------------------------------------
  // Injection

  /** Builds and queues a `message` (or `channel_post`) update. */
  injectMessage(input: InjectMessageInput): Update {
    const from = this.userFrom(input.from ?? this.defaultUser);
    const record = input.chat === undefined ? this.privateChatFor(from) : this.chatRecord(input.chat);
    const chat = record.chat;
    const message: Record<string, unknown> = {
      message_id: record.nextMessageId++,
    };
    if (chat.type === "channel") {
      message.sender_chat = chat;
    } else {
      message.from = from;
      if (chat.type !== "private" && !record.members.has(from.id)) {
        record.members.set(from.id, { status: "member", user: from });
      }
    }
    message.chat = chat;
    message.date = input.date ?? this.unixNow();
    if (input.messageThreadId !== undefined) {
      message.message_thread_id = input.messageThreadId;
      if ("is_forum" in chat && chat.is_forum) message.is_topic_message = true;
    }
    if (input.replyToMessageId !== undefined) {
      const replied = this.findMessage(record, input.replyToMessageId);
      if (!replied) throw new Error(`telegram fake: message ${input.replyToMessageId} not found in chat ${chat.id}`);
      message.reply_to_message = withoutReply(replied.message);
    }
    if (input.document) {
      const data = Buffer.from(
        typeof input.document.content === "string" ? Buffer.from(input.document.content, "utf8") : input.document.content,
      );
      const mimeType = input.document.mimeType ?? guessMimeType(input.document.fileName);
      const file = this.storeFile({ fileName: input.document.fileName, mimeType, data, url: undefined, kind: "documents" });
      message.document = {
        file_name: input.document.fileName,
        mime_type: mimeType,
        file_id: file.fileId,
        file_unique_id: file.fileUniqueId,
        file_size: data.length,
      };
    }
    if (input.text !== undefined) {
      message.text = input.text;
      const entities = input.entities ?? this.detect(input.text);
      if (entities.length > 0) message.entities = entities;
    }
    if (input.caption !== undefined) {
      message.caption = input.caption;
      const entities = this.detect(input.caption);
      if (entities.length > 0) message.caption_entities = entities;
    }
    Object.assign(message, input.extra);
    const typed = message as unknown as Message;
    this.storeMessage(record, typed, false);

    if (chat.type === "channel") {
      return this.deliver({ channel_post: typed } as Omit<Update, "update_id">, this.blockReason(record, typed));
    }
    return this.deliver({ message: typed } as Omit<Update, "update_id">, this.blockReason(record, typed));
  }

  /** Builds and queues a callback_query for a button under a stored message. */
  injectCallbackQuery(input: InjectCallbackQueryInput): Update {
    const from = this.userFrom(input.from ?? this.defaultUser);
    const record = this.chatRecord(input.chatId);
    const stored = this.findMessage(record, input.messageId);
    if (!stored) throw new Error(`telegram fake: message ${input.messageId} not found in chat ${input.chatId}`);
    this.callbackCounter++;
    const id = `${BigInt(from.id) * 1000003n + BigInt(this.callbackCounter)}`;
    this.callbackQueries.set(id, { answered: false });
    return this.enqueue({
      callback_query: {
        id,
        from,
        message: stored.message,
        chat_instance: String(BigInt.asIntN(64, BigInt(record.chat.id) * 2654435761n + 97n)),
        data: input.data,
      },
    } as Omit<Update, "update_id">);
  }

  /** Queues a my_chat_member update and applies the bot's new status. */
  injectMyChatMember(input: InjectMyChatMemberInput): Update {
    const record = this.chatRecord(input.chat);
    const from = this.userFrom(
      input.from ?? (record.chat.type === "private" ? { id: record.chat.id } : this.defaultUser),
    );
    const oldMember = input.oldStatus ? this.memberWithStatus(input.oldStatus, record.botRights) : this.botMember(record);
    this.setBotStatus(record.chat.id, input.newStatus, input.rights);
    const newMember = this.botMember(record);
    return this.enqueue({
      my_chat_member: {
        chat: record.chat,
        from,
        date: this.unixNow(),
        old_chat_member: oldMember,
        new_chat_member: newMember,
      },
    } as Omit<Update, "update_id">);
  }

  private memberWithStatus(status: BotChatStatus, rights: ChatAdministratorRights | undefined): ChatMember {
    const user = this.botUser;
    switch (status) {
      case "administrator":
        return { status: "administrator", user, can_be_edited: false, ...(rights ?? ADMIN_RIGHTS_ALL) };
      case "kicked":
        return { status: "kicked", user, until_date: 0 };
      case "left":
        return { status: "left", user };
      default:
        return { status: "member", user };
    }
  }

  /**
   * The bot is added to a group: my_chat_member (left -> member/administrator)
   * plus, for groups and supergroups, the service message with new_chat_members.
   */
  botAddedToGroup(input: { chat: ChatInput | number; by?: UserInput; asAdmin?: boolean }): Update[] {
    const record = this.chatRecord(input.chat);
    const by = this.userFrom(input.by ?? this.defaultUser);
    // A freshly registered chat has the bot as "member"; before being added it was "left" (or "kicked").
    const wasStatus = record.botStatus === "kicked" ? "kicked" : "left";
    const updates = [
      this.injectMyChatMember({
        chat: record.chat.id,
        from: by,
        oldStatus: wasStatus,
        newStatus: input.asAdmin ? "administrator" : "member",
      }),
    ];
    if (record.chat.type === "group" || record.chat.type === "supergroup") {
      updates.push(
        this.injectMessage({ chat: record.chat.id, from: by, extra: { new_chat_members: [this.botUser] } as Partial<Message> }),
      );
    }
    return updates;
  }

  /** The bot is removed from a group: my_chat_member to "left" (groups) or "kicked" (supergroups) by default. */
  botRemovedFromGroup(input: { chat: ChatInput | number; by?: UserInput; status?: "left" | "kicked" }): Update {
    const record = this.chatRecord(input.chat);
    const status = input.status ?? (record.chat.type === "supergroup" || record.chat.type === "channel" ? "kicked" : "left");
    return this.injectMyChatMember({ chat: record.chat.id, from: input.by ?? this.defaultUser, newStatus: status });
  }

  /** A private-chat user blocks (kicked) or unblocks (member) the bot. */
  userBlockedBot(user: UserInput | number, blocked = true): Update {
    const u = this.userFrom(typeof user === "number" ? { id: user } : user);
    const record = this.privateChatFor(u);
    return this.injectMyChatMember({ chat: record.chat.id, from: u, newStatus: blocked ? "kicked" : "member" });
  }

  /**
   * A basic group is upgraded to a supergroup. Queues the two service
   * messages Telegram sends (migrate_to_chat_id in the old group,
   * migrate_from_chat_id in the new supergroup) and marks the old group as
   * migrated, so sends to it fail with 400 and migrate_to_chat_id.
   */
  migrateGroup(input: MigrationInput): { supergroup: Chat.SupergroupChat; updates: Update[] } {
    const old = this.chatRecord(input.chat);
    if (old.chat.type !== "group") throw new Error("telegram fake: only basic groups can be migrated");
    const by = this.userFrom(input.by ?? this.defaultUser);
    const supergroupId = input.supergroupId ?? Number(`-100${String(Math.abs(old.chat.id)).padStart(10, "0")}`);
    const supergroup: Chat.SupergroupChat = { id: supergroupId, type: "supergroup", title: input.title ?? old.chat.title };
    const updates: Update[] = [];
    updates.push(this.injectMessage({ chat: old.chat.id, from: by, extra: { migrate_to_chat_id: supergroupId } as Partial<Message> }));
    old.migratedTo = supergroupId;
    const fresh = this.addChat(supergroup, old.botStatus);
    fresh.botRights = old.botRights;
    for (const [id, member] of old.members) fresh.members.set(id, member);
    updates.push(this.injectMessage({ chat: supergroupId, from: by, extra: { migrate_from_chat_id: old.chat.id } as Partial<Message> }));
    return { supergroup, updates };
  }

  /** Queues a raw update (update_id assigned unless given). */
  injectUpdate(update: Omit<Update, "update_id"> & { update_id?: number }): Update {
    const { update_id, ...content } = update;
    if (update_id !== undefined) {
      if (update_id < this.nextUpdateId) throw new Error(`telegram fake: update_id ${update_id} is not above the last one`);
      this.nextUpdateId = update_id;
    }
    // Register chats and users mentioned by the update so later sends find them.
    for (const value of Object.values(content)) {
      if (value && typeof value === "object") {
        const obj = value as { chat?: ChatInput; from?: UserInput; message?: Message };
        if (obj.chat && typeof obj.chat === "object" && "id" in obj.chat) this.addChat(obj.chat);
        if (obj.from && typeof obj.from === "object" && "id" in obj.from) this.userFrom(obj.from);
        if (obj.chat && "message_id" in obj) this.storeMessage(this.chatRecord(obj.chat.id), obj as unknown as Message, false);
      }
    }
    return this.enqueue(content as Omit<Update, "update_id">);
  }

  private deliver(content: Omit<Update, "update_id">, blockReason: string | undefined): Update {
    if (blockReason === undefined) return this.enqueue(content);
    const update = { update_id: this.nextUpdateId++, ...content } as Update;
    this.undelivered.push({ update, reason: blockReason });
    return update;
  }

  private detect(text: string): MessageEntity[] {
    return toMessageEntities(findEntities(text));
  }

  /** Why Telegram would not hand this incoming message to the bot, or undefined. */
  private blockReason(record: ChatRecord, message: Message): string | undefined {
    const type = record.chat.type;
    if (type === "private") return record.botStatus === "kicked" ? "the user has blocked the bot" : undefined;
    if (record.botStatus === "left" || record.botStatus === "kicked") return "the bot is not a member of the chat";
    if (type === "channel") return record.botStatus === "administrator" ? undefined : "the bot is not an administrator of the channel";
    if (!this.privacyMode || record.botStatus === "administrator") return undefined;
    const raw = message as unknown as Record<string, unknown>;
    if (SERVICE_FIELDS.some((field) => raw[field] !== undefined)) return undefined;
    if (message.reply_to_message?.from?.id === this.botInfo.id) return undefined;
    const text = message.text ?? message.caption ?? "";
    const entities = message.entities ?? message.caption_entities ?? [];
    const username = this.botInfo.username.toLowerCase();
    for (const entity of entities) {
      if (entity.type !== "bot_command") continue;
      const command = text.slice(entity.offset, entity.offset + entity.length);
      const at = command.indexOf("@");
      if (at === -1 || command.slice(at + 1).toLowerCase() === username) return undefined;
    }
    return "privacy mode: the bot only receives commands, replies to its messages and service messages in groups";
  }

  // -------------------------------------------------------------------------
  // Shutdown

  shutdown(): void {
    this.closed = true;
    this.waiter?.finish([]);
    if (this.webhookRetryTimer) clearTimeout(this.webhookRetryTimer);
    this.webhookRetryTimer = undefined;
    this.webhookAbort.abort();
  }
}

// ---------------------------------------------------------------------------
// Helpers

export function normalizeChat(input: ChatInput): Chat {
  switch (input.type) {
    case "private": {
      const chat: Chat.PrivateChat = { id: input.id, type: "private", first_name: input.first_name ?? `User ${input.id}` };
      if (input.last_name) chat.last_name = input.last_name;
      if (input.username) chat.username = input.username;
      return chat;
    }
    case "group":
      return { id: input.id, type: "group", title: input.title ?? `Group ${input.id}` };
    case "supergroup": {
      const chat: Chat.SupergroupChat = { id: input.id, type: "supergroup", title: input.title ?? `Supergroup ${input.id}` };
      if (input.username) chat.username = input.username;
      if ("is_forum" in input && input.is_forum) chat.is_forum = true;
      return chat;
    }
    case "channel": {
      const chat: Chat.ChannelChat = { id: input.id, type: "channel", title: input.title ?? `Channel ${input.id}` };
      if (input.username) chat.username = input.username;
      return chat;
    }
  }
}

/** Telegram does not nest replies: a replied-to message carries no reply_to_message of its own. */
export function withoutReply(message: Message): Message {
  const { reply_to_message: _ignored, ...rest } = message as Message & { reply_to_message?: unknown };
  return rest as Message;
}

export function extensionOf(fileName: string | undefined): string | undefined {
  if (!fileName) return undefined;
  const m = /\.[A-Za-z0-9]{1,8}$/.exec(fileName);
  return m ? m[0].toLowerCase() : undefined;
}

const MIME_TYPES: Record<string, string> = {
  ".txt": "text/plain",
  ".csv": "text/csv",
  ".md": "text/markdown",
  ".html": "text/html",
  ".json": "application/json",
  ".pdf": "application/pdf",
  ".zip": "application/zip",
  ".ics": "text/calendar",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".doc": "application/msword",
  ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  ".xls": "application/vnd.ms-excel",
  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  ".mp3": "audio/mpeg",
  ".mp4": "video/mp4",
  ".ogg": "audio/ogg",
};

export function guessMimeType(fileName: string | undefined): string | undefined {
  const ext = extensionOf(fileName);
  return ext ? (MIME_TYPES[ext] ?? "application/octet-stream") : undefined;
}

export function describeParams(raw: Record<string, unknown>, files: Map<string, UploadedFile>): Record<string, unknown> {
  if (files.size === 0) return { ...raw };
  const described: Record<string, unknown> = { ...raw };
  for (const file of files.values()) {
    described[`file:${file.field}`] = { fileName: file.fileName, size: file.data.length, contentType: file.contentType };
  }
  return described;
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string } })?.cause;
  if (cause?.code === "ECONNREFUSED") return "Connection refused";
  if (cause?.code === "ENOTFOUND") return "Failed to resolve host: Name or service not known";
  return error instanceof Error ? error.message : String(error);
}

export type { BotCommand };
