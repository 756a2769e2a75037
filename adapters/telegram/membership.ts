// my_chat_member updates (https://core.telegram.org/bots/api#chatmemberupdated): Telegram tells
// the bot when it is added to a chat, removed or kicked from one, or blocked or unblocked by a
// user in a private chat. Read here into what the core cares about.
import { z } from "zod";

const PRESENT = ["creator", "administrator", "member"];

const memberSchema = z.object({
  status: z.enum(["creator", "administrator", "member", "restricted", "left", "kicked"]),
  /** Only for "restricted": whether the bot is still in the chat. */
  is_member: z.boolean().optional(),
});

const updateSchema = z.object({
  chat: z.object({ id: z.number().int(), type: z.enum(["private", "group", "supergroup", "channel"]) }),
  from: z.object({ id: z.number().int(), language_code: z.string().optional() }),
  old_chat_member: memberSchema,
  new_chat_member: memberSchema,
});

export type MembershipChange =
  /** The bot can post in the chat again (added to a group, unblocked); `greet` for groups. */
  | { kind: "added"; chatId: string; greet: boolean; userLocale?: string }
  | { kind: "removed"; chatId: string; reason: string }
  | { kind: "none" };

function present(member: z.infer<typeof memberSchema>): boolean {
  return PRESENT.includes(member.status) || (member.status === "restricted" && member.is_member === true);
}

export function readMembership(raw: unknown): MembershipChange {
  const parsed = updateSchema.safeParse(raw);
  if (!parsed.success) return { kind: "none" };
  const { chat, from, old_chat_member: before, new_chat_member: after } = parsed.data;
  const chatId = String(chat.id);
  if (!present(before) && present(after)) {
    const greet = chat.type === "group" || chat.type === "supergroup";
    return { kind: "added", chatId, greet, ...(from.language_code ? { userLocale: from.language_code } : {}) };
  }
  if (present(before) && !present(after)) {
    const reason =
      chat.type === "private"
        ? "the user blocked the bot"
        : after.status === "kicked"
          ? `the bot was banned from the ${chat.type} by user ${from.id}`
          : `the bot was removed from the ${chat.type} by user ${from.id}`;
    return { kind: "removed", chatId, reason };
  }
  return { kind: "none" };
}
