// A Telegram message as the core sees it. The fields we rely on are checked with zod (they come
// from outside); a command is a bot_command entity at the start of the text or of a document's
// caption: "/register Tenants of Kreuzberg", or "/register@our_bot ..." in a group.
import { z } from "zod";
import type { Attachment, IncomingCommand } from "../../src/core/incoming.ts";

export const PLATFORM = "telegram";

/** A Telegram user as updates carry it (messages and button presses alike). */
export const userSchema = z.object({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  first_name: z.string(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});

const chatSchema = z.object({
  id: z.number().int(),
  type: z.enum(["private", "group", "supergroup", "channel"]),
});

const entitySchema = z.object({
  type: z.string(),
  offset: z.number().int().nonnegative(),
  length: z.number().int().positive(),
});

const documentSchema = z.object({
  file_id: z.string().min(1),
  file_unique_id: z.string(),
  file_name: z.string().optional(),
  mime_type: z.string().optional(),
  file_size: z.number().int().nonnegative().optional(),
});

const photoSizeSchema = z.object({
  file_id: z.string().min(1),
  file_unique_id: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  file_size: z.number().int().nonnegative().optional(),
});

/** What can carry a file: the command's own message, or the message it replies to. */
const withFiles = {
  document: documentSchema.optional(),
  photo: z.array(photoSizeSchema).optional(),
};

const messageSchema = z.object({
  message_id: z.number().int(),
  chat: chatSchema,
  from: userSchema.optional(),
  /** Set when someone posts as the chat itself (an anonymous admin) or as a channel. */
  sender_chat: z.object({ id: z.number().int() }).optional(),
  text: z.string().optional(),
  entities: z.array(entitySchema).optional(),
  caption: z.string().optional(),
  caption_entities: z.array(entitySchema).optional(),
  migrate_to_chat_id: z.number().int().optional(),
  migrate_from_chat_id: z.number().int().optional(),
  reply_to_message: z.object({ from: userSchema.optional(), ...withFiles }).optional(),
  ...withFiles,
});

type TelegramMessage = z.infer<typeof messageSchema>;

export interface Origin {
  chatId: string;
  /** The sender: their private chat with the bot has the same id. */
  userId: string;
  messageId: number;
  isPrivateChat: boolean;
  /** The sender's language_code. */
  userLocale?: string;
}

export type Inbound =
  /** A command for the core. */
  | { kind: "command"; origin: Origin; command: IncomingCommand }
  /** /start: Telegram's "Start" button in a private chat, or /start@us in a group. */
  | { kind: "start"; origin: Origin; firstName: string; displayName: string; username?: string }
  /** A command sent anonymously as the group: we can't tell who it is. */
  | { kind: "anonymous"; origin: Origin }
  /** The group became a supergroup with a new id. */
  | { kind: "migrated"; fromChatId: string; toChatId: string }
  | { kind: "ignore"; reason: string };

export interface CommandNames {
  /** Our username, to tell "/cmd@us" from "/cmd@another_bot". */
  botUsername: string;
  /** Telegram command name -> declared command name. */
  commands: ReadonlyMap<string, string>;
}

/** Anything up to 64 characters after "/" and before an optional "@bot". */
const COMMAND = /^\/([^@\s]{1,64})(?:@(\S+))?$/;

export function readMessage(raw: unknown, names: CommandNames): Inbound {
  const parsed = messageSchema.safeParse(raw);
  if (!parsed.success) return { kind: "ignore", reason: "not a message we understand" };
  const message = parsed.data;
  if (message.migrate_to_chat_id !== undefined) {
    return { kind: "migrated", fromChatId: String(message.chat.id), toChatId: String(message.migrate_to_chat_id) };
  }
  if (message.migrate_from_chat_id !== undefined) {
    return { kind: "migrated", fromChatId: String(message.migrate_from_chat_id), toChatId: String(message.chat.id) };
  }
  const text = message.text ?? message.caption;
  const entity = (message.text !== undefined ? message.entities : message.caption_entities)?.find(
    (candidate) => candidate.type === "bot_command" && candidate.offset === 0,
  );
  if (text === undefined || !entity) return { kind: "ignore", reason: "not a command" };
  const match = COMMAND.exec(text.slice(0, entity.length));
  if (!match) return { kind: "ignore", reason: "not a command" };
  const addressee = match[2]?.toLowerCase();
  if (addressee !== undefined && addressee !== names.botUsername.toLowerCase()) return { kind: "ignore", reason: "for another bot" };

  const isPrivateChat = message.chat.type === "private";
  const from = message.from;
  const origin: Origin = {
    chatId: String(message.chat.id),
    userId: String(from?.id ?? message.chat.id),
    messageId: message.message_id,
    isPrivateChat,
    ...(from?.language_code ? { userLocale: from.language_code } : {}),
  };
  if (message.chat.type === "channel") return { kind: "ignore", reason: "channel post" };
  const typed = match[1]!.toLowerCase();
  const name = names.commands.get(typed);
  // In a group, an unknown command without "@us" is most likely another bot's (/ban, /rules).
  if (name === undefined && !isPrivateChat && addressee === undefined) return { kind: "ignore", reason: "unknown command for no bot in particular" };
  if (message.sender_chat || !from) return { kind: "anonymous", origin };
  if (from.is_bot) return { kind: "ignore", reason: "from a bot" };
  const displayName = displayNameOf(from);
  const username = from.username ? { username: from.username } : {};
  if (name === undefined && typed === "start") return { kind: "start", origin, firstName: from.first_name, displayName, ...username };
  // A file sent first and then answered with the command (a reply to one's own message) counts too.
  const own = attachmentsOf(message);
  const replied = message.reply_to_message;
  const attachments = own.length === 0 && replied?.from?.id === from.id ? attachmentsOf(replied) : own;
  return {
    kind: "command",
    origin,
    command: {
      platform: PLATFORM,
      channelId: origin.chatId,
      isPrivateChat,
      userId: origin.userId,
      displayName,
      ...username,
      ...(from.language_code ? { userLocale: from.language_code } : {}),
      name: name ?? typed,
      text: text.slice(entity.length).trimStart(),
      ...(attachments.length > 0 ? { attachments } : {}),
    },
  };
}

/** How the bot names a Telegram user: first and last name, at most 200 characters. */
export function displayNameOf(user: { first_name: string; last_name?: string }): string {
  return [user.first_name, user.last_name].filter(Boolean).join(" ").slice(0, 200);
}

/**
 * Bot API download links carry the bot token and expire within hours, so an attachment's URL is
 * a lasting reference instead: the file_id, which this bot can always send again or download.
 */
const FILE_REFERENCE_PREFIX = "telegram-file:";

function attachmentsOf(message: Pick<TelegramMessage, "document" | "photo">): Attachment[] {
  if (message.document) {
    const document = message.document;
    return [
      {
        url: FILE_REFERENCE_PREFIX + document.file_id,
        fileName: (document.file_name ?? `document-${document.file_unique_id}`).slice(0, 255),
        ...(document.mime_type ? { contentType: document.mime_type } : {}),
        ...(document.file_size !== undefined ? { size: document.file_size } : {}),
      },
    ];
  }
  if (message.photo && message.photo.length > 0) {
    // Telegram sends each photo in several sizes; the largest is the original.
    const largest = message.photo.reduce((best, size) => (size.width * size.height > best.width * best.height ? size : best));
    return [
      {
        url: FILE_REFERENCE_PREFIX + largest.file_id,
        fileName: `photo-${largest.file_unique_id}.jpg`,
        contentType: "image/jpeg",
        ...(largest.file_size !== undefined ? { size: largest.file_size } : {}),
      },
    ];
  }
  return [];
}
