// The Slack adapter: slash commands and mentions in, replies and outbox messages out, through
// Bolt (receiving, see connection.ts) and the Web API (sending).
import type { AllMiddlewareArgs, App, RespondArguments, SlackActionMiddlewareArgs, SlackCommandMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { WebClient, type WebClientOptions } from "@slack/web-api";
import type { Adapter, BotHost, SendOptions, SendResult } from "../../src/core/adapter.ts";
import { SendBudget } from "../../src/core/send-budget.ts";
import { flattenCommands } from "../../src/core/command.ts";
import type { OutgoingMessage } from "../../src/core/messages.ts";
import type { Logger } from "../../src/logger.ts";
import { InFlight } from "../kit/in-flight.ts";
import { localNotice } from "../kit/notices.ts";
import { PartProgress } from "../kit/part-progress.ts";
import { boltLogger } from "./bolt-logger.ts";
import { CHANNEL_GAIN_EVENT, CHANNEL_LOSS_EVENTS, joinedChannel, lostChannel } from "./channel-events.ts";
import { createConnection, type BoltConnection, type SlackSettings } from "./connection.ts";
import { APP_PROBLEM, platformError, toDeliveryError } from "./errors.ts";
import { uploadFile } from "./files.ts";
import { appMentionSchema, commandFromMention, commandFromSlash, PLATFORM, slashCommandSchema } from "./inbound.ts";
import { ChannelMembership } from "./membership.ts";
import { CHECK_IN_ACTION, commandFromPress, withButtons } from "./check-in-button.ts";
import { renderMessage, type RenderContext } from "./render.ts";
import { ReplySender, type ReplyTarget } from "./replies.ts";
import { UserDirectory } from "./users.ts";

/** A request that hangs is a failure to retry, not a stuck worker. */
const REQUEST_TIMEOUT_MS = 15_000;
/** Slack redelivers an event it thinks we missed; these ids were already handled. */
const REMEMBERED_EVENTS = 1_000;

export class SlackAdapter implements Adapter {
  readonly platform = PLATFORM;
  /** chat.postMessage: about one message per second per channel (https://docs.slack.dev/apis/web-api/rate-limits). */
  readonly budget = new SendBudget({ perChannel: { messages: 1, perMs: 1_000 } });

  private host: BotHost | undefined;
  private logger: Logger | undefined;
  private connection: BoltConnection | undefined;
  /** For the outbox: no retries of its own (the dispatcher retries) and 429s reported, not waited out. */
  private deliveryClient: WebClient | undefined;
  private replies: ReplySender | undefined;
  private users: UserDirectory | undefined;
  private membership: ChannelMembership | undefined;
  private renderContext: RenderContext | undefined;
  private botUserId = "";
  /** The bot's user name, for "/invite @name". */
  private botName = "";
  private readonly inFlight = new InFlight();
  /** How far a long outbox message got, so a retry after a failed part goes on from there. */
  private readonly progress = new PartProgress();
  private readonly handledEvents = new Set<string>();
  /** The last send failed for a reason about the app itself (token revoked, scope missing). */
  private appProblem: string | undefined;

  constructor(private readonly settings: SlackSettings) {}

  async start(host: BotHost): Promise<void> {
    this.budget.runOn(host.clock);
    const logger = host.logger.child({ platform: PLATFORM });
    this.host = host;
    this.logger = logger;
    const slackLogger = boltLogger(logger);
    const base: WebClientOptions = { slackApiUrl: this.settings.apiUrl, logger: slackLogger, timeout: REQUEST_TIMEOUT_MS };
    this.deliveryClient = new WebClient(this.settings.botToken, { ...base, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
    const identity = await this.identify(this.deliveryClient);
    this.botUserId = identity.userId;
    this.botName = identity.name;
    this.connection = createConnection({
      settings: this.settings,
      botUserId: identity.userId,
      botId: identity.botId,
      // Interactive replies may wait a little for Slack (a 429's Retry-After, a 5xx) before giving up.
      clientOptions: { ...base, retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 4_000 } },
      logger: slackLogger,
    });
    this.renderContext = { slashCommand: this.settings.slashCommand, commandNames: [...new Set(flattenCommands(host.commands).map(({ path }) => path[0]!))] };
    this.replies = new ReplySender(this.connection.app.client, this.renderContext, logger);
    this.users = new UserDirectory(this.deliveryClient, logger);
    this.membership = new ChannelMembership(this.deliveryClient);
    this.listen(this.connection.app);
    await this.connection.start(host.http);
    logger.info({ mode: this.settings.mode.kind, command: this.settings.slashCommand, team: identity.team, bot: identity.userId }, "slack connected");
  }

  async stop(): Promise<void> {
    await this.connection?.stop();
    // Commands being answered finish before the core closes the database under them.
    await this.settled();
  }

  /** Resolves once every command and event received so far has been handled. */
  async settled(): Promise<void> {
    await this.inFlight.settled();
  }

  isConnected(): boolean {
    return (this.connection?.isConnected() ?? false) && this.appProblem === undefined;
  }

  /**
   * Slack has no idempotency key for chat.postMessage; options.idempotencyKey names the message
   * in the adapter kit's PartProgress instead, so a retry after a failed part goes on from there.
   */
  async send(channelId: string, message: OutgoingMessage, options?: SendOptions): Promise<SendResult> {
    const client = this.deliveryClient!;
    const parts = withButtons(renderMessage(message, this.renderContext!), message);
    const key = options?.idempotencyKey;
    let firstTs: string | undefined;
    try {
      for (let index = this.progress.start(key); index < parts.length; index++) {
        const part = parts[index]!;
        // Once the first part is in, the rest had better follow than fail the delivery: they
        // may wait out a 429 (and if they still fail, the retry starts at the part that failed).
        const poster = index === 0 ? client : this.connection!.app.client;
        const posted = await poster.chat.postMessage({ channel: channelId, text: part.text, blocks: part.blocks });
        firstTs ??= posted.ts;
        this.progress.record(key, index + 1);
      }
    } catch (error) {
      throw this.deliveryFailure(error, "channel");
    }
    if (message.file) {
      try {
        await uploadFile(client, message.file, { channelId });
      } catch (error) {
        throw this.deliveryFailure(error, "global");
      }
    }
    this.progress.finish(key);
    this.appProblem = undefined;
    return firstTs ? { platformMessageId: firstTs } : {};
  }

  private deliveryFailure(error: unknown, rateScope: "channel" | "global") {
    const answer = platformError(error);
    if (answer && APP_PROBLEM.has(answer)) {
      if (this.appProblem !== answer) this.logger?.error({ slackError: answer }, "Slack refuses the bot's requests: check SLACK_BOT_TOKEN and the app's scopes");
      this.appProblem = answer;
    }
    return toDeliveryError(error, rateScope);
  }

  private async identify(client: WebClient): Promise<{ userId: string; botId: string; name: string; team?: string }> {
    let answer;
    try {
      answer = await client.auth.test();
    } catch (error) {
      const refused = platformError(error);
      throw new Error(
        refused
          ? `Slack refused SLACK_BOT_TOKEN (${refused}); copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page`
          : `could not reach Slack at ${this.settings.apiUrl}: ${(error as Error).message}`,
      );
    }
    if (!answer.user_id || !answer.bot_id) throw new Error("SLACK_BOT_TOKEN is not a bot token (auth.test named no bot user)");
    return { userId: answer.user_id, botId: answer.bot_id, name: answer.user ?? "", team: answer.team };
  }

  private listen(app: App): void {
    app.command(this.settings.slashCommand, (args) => this.track(this.onSlashCommand(args)));
    app.event("app_mention", (args) => this.track(this.onMention(args)));
    app.action(CHECK_IN_ACTION, (args) => this.track(this.onButton(args)));
    for (const type of [...Object.keys(CHANNEL_LOSS_EVENTS), CHANNEL_GAIN_EVENT]) {
      app.event(type, ({ event }) => this.track(this.onChannelEvent(event)));
    }
    app.error(async (error) => {
      this.logger!.error({ err: error }, "slack event handling failed");
    });
  }

  /** Keeps a handler's promise until it settles, so stop() can wait for it. */
  private track(work: Promise<void>): Promise<void> {
    return this.inFlight.track(work, (error) => this.logger!.error({ err: error }, "slack handler failed"));
  }

  private async onSlashCommand({ command, ack, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
    // Slack wants an answer within 3 seconds; the replies follow through the response_url.
    await ack();
    const payload = slashCommandSchema.safeParse(command);
    if (!payload.success) {
      this.logger!.warn({ issues: payload.error.issues }, "ignored a malformed slash command");
      return;
    }
    const profile = await this.users!.profile(payload.data.user_id);
    const incoming = commandFromSlash(payload.data, profile);
    const replies = await this.host!.handle(incoming);
    if (!incoming.isPrivateChat && (await this.membership!.needsInvite(incoming.channelId))) {
      replies.push(localNotice(this.host!, profile.locale, "slack.invite", { bot: this.botName }, { private: true }));
    }
    const target: ReplyTarget = { channelId: payload.data.channel_id, userId: payload.data.user_id, respond };
    await this.replies!.send(replies, target);
  }

  /** A button under one of our messages: its command, answered to the presser alone. */
  private async onButton({ body, ack, respond }: SlackActionMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
    await ack();
    const incoming = await commandFromPress(body, (userId) => this.users!.profile(userId));
    if (!incoming) return;
    const replies = await this.host!.handle(incoming);
    const privately = (message: RespondArguments) => respond({ ...message, response_type: "ephemeral", replace_original: false });
    await this.replies!.send(replies.map((reply) => ({ ...reply, private: true })), { channelId: incoming.channelId, userId: incoming.userId, respond: privately });
  }

  private async onMention({ event, body }: SlackEventMiddlewareArgs<"app_mention"> & AllMiddlewareArgs): Promise<void> {
    if (this.seenBefore(body.event_id)) return;
    const mention = appMentionSchema.safeParse(event);
    if (!mention.success) {
      this.logger!.warn({ issues: mention.error.issues }, "ignored a malformed app_mention");
      return;
    }
    if (mention.data.bot_id) return;
    const profile = await this.users!.profile(mention.data.user);
    const replies = await this.host!.handle(commandFromMention(mention.data, this.botUserId, this.settings.slashCommand, profile));
    const target: ReplyTarget = { channelId: mention.data.channel, userId: mention.data.user, ...(mention.data.thread_ts ? { threadTs: mention.data.thread_ts } : {}) };
    await this.replies!.send(replies, target);
  }

  private async onChannelEvent(event: unknown): Promise<void> {
    const joined = joinedChannel(event, this.botUserId);
    if (joined) {
      this.membership!.joined(joined);
      await this.host!.channelReachable(PLATFORM, joined);
    }
    const lost = lostChannel(event, this.botUserId);
    if (lost) {
      this.membership!.forget(lost.channelId);
      await this.host!.channelUnreachable(PLATFORM, lost.channelId, lost.reason);
    }
  }

  private seenBefore(eventId: string | undefined): boolean {
    if (!eventId) return false;
    if (this.handledEvents.has(eventId)) return true;
    this.handledEvents.add(eventId);
    if (this.handledEvents.size > REMEMBERED_EVENTS) this.handledEvents.delete(this.handledEvents.values().next().value!);
    return false;
  }
}
