// The Telegram adapter (grammY): connects with long polling, or with a webhook on the bot's HTTP
// server; publishes the command menu; turns messages into commands for the core and answers in
// the same chat; follows the bot being added, removed and moved (group -> supergroup); and sends
// outbox messages for the dispatcher. The pieces live beside it: inbound.ts (reading messages),
// render.ts (HTML), outbound.ts (sending), replies.ts (immediate answers), limits.ts (the send
// budget's limits, shared by replies and the outbox), membership.ts, menu.ts, webhook.ts, errors.ts.
import { setMaxListeners } from "node:events";
import { Bot, GrammyError, HttpError } from "grammy";
import type { Update } from "grammy/types";
import { finishedWithin, type Timer } from "../../src/clock.ts";
import type { Adapter, BotHost, SendOptions, SendResult } from "../../src/core/adapter.ts";
import type { OutgoingMessage } from "../../src/core/messages.ts";
import { SendBudget } from "../../src/core/send-budget.ts";
import type { Logger } from "../../src/logger.ts";
import { localNotice } from "../kit/notices.ts";
import { answerPress, callbackAnswerText, readButtonPress } from "./check-in-button.ts";
import { ChatQueues } from "./chat-queues.ts";
import { describeError } from "./errors.ts";
import { PLATFORM, readMessage, type CommandNames, type Inbound, type Origin } from "./inbound.ts";
import { readMembership } from "./membership.ts";
import { buildMenus, commandNames } from "./menu.ts";
import { TelegramOutbound } from "./outbound.ts";
import { TELEGRAM_LIMITS } from "./limits.ts";
import { ReplySender } from "./replies.ts";
import { webhookHandler } from "./webhook.ts";

/** The updates the bot acts on; everything else Telegram need not send. */
const ALLOWED_UPDATES = ["message", "my_chat_member", "callback_query"] as const;

export interface TelegramAdapterOptions {
  token: string;
  /** TELEGRAM_API_ROOT: a self-hosted Bot API server (or the tests' fake). */
  apiRoot?: string;
  /** Receive updates at this public URL (served at its path on the bot's HTTP server) instead of long polling. */
  webhook?: { url: string; secret: string };
  /** Seconds one getUpdates call may wait for news (default 30). */
  pollingTimeoutSeconds?: number;
  /** Updates handled at once, across chats (default 32). */
  concurrency?: number;
  /** When Telegram is unreachable at start-up, try again after this long (default 15 s). */
  reconnectDelayMs?: number;
  /** On stop, how long commands in hand may still take to answer (default 5 s). */
  stopGraceMs?: number;
}

export class TelegramAdapter implements Adapter {
  readonly platform = PLATFORM;
  readonly budget = new SendBudget(TELEGRAM_LIMITS);
  private readonly bot: Bot;
  private readonly stopping = new AbortController();
  private host: BotHost | undefined;
  private logger: Logger | undefined;
  private outbound: TelegramOutbound | undefined;
  private replies: ReplySender | undefined;
  private queues: ChatQueues | undefined;
  private names: CommandNames | undefined;
  private connected = false;
  /** Webhook requests are accepted (between connecting and stopping). */
  private receiving = false;
  private stopped = false;
  private polling: Promise<void> | undefined;
  private reconnectTimer: Timer | undefined;

  constructor(private readonly options: TelegramAdapterOptions) {
    // Every reply waiting for its turn listens for the stop; there may be many.
    setMaxListeners(0, this.stopping.signal);
    const pollingTimeout = options.pollingTimeoutSeconds ?? 30;
    // grammY's default (500 s) would let one hung request hold a send for minutes.
    this.bot = new Bot(options.token, {
      client: { apiRoot: options.apiRoot?.replace(/\/+$/, ""), timeoutSeconds: pollingTimeout + 15 },
    });
  }

  isConnected(): boolean {
    return this.connected;
  }

