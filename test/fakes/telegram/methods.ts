/**
 * Bot API methods implemented by the fake, with the validation and error
 * answers of the real server (https://core.telegram.org/bots/api).
 */
import type { BotCommand, BotCommandScope, ChatFullInfo, File, Message, Update } from "grammy/types";
import {
  ApiError,
  type ApiResponse,
  type ChatRecord,
  Described,
  DEFAULT_ALLOWED_UPDATES,
  badRequest,
  describeParams,
  forbidden,
  guessMimeType,
  type StoredFile,
  type TelegramFakeCore,
  withoutReply,
} from "./core.ts";
import {
  EntityParseError,
  type FakeEntity,
  type FormattedText,
  checkLink,
  codePointLength,
  finalizeFormattedText,
  isSupportedParseMode,
  parseWithMode,
  toMessageEntities,
} from "./formatting.ts";
import type { UploadedFile } from "./http-body.ts";

export interface CallContext {
  /** Aborted when the HTTP client goes away (ends a pending long poll). */
  signal?: AbortSignal;
}

type Handler = (core: TelegramFakeCore, p: Params, ctx: CallContext) => unknown;

// ---------------------------------------------------------------------------
// Parameter access with the server's coercions (everything may arrive as a string)

export class Params {
  constructor(
    readonly raw: Record<string, unknown>,
    readonly files: Map<string, UploadedFile>,
  ) {}

  has(name: string): boolean {
    const value = this.raw[name];
    return value !== undefined && value !== null && value !== "";
  }

  string(name: string): string | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return JSON.stringify(value);
  }

  integer(name: string): number | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value === "number" && Number.isInteger(value)) return value;
    if (typeof value === "string" && /^\s*[-+]?\d+\s*$/.test(value)) return Number(value);
    throw badRequest(`invalid ${name} specified`);
  }

  boolean(name: string): boolean {
    const value = this.raw[name];
    if (typeof value === "boolean") return value;
    if (typeof value === "number") return value !== 0;
    if (typeof value === "string") return ["true", "1", "yes"].includes(value.trim().toLowerCase());
    return false;
  }

  /** A JSON-serialized parameter: accepts an already-parsed value or a JSON string. */
  json<T = unknown>(name: string, what: string): T | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value !== "string") return value as T;
    try {
      return JSON.parse(value) as T;
    } catch {
      throw badRequest(`can't parse ${what} JSON object`);
    }
  }
}

// ---------------------------------------------------------------------------
// Shared checks

function resolveChat(core: TelegramFakeCore, p: Params, name = "chat_id"): ChatRecord {
  const value = p.raw[name];
  if (value === undefined || value === null || value === "") throw badRequest("chat_id is empty");
  let id: number | undefined;
  if (typeof value === "number") id = value;
  else if (typeof value === "string") {
    const trimmed = value.trim();
    if (/^-?\d+$/.test(trimmed)) id = Number(trimmed);
    else if (trimmed.startsWith("@")) {
      const username = trimmed.slice(1).toLowerCase();
      for (const record of core.chats.values()) {
        if (record.chat.type !== "private" && record.chat.username?.toLowerCase() === username) id = record.chat.id;
      }
    }
  }
  const record = id === undefined ? undefined : core.chats.get(id);
  if (!record) throw badRequest("chat not found");
  return record;
}

/** Access rules of the real server for a chat the bot wants to use. */
function checkAccess(record: ChatRecord, write: boolean): void {
  if (record.migratedTo !== undefined) {
    throw new ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat", {
      migrate_to_chat_id: record.migratedTo,
    });
  }
  const type = record.chat.type;
  if (type === "private") {
    if (record.userDeactivated) throw forbidden("user is deactivated");
    if (write && record.botStatus === "kicked") throw forbidden("bot was blocked by the user");
    return;
  }
  if (record.botStatus === "kicked") throw forbidden(`bot was kicked from the ${type} chat`);
  if (record.botStatus === "left") throw forbidden(`bot is not a member of the ${type} chat`);
  if (type === "channel" && write && record.botStatus !== "administrator") {
    throw badRequest("need administrator rights in the channel chat");
  }
}

