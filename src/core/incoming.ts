// What an adapter hands the core for every command, whatever the platform. Validated with zod
// at the edge, so a misbehaving adapter or a hostile payload can't reach a handler.
import { z } from "zod";

/**
 * A guard against hostile payloads, well above what any argument takes (free text: at most 4,000
 * characters, plus its options): the limits people meet are the arguments' own, in their language.
 */
export const MAX_COMMAND_TEXT = 16_000;

export const attachmentSchema = z.object({
  url: z.string().max(2000),
  fileName: z.string().max(255),
  contentType: z.string().max(255).optional(),
  size: z.number().int().nonnegative().optional(),
});

export const incomingCommandSchema = z.object({
  platform: z.string().regex(/^[a-z]{2,20}$/),
  /** The platform's id for the chat the command was sent in. */
  channelId: z.string().min(1).max(200),
  /** A one-to-one chat with the bot rather than a group channel. */
  isPrivateChat: z.boolean().optional(),
  userId: z.string().min(1).max(200),
  displayName: z.string().max(200),
  username: z.string().max(200).optional(),
  /** The user's interface language as the platform reports it (any BCP 47 tag). */
  userLocale: z.string().max(35).optional(),
  /** The command's declared (English) name, without "/" or "@botname". */
  name: z.string().min(1).max(64),
  /** Everything typed after the command name. */
  text: z.string().max(MAX_COMMAND_TEXT).optional(),
  /** Structured values from platforms with typed options (Discord), by argument name. */
  subcommand: z.string().max(64).optional(),
  options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  attachments: z.array(attachmentSchema).max(10).optional(),
});

export type IncomingCommand = z.infer<typeof incomingCommandSchema>;
export type Attachment = z.infer<typeof attachmentSchema>;
