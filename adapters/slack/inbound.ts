// Slack payloads to the core's IncomingCommand. One slash command carries every command as its
// first word ("/o4p register Tenants of Kreuzberg"), and so does a mention of the bot
// ("@Organizing Bot join"). Only the fields we rely on are read, each checked with zod.
import { z } from "zod";
import type { Attachment, IncomingCommand } from "../../src/core/incoming.ts";
import { MAX_COMMAND_TEXT } from "../../src/core/incoming.ts";
import { decodeSlackText } from "./mrkdwn.ts";

export const PLATFORM = "slack";

const id = z.string().min(1).max(200);

export const slashCommandSchema = z.object({
  command: z.string().min(1),
  text: z.string().default(""),
  user_id: id,
  user_name: z.string().default(""),
  channel_id: id,
  channel_name: z.string().optional(),
  response_url: z.url(),
});
export type SlashCommandPayload = z.infer<typeof slashCommandSchema>;

const sharedFileSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  title: z.string().optional(),
  mimetype: z.string().optional(),
  size: z.number().int().nonnegative().optional(),
  url_private: z.string().optional(),
  url_private_download: z.string().optional(),
});

export const appMentionSchema = z.object({
  type: z.literal("app_mention"),
  user: id,
  text: z.string(),
  channel: id,
  ts: z.string(),
  thread_ts: z.string().optional(),
  /** Set when another app's bot mentioned us: never answered, so two bots can't loop. */
  bot_id: z.string().optional(),
  files: z.array(sharedFileSchema).optional(),
});
export type AppMentionPayload = z.infer<typeof appMentionSchema>;

/** What users.info told us about the caller (see users.ts); empty when we couldn't ask. */
export interface CallerProfile {
  displayName?: string;
  locale?: string;
}

/** "register Tenants of Kreuzberg" → name "register", the rest as text; nothing → help. */
export function splitCommandLine(line: string): { name: string; text: string } {
  const trimmed = line.trim().replace(/^\/+/, "");
  const match = /^(\S+)\s*([\s\S]*)$/.exec(trimmed);
  if (!match) return { name: "help", text: "" };
  return { name: match[1]!.toLowerCase().slice(0, 64), text: match[2]!.slice(0, MAX_COMMAND_TEXT) };
}

/** Direct messages have ids starting with D; a group DM is a channel like any other here. */
export function isDirectMessage(channelId: string): boolean {
  return channelId.startsWith("D");
}

/** Who asked and where, as every Slack command shares it; `fallbackName` when the profile has none. */
export function caller(channelId: string, userId: string, fallbackName: string, profile: CallerProfile) {
  return {
    platform: PLATFORM,
    channelId,
    isPrivateChat: isDirectMessage(channelId),
    userId,
    displayName: (profile.displayName ?? fallbackName).slice(0, 200),
    ...(profile.locale ? { userLocale: profile.locale } : {}),
  };
}

export function commandFromSlash(payload: SlashCommandPayload, profile: CallerProfile): IncomingCommand {
  const { name, text } = splitCommandLine(decodeSlackText(payload.text));
  return {
    ...caller(payload.channel_id, payload.user_id, payload.user_name, profile),
    ...(payload.user_name ? { username: payload.user_name.slice(0, 200) } : {}),
    name,
    text,
  };
}

/**
 * The text after the mention of the bot, as a command line. The slash command's own name is
 * accepted too ("@bot /o4p join"), since people copy what the help shows.
 */
export function mentionCommandLine(text: string, botUserId: string, slashCommand: string): string {
  const withoutBot = text.replace(new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, "g"), " ");
  const line = decodeSlackText(withoutBot).trim();
  return line.toLowerCase().startsWith(`${slashCommand} `) || line.toLowerCase() === slashCommand ? line.slice(slashCommand.length) : line;
}

export function commandFromMention(event: AppMentionPayload, botUserId: string, slashCommand: string, profile: CallerProfile): IncomingCommand {
  const { name, text } = splitCommandLine(mentionCommandLine(event.text, botUserId, slashCommand));
  const attachments = (event.files ?? []).slice(0, 10).flatMap((file): Attachment[] => {
    const url = file.url_private_download ?? file.url_private;
    if (!url) return [];
    return [
      {
        url: url.slice(0, 2000),
        fileName: (file.name ?? file.title ?? file.id).slice(0, 255),
        ...(file.mimetype ? { contentType: file.mimetype.slice(0, 255) } : {}),
        ...(file.size !== undefined ? { size: file.size } : {}),
      },
    ];
  });
  return {
    ...caller(event.channel, event.user, event.user, profile),
    name,
    text,
    ...(attachments.length > 0 ? { attachments } : {}),
  };
}
