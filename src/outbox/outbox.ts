// The outbox table (Delivery) and every state change of a row. Enqueueing is idempotent (a
// unique dedupe key per purpose and target); claiming uses FOR UPDATE SKIP LOCKED with a claim
// expiry, so any number of processes can dispatch from one PostgreSQL without sending twice, and
// the claims of a process that died are taken over. Updates after a claim check the owner, so a
// process that lost its claim can't overwrite what the new owner did.
import type { Clock } from "../clock.ts";
import { Prisma, type PrismaClient } from "../generated/prisma/client.ts";
import type { DeliveryKind, EnqueueRequest, PayloadField } from "./kinds.ts";

export type { EnqueueRequest } from "./kinds.ts";

/** Where a statement may run: the outbox's client, or a caller's transaction. */
type Executor = Pick<Prisma.TransactionClient, "$executeRaw" | "$queryRaw">;

/** Rows of one kind whose payload field has one of the values, e.g. { sessionId: [1, 2] }. */
export type PayloadMatch<P> = { [F in PayloadField<P>]?: readonly P[F][] };

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

/** How many rows of a set-based enqueue have their payload checked before it runs. */
const PAYLOAD_SAMPLE = 20;

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
  async enqueue(requests: EnqueueRequest | EnqueueRequest[], db: Executor = this.db): Promise<number> {
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

  /**
   * Set-based enqueue for planners: one INSERT ... SELECT of every row `rows` yields (columns
   * "channelId", platform, payload, "notBefore", "expiresAt"), keyed by the kind's key template
   * in SQL, so thousands of rows cost one statement and planning again costs no more than finding
   * they are all there. Before it, the payloads of the first rows the query yields are checked
   * against the kind's schema (every row's payload comes from the same SQL expression): a query
   * that builds them wrong throws before it stores anything (a planner's bug, never a user's input).
   */
  async enqueueSelect<P extends Record<string, string | number | boolean>>(kind: DeliveryKind<P>, rows: Prisma.Sql): Promise<number> {
    const sample = await this.db.$queryRaw<{ payload: unknown }[]>`SELECT r.payload FROM (${rows}) AS r LIMIT ${PAYLOAD_SAMPLE}`;
    const wrong = sample.find((row) => !kind.payload.safeParse(row.payload).success);
    if (wrong) throw new Error(`enqueue of ${kind.name}: a payload does not fit its schema: ${JSON.stringify(wrong.payload)}`);
    const key = Prisma.join(
      kind.keyParts.map((part) =>
        "literal" in part ? Prisma.sql`${part.literal}::text` : "field" in part ? Prisma.sql`(r.payload->>${part.field})` : Prisma.sql`r."channelId"::text`,
      ),
      " || ",
    );
    const [inserted] = await this.db.$queryRaw<[{ count: number; firstDue: Date | null }]>`
      WITH inserted AS (
        INSERT INTO "Delivery" (kind, "dedupeKey", "channelId", platform, payload, "notBefore", "nextAttemptAt", "expiresAt")
        SELECT ${kind.name}, ${key}, r."channelId", r.platform, r.payload, r."notBefore", r."notBefore", r."expiresAt"
        FROM (${rows}) AS r
        ON CONFLICT ("dedupeKey") DO NOTHING
        RETURNING "notBefore"
      )
      SELECT count(*)::int AS count, min("notBefore") AS "firstDue" FROM inserted`;
    if (inserted.firstDue && inserted.firstDue.getTime() <= this.clock.now().getTime()) this.signalDue();
    return inserted.count;
  }

  /**
   * Cancels the rows of `kind` matching `match` that have not been handed to a platform yet
   * (waiting, or claimed by a dispatcher that has not started sending them), with `reason` as
   * their last error; returns how many: exactly those that will not go out. A dispatcher holding
   * one of them can no longer renew its claim, so it does not send it.
   */
  async cancel<P extends Record<string, string | number | boolean>>(
    kind: DeliveryKind<P>,
    match: PayloadMatch<P>,
    reason: string,
    db: Executor = this.db,
  ): Promise<number> {
    return db.$executeRaw`
      UPDATE "Delivery" SET status = 'cancelled', "lastError" = ${reason}, "claimedBy" = NULL, "claimExpiresAt" = NULL
      WHERE kind = ${kind.name} AND status IN ('pending', 'claimed') AND ${matchSql(match)}`;
  }

  /** Puts back to waiting the rows of `kind` that cancel(..., `reason`) took and whose time is still ahead. */
  async restore<P extends Record<string, string | number | boolean>>(kind: DeliveryKind<P>, match: PayloadMatch<P>, reason: string): Promise<number> {
    return this.db.$executeRaw`
      UPDATE "Delivery" SET status = 'pending', "lastError" = NULL
      WHERE kind = ${kind.name} AND status = 'cancelled' AND "lastError" = ${reason}
        AND "nextAttemptAt" > ${this.clock.now()} AND ${matchSql(match)}`;
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
            OR (d.status IN ('claimed', 'sending') AND d."claimExpiresAt" < ${now}))
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
   * with the full time to run, and marks the row as sending (cancel() no longer takes it): false
   * when another process has taken the row over meanwhile (the claim had expired while the row
   * waited) or it was cancelled, and then it must not be sent.
   */
  async renewClaim(row: ClaimedDelivery, owner: string, ttlMs: number): Promise<boolean> {
    const expires = new Date(this.clock.now().getTime() + ttlMs);
    const result = await this.db.delivery.updateMany({
      where: { id: row.id, status: { in: ["claimed", "sending"] }, claimedBy: owner },
      data: { status: "sending", claimExpiresAt: expires },
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
      where: { id: row.id, status: { in: ["claimed", "sending"] }, claimedBy: owner },
      data: { ...data, claimedBy: null, claimExpiresAt: null },
    });
    return result.count === 1;
  }
}

/** The WHERE condition of a PayloadMatch (all fields must match; an empty list matches nothing). */
function matchSql(match: Record<string, readonly unknown[] | undefined>): Prisma.Sql {
  const conditions = Object.entries(match)
    .filter((entry): entry is [string, readonly unknown[]] => entry[1] !== undefined)
    .map(([field, values]) => Prisma.sql`payload->>${field} = ANY(${values.map(String)}::text[])`);
  if (conditions.length === 0) throw new Error("a payload match needs at least one field");
  return Prisma.join(conditions, " AND ");
}

/** A timestamptz as the text Date.toISOString() writes (a payload's instant, which keys may contain). */
export function isoText(instant: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`to_char(${instant} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
