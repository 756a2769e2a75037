/**
 * A local fake of the Telegram Bot API for tests and benchmarks.
 *
 *   const telegram = await startTelegramFake();
 *   const bot = new Bot(telegram.token, { client: { apiRoot: telegram.apiRoot } });
 *   telegram.injectMessage({ text: "/start" });
 *   await telegram.waitFor((m) => m.text === "Welcome!");
 *   await telegram.close();
 *
 * Serves `/bot<token>/<method>` (JSON, urlencoded or multipart bodies, or a
 * query string) and `/file/bot<token>/<file_path>` on 127.0.0.1 with an
 * ephemeral port. See README.md for what is and is not modelled.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { BotCommand, BotCommandScope, Chat, ChatAdministratorRights, ChatMember, Message, Update, User, UserFromGetMe } from "grammy/types";
import { type ApiResponse, TelegramFakeCore } from "./core.ts";
import { BodyError, parseRequest, readBody } from "./http-body.ts";
import { callMethod } from "./methods.ts";
import type { RateLimitConfig, RateLimitMode } from "./rate-limits.ts";
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

export * from "./types.ts";
export { TELEGRAM_RATE_LIMITS } from "./rate-limits.ts";

export interface StartOptions extends TelegramFakeOptions {
  /** Port to listen on (default 0 = ephemeral). */
  port?: number;
}

/** Handle returned by startTelegramFake. */
export interface TelegramFake {
  // --- connection
  /** "http://127.0.0.1:<port>" — pass as `new Bot(token, { client: { apiRoot } })`. */
  readonly apiRoot: string;
  /** The bot token the fake accepts (others get 401 Unauthorized). */
  readonly token: string;
  readonly port: number;
  /** What getMe returns. */
  readonly botInfo: UserFromGetMe;

  // --- injecting updates (queued for getUpdates / the webhook)
  /** Queues a raw update; update_id is assigned unless given. Chats/users in it are registered. */
  injectUpdate(update: Omit<Update, "update_id"> & { update_id?: number }): Update;
  /**
   * Queues a message from a user (or a channel post) with realistic fields:
   * per-chat message_id, date, entities detected from the text (bot_command
   * for "/cmd" and "/cmd@bot", mentions, URLs, ...). Group messages the bot
   * would not see (privacy mode, bot not a member) are not queued but listed
   * in `undelivered`.
   */
  injectMessage(input: InjectMessageInput): Update;
  /** Queues a callback_query for a button under a stored message. */
  injectCallbackQuery(input: InjectCallbackQueryInput): Update;
  /** Queues a my_chat_member update (old/new ChatMember of the bot) and applies the new status. */
  injectMyChatMember(input: InjectMyChatMemberInput): Update;
  /** my_chat_member left -> member/administrator, plus the new_chat_members service message in groups. */
  botAddedToGroup(input: { chat: ChatInput | number; by?: UserInput; asAdmin?: boolean }): Update[];
  /** my_chat_member to "left" (group) or "kicked" (supergroup/channel) unless `status` is given. */
  botRemovedFromGroup(input: { chat: ChatInput | number; by?: UserInput; status?: "left" | "kicked" }): Update;
  /** my_chat_member in a private chat: member -> kicked (blocked) or back to member. */
  userBlockedBot(user: UserInput | number, blocked?: boolean): Update;
  /**
   * Upgrades a basic group: queues the message with migrate_to_chat_id (old
   * group) and the one with migrate_from_chat_id (new supergroup), and marks
   * the old id as migrated.
   */
  migrateGroupToSupergroup(input: MigrationInput): { supergroup: Chat.SupergroupChat; updates: Update[] };

  // --- chat state (no update is emitted)
  /** Registers a chat so the bot can send to it (unknown chats give "chat not found"). */
  addChat(chat: ChatInput, botStatus?: BotChatStatus): Chat;
  /** Registers a user (getChatMember, text mentions). */
  addUser(user: UserInput): User;
  /** Sets the bot's status in a chat; "kicked" in a private chat means blocked by the user. */
  setBotStatus(chatId: number, status: BotChatStatus, rights?: Partial<ChatAdministratorRights>): void;
  /** Private chat: the user blocked the bot (sends get 403 "bot was blocked by the user"). */
  blockBot(userId: number): void;
  /** Group/supergroup/channel: the bot was kicked (sends get 403 "bot was kicked from the ... chat"). */
  kickBot(chatId: number): void;
  /** Old group id now answers 400 "group chat was upgraded..." with parameters.migrate_to_chat_id. */
  markMigrated(oldChatId: number, newChatId: number): void;
  /** Sets a user's membership (getChatMember). */
  setChatMember(chatId: number, member: ChatMember): void;
  /** Private chat: the user deleted the account (403 "user is deactivated"). */
  deactivateUser(userId: number): void;
  /** The bot's status in a chat, or undefined for unknown chats. */
  botStatus(chatId: number): BotChatStatus | undefined;
  /** All non-deleted messages stored for a chat (incoming and outgoing), oldest first. */
  chatMessages(chatId: number): Message[];