  async start(host: BotHost): Promise<void> {
    this.host = host;
    this.budget.runOn(host.clock);
    const logger = host.logger.child({ platform: PLATFORM });
    this.logger = logger;
    this.outbound = new TelegramOutbound(this.bot.api, (from, to) => this.moved(from, to), logger);
    this.replies = new ReplySender(this.outbound, this.budget, host.clock, this.stopping.signal, logger);
    this.queues = new ChatQueues(this.options.concurrency ?? 32, (error) =>
      logger.error({ error: describeError(error) }, "handling a Telegram update failed"),
    );
    this.bot.api.config.use(async (previous, method, payload, signal) => {
      try {
        const result = await previous(method, payload, signal);
        if (method === "getUpdates") this.connected = true;
        return result;
      } catch (error) {
        if (method === "getUpdates" && error instanceof HttpError && !this.stopping.signal.aborted) this.connected = false;
        throw error;
      }
    });
    this.bot.use((context) => this.route(context.update));
    this.bot.catch((error) => logger.error({ error: describeError(error.error) }, "Telegram middleware failed"));
    const webhook = this.options.webhook;
    if (webhook) {
      host.http.route(
        undefined,
        new URL(webhook.url).pathname,
        webhookHandler({
          secret: webhook.secret,
          logger,
          ready: () => this.receiving,
          handle: (update) => this.bot.handleUpdate(update as unknown as Update),
        }),
      );
    }
    await this.connect(true);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.receiving = false;
    this.host?.clock.clearTimeout(this.reconnectTimer);
    if (this.bot.isRunning()) await this.bot.stop().catch((error) => this.logger?.warn({ error: describeError(error) }, "could not confirm the last updates"));
    await this.polling;
    if (this.queues) {
      // Commands in hand may still answer, briefly; then waits for rate limits are cut short.
      await finishedWithin(this.host!.clock, this.options.stopGraceMs ?? 5_000, this.queues.idle());
    }
    this.stopping.abort(new Error("the Telegram adapter is stopping"));
    await this.queues?.idle();
    this.connected = false;
  }

  /**
   * An outbox message, for the dispatcher, which paces it in the budget, counts its first part
   * and handles a DeliveryError. Further parts of a long message wait for room here.
   */
  async send(channelId: string, message: OutgoingMessage, options: SendOptions): Promise<SendResult> {
    const delivered = await this.outbound!.deliver(channelId, message, {
      progressKey: options.idempotencyKey,
      signal: this.stopping.signal,
      pace: (chatId, first) => (first && chatId === channelId ? undefined : this.budget.acquire(chatId, this.stopping.signal)),
    });
    return delivered.messageId === undefined ? {} : { platformMessageId: `${delivered.chatId}:${delivered.messageId}` };
  }

  /**
   * getMe, the command menu, then receiving. A token Telegram refuses stops start-up with a clear
   * message; an unreachable Telegram does not keep the rest of the bot from starting: we keep
   * trying, and /healthz says "degraded" meanwhile.
   */
  private async connect(first: boolean): Promise<void> {
    const logger = this.logger!;
    try {
      // One getMe, not bot.init(), which would retry an unreachable Telegram forever and hold up start-up.
      this.bot.botInfo = await this.bot.api.getMe();
      this.names = { botUsername: this.bot.botInfo.username, commands: commandNames(this.host!.commands) };
      await this.publishMenus();
      if (this.stopped) return;
      if (this.options.webhook) await this.setWebhook(this.options.webhook);
      else this.startPolling();
    } catch (error) {
      const refused = error instanceof GrammyError && error.error_code !== 429 && error.error_code < 500;
      if (refused) {
        const problem = new Error(`Telegram refused to start the bot (check TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_URL): ${describeError(error)}`);
        if (first) throw problem;
        logger.error({ error: describeError(error) }, problem.message);
        return;
      }
      const delay = this.options.reconnectDelayMs ?? 15_000;
      logger.warn({ error: describeError(error), retryInMs: delay }, "Telegram is unreachable; will try again");
      if (!this.stopped) this.reconnectTimer = this.host!.clock.setTimeout(() => void this.connect(false), delay);
    }
  }

  private async publishMenus(): Promise<void> {
    for (const menu of buildMenus(this.host!.commands, this.host!.i18n)) {
      await this.bot.api
        .setMyCommands(menu.commands, { scope: menu.scope, ...(menu.languageCode ? { language_code: menu.languageCode } : {}) })
        .catch((error) => this.logger!.warn({ error: describeError(error), scope: menu.scope.type, language: menu.languageCode }, "could not publish the command menu"));
    }
  }

