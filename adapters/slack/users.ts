// Who a Slack user is: their display name and interface language from users.info (with
// include_locale), remembered for an hour so a busy channel costs one call per person. Without
// the users:read scope (or while Slack is slow or limiting us) a command still runs: without a
// user language, the reply falls back to the group's.
import type { WebClient } from "@slack/web-api";
import { z } from "zod";
import type { Logger } from "../../src/logger.ts";
import { platformError } from "./errors.ts";
import type { CallerProfile } from "./inbound.ts";

const userInfoSchema = z.object({
  user: z.object({
    name: z.string().optional(),
    real_name: z.string().optional(),
    locale: z.string().optional(),
    profile: z.object({ display_name: z.string().optional(), real_name: z.string().optional() }).optional(),
  }),
});

export interface UserDirectoryOptions {
  ttlMs?: number;
  /** After a failure other than a missing scope, ask again no sooner than this. */
  retryAfterFailureMs?: number;
  maxEntries?: number;
  now?: () => number;
}

export class UserDirectory {
  private readonly cache = new Map<string, { profile: CallerProfile; until: number }>();
  private readonly pending = new Map<string, Promise<CallerProfile>>();
  /** users:read is missing: don't ask until then (an admin may add it and reinstall meanwhile). */
  private scopeMissingUntil = 0;
  private readonly ttlMs: number;
  private readonly retryAfterFailureMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly client: WebClient,
    private readonly logger: Logger,
    options: UserDirectoryOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 60 * 60_000;
    this.retryAfterFailureMs = options.retryAfterFailureMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Never throws: what we know, or nothing. */
  async profile(userId: string): Promise<CallerProfile> {
    if (this.scopeMissingUntil > this.now()) return {};
    const cached = this.cache.get(userId);
    if (cached && cached.until > this.now()) return cached.profile;
    let pending = this.pending.get(userId);
    if (!pending) {
      pending = this.fetch(userId).finally(() => this.pending.delete(userId));
      this.pending.set(userId, pending);
    }
    return pending;
  }

  private async fetch(userId: string): Promise<CallerProfile> {
    try {
      const answer = userInfoSchema.parse(await this.client.users.info({ user: userId, include_locale: true }));
      const user = answer.user;
      const displayName = user.profile?.display_name || user.profile?.real_name || user.real_name || user.name;
      const profile: CallerProfile = { ...(displayName ? { displayName } : {}), ...(user.locale ? { locale: user.locale } : {}) };
      this.remember(userId, profile, this.ttlMs);
      return profile;
    } catch (error) {
      if (platformError(error) === "missing_scope") {
        if (this.scopeMissingUntil === 0) this.logger.warn("users.info needs the users:read scope: replies use the group's language instead of each person's (add the scope and reinstall the app)");
        this.scopeMissingUntil = this.now() + this.ttlMs;
        return {};
      }
      this.logger.warn({ err: error, user: userId }, "users.info failed; replying without the user's language");
      this.remember(userId, {}, this.retryAfterFailureMs);
      return {};
    }
  }

  private remember(userId: string, profile: CallerProfile, forMs: number): void {
    if (this.cache.size >= this.maxEntries) {
      const now = this.now();
      for (const [key, entry] of this.cache) if (entry.until <= now) this.cache.delete(key);
      if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(userId, { profile, until: this.now() + forMs });
  }
}