  // --- flood control
  /** "telegram" (documented limits), "off", or numbers overriding the defaults. */
  setRateLimits(mode: RateLimitMode): void;
  /** The next `count` sends get 429 with `retryAfterSeconds`, whatever the limits. */
  storm(count: number, retryAfterSeconds: number): void;
  /** Current limits (undefined when off). */
  readonly rateLimits: Readonly<RateLimitConfig> | undefined;
  /** How many 429 answers the fake has given. */
  readonly tooManyRequestsCount: number;
  /** Epoch ms (fractional) of every accepted send, in order. */
  readonly acceptedSendTimestamps: readonly number[];

  // --- introspection
  /** Every accepted sendMessage/sendDocument, in order. */
  readonly sent: readonly OutgoingMessage[];
  /** Accepted sendMessage calls only. */
  readonly messages: readonly OutgoingMessage[];
  /** Accepted sendDocument calls (file name, bytes, caption, ...). */
  readonly documents: readonly SentDocument[];
  readonly edits: readonly EditRecord[];
  readonly deletions: readonly DeletionRecord[];
  readonly callbackAnswers: readonly CallbackAnswerRecord[];
  /** Every Bot API call with its parameters and answer status. */
  readonly requests: readonly RequestRecord[];
  /** Number of calls per method name. */
  readonly requestCounts: Readonly<Record<string, number>>;
  /** Method names called that the fake does not implement (answered 404). */
  readonly unknownMethods: readonly string[];
  /** Updates that Telegram would not deliver (privacy mode, allowed_updates, not a member, ...). */
  readonly undelivered: readonly UndeliveredUpdate[];
  /** Updates queued and not yet confirmed. */
  readonly pendingUpdates: readonly Update[];
  /** The webhook set with setWebhook, if any. */
  readonly webhook: Readonly<WebhookState> | undefined;
  /** Webhook POST attempts (only with `webhookDelivery: true`). */
  readonly webhookDeliveries: readonly { update: Update; status: number | undefined; error: string | undefined; timestamp: number }[];
  /** Commands stored for exactly this scope (default: {type:"default"}) and language (default ""). */
  commands(scope?: BotCommandScope, languageCode?: string): BotCommand[] | undefined;
  /** Every stored command list. */
  readonly commandSets: readonly CommandSet[];
  /**
   * Resolves with the first accepted send matching `predicate`. By default
   * sends recorded before the call count too (avoids races); pass
   * `{ includeExisting: false }` to wait for a new one only.
   */
  waitFor(
    predicate: (message: OutgoingMessage) => boolean,
    timeoutMs?: number,
    options?: { includeExisting?: boolean },
  ): Promise<OutgoingMessage>;
  /** Resolves with the first finished API call matching `predicate` (same `includeExisting` rule). */
  waitForRequest(
    predicate: (request: RequestRecord) => boolean,
    timeoutMs?: number,
    options?: { includeExisting?: boolean },
  ): Promise<RequestRecord>;
  /** Empties all records and counters (state such as chats and commands is kept). */
  clearRecords(): void;
  /** Stops the server, ends pending long polls and drops all connections. Idempotent. */
  close(): Promise<void>;
}