function formatText(
  core: TelegramFakeCore,
  raw: string,
  parseMode: string | undefined,
  entities: unknown,
  kind: "text" | "caption",
): FormattedText | undefined {
  if (!isSupportedParseMode(parseMode)) throw badRequest("unsupported parse_mode");
  let parsed: FormattedText;
  try {
    parsed =
      parseMode !== undefined && parseMode !== ""
        ? parseWithMode(raw, parseMode, {
            strictAmpersand: core.strictHtmlAmpersand,
            resolveUser: (id) => core.users.get(id),
          })
        : { text: raw, entities: validateEntities(entities) };
  } catch (error) {
    if (error instanceof EntityParseError) throw badRequest(`can't parse entities: ${error.message}`);
    throw error;
  }
  const final = finalizeFormattedText(parsed);
  if (!final) {
    if (kind === "text") throw badRequest("message text is empty");
    return undefined;
  }
  const limit = kind === "text" ? 4096 : 1024;
  if (codePointLength(final.text) > limit) {
    throw badRequest(kind === "text" ? "message is too long" : "message caption is too long");
  }
  return final;
}

function validateEntities(value: unknown): FakeEntity[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw badRequest("can't parse entities JSON object");
  return value.map((entity: unknown) => {
    const e = entity as Partial<FakeEntity> | null;
    if (!e || typeof e !== "object" || typeof e.type !== "string") {
      throw badRequest("can't parse MessageEntity: Field \"type\" must be of type String");
    }
    if (!Number.isInteger(e.offset) || !Number.isInteger(e.length) || e.offset! < 0 || e.length! < 0) {
      throw badRequest("can't parse MessageEntity: Field \"offset\" and \"length\" must be non-negative integers");
    }
    return { ...e } as FakeEntity;
  });
}

const INLINE_ACTIONS = [
  "url", "callback_data", "web_app", "login_url", "switch_inline_query", "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat", "copy_text", "callback_game", "pay",
] as const;

interface ReplyMarkup {
  raw: unknown;
  /** Set for a non-empty inline keyboard: the only markup Telegram echoes back in Message. */
  inline: { inline_keyboard: unknown[][] } | undefined;
}

function parseReplyMarkup(p: Params): ReplyMarkup | undefined {
  const markup = p.json<Record<string, unknown>>("reply_markup", "reply keyboard markup");
  if (markup === undefined) return undefined;
  if (typeof markup !== "object" || markup === null || Array.isArray(markup)) {
    throw badRequest("can't parse reply keyboard markup JSON object");
  }
  if ("inline_keyboard" in markup) {
    const rows = markup.inline_keyboard;
    if (!Array.isArray(rows)) throw badRequest("can't parse inline keyboard markup: field \"inline_keyboard\" must be an Array");
    for (const row of rows) {
      if (!Array.isArray(row)) throw badRequest("can't parse inline keyboard markup: rows must be Arrays");
      for (const button of row) validateInlineButton(button);
    }
    const nonEmpty = rows.some((row) => (row as unknown[]).length > 0);
    return { raw: markup, inline: nonEmpty ? (markup as { inline_keyboard: unknown[][] }) : undefined };
  }
  if ("keyboard" in markup) {
    if (!Array.isArray(markup.keyboard)) throw badRequest("can't parse keyboard markup: field \"keyboard\" must be an Array");
    return { raw: markup, inline: undefined };
  }
  if ("remove_keyboard" in markup || "force_reply" in markup) return { raw: markup, inline: undefined };
  throw badRequest("can't parse reply keyboard markup JSON object");
}

function validateInlineButton(button: unknown): void {
  if (!button || typeof button !== "object" || Array.isArray(button)) {
    throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  }
  const b = button as Record<string, unknown>;
  if (typeof b.text !== "string") throw badRequest("can't parse inline keyboard button: Field \"text\" must be of type String");
  const actions = INLINE_ACTIONS.filter((action) => b[action] !== undefined);
  if (actions.length === 0) {
    throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  }
  if (b.callback_data !== undefined) {
    const data = String(b.callback_data);
    const size = Buffer.byteLength(data, "utf8");
    if (size < 1 || size > 64) throw badRequest("BUTTON_DATA_INVALID");
  }
  if (b.url !== undefined && checkLink(String(b.url)) === undefined) throw badRequest("BUTTON_URL_INVALID");
}

