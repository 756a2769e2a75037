// The outbox table (Delivery) and every state change of a row. Enqueueing is idempotent (a
// unique dedupe key per purpose and target); claiming uses FOR UPDATE SKIP LOCKED with a claim
// expiry, so any number of processes can dispatch from one PostgreSQL without sending twice, and
// the claims of a process that died are taken over. Updates after a claim check the owner, so a
// process that lost its claim can't overwrite what the new owner did.
import type { Clock } from "../clock.ts";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";

export interface EnqueueRequest {
  kind: string;
  dedupeKey: string;
  /** The Channel row's id. */
  channelId: number;
  payload: Prisma.InputJsonValue;
  notBefore: Date;
  /** Never send at or after this instant. */
  expiresAt?: Date | null;
}

/** A claimed row, with the channel it goes to. */
export interface ClaimedDelivery {
  id: bigint;
  kind: string;
  dedupeKey: string;
  channelId: number;
  payload: unknown;
  notBefore: Date;
  expiresAt: Date | null;
  attempts: number;
  platform: string;
  platformChannelId: string;
  groupId: number | null;
  /** The owner whose expired claim this one took over, if any. */
  previousOwner: string | null;
  /** Until when this claim holds; renewClaim() moves it on. */
  claimExpiresAt: Date;
}

/** Rows per INSERT statement: keeps the JSON parameter of a huge enqueue to a few MB. */
const ENQUEUE_CHUNK = 5_000;