/** Starts a fake Bot API server on 127.0.0.1 and an ephemeral port. */
export async function startTelegramFake(options: StartOptions = {}): Promise<TelegramFake> {
  const core = new TelegramFakeCore(options);
  core.dispatch = (method, params) => callMethod(core, method, params, new Map(), {});

  const server = createServer((req, res) => {
    handleRequest(core, req, res).catch((error: unknown) => {
      sendJson(res, 500, {
        ok: false,
        error_code: 500,
        description: `Internal Server Error: ${error instanceof Error ? error.message : String(error)}`,
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const waiters = new Set<(error: Error) => void>();
  let closing: Promise<void> | undefined;

  function waitOn<T>(
    list: () => readonly T[],
    isDone: (item: T) => boolean,
    predicate: (item: T) => boolean,
    timeoutMs: number,
    includeExisting: boolean,
    what: string,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (core.closed) {
        reject(new Error("telegram fake is closed"));
        return;
      }
      let index = includeExisting ? 0 : list().length;
      let settled = false;
      const finish = (error: Error | undefined, value?: T) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        unsubscribe();
        waiters.delete(onClose);
        if (error) reject(error);
        else resolve(value as T);
      };
      const onClose = (error: Error) => finish(error);
      // Entries not finished yet (e.g. a pending long poll) are looked at again later.
      let unfinished: T[] = [];
      const test = (item: T): boolean => {
        try {
          if (!predicate(item)) return false;
        } catch (error) {
          finish(error instanceof Error ? error : new Error(String(error)));
          return true;
        }
        finish(undefined, item);
        return true;
      };
      const check = () => {
        const waiting = unfinished;
        unfinished = [];
        for (const item of waiting) {
          if (!isDone(item)) unfinished.push(item);
          else if (test(item)) return;
        }
        const items = list();
        if (index > items.length) index = items.length; // records were cleared
        while (index < items.length) {
          const item = items[index++]!;
          if (!isDone(item)) unfinished.push(item);
          else if (test(item)) return;
        }
      };
      const timer = setTimeout(
        () => finish(new Error(`telegram fake: no matching ${what} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const unsubscribe = core.onChange(check);
      waiters.add(onClose);
      check();
    });
  }

  const fake: TelegramFake = {
    apiRoot: `http://127.0.0.1:${port}`,
    token: core.token,
    port,
    botInfo: core.botInfo,

    injectUpdate: (update) => core.injectUpdate(update),
    injectMessage: (input) => core.injectMessage(input),
    injectCallbackQuery: (input) => core.injectCallbackQuery(input),
    injectMyChatMember: (input) => core.injectMyChatMember(input),
    botAddedToGroup: (input) => core.botAddedToGroup(input),
    botRemovedFromGroup: (input) => core.botRemovedFromGroup(input),
    userBlockedBot: (user, blocked = true) => core.userBlockedBot(user, blocked),
    migrateGroupToSupergroup: (input) => core.migrateGroup(input),

    addChat: (chat, botStatus) => core.addChat(chat, botStatus).chat,
    addUser: (user) => core.userFrom(user),
    setBotStatus: (chatId, status, rights) => core.setBotStatus(chatId, status, rights),
    blockBot(userId) {
      const record = core.chats.get(userId) ?? core.privateChatFor(core.userFrom({ id: userId }));
      if (record.chat.type !== "private") throw new Error("blockBot is for private chats; use kickBot for groups");
      record.botStatus = "kicked";
    },
    kickBot(chatId) {
      const record = core.chatRecord(chatId);
      if (record.chat.type === "private") throw new Error("kickBot is for groups and channels; use blockBot for users");
      core.setBotStatus(chatId, "kicked");
    },
    markMigrated(oldChatId, newChatId) {
      const old = core.chatRecord(oldChatId);
      old.migratedTo = newChatId;
      if (!core.chats.has(newChatId)) {
        const title = old.chat.type === "group" ? old.chat.title : `Supergroup ${newChatId}`;
        const fresh = core.addChat({ id: newChatId, type: "supergroup", title }, old.botStatus);
        fresh.botRights = old.botRights;
      }
    },
    setChatMember(chatId, member) {
      core.chatRecord(chatId).members.set(member.user.id, member);
      core.userFrom(member.user);
    },
    deactivateUser(userId) {
      const record = core.chats.get(userId) ?? core.privateChatFor(core.userFrom({ id: userId }));
      record.userDeactivated = true;
    },
    botStatus: (chatId) => core.chats.get(chatId)?.botStatus,
    chatMessages(chatId) {
      const record = core.chats.get(chatId);
      if (!record) return [];
      return [...record.messages.values()]
        .filter((stored) => !stored.deleted)
        .map((stored) => stored.message)
        .sort((a, b) => a.message_id - b.message_id);
    },

    setRateLimits: (mode) => core.limiter.setMode(mode),
    storm: (count, retryAfterSeconds) => core.limiter.storm(count, retryAfterSeconds),
    get rateLimits() {
      return core.limiter.limits;
    },
    get tooManyRequestsCount() {
      return core.tooManyRequests;
    },
    get acceptedSendTimestamps() {
      return core.acceptedSendTimestamps;
    },

    get sent() {
      return core.sent;
    },
    get messages() {
      return core.sent.filter((entry) => entry.method === "sendMessage");
    },
    get documents() {
      return core.documents;
    },
    get edits() {
      return core.edits;
    },
    get deletions() {
      return core.deletions;
    },
    get callbackAnswers() {
      return core.callbackAnswers;
    },
    get requests() {
      return core.requests;
    },
    get requestCounts() {
      return core.requestCounts;
    },
    get unknownMethods() {
      return core.unknownMethods;
    },
    get undelivered() {
      return core.undelivered;
    },
    get pendingUpdates() {
      return core.pending;
    },
    get webhook() {
      return core.webhook;
    },
    get webhookDeliveries() {
      return core.webhookDeliveries;
    },
    commands(scope = { type: "default" }, languageCode = "") {
      return core.commandSets.get(`${scopeKey(scope)}|${languageCode}`)?.commands;
    },
    get commandSets() {
      return [...core.commandSets.values()];
    },
    waitFor: (predicate, timeoutMs = 5000, opts = {}) =>
      waitOn(() => core.sent, () => true, predicate, timeoutMs, opts.includeExisting ?? true, "message"),
    waitForRequest: (predicate, timeoutMs = 5000, opts = {}) =>
      waitOn(
        () => core.requests,
        (request) => request.status !== undefined,
        predicate,
        timeoutMs,
        opts.includeExisting ?? true,
        "request",
      ),
    clearRecords() {
      for (const list of [
        core.sent, core.documents, core.edits, core.deletions, core.callbackAnswers, core.requests,
        core.acceptedSendTimestamps, core.undelivered, core.unknownMethods, core.webhookDeliveries,
      ] as unknown[][]) {
        list.length = 0;
      }
      for (const key of Object.keys(core.requestCounts)) delete core.requestCounts[key];
      core.tooManyRequests = 0;
    },
    close() {
      closing ??= (async () => {
        core.shutdown();
        for (const fail of [...waiters]) fail(new Error("telegram fake closed"));
        // let pending long polls write their (empty) answers before dropping connections
        await new Promise((resolve) => setImmediate(resolve));
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
  return fake;
}

function scopeKey(scope: BotCommandScope): string {
  switch (scope.type) {
    case "chat":
    case "chat_administrators":
      return `${scope.type}:${scope.chat_id}`;
    case "chat_member":
      return `${scope.type}:${scope.chat_id}:${scope.user_id}`;
    default:
      return scope.type;
  }
}

async function handleRequest(core: TelegramFakeCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const api = /^\/bot([^/]+)\/([^/]*)$/.exec(url.pathname);
  const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);

  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (error) {
    if (error instanceof BodyError) {
      sendJson(res, error.status, { ok: false, error_code: error.status, description: error.description });
      return;
    }
    throw error;
  }

  if (api) {
    if (decodeURIComponent(api[1]!) !== core.token) {
      sendJson(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
      return;
    }
    let parsed;
    try {
      parsed = parseRequest(req.headers["content-type"], body, url.searchParams);
    } catch (error) {
      if (error instanceof BodyError) {
        sendJson(res, error.status, { ok: false, error_code: error.status, description: error.description });
        return;
      }
      throw error;
    }
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    const response = await callMethod(core, decodeURIComponent(api[2]!), parsed.params, parsed.files, {
      signal: controller.signal,
    });
    sendJson(res, response.ok ? 200 : response.error_code, response);
    return;
  }

  if (download) {
    if (decodeURIComponent(download[1]!) !== core.token) {
      sendJson(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
      return;
    }
    const file = core.filesByPath.get(decodeURIComponent(download[2]!));
    if (!file?.data) {
      sendJson(res, 404, { ok: false, error_code: 404, description: "Not Found" });
      return;
    }
    res.writeHead(200, {
      "content-type": file.mimeType ?? "application/octet-stream",
      "content-length": file.data.length,
    });
    res.end(file.data);
    return;
  }

  sendJson(res, 404, { ok: false, error_code: 404, description: "Not Found" });
}

function sendJson(res: ServerResponse, status: number, payload: ApiResponse): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(payload);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