interface ReplyTarget {
  message: Message | undefined;
}

function resolveReply(core: TelegramFakeCore, record: ChatRecord, p: Params): ReplyTarget {
  const parameters = p.json<{ message_id?: unknown; chat_id?: unknown; allow_sending_without_reply?: unknown }>(
    "reply_parameters",
    "reply parameters",
  );
  let messageId: number | undefined;
  let allowWithout: boolean;
  let target = record;
  if (parameters !== undefined) {
    if (typeof parameters !== "object" || parameters === null) throw badRequest("can't parse reply parameters JSON object");
    const id = new Params(parameters as Record<string, unknown>, new Map()).integer("message_id");
    if (id === undefined) throw badRequest("message to be replied not found");
    messageId = id;
    allowWithout = parameters.allow_sending_without_reply === true;
    if (parameters.chat_id !== undefined) target = resolveChat(core, new Params({ chat_id: parameters.chat_id }, new Map()));
  } else {
    messageId = p.integer("reply_to_message_id");
    allowWithout = p.boolean("allow_sending_without_reply");
  }
  if (messageId === undefined || messageId === 0) return { message: undefined };
  const stored = core.findMessage(target, messageId);
  if (!stored) {
    if (allowWithout) return { message: undefined };
    throw badRequest("message to be replied not found");
  }
  return { message: stored.message };
}

/** Creates and stores a message sent by the bot. */
function createBotMessage(
  core: TelegramFakeCore,
  record: ChatRecord,
  content: Record<string, unknown>,
  options: { replyTo: Message | undefined; inline: unknown; threadId: number | undefined },
): Message {
  const message: Record<string, unknown> = { message_id: record.nextMessageId };
  if (record.chat.type === "channel") message.sender_chat = record.chat;
  else message.from = core.botUser;
  message.chat = record.chat;
  message.date = core.unixNow();
  if (options.threadId !== undefined && record.chat.type === "supergroup" && record.chat.is_forum) {
    message.message_thread_id = options.threadId;
    message.is_topic_message = true;
  }
  if (options.replyTo) message.reply_to_message = withoutReply(options.replyTo);
  Object.assign(message, content);
  if (options.inline) message.reply_markup = options.inline;
  const typed = message as unknown as Message;
  core.storeMessage(record, typed, true);
  return typed;
}

function textContent(formatted: FormattedText, field: "text" | "caption"): Record<string, unknown> {
  const content: Record<string, unknown> = { [field]: formatted.text };
  if (formatted.entities.length > 0) {
    content[field === "text" ? "entities" : "caption_entities"] = toMessageEntities(formatted.entities);
  }
  return content;
}

// ---------------------------------------------------------------------------
// Methods

function getMe(core: TelegramFakeCore): unknown {
  return core.botInfo;
}

