/**
 * Flood control modelled on https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
 *
 *  - about 30 messages per second overall (bulk notifications),
 *  - about 1 message per second in a single chat, with short bursts allowed,
 *  - at most 20 messages per minute in a group.
 *
 * Telegram does not publish the exact algorithm; the fake uses a sliding
 * one-second window for the global limit, a token bucket for the per-chat
 * limit (capacity = burst, refill = perChatPerSecond) and a sliding
 * one-minute window for groups. `retry_after` is the whole number of
 * seconds (at least 1) until the request would have been accepted.
 */

/** Numeric limits; see `TELEGRAM_RATE_LIMITS` for the defaults. */
export interface RateLimitConfig {
  /** Messages per second across all chats (sliding 1 s window). */
  globalPerSecond: number;
  /** Sustained messages per second in one chat (token bucket refill rate). */
  perChatPerSecond: number;
  /** Messages that may be sent to one chat in a quick burst (token bucket capacity). */
  perChatBurst: number;
  /** Messages per minute in one group/supergroup (sliding 60 s window). */
  perGroupPerMinute: number;
}

/** The documented Telegram limits (burst size is the fake's choice: Telegram only says "short bursts"). */
export const TELEGRAM_RATE_LIMITS: Readonly<RateLimitConfig> = Object.freeze({
  globalPerSecond: 30,
  perChatPerSecond: 1,
  perChatBurst: 3,
  perGroupPerMinute: 20,
});

/**
 * "telegram" = documented limits, "off" = never limit, or an object to
 * override individual numbers (unspecified ones keep the Telegram defaults).
 */
export type RateLimitMode = "telegram" | "off" | Partial<RateLimitConfig>;

export type RateDecision = { ok: true } | { ok: false; retryAfter: number; reason: "storm" | "global" | "chat" | "group" };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter {
  private config: RateLimitConfig | undefined;
  private readonly globalWindow: number[] = [];
  private readonly chatBuckets = new Map<number, Bucket>();
  private readonly groupWindows = new Map<number, number[]>();
  private stormRemaining = 0;
  private stormRetryAfter = 1;

  constructor(
    mode: RateLimitMode,
    private readonly now: () => number,
  ) {
    this.config = resolveMode(mode);
  }

  /** Current numeric limits, or undefined when limiting is off. */
  get limits(): Readonly<RateLimitConfig> | undefined {
    return this.config;
  }

  setMode(mode: RateLimitMode): void {
    this.config = resolveMode(mode);
  }

  /** The next `count` sends get 429 with `retryAfter` seconds, whatever the mode. */
  storm(count: number, retryAfter: number): void {
    if (!Number.isInteger(retryAfter) || retryAfter < 1) throw new Error("retryAfter must be a positive integer");
    this.stormRemaining = Math.max(0, Math.floor(count));
    this.stormRetryAfter = retryAfter;
  }

  /** Sends still to be refused by the current storm. */
  get stormRemainingCount(): number {
    return this.stormRemaining;
  }

  /** Forget all recorded traffic (limits stay as configured). */
  reset(): void {
    this.globalWindow.length = 0;
    this.chatBuckets.clear();
    this.groupWindows.clear();
    this.stormRemaining = 0;
  }

  /**
   * Decides about one send to `chatId` and, if accepted, records it.
   * Must be called synchronously right before the message is stored.
   */
  take(chatId: number, isGroup: boolean): RateDecision {
    if (this.stormRemaining > 0) {
      this.stormRemaining--;
      return { ok: false, retryAfter: this.stormRetryAfter, reason: "storm" };
    }
    const config = this.config;
    if (!config) return { ok: true };
    const now = this.now();

    // global sliding window (1 s)
    while (this.globalWindow.length > 0 && this.globalWindow[0]! <= now - 1000) this.globalWindow.shift();
    if (this.globalWindow.length >= config.globalPerSecond) {
      return { ok: false, retryAfter: seconds(this.globalWindow[0]! + 1000 - now), reason: "global" };
    }

    // per-chat token bucket
    const bucket = this.chatBuckets.get(chatId) ?? { tokens: config.perChatBurst, updatedAt: now };
    bucket.tokens = Math.min(
      config.perChatBurst,
      bucket.tokens + ((now - bucket.updatedAt) / 1000) * config.perChatPerSecond,
    );
    bucket.updatedAt = now;
    if (bucket.tokens < 1) {
      this.chatBuckets.set(chatId, bucket);
      return { ok: false, retryAfter: seconds(((1 - bucket.tokens) / config.perChatPerSecond) * 1000), reason: "chat" };
    }

    // group sliding window (60 s)
    let groupWindow: number[] | undefined;
    if (isGroup) {
      groupWindow = this.groupWindows.get(chatId) ?? [];
      while (groupWindow.length > 0 && groupWindow[0]! <= now - 60_000) groupWindow.shift();
      this.groupWindows.set(chatId, groupWindow);
      if (groupWindow.length >= config.perGroupPerMinute) {
        this.chatBuckets.set(chatId, bucket);
        return { ok: false, retryAfter: seconds(groupWindow[0]! + 60_000 - now), reason: "group" };
      }
    }

    bucket.tokens -= 1;
    this.chatBuckets.set(chatId, bucket);
    this.globalWindow.push(now);
    groupWindow?.push(now);
    return { ok: true };
  }
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

function resolveMode(mode: RateLimitMode): RateLimitConfig | undefined {
  if (mode === "off") return undefined;
  if (mode === "telegram") return { ...TELEGRAM_RATE_LIMITS };
  return { ...TELEGRAM_RATE_LIMITS, ...mode };
}