  private async setWebhook(webhook: { url: string; secret: string }): Promise<void> {
    await this.bot.api.setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: [...ALLOWED_UPDATES] });
    this.connected = true;
    this.receiving = true;
    this.logger!.info({ url: webhook.url }, "receiving Telegram updates by webhook");
  }

  private startPolling(): void {
    const logger = this.logger!;
    this.polling = this.bot
      .start({
        allowed_updates: [...ALLOWED_UPDATES],
        timeout: this.options.pollingTimeoutSeconds ?? 30,
        onStart: () => logger.info({ bot: this.bot.botInfo.username }, "receiving Telegram updates by long polling"),
      })
      .catch((error) => {
        this.connected = false;
        const conflict = error instanceof GrammyError && error.error_code === 409;
        logger.error(
          { error: describeError(error) },
          conflict
            ? "long polling stopped: another process is receiving updates for this bot (only one may poll; use a webhook to run several)"
            : "long polling stopped",
        );
      });
  }

  /** Hands an update to the chat's queue, so the next one can be read at once. */
  private async route(update: Update): Promise<void> {
    if (update.message) {
      const inbound = readMessage(update.message, this.names!);
      if (inbound.kind === "ignore") return;
      const chatId = inbound.kind === "migrated" ? inbound.fromChatId : inbound.origin.chatId;
      await this.queues!.push(chatId, () => this.onMessage(inbound));
    } else if (update.my_chat_member) {
      const change = readMembership(update.my_chat_member);
      if (change.kind === "none") return;
      await this.queues!.push(change.chatId, async () => {
        if (change.kind === "removed") return this.host!.channelUnreachable(PLATFORM, change.chatId, change.reason);
        await this.host!.channelReachable(PLATFORM, change.chatId);
        if (change.greet) await this.say(change.chatId, change.userLocale, "telegram.hello");
      });
    } else if (update.callback_query) {
      const press = readButtonPress(update.callback_query);
      if (!press) return;
      // A button's answer is a notice only the presser sees (check-in-button.ts). Presses need no
      // order within a chat, only per person, so a whole group pressing at once is answered in parallel.
      await this.queues!.push(`${press.chatId}:${press.command.userId}`, async () => {
        const replies = await this.host!.handle(press.command);
        await answerPress(this.bot.api, press.queryId, callbackAnswerText(replies));
      });
    }
  }

  private async onMessage(inbound: Exclude<Inbound, { kind: "ignore" }>): Promise<void> {
    switch (inbound.kind) {
      case "migrated":
        return this.moved(inbound.fromChatId, inbound.toChatId);
      case "start":
        await this.host!.personMet({
          platform: PLATFORM,
          userId: inbound.origin.userId,
          displayName: inbound.displayName,
          ...(inbound.username ? { username: inbound.username } : {}),
          ...(inbound.origin.userLocale ? { locale: inbound.origin.userLocale } : {}),
        });
        return inbound.origin.isPrivateChat
          ? this.say(inbound.origin.chatId, inbound.origin.userLocale, "telegram.welcome", { name: inbound.firstName })
          : this.say(inbound.origin.chatId, inbound.origin.userLocale, "telegram.hello", {}, inbound.origin.messageId);
      case "anonymous":
        return this.say(inbound.origin.chatId, inbound.origin.userLocale, "telegram.anonymous", {}, inbound.origin.messageId);
      case "command": {
        const replies = await this.host!.handle(inbound.command);
        for (const reply of replies) await this.reply(inbound.origin, reply);
      }
    }
  }

  /**
   * Telegram has no message only one member of a group can see, so a private reply is a reply to
   * the caller's message. A private file (an export with people's data) or a confidential
   * message (a sign-in link) goes to the caller's private chat instead, which works once they
   * have started one with the bot.
   */
  private async reply(origin: Origin, message: OutgoingMessage): Promise<void> {
    const replyTo = origin.isPrivateChat ? undefined : origin.messageId;
    if (!(message.private && (message.file || message.confidential) && !origin.isPrivateChat)) {
      await this.replies!.send(origin.chatId, message, replyTo);
      return;
    }
    const delivered = await this.replies!.send(origin.userId, message);
    const note = delivered ? "telegram.sentPrivately" : "telegram.startPrivateChat";
    await this.say(origin.chatId, origin.userLocale, note, { bot: `@${this.bot.botInfo.username}` }, replyTo);
  }

  /** A short text of ours in the user's language (these answers don't go through the core's pipeline). */
  private async say(chatId: string, userLocale: string | undefined, key: string, params: Record<string, unknown> = {}, replyTo?: number): Promise<void> {
    await this.replies!.send(chatId, localNotice(this.host!, userLocale, key, params), replyTo);
  }

  private async moved(fromChatId: string, toChatId: string): Promise<void> {
    await this.host!.channelMoved(PLATFORM, fromChatId, toChatId);
  }
}
