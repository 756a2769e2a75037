/** Public types of the fake Telegram Bot API. */
import type {
  BotCommand,
  BotCommandScope,
  Chat,
  ChatAdministratorRights,
  ChatMember,
  Message,
  MessageEntity,
  Update,
  User,
  UserFromGetMe,
} from "grammy/types";
import type { RateLimitConfig, RateLimitMode } from "./rate-limits.ts";

export type { RateLimitConfig, RateLimitMode };

export interface TelegramFakeOptions {
  /** Bot token; the bot id is the part before ':'. Default "123456789:TEST-fake-telegram-token". */
  token?: string;
  /** Overrides for the getMe result (username defaults to "fake_test_bot"). */
  bot?: Partial<Omit<UserFromGetMe, "is_bot" | "id">>;
  /**
   * Group privacy mode (default true, like a new bot). While on, the bot only
   * receives group messages that are commands for it, replies to its
   * messages, or service messages, unless it is an administrator.
   * getMe reports it as `can_read_all_group_messages: !privacyMode`.
   */
  privacyMode?: boolean;
  /** Flood control: "telegram" (default), "off", or numbers. */
  rateLimits?: RateLimitMode;
  /** First update_id handed out. Default 100000001. */
  firstUpdateId?: number;
  /**
   * Reject a bare '&' in HTML that is not an entity, as the Bot API docs
   * require (default true). The real server is lenient and keeps it as text.
   */
  strictHtmlAmpersand?: boolean;
  /**
   * POST updates to the URL given to setWebhook (default false: the webhook is
   * only recorded and updates stay pending, as Telegram is unreachable).
   * When true, http:// URLs and any port are accepted (a local test server).
   */
  webhookDelivery?: boolean;
  /** Delay before re-trying a failed webhook delivery, ms (default 1000). */
  webhookRetryDelayMs?: number;
  /** Clock in epoch milliseconds (default: high-resolution wall clock). Used for dates, timestamps and rate limits. */
  now?: () => number;
  /** User used by injection helpers when `from` is omitted. */
  defaultUser?: UserInput;
}

/** A user as accepted by the injection helpers: at least an id. */
export type UserInput = Partial<User> & { id: number };

/** A chat as accepted by the injection helpers. */
export type ChatInput = Chat | { id: number; type: Chat["type"]; title?: string; username?: string; first_name?: string; last_name?: string; is_forum?: true };

/** Status of the bot in a chat. In private chats "kicked" means the user blocked the bot. */
export type BotChatStatus = "member" | "administrator" | "left" | "kicked";

/** One accepted send (sendMessage or sendDocument). */
export interface OutgoingMessage {
  method: "sendMessage" | "sendDocument";
  chatId: number;
  messageId: number;
  /** Text as the bot sent it (sendMessage text, or sendDocument caption), before entity parsing. */
  text: string | undefined;
  parseMode: string | undefined;
  /** reply_markup as sent (parsed JSON), any keyboard type. */
  replyMarkup: unknown;
  /** Epoch milliseconds (fractional) when the fake accepted the send. */
  timestamp: number;
  /** The Message object returned to the bot (text after parsing, entities, ...). */
  message: Message;
  /** All request parameters as received (files replaced by a description). */
  params: Record<string, unknown>;
}

/** One accepted sendDocument. */
export interface SentDocument {
  chatId: number;
  messageId: number;
  /** How the document was given: multipart upload, existing file_id, or an HTTP URL. */
  source: "upload" | "file_id" | "url";
  fileName: string | undefined;
  mimeType: string | undefined;
  /** File bytes (uploads and re-sent uploads); undefined for URLs (the fake does not download). */
  content: Buffer | undefined;
  url: string | undefined;
  fileId: string;
  caption: string | undefined;
  parseMode: string | undefined;
  timestamp: number;
  message: Message;
}

export interface EditRecord {
  chatId: number;
  messageId: number;
  text: string;
  parseMode: string | undefined;
  replyMarkup: unknown;
  timestamp: number;
  message: Message;
}

export interface DeletionRecord {
  chatId: number;
  messageId: number;
  timestamp: number;
}

export interface CallbackAnswerRecord {
  callbackQueryId: string;
  text: string | undefined;
  showAlert: boolean;
  url: string | undefined;
  cacheTime: number | undefined;
  timestamp: number;
}

/** One HTTP call to a Bot API method. */
export interface RequestRecord {
  /** Canonical method name (e.g. "sendMessage") or the name as sent when unknown. */
  method: string;
  params: Record<string, unknown>;
  /** HTTP status of the answer (200 on success); undefined while a long poll is pending. */
  status: number | undefined;
  description: string | undefined;
  /** Epoch ms when the request arrived. */
  timestamp: number;
}

export interface CommandSet {
  scope: BotCommandScope;
  languageCode: string;
  commands: BotCommand[];
}

export interface WebhookState {
  url: string;
  secretToken: string | undefined;
  maxConnections: number;
  ipAddress: string | undefined;
  hasCustomCertificate: boolean;
  lastErrorDate: number | undefined;
  lastErrorMessage: string | undefined;
}

export interface UndeliveredUpdate {
  update: Update;
  reason: string;
}

export interface InjectMessageInput {
  /** Chat object (registered on the fly) or id of a known chat. Default: private chat with `from`. */
  chat?: ChatInput | number;
  /** Sender; default `options.defaultUser`. Ignored for channels. */
  from?: UserInput;
  text?: string;
  /** Entities; default: detected from `text` (bot_command, mention, url, ...). */
  entities?: MessageEntity[];
  /** A user-sent document; stored so getFile and the file download URL work. */
  document?: { fileName: string; content: Buffer | Uint8Array | string; mimeType?: string };
  caption?: string;
  /** message_id of a message in the same chat this one replies to. */
  replyToMessageId?: number;
  messageThreadId?: number;
  /** Unix seconds; default now. */
  date?: number;
  /** Extra Message fields merged last (escape hatch for anything not modelled). */
  extra?: Partial<Message> & Record<string, unknown>;
}

export interface InjectCallbackQueryInput {
  from?: UserInput;
  chatId: number;
  messageId: number;
  data: string;
}

export interface InjectMyChatMemberInput {
  chat: ChatInput | number;
  /** Who changed the bot's status (for private chats: the user). */
  from?: UserInput;
  newStatus: BotChatStatus;
  /** Default: the bot's current status in the chat ("left" for unknown chats). */
  oldStatus?: BotChatStatus;
  /** Admin rights when newStatus is "administrator". */
  rights?: Partial<ChatAdministratorRights>;
}

export interface MigrationInput {
  /** The basic group being upgraded (object or known id). */
  chat: ChatInput | number;
  by?: UserInput;
  /** Id for the new supergroup; default -100 followed by the group's digits. */
  supergroupId?: number;
  title?: string;
}

export type { BotCommand, BotCommandScope, Chat, ChatMember, Message, Update, User };
