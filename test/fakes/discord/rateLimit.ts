// Rate limits per https://discord.com/developers/docs/topics/rate-limits:
// per-route buckets (per top-level resource), a global 50 req/s limit for bot-authenticated
// requests, and 429 bodies { message, retry_after, global } with Retry-After / X-RateLimit-* headers.

import { createHash } from "node:crypto";
import type { RateLimitHit, RateLimitOptions, RateLimitScope, RouteLimit, StormOptions } from "./types.ts";

/** Default per-route limits. Only the message-create limit is the documented one; others are approximations. */
export const DEFAULT_ROUTE_LIMITS: Record<string, RouteLimit> = {
  // 5 messages / 5 s per channel.
  "POST /channels/{channel_id}/messages": { limit: 5, windowMs: 5000 },
  "PATCH /channels/{channel_id}/messages/{message_id}": { limit: 5, windowMs: 5000 },
  "DELETE /channels/{channel_id}/messages/{message_id}": { limit: 5, windowMs: 5000 },
  "POST /channels/{channel_id}/typing": { limit: 5, windowMs: 5000 },
  // Webhook (interaction token) routes: 5 / 2 s per webhook id + token.
  "POST /webhooks/{webhook_id}/{webhook_token}": { limit: 5, windowMs: 2000 },
  "PATCH /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}": { limit: 5, windowMs: 2000 },
  "GET /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}": { limit: 5, windowMs: 2000 },
  "DELETE /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}": { limit: 5, windowMs: 2000 },
};
/** Bucket used for routes without an entry above (generous; Discord's exact values are undocumented). */
export const FALLBACK_ROUTE_LIMIT: RouteLimit = { limit: 50, windowMs: 1000 };

export interface LimitRequest {
  route: string;
  /** Top-level resource (channel id, guild id, webhook id+token) the bucket is keyed on. */
  majorKey: string;
  /** Counts towards the global limit (bot-authenticated, not an interaction endpoint). */
  countsGlobal: boolean;
  /** Route has a per-route bucket (interaction callbacks do not expose one). */
  hasBucket: boolean;
  now: number;
}

export type LimitDecision =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; headers: Record<string, string>; body: { message: string; retry_after: number; global: boolean }; hit: RateLimitHit };

interface Bucket {
  count: number;
  resetAt: number;
}

const fmt = (seconds: number) => seconds.toFixed(3);

export class RateLimiter {
  mode: "real" | "off";
  globalPerSecond: number;
  routes: Record<string, RouteLimit>;
  retryAfterHeader: "ceil" | "exact";
  private buckets = new Map<string, Bucket>();
  private globalBucket: Bucket = { count: 0, resetAt: 0 };
  private storms: (StormOptions & { remaining: number })[] = [];

  constructor(opts: RateLimitOptions = {}) {
    this.mode = opts.mode ?? "real";
    this.globalPerSecond = opts.globalPerSecond ?? 50;
    this.routes = { ...DEFAULT_ROUTE_LIMITS, ...opts.routes };
    this.retryAfterHeader = opts.retryAfterHeader ?? "ceil";
  }

  storm(opts: StormOptions): void {
    this.storms.push({ ...opts, remaining: opts.count });
  }

  clearStorms(): void {
    this.storms = [];
  }

  reset(): void {
    this.buckets.clear();
    this.globalBucket = { count: 0, resetAt: 0 };
  }

  static bucketHash(route: string): string {
    return createHash("md5").update(route).digest("hex");
  }

  private retryAfterHeaderValue(seconds: number): string {
    return this.retryAfterHeader === "exact" ? fmt(seconds) : String(Math.max(1, Math.ceil(seconds)));
  }

  private limited(
    req: LimitRequest,
    retryAfter: number,
    scope: RateLimitScope,
    cause: RateLimitHit["cause"],
    limit: number,
  ): LimitDecision {
    const global = scope === "global";
    const headers: Record<string, string> = {
      "Retry-After": this.retryAfterHeaderValue(retryAfter),
      "X-RateLimit-Scope": scope,
    };
    if (global) {
      headers["X-RateLimit-Global"] = "true";
    } else {
      headers["X-RateLimit-Limit"] = String(limit);
      headers["X-RateLimit-Remaining"] = "0";
      headers["X-RateLimit-Reset"] = fmt((req.now + retryAfter * 1000) / 1000);
      headers["X-RateLimit-Reset-After"] = fmt(retryAfter);
      headers["X-RateLimit-Bucket"] = RateLimiter.bucketHash(req.route);
    }
    return {
      ok: false,
      headers,
      body: { message: "You are being rate limited.", retry_after: Number(fmt(retryAfter)), global },
      hit: { at: req.now, route: req.route, scope, global, retryAfter, cause },
    };
  }

  check(req: LimitRequest): LimitDecision {
    // Injected storms apply in every mode.
    const storm = this.storms.find((s) => s.remaining > 0 && (s.route === "*" || s.route === req.route));
    if (storm) {
      storm.remaining--;
      this.storms = this.storms.filter((s) => s.remaining > 0);
      const limit = this.routes[req.route]?.limit ?? FALLBACK_ROUTE_LIMIT.limit;
      return this.limited(req, storm.retryAfter, storm.scope ?? "user", "storm", limit);
    }
    if (this.mode === "off") return { ok: true, headers: {} };

    if (req.countsGlobal) {
      if (req.now >= this.globalBucket.resetAt) this.globalBucket = { count: 0, resetAt: req.now + 1000 };
      if (this.globalBucket.count >= this.globalPerSecond) {
        return this.limited(req, (this.globalBucket.resetAt - req.now) / 1000, "global", "global", this.globalPerSecond);
      }
    }
    if (!req.hasBucket) {
      if (req.countsGlobal) this.globalBucket.count++;
      return { ok: true, headers: {} };
    }
    const def = this.routes[req.route] ?? FALLBACK_ROUTE_LIMIT;
    const key = `${req.route}|${req.majorKey}`;
    let bucket = this.buckets.get(key);
    if (!bucket || req.now >= bucket.resetAt) {
      bucket = { count: 0, resetAt: req.now + def.windowMs };
      this.buckets.set(key, bucket);
    }
    if (bucket.count >= def.limit) {
      return this.limited(req, (bucket.resetAt - req.now) / 1000, "user", "bucket", def.limit);
    }
    bucket.count++;
    if (req.countsGlobal) this.globalBucket.count++;
    const resetAfter = (bucket.resetAt - req.now) / 1000;
    return {
      ok: true,
      headers: {
        "X-RateLimit-Limit": String(def.limit),
        "X-RateLimit-Remaining": String(def.limit - bucket.count),
        "X-RateLimit-Reset": fmt(bucket.resetAt / 1000),
        "X-RateLimit-Reset-After": fmt(resetAfter),
        "X-RateLimit-Bucket": RateLimiter.bucketHash(req.route),
      },
    };
  }
}
