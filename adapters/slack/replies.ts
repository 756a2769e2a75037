// Puts a command's replies where the user sees them. A slash command is answered through its
// response_url (which works in any channel, even one the bot isn't in, and can show a message
// to the caller only); a mention through the Web API. Private replies are ephemeral.
import type { RespondArguments } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { OutgoingMessage } from "../../src/core/messages.ts";
import type { Logger } from "../../src/logger.ts";
import { CHANNEL_GONE, platformError } from "./errors.ts";
import { uploadFile } from "./files.ts";
import { renderMessage, type RenderContext, type SlackMessage } from "./render.ts";

/** A response_url takes 5 posts (https://docs.slack.dev/interactivity/handling-user-interaction#message_responses). */
export const RESPONSE_URL_USES = 5;

export interface ReplyTarget {
  channelId: string;
  userId: string;
  /** The thread a mention was made in, so the answer stays next to the question. */
  threadTs?: string;
  /** Posts to the slash command's response_url; absent for mentions. */
  respond?: (message: RespondArguments) => Promise<unknown>;
}

export class ReplySender {
  constructor(
    private readonly client: WebClient,
    private readonly context: RenderContext,
    private readonly logger: Logger,
  ) {}

  async send(replies: OutgoingMessage[], target: ReplyTarget): Promise<void> {
    let responsesLeft = target.respond ? RESPONSE_URL_USES : 0;
    for (const reply of replies) {
      for (const message of renderMessage(reply, this.context)) {
        const viaResponseUrl = responsesLeft > 0;
        if (viaResponseUrl) responsesLeft--;
        await this.post(message, reply.private ?? false, target, viaResponseUrl).catch((error) =>
          this.logger.error({ err: error, slackError: platformError(error), channel: target.channelId }, "could not deliver a reply"),
        );
      }
      if (reply.file) {
        await this.sendFile(reply, target).catch((error) =>
          this.logger.error({ err: error, slackError: platformError(error), channel: target.channelId }, "could not upload a reply's file"),
        );
      }
    }
  }

  private async post(message: SlackMessage, ephemeral: boolean, target: ReplyTarget, viaResponseUrl: boolean): Promise<void> {
    const thread = target.threadTs ? { thread_ts: target.threadTs } : {};
    if (viaResponseUrl) {
      await target.respond!({ response_type: ephemeral ? "ephemeral" : "in_channel", text: message.text, blocks: message.blocks });
    } else if (ephemeral) {
      await this.client.chat.postEphemeral({ channel: target.channelId, user: target.userId, text: message.text, blocks: message.blocks, ...thread });
    } else {
      await this.client.chat.postMessage({ channel: target.channelId, text: message.text, blocks: message.blocks, ...thread });
    }
  }

  /** A private file goes to the caller's direct messages; so does a public one the channel won't take. */
  private async sendFile(reply: OutgoingMessage, target: ReplyTarget): Promise<void> {
    const file = reply.file!;
    if (reply.private) return uploadFile(this.client, file, { userId: target.userId });
    try {
      await uploadFile(this.client, file, { channelId: target.channelId });
    } catch (error) {
      const answer = platformError(error);
      if (!answer || !CHANNEL_GONE.has(answer)) throw error;
      await uploadFile(this.client, file, { userId: target.userId });
    }
  }
}