function getUpdates(core: TelegramFakeCore, p: Params, ctx: CallContext): unknown {
  if (core.webhook) {
    throw new ApiError(
      409,
      "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    );
  }
  const offset = p.integer("offset") ?? 0;
  const limit = Math.min(100, Math.max(1, p.integer("limit") ?? 100));
  const timeout = Math.max(0, p.integer("timeout") ?? 0);
  if (p.has("allowed_updates")) {
    let list: unknown;
    try {
      list = p.json("allowed_updates", "allowed_updates");
    } catch {
      list = undefined; // the server ignores an unparsable list
    }
    core.setAllowedUpdates(list);
  }
  core.confirm(offset);
  const batch = core.selectUpdates(offset, limit);
  if (batch.length > 0 || timeout === 0 || core.closed) return batch;
  core.abortLongPoll("Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
  return core.longPoll(offset, limit, timeout, ctx.signal);
}

function setWebhook(core: TelegramFakeCore, p: Params): unknown {
  const url = p.string("url") ?? "";
  if (url === "") return removeWebhook(core, p.boolean("drop_pending_updates"));
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badRequest("bad webhook: invalid webhook URL specified");
  }
  if (!core.webhookDelivery || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    if (parsed.protocol !== "https:") throw badRequest("bad webhook: An HTTPS URL must be provided for webhook");
    const port = parsed.port === "" ? 443 : Number(parsed.port);
    if (![80, 88, 443, 8443].includes(port)) {
      throw badRequest("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443");
    }
  }
  const secret = p.string("secret_token");
  if (secret !== undefined && secret !== "") {
    if (secret.length > 256) throw badRequest("secret token is too long");
    if (!/^[A-Za-z0-9_-]+$/.test(secret)) throw badRequest("secret token contains unallowed characters");
  }
  const maxConnections = Math.min(100, Math.max(1, p.integer("max_connections") ?? 40));
  if (p.has("allowed_updates")) {
    let list: unknown;
    try {
      list = p.json("allowed_updates", "allowed_updates");
    } catch {
      list = undefined;
    }
    core.setAllowedUpdates(list);
  }
  if (p.boolean("drop_pending_updates")) core.pending = [];
  const previous = core.webhook;
  const secretToken = secret === undefined || secret === "" ? undefined : secret;
  const ipAddress = p.string("ip_address") || undefined;
  const hasCertificate = p.has("certificate") || p.files.has("certificate");
  const unchanged =
    previous !== undefined &&
    previous.url === url &&
    previous.secretToken === secretToken &&
    previous.maxConnections === maxConnections &&
    previous.ipAddress === ipAddress &&
    previous.hasCustomCertificate === hasCertificate;
  core.webhook = {
    url,
    secretToken,
    maxConnections,
    ipAddress,
    hasCustomCertificate: hasCertificate,
    lastErrorDate: unchanged ? previous.lastErrorDate : undefined,
    lastErrorMessage: unchanged ? previous.lastErrorMessage : undefined,
  };
  core.abortLongPoll("Conflict: terminated by setWebhook request");
  core.kickWebhook();
  return new Described(true, unchanged ? "Webhook is already set" : "Webhook was set");
}

function removeWebhook(core: TelegramFakeCore, dropPending: boolean): Described {
  const had = core.webhook !== undefined;
  core.webhook = undefined;
  if (dropPending) core.pending = [];
  return new Described(true, had ? "Webhook was deleted" : "Webhook is already deleted");
}

function deleteWebhook(core: TelegramFakeCore, p: Params): unknown {
  return removeWebhook(core, p.boolean("drop_pending_updates"));
}

function getWebhookInfo(core: TelegramFakeCore): unknown {
  const hook = core.webhook;
  const info: Record<string, unknown> = {
    url: hook?.url ?? "",
    has_custom_certificate: hook?.hasCustomCertificate ?? false,
    pending_update_count: core.pending.length,
  };
  if (hook) {
    if (hook.ipAddress) info.ip_address = hook.ipAddress;
    if (hook.lastErrorDate !== undefined) {
      info.last_error_date = hook.lastErrorDate;
      info.last_error_message = hook.lastErrorMessage;
    }
    info.max_connections = hook.maxConnections;
    if (core.allowedUpdatesParam) info.allowed_updates = core.allowedUpdatesParam;
  }
  return info;
}

// --- commands

function commandScope(core: TelegramFakeCore, p: Params): { key: string; scope: BotCommandScope } {
  const raw = p.json<Record<string, unknown>>("scope", "BotCommandScope");
  if (raw === undefined) return { key: "default", scope: { type: "default" } };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw badRequest("can't parse BotCommandScope JSON object");
  const type = raw.type;
  switch (type) {
    case "default":
    case "all_private_chats":
    case "all_group_chats":
    case "all_chat_administrators":
      return { key: type, scope: { type } };
    case "chat":
    case "chat_administrators": {
      const record = resolveChat(core, new Params({ chat_id: raw.chat_id }, new Map()));
      if (type === "chat_administrators" && record.chat.type === "private") {
        throw badRequest("can't use chat_administrators scope in private chats");
      }
      return { key: `${type}:${record.chat.id}`, scope: { type, chat_id: record.chat.id } };
    }
    case "chat_member": {
      const record = resolveChat(core, new Params({ chat_id: raw.chat_id }, new Map()));
      const userId = new Params(raw, new Map()).integer("user_id");
      if (userId === undefined || !core.users.has(userId)) throw badRequest("user not found");
      return { key: `${type}:${record.chat.id}:${userId}`, scope: { type, chat_id: record.chat.id, user_id: userId } };
    }
    default:
      throw badRequest("unsupported bot command scope type");
  }
}

function languageCode(p: Params): string {
  const code = p.string("language_code") ?? "";
  if (code !== "" && !/^[a-z]{2}$/.test(code)) throw badRequest("invalid language code specified");
  return code;
}

function setMyCommands(core: TelegramFakeCore, p: Params): unknown {
  const list = p.json<unknown>("commands", "commands") ?? [];
  if (!Array.isArray(list)) throw badRequest("can't parse commands JSON object");
  if (list.length > 100) throw badRequest("too many commands specified");
  const commands: BotCommand[] = list.map((item: unknown) => {
    if (!item || typeof item !== "object" || Array.isArray(item)) throw badRequest("can't parse BotCommand: BotCommand must be an Object");
    const { command, description } = item as { command?: unknown; description?: unknown };
    if (typeof command !== "string") throw badRequest("can't parse BotCommand: Can't find field \"command\"");
    if (typeof description !== "string") throw badRequest("can't parse BotCommand: Can't find field \"description\"");
    if (!/^[a-z0-9_]{1,32}$/.test(command)) throw badRequest("BOT_COMMAND_INVALID");
    if (description.trim() === "") throw badRequest("command description must be non-empty");
    if (codePointLength(description) > 256) throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
    return { command, description };
  });
  const { key, scope } = commandScope(core, p);
  const language = languageCode(p);
  const fullKey = `${key}|${language}`;
  if (commands.length === 0) core.commandSets.delete(fullKey);
  else core.commandSets.set(fullKey, { scope, languageCode: language, commands });
  return true;
}

function getMyCommands(core: TelegramFakeCore, p: Params): unknown {
  const { key } = commandScope(core, p);
  return core.commandSets.get(`${key}|${languageCode(p)}`)?.commands ?? [];
}

function deleteMyCommands(core: TelegramFakeCore, p: Params): unknown {
  const { key } = commandScope(core, p);
  core.commandSets.delete(`${key}|${languageCode(p)}`);
  return true;
}

// --- sending

function sendMessage(core: TelegramFakeCore, p: Params): unknown {
  const record = resolveChat(core, p);
  checkAccess(record, true);
  const text = p.string("text") ?? "";
  const parseMode = p.string("parse_mode");
  const formatted = formatText(core, text, parseMode, p.json("entities", "entities"), "text")!;
  const reply = resolveReply(core, record, p);
  const markup = parseReplyMarkup(p);
  const threadId = p.integer("message_thread_id");
  core.takeSendSlot(record);
  const timestamp = core.now();
  const message = createBotMessage(core, record, textContent(formatted, "text"), {
    replyTo: reply.message,
    inline: markup?.inline,
    threadId,
  });
  core.acceptedSendTimestamps.push(timestamp);
  core.sent.push({
    method: "sendMessage",
    chatId: record.chat.id,
    messageId: message.message_id,
    text,
    parseMode,
    replyMarkup: markup?.raw,
    timestamp,
    message,
    params: describeParams(p.raw, p.files),
  });
  return message;
}

interface InputFileChoice {
  source: "upload" | "file_id" | "url";
  fileName: string | undefined;
  mimeType: string | undefined;
  data: Buffer | undefined;
  url: string | undefined;
  existing: StoredFile | undefined;
}

function resolveInputFile(core: TelegramFakeCore, p: Params, field: string): InputFileChoice {
  const value = p.raw[field];
  let upload: UploadedFile | undefined;
  if (typeof value === "string" && value.startsWith("attach://")) {
    upload = p.files.get(value.slice("attach://".length));
    if (!upload) throw badRequest("wrong file identifier/HTTP URL specified");
  } else if (p.files.has(field)) {
    upload = p.files.get(field);
  }
  if (upload) {
    if (upload.data.length === 0) throw badRequest("file must be non-empty");
    const fileName = upload.fileName === "" ? undefined : upload.fileName;
    const declared = upload.contentType.toLowerCase() === "application/octet-stream" ? undefined : upload.contentType;
    return {
      source: "upload",
      fileName,
      mimeType: guessMimeType(fileName) ?? declared,
      data: upload.data,
      url: undefined,
      existing: undefined,
    };
  }
  if (value === undefined || value === null || value === "") throw badRequest(`there is no ${field} in the request`);
  if (typeof value !== "string") throw badRequest("wrong file identifier/HTTP URL specified");
  if (/^https?:\/\//i.test(value)) {
    let fileName: string | undefined;
    try {
      const last = new URL(value).pathname.split("/").pop();
      fileName = last ? decodeURIComponent(last) : undefined;
    } catch {
      throw badRequest("wrong file identifier/HTTP URL specified");
    }
    return { source: "url", fileName, mimeType: guessMimeType(fileName), data: undefined, url: value, existing: undefined };
  }
  const existing = core.files.get(value);
  if (!existing) throw badRequest("wrong file identifier/HTTP URL specified");
  return {
    source: "file_id",
    fileName: existing.fileName,
    mimeType: existing.mimeType,
    data: existing.data,
    url: existing.url,
    existing,
  };
}

function sendDocument(core: TelegramFakeCore, p: Params): unknown {
  const record = resolveChat(core, p);
  checkAccess(record, true);
  const input = resolveInputFile(core, p, "document");
  const caption = p.string("caption");
  const parseMode = p.string("parse_mode");
  const formatted =
    caption === undefined ? undefined : formatText(core, caption, parseMode, p.json("caption_entities", "caption entities"), "caption");
  const reply = resolveReply(core, record, p);
  const markup = parseReplyMarkup(p);
  const threadId = p.integer("message_thread_id");
  core.takeSendSlot(record);
  const timestamp = core.now();
  const file =
    input.existing ??
    core.storeFile({ fileName: input.fileName, mimeType: input.mimeType, data: input.data, url: input.url, kind: "documents" });
  const document: Record<string, unknown> = {};
  if (file.fileName !== undefined) document.file_name = file.fileName;
  if (file.mimeType !== undefined) document.mime_type = file.mimeType;
  document.file_id = file.fileId;
  document.file_unique_id = file.fileUniqueId;
  if (file.data !== undefined) document.file_size = file.data.length;
  const content: Record<string, unknown> = { document };
  if (formatted) Object.assign(content, textContent(formatted, "caption"));
  const message = createBotMessage(core, record, content, { replyTo: reply.message, inline: markup?.inline, threadId });
  core.acceptedSendTimestamps.push(timestamp);
  core.documents.push({
    chatId: record.chat.id,
    messageId: message.message_id,
    source: input.source,
    fileName: file.fileName,
    mimeType: file.mimeType,
    content: file.data,
    url: file.url,
    fileId: file.fileId,
    caption,
    parseMode,
    timestamp,
    message,
  });
  core.sent.push({
    method: "sendDocument",
    chatId: record.chat.id,
    messageId: message.message_id,
    text: caption,
    parseMode,
    replyMarkup: markup?.raw,
    timestamp,
    message,
    params: describeParams(p.raw, p.files),
  });
  return message;
}

function sendChatAction(core: TelegramFakeCore, p: Params): unknown {
  const record = resolveChat(core, p);
  checkAccess(record, true);
  const actions = [
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
  ];
  if (!actions.includes(p.string("action") ?? "")) throw badRequest("wrong parameter action in request");
  return true;
}

function getFile(core: TelegramFakeCore, p: Params): unknown {
  const id = p.string("file_id") ?? "";
  const file = core.files.get(id);
  if (!file) throw badRequest("invalid file_id");
  if (file.data && file.data.length > 20 * 1024 * 1024) throw badRequest("file is too big");
  const result: File = { file_id: file.fileId, file_unique_id: file.fileUniqueId };
  if (file.data) result.file_size = file.data.length;
  result.file_path = file.path;
  return result;
}

// --- editing and deleting

function editableMessage(core: TelegramFakeCore, p: Params): { record: ChatRecord; stored: NonNullable<ReturnType<TelegramFakeCore["findMessage"]>> } {
  if (p.has("inline_message_id")) throw badRequest("MESSAGE_ID_INVALID");
  const record = resolveChat(core, p);
  checkAccess(record, true);
  const messageId = p.integer("message_id");
  if (!messageId) throw badRequest("message identifier is not specified");
  const stored = core.findMessage(record, messageId);
  if (!stored) throw badRequest("message to edit not found");
  if (!stored.fromBot) throw badRequest("message can't be edited");
  return { record, stored };
}

const NOT_MODIFIED =
  "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

function editMessageText(core: TelegramFakeCore, p: Params): unknown {
  const { record, stored } = editableMessage(core, p);
  const old = stored.message;
  if (typeof old.text !== "string") throw badRequest("there is no text in the message to edit");
  const text = p.string("text") ?? "";
  const parseMode = p.string("parse_mode");
  const formatted = formatText(core, text, parseMode, p.json("entities", "entities"), "text")!;
  const markup = parseReplyMarkup(p);
  const entities = toMessageEntities(formatted.entities);
  const sameText = old.text === formatted.text && JSON.stringify(old.entities ?? []) === JSON.stringify(entities);
  const sameMarkup = JSON.stringify(old.reply_markup ?? null) === JSON.stringify(markup?.inline ?? null);
  if (sameText && sameMarkup) throw badRequest(NOT_MODIFIED);
  const edited = { ...old, text: formatted.text, edit_date: core.unixNow() } as Message & Record<string, unknown>;
  delete edited.entities;
  delete edited.reply_markup;
  if (entities.length > 0) edited.entities = entities;
  if (markup?.inline) edited.reply_markup = markup.inline as Message["reply_markup"];
  stored.message = edited;
  core.edits.push({
    chatId: record.chat.id,
    messageId: edited.message_id,
    text,
    parseMode,
    replyMarkup: markup?.raw,
    timestamp: core.now(),
    message: edited,
  });
  return edited;
}

function editMessageReplyMarkup(core: TelegramFakeCore, p: Params): unknown {
  const { record, stored } = editableMessage(core, p);
  const old = stored.message;
  const markup = parseReplyMarkup(p);
  if (JSON.stringify(old.reply_markup ?? null) === JSON.stringify(markup?.inline ?? null)) throw badRequest(NOT_MODIFIED);
  const edited = { ...old, edit_date: core.unixNow() } as Message & Record<string, unknown>;
  delete edited.reply_markup;
  if (markup?.inline) edited.reply_markup = markup.inline as Message["reply_markup"];
  stored.message = edited;
  core.edits.push({
    chatId: record.chat.id,
    messageId: edited.message_id,
    text: edited.text ?? edited.caption ?? "",
    parseMode: undefined,
    replyMarkup: markup?.raw,
    timestamp: core.now(),
    message: edited,
  });
  return edited;
}

function deleteMessage(core: TelegramFakeCore, p: Params): unknown {
  const record = resolveChat(core, p);
  checkAccess(record, false);
  const messageId = p.integer("message_id");
  if (!messageId) throw badRequest("message identifier is not specified");
  const stored = core.findMessage(record, messageId);
  if (!stored) throw badRequest("message to delete not found");
  if (core.now() - stored.message.date * 1000 > 48 * 3600 * 1000) throw badRequest("message can't be deleted");
  if (!stored.fromBot && record.chat.type !== "private") {
    const canDelete =
      record.botStatus === "administrator" && (record.chat.type === "group" || record.botRights?.can_delete_messages === true);
    if (!canDelete) throw badRequest("message can't be deleted");
  }
  stored.deleted = true;
  core.deletions.push({ chatId: record.chat.id, messageId, timestamp: core.now() });
  return true;
}

function answerCallbackQuery(core: TelegramFakeCore, p: Params): unknown {
  const id = p.string("callback_query_id") ?? "";
  const query = core.callbackQueries.get(id);
  if (!query || query.answered) {
    throw badRequest("query is too old and response timeout expired or query ID is invalid");
  }
  query.answered = true;
  core.callbackAnswers.push({
    callbackQueryId: id,
    text: p.string("text"),
    showAlert: p.boolean("show_alert"),
    url: p.string("url"),
    cacheTime: p.integer("cache_time"),
    timestamp: core.now(),
  });
  return true;
}

// --- chats

function getChat(core: TelegramFakeCore, p: Params): unknown {
  const record = resolveChat(core, p);
  checkAccess(record, false);
  const info: Record<string, unknown> = {
    ...record.chat,
    accent_color_id: Math.abs(record.chat.id) % 7,
    max_reaction_count: 11,
    accepted_gift_types: {
      unlimited_gifts: false,
      limited_gifts: false,
      unique_gifts: false,
      premium_subscription: false,
      gifts_from_channels: false,
    },
  };
  if (record.chat.type === "group" || record.chat.type === "supergroup") {
    info.permissions = {
      can_send_messages: true,
      can_send_audios: true,
      can_send_documents: true,
      can_send_photos: true,
      can_send_videos: true,
      can_send_video_notes: true,
      can_send_voice_notes: true,
      can_send_polls: true,
      can_send_other_messages: true,
      can_add_web_page_previews: true,
      can_change_info: false,
      can_invite_users: true,
      can_pin_messages: false,
      can_manage_topics: false,
    };
  }
  return info as unknown as ChatFullInfo;
}

function getChatMember(core: TelegramFakeCore, p: Params): unknown {
  const record = resolveChat(core, p);
  checkAccess(record, false);
  const userId = p.integer("user_id");
  if (!userId) throw badRequest("invalid user_id specified");
  if (userId === core.botInfo.id) return core.botMember(record);
  const user = core.users.get(userId);
  if (!user) throw badRequest("user not found");
  if (record.chat.type === "private") {
    return userId === record.chat.id ? { status: "member", user } : { status: "left", user };
  }
  return record.members.get(userId) ?? { status: "left", user };
}

function leaveChat(core: TelegramFakeCore, p: Params): unknown {
  const record = resolveChat(core, p);
  if (record.chat.type === "private") throw badRequest("chat member status can't be changed in private chats");
  checkAccess(record, false);
  const before = core.botMember(record);
  core.setBotStatus(record.chat.id, "left");
  core.enqueue({
    my_chat_member: {
      chat: record.chat,
      from: core.botUser,
      date: core.unixNow(),
      old_chat_member: before,
      new_chat_member: core.botMember(record),
    },
  } as Omit<Update, "update_id">);
  return true;
}

export const METHODS: Record<string, Handler> = {
  getMe,
  getUpdates,
  setWebhook,
  deleteWebhook,
  getWebhookInfo,
  setMyCommands,
  getMyCommands,
  deleteMyCommands,
  sendMessage,
  sendDocument,
  sendChatAction,
  getFile,
  editMessageText,
  editMessageReplyMarkup,
  deleteMessage,
  answerCallbackQuery,
  getChat,
  getChatMember,
  leaveChat,
};

/** Method names are case-insensitive in the Bot API. */
const CANONICAL = new Map(Object.keys(METHODS).map((name) => [name.toLowerCase(), name]));

/** Runs one Bot API call, records it, and returns the response envelope. */
export async function callMethod(
  core: TelegramFakeCore,
  method: string,
  raw: Record<string, unknown>,
  files: Map<string, UploadedFile>,
  ctx: CallContext,
): Promise<ApiResponse> {
  const canonical = CANONICAL.get(method.toLowerCase());
  const record = {
    method: canonical ?? method,
    params: describeParams(raw, files),
    status: undefined as number | undefined,
    description: undefined as string | undefined,
    timestamp: core.now(),
  };
  core.requests.push(record);
  core.requestCounts[record.method] = (core.requestCounts[record.method] ?? 0) + 1;
  let response: ApiResponse;
  const handler = canonical === undefined ? undefined : METHODS[canonical];
  if (!handler) {
    core.unknownMethods.push(method);
    response = { ok: false, error_code: 404, description: "Not Found: method not found" };
  } else {
    try {
      const result = await handler(core, new Params(raw, files), ctx);
      response =
        result instanceof Described
          ? { ok: true, result: result.result, description: result.description }
          : { ok: true, result };
    } catch (error) {
      if (error instanceof ApiError) response = error.toResponse();
      else {
        response = {
          ok: false,
          error_code: 500,
          description: `Internal Server Error: telegram fake failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`,
        };
      }
    }
  }
  record.status = response.ok ? 200 : response.error_code;
  record.description = response.ok ? undefined : response.description;
  core.notify();
  return response;
}

export { DEFAULT_ALLOWED_UPDATES };