export class Outbox {
  private readonly dueListeners = new Set<() => void>();

  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
  ) {}

  /** Calls `listener` when rows meant to go out now have been stored (the dispatcher's wake-up). */
  onDue(listener: () => void): () => void {
    this.dueListeners.add(listener);
    return () => this.dueListeners.delete(listener);
  }

  /**
   * Says that rows due now are committed, so the dispatcher sends them at once instead of at its
   * next poll. enqueue() does it itself; a caller that enqueues inside its own transaction calls
   * this after the commit (before it, the dispatcher could not see the rows yet).
   */
  signalDue(): void {
    for (const listener of this.dueListeners) listener();
  }

  /**
   * Inserts what is not there yet (nothing for a channel that was deleted meanwhile); returns
   * how many rows were new. Pass a transaction as `db` to
   * enqueue together with the change the messages announce (both or neither are stored).
   */
  async enqueue(requests: EnqueueRequest | EnqueueRequest[], db: Pick<Prisma.TransactionClient, "$executeRaw"> = this.db): Promise<number> {
    const list = Array.isArray(requests) ? requests : [requests];
    let inserted = 0;
    for (let from = 0; from < list.length; from += ENQUEUE_CHUNK) {
      const rows = list.slice(from, from + ENQUEUE_CHUNK).map((request) => ({
        kind: request.kind,
        dedupeKey: request.dedupeKey,
        channelId: request.channelId,
        payload: request.payload,
        notBefore: request.notBefore.toISOString(),
        expiresAt: request.expiresAt?.toISOString() ?? null,
      }));
      // One statement from one JSON parameter: a broadcast's 3,000 rows take ~40 ms this way and
      // over 500 ms through createMany (bench/announcements.bench.ts).
      inserted += await db.$executeRaw`
        INSERT INTO "Delivery" (kind, "dedupeKey", "channelId", platform, payload, "notBefore", "nextAttemptAt", "expiresAt")
        SELECT r.kind, r."dedupeKey", r."channelId", c.platform, r.payload, r."notBefore", r."notBefore", r."expiresAt"
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
          AS r(kind text, "dedupeKey" text, "channelId" int, payload jsonb, "notBefore" timestamptz, "expiresAt" timestamptz)
        JOIN "Channel" c ON c.id = r."channelId"
        ON CONFLICT ("dedupeKey") DO NOTHING`;
    }
    const now = this.clock.now().getTime();
    if (db === this.db && inserted > 0 && list.some((request) => request.notBefore.getTime() <= now)) this.signalDue();
    return inserted;
  }

  /** Claims up to `limit` rows due now for one platform, oldest first. */
  async claim(options: { platform: string; owner: string; limit: number; ttlMs: number }): Promise<ClaimedDelivery[]> {
    const now = this.clock.now();
    const expires = new Date(now.getTime() + options.ttlMs);
    const rows = await this.db.$queryRaw<ClaimedDelivery[]>`
      WITH due AS (
        SELECT d.id, d."claimedBy" AS "previousOwner"
        FROM "Delivery" d
        WHERE d.platform = ${options.platform}
          AND ((d.status = 'pending' AND d."nextAttemptAt" <= ${now})
            OR (d.status = 'claimed' AND d."claimExpiresAt" < ${now}))
        ORDER BY d."nextAttemptAt", d.id
        LIMIT ${options.limit}
        FOR UPDATE OF d SKIP LOCKED
      )
      UPDATE "Delivery" d
      SET status = 'claimed', "claimedBy" = ${options.owner}, "claimExpiresAt" = ${expires}, attempts = d.attempts + 1
      FROM due, "Channel" c
      WHERE d.id = due.id AND c.id = d."channelId"
      RETURNING d.id, d.kind, d."dedupeKey", d."channelId", d.payload, d."notBefore", d."expiresAt", d.attempts,
                c.platform, c."platformChannelId", c."groupId", due."previousOwner", d."claimExpiresAt"`;
    return rows.sort((left, right) => left.notBefore.getTime() - right.notBefore.getTime() || Number(left.id - right.id));
  }

  /**
   * Extends a claim right before its message is sent, so the send always happens under a claim
   * with the full time to run: false when another process has taken the row over meanwhile
   * (the claim had expired while the row waited), and then it must not be sent.
   */
  async renewClaim(row: ClaimedDelivery, owner: string, ttlMs: number): Promise<boolean> {
    const expires = new Date(this.clock.now().getTime() + ttlMs);
    const result = await this.db.delivery.updateMany({
      where: { id: row.id, status: "claimed", claimedBy: owner },
      data: { claimExpiresAt: expires },
    });
    if (result.count === 1) row.claimExpiresAt = expires;
    return result.count === 1;
  }

  /** Marks a claimed row sent; false when the claim was lost (another process took it over). */
  async markSent(row: ClaimedDelivery, owner: string, platformMessageId: string | undefined, late: boolean): Promise<boolean> {
    return this.finish(row, owner, { status: "sent", sentAt: this.clock.now(), platformMessageId: platformMessageId ?? null, late, lastError: null });
  }

  async markSkipped(row: ClaimedDelivery, owner: string, reason: string): Promise<boolean> {
    return this.finish(row, owner, { status: "skipped", lastError: reason });
  }

  async markFailed(row: ClaimedDelivery, owner: string, reason: string): Promise<boolean> {
    return this.finish(row, owner, { status: "failed", lastError: reason });
  }

  /** Puts a claimed row back to be tried again at `at`; a rate limit or deferral doesn't count as an attempt. */
  async release(row: ClaimedDelivery, owner: string, at: Date, options: { error?: string; countAttempt: boolean }): Promise<boolean> {
    return this.finish(row, owner, {
      status: "pending",
      nextAttemptAt: at,
      ...(options.error ? { lastError: options.error } : {}),
      ...(options.countAttempt ? {} : { attempts: { decrement: 1 } }),
    });
  }

  /**
   * Fresh planner statistics for the outbox after a bulk enqueue (a broadcast): PGlite has no
   * autovacuum and a server's lags behind a burst. The claim reads one table and keeps a cheap
   * plan either way (see Delivery.platform); the counts behind /announce status and cancel
   * still plan by these statistics.
   */
  async refreshStatistics(): Promise<void> {
    await this.db.$executeRaw`ANALYZE "Delivery", "Channel"`;
  }

  /** After a permanent error: what else waits for that channel can't be delivered either. */
  async failPendingForChannel(channelId: number, reason: string): Promise<number> {
    const result = await this.db.delivery.updateMany({
      where: { channelId, status: "pending" },
      data: { status: "failed", lastError: reason },
    });
    return result.count;
  }

  private async finish(row: ClaimedDelivery, owner: string, data: Prisma.DeliveryUpdateManyMutationInput): Promise<boolean> {
    const result = await this.db.delivery.updateMany({
      where: { id: row.id, status: "claimed", claimedBy: owner },
      data: { ...data, claimedBy: null, claimExpiresAt: null },
    });
    return result.count === 1;
  }
}
