// The one seam between the core and a chat platform. Every adapter (console, Telegram, Slack,
// Discord) implements this and nothing more; platform differences stay behind it.
import type { CommandEntry } from "./command.ts";
import type { IncomingCommand } from "./incoming.ts";
import type { OutgoingMessage } from "./messages.ts";
import type { I18n, Locale } from "../i18n/i18n.ts";
import type { AutocompleteSource } from "./args.ts";
import type { Suggestion } from "./suggestions.ts";
import type { Logger } from "../logger.ts";
import type { HttpServer } from "../http/server.ts";
import type { Clock } from "../clock.ts";
import type { SendBudget } from "./send-budget.ts";

export interface RateWindow {
  /** At most this many messages ... */
  messages: number;
  /** ... in any window of this many milliseconds. */
  perMs: number;
}

/** A platform's published sending limits: the adapter's policy, kept in its SendBudget. */
export interface PlatformLimits {
  global?: RateWindow;
  perChannel?: RateWindow;
  /** A short burst a channel tolerates on top of perChannel (counted, never booked as slots). */
  perChannelBurst?: RateWindow;
}

export interface SendOptions {
  /** Stable across retries of the same delivery, for platforms that can de-duplicate (Discord nonce). */
  idempotencyKey: string;
}

export interface SendResult {
  platformMessageId?: string;
}

/**
 * Why a send failed, in the terms the dispatcher acts on:
 * - rate_limited: wait retryAfterMs, then try again (not counted as a failure);
 * - transient: try again later with backoff (network, 5xx);
 * - permanent: never retry; the channel is unreachable (bot removed, chat gone, archived).
 */
export class DeliveryError extends Error {
  constructor(
    readonly kind: "rate_limited" | "transient" | "permanent",
    message: string,
    readonly retryAfterMs?: number,
    /** Whether a rate limit holds for the whole bot or only this channel. */
    readonly scope: "global" | "channel" = "global",
  ) {
    super(message);
    this.name = "DeliveryError";
  }
}

/** What the core offers an adapter. */
export interface BotHost {
  handle(command: IncomingCommand): Promise<OutgoingMessage[]>;
  readonly commands: readonly CommandEntry[];
  readonly i18n: I18n;
  readonly logger: Logger;
  readonly http: HttpServer;
  /** The bot's clock: adapters wait (pacing, grace periods, reconnects) through it. */
  readonly clock: Clock;
  /** The platform told us the bot can't post in this channel any more. */
  channelUnreachable(platform: string, channelId: string, reason: string): Promise<void>;
  /** The bot can post in this channel again (added back to a group, unblocked by a user). */
  channelReachable(platform: string, channelId: string): Promise<void>;
  /** The platform moved a chat to a new id (Telegram group -> supergroup). */
  channelMoved(platform: string, fromChannelId: string, toChannelId: string): Promise<void>;
  /**
   * Someone reached the bot without a command for the core (Telegram's /start): they become
   * known, so a coordinator can find and grant them, and a role granted in advance applies.
   */
  personMet(person: { platform: string; userId: string; displayName: string; username?: string; locale?: string }): Promise<void>;
  /** Values to offer while a user types an argument (Discord autocomplete). */
  suggest(source: AutocompleteSource, query: string, locale: Locale): Promise<Suggestion[]>;
}

export interface Adapter {
  readonly platform: string;
  /**
   * The platform's limits and what is spent of them: the dispatcher books its slots here and the
   * adapter's own immediate answers draw from it too. The adapter points it at host.clock on start.
   */
  readonly budget: SendBudget;
  start(host: BotHost): Promise<void>;
  stop(): Promise<void>;
  /** Posts a message to a channel; throws DeliveryError on failure. */
  send(channelId: string, message: OutgoingMessage, options: SendOptions): Promise<SendResult>;
  isConnected(): boolean;
}
