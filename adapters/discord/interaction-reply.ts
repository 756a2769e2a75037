// Answers one slash command. Discord needs a first response within 3 seconds: a command declared
// slow is acknowledged at once (Discord shows "thinking…"), any other is answered directly when
// its reply is ready in time, or acknowledged after `deferAfterMs` and the reply edited in later.
// Private replies are ephemeral; long replies continue in follow-up messages.
import { MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction, type InteractionReplyOptions } from "discord.js";
import type { OutgoingMessage } from "../../src/core/messages.ts";
import { allowedMentionTypes, renderMessage } from "./render.ts";

interface ReplyPart {
  content?: string;
  files?: { attachment: Buffer; name: string }[];
  ephemeral: boolean;
  allowedMentions: { parse: ("everyone" | "roles")[] };
}

/** One neutral message as Discord messages: its text in chunks, any file with the first one. */
function replyParts(message: OutgoingMessage): ReplyPart[] {
  const chunks = renderMessage(message);
  const files = message.file ? [{ attachment: Buffer.from(message.file.data), name: message.file.fileName }] : undefined;
  if (chunks.length === 0 && !files) return [];
  return (chunks.length > 0 ? chunks : [undefined]).map((content, index) => ({
    ...(content ? { content } : {}),
    ...(index === 0 && files ? { files } : {}),
    ephemeral: message.private ?? false,
    allowedMentions: { parse: allowedMentionTypes(message) },
  }));
}

function createOptions(part: ReplyPart): InteractionReplyOptions {
  const { ephemeral, ...rest } = part;
  return { ...rest, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) };
}

export class InteractionReply {
  private timer: NodeJS.Timeout | undefined;
  private deferral: Promise<unknown> | undefined;

  /** `ephemeral`: how to acknowledge early, before the reply is known (the command's declaration). */
  constructor(
    private readonly interaction: ChatInputCommandInteraction | ButtonInteraction,
    private readonly ephemeral: boolean,
  ) {}

  /** Acknowledges now; the reply replaces "thinking…" when it is ready. */
  defer(): void {
    clearTimeout(this.timer);
    if (this.deferral) return;
    this.deferral = this.interaction.deferReply(this.ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    // Awaited in deliver(); until then a failure must not count as unhandled.
    this.deferral.catch(() => {});
  }

  /** Acknowledges after `ms` unless the reply was delivered before. */
  deferAfter(ms: number): void {
    this.timer = setTimeout(() => this.defer(), ms);
  }

  cancel(): void {
    clearTimeout(this.timer);
  }

  async deliver(messages: OutgoingMessage[]): Promise<void> {
    clearTimeout(this.timer);
    const parts = messages.flatMap(replyParts);
    const first = parts.shift();
    if (this.deferral) {
      await this.deferral;
      if (!first) {
        await this.interaction.deleteReply();
      } else if (first.ephemeral === this.ephemeral) {
        const { ephemeral: _same, ...edit } = first;
        await this.interaction.editReply(edit);
      } else {
        // Whether a reply is ephemeral is fixed when it is deferred: replace it with one that fits.
        await this.interaction.deleteReply();
        await this.interaction.followUp(createOptions(first));
      }
    } else if (first) {
      await this.interaction.reply(createOptions(first));
    } else {
      // Nothing to say, but Discord wants the interaction answered.
      await this.interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await this.interaction.deleteReply();
    }
    for (const part of parts) await this.interaction.followUp(createOptions(part));
  }
}
