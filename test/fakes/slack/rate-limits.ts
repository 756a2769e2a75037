// Rate limiting as described at https://api.slack.com/apis/rate-limits (docs.slack.dev/apis/web-api/rate-limits):
// - chat.postMessage is "Special": about 1 message per second per channel, short bursts tolerated.
//   Modelled as a token bucket per channel (refill `perSecond`, capacity `burst`).
// - Other methods belong to tiers (per method, per workspace, per minute): Tier 1 = 1+, Tier 2 = 20+,
//   Tier 3 = 50+, Tier 4 = 100+. Optional here (off by default), modelled as a 60 s sliding window at
//   the nominal number (the "+" burst allowance is not modelled).
// A limited call gets HTTP 429, `Retry-After: <whole seconds>`, body {"ok":false,"error":"ratelimited"}.

export type MethodTier = 1 | 2 | 3 | 4;

/** Requests per minute for each tier (the documented minimums). */
export const TIER_REQUESTS_PER_MINUTE: Record<MethodTier, number> = { 1: 1, 2: 20, 3: 50, 4: 100 };

/** Tiers of the methods the fake implements, from each method's reference page. */
export const METHOD_TIERS: Record<string, MethodTier> = {
  "apps.connections.open": 1,
  "chat.postEphemeral": 4,
  "chat.update": 3,
  "users.info": 4,
  "conversations.info": 3,
  "conversations.join": 3,
  "conversations.open": 3,
  "files.getUploadURLExternal": 4,
  "files.completeUploadExternal": 4,
};
// auth.test and chat.postMessage are "Special" and have no tier window here.

export interface RateLimitSettings {
  /** false = no limits at all (storms still apply). */
  enabled: boolean;
  /** chat.postMessage messages per second per channel. Default 1. */
  postMessagePerSecond: number;
  /** How many chat.postMessage calls a quiet channel accepts back to back. Default 3. */
  postMessageBurst: number;
  /** Apply the per-method tier windows. Default false. */
  methodTiers: boolean;
}

export type RateLimitOption = "real" | "off" | Partial<RateLimitSettings>;

export function resolveRateLimitSettings(option: RateLimitOption | undefined): RateLimitSettings {
  const base: RateLimitSettings = { enabled: true, postMessagePerSecond: 1, postMessageBurst: 3, methodTiers: false };
  if (option === undefined || option === "real") return base;
  if (option === "off") return { ...base, enabled: false };
  return { ...base, ...option };
}

export interface RateLimitStorm {
  /** How many more calls get a 429. */
  remaining: number;
  retryAfterSeconds: number;
  /** Only these methods are affected (default: every Web API method). */
  methods?: readonly string[];
}

export type RateLimitDecision = { limited: false } | { limited: true; retryAfterSeconds: number; reason: "storm" | "channel" | "tier" };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter {
  settings: RateLimitSettings;
  private storm: RateLimitStorm | undefined;
  private readonly buckets = new Map<string, Bucket>();
  private readonly tierWindows = new Map<string, number[]>();
  private readonly now: () => number;

  constructor(settings: RateLimitSettings, now: () => number) {
    this.settings = settings;
    this.now = now;
  }

  startStorm(storm: RateLimitStorm): void {
    this.storm = { ...storm };
  }

  stopStorm(): void {
    this.storm = undefined;
  }

  get stormRemaining(): number {
    return this.storm?.remaining ?? 0;
  }

  /** Storm check; consumes one storm call when it applies. */
  checkStorm(method: string): RateLimitDecision {
    const storm = this.storm;
    if (!storm || storm.remaining <= 0) return { limited: false };
    if (storm.methods && !storm.methods.includes(method)) return { limited: false };
    storm.remaining -= 1;
    if (storm.remaining <= 0) this.storm = undefined;
    return { limited: true, retryAfterSeconds: storm.retryAfterSeconds, reason: "storm" };
  }

  /** Tier window check; a call that passes is counted in the window. */
  checkTier(method: string): RateLimitDecision {
    if (!this.settings.enabled || !this.settings.methodTiers) return { limited: false };
    const tier = METHOD_TIERS[method];
    if (tier === undefined) return { limited: false };
    const limit = TIER_REQUESTS_PER_MINUTE[tier];
    const now = this.now();
    const window = (this.tierWindows.get(method) ?? []).filter((t) => t > now - 60_000);
    this.tierWindows.set(method, window);
    if (window.length >= limit) {
      const oldest = window[0] ?? now;
      return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil((oldest + 60_000 - now) / 1000)), reason: "tier" };
    }
    window.push(now);
    return { limited: false };
  }

  /** Would a chat.postMessage to this channel be accepted now? Does not consume. */
  checkChannel(channel: string): RateLimitDecision {
    if (!this.settings.enabled) return { limited: false };
    const bucket = this.refill(channel);
    if (bucket.tokens >= 1) return { limited: false };
    const perSecond = this.settings.postMessagePerSecond;
    const waitMs = ((1 - bucket.tokens) / perSecond) * 1000;
    return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)), reason: "channel" };
  }

  /** Record an accepted chat.postMessage in this channel. */
  consumeChannel(channel: string): void {
    if (!this.settings.enabled) return;
    const bucket = this.refill(channel);
    bucket.tokens -= 1;
  }

  reset(): void {
    this.buckets.clear();
    this.tierWindows.clear();
    this.storm = undefined;
  }

  private refill(channel: string): Bucket {
    const now = this.now();
    const { postMessageBurst: burst, postMessagePerSecond: perSecond } = this.settings;
    let bucket = this.buckets.get(channel);
    if (!bucket) {
      bucket = { tokens: burst, updatedAt: now };
      this.buckets.set(channel, bucket);
      return bucket;
    }
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * perSecond);
    bucket.updatedAt = now;
    return bucket;
  }
}
