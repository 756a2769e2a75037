// Sends what the outbox says is due. One worker per platform: it claims due rows, paces them to
// the platform's limits (the adapter's policy), renders each at send time in its target's
// language and zone, sends it through the adapter and records the outcome:
// - sent (late when well past its time, and logged);
// - skipped when it may no longer go (the session began) or its kind says so;
// - rate limited: the platform's retry_after is honoured, not counted as a failure: under a second
//   the send waits for it in place, longer the row goes back to wait;
// - transient failure: retried with exponential backoff and jitter, up to a limit;
// - permanent failure (bot removed from the chat): failed, the channel marked unreachable, and
//   everything else waiting for that channel failed with it, never retried forever.
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { finishedWithin, type Clock, type Timer } from "../clock.ts";
import { DeliveryError, type Adapter, type SendResult } from "../core/adapter.ts";
import type { SendBudget } from "../core/send-budget.ts";
import type { OutgoingMessage } from "../core/messages.ts";
import { readerFor } from "../core/reader.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { I18n } from "../i18n/i18n.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import type { DeliveryKinds, DeliveryTarget } from "./kinds.ts";
import type { ClaimedDelivery, Outbox } from "./outbox.ts";

/** A rate limit shorter than this is waited out in place rather than by putting the row back. */
const RETRY_IN_PLACE_BELOW_MS = 1_000;
const MAX_TRIES_IN_PLACE = 3;

export interface DispatcherOptions {
  db: PrismaClient;
  outbox: Outbox;
  kinds: DeliveryKinds;
  i18n: I18n;
  /** The calendar, and the monotonic clock and timers every wait goes through. */
  clock: Clock;
  logger: Logger;
  /** Called after a permanent failure: the channel is unreachable. */
  onUnreachable(platform: string, platformChannelId: string, reason: string): Promise<void>;
  /** How long a claim lasts before another process may take the row over. */
  claimTtlMs?: number;
  /** Sent this long after its time, a delivery is marked and logged late. */
  lateAfterMs?: number;
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** How far ahead (ms of the platform's schedule) a worker books before claiming more. */
  lookaheadMs?: number;
  /** At most this many rows scheduled or sending per platform at once. */
  maxInFlight?: number;
  /** How often an idle worker looks for work on its own (it is also woken by kick()). */
  idlePollMs?: number;
  /**
   * Rows rendered, sent and recorded at once per platform. More would only queue for the
   * connection pool, where a command's transaction then waits too long (a broadcast to a platform
   * without an overall limit, Slack, had a whole batch due at the same instant).
   */
  maxConcurrentDeliveries?: number;
  random?: () => number;
  /** Sends, refusals and lag for /metrics. */
  metrics?: Pick<Metrics, "sent" | "sendFailed">;
}

export interface DispatchReport {
  sent: number;
  skipped: number;
  failed: number;
  retried: number;
  rateLimited: number;
}

export class Dispatcher {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  private readonly workers = new Map<string, PlatformWorker>();
  private readonly options: Required<Omit<DispatcherOptions, "onUnreachable" | "metrics">> & Pick<DispatcherOptions, "onUnreachable" | "metrics">;

  constructor(options: DispatcherOptions) {
    this.options = {
      claimTtlMs: 30_000,
      lateAfterMs: 60_000,
      maxAttempts: 8,
      backoffBaseMs: 5_000,
      backoffMaxMs: 15 * 60_000,
      lookaheadMs: 2_000,
      maxInFlight: 200,
      idlePollMs: 1_000,
      maxConcurrentDeliveries: 8,
      random: Math.random,
      ...options,
    };
  }

  /** Adds a platform to dispatch for (its adapter must be running). */
  addAdapter(adapter: Adapter): void {
    this.workers.set(adapter.platform, new PlatformWorker(adapter, this.options, this.owner));
  }

  /** Starts every worker's loop. */
  start(): void {
    for (const worker of this.workers.values()) worker.start();
  }

  /** Wakes idle workers: something may be due. */
  kick(): void {
    for (const worker of this.workers.values()) worker.kick();
  }

  /** Sends everything due now and waits for it (tests, and the CLI). */
  async drain(): Promise<DispatchReport> {
    const reports = await Promise.all([...this.workers.values()].map((worker) => worker.drain()));
    return reports.reduce(
      (total, report) => ({
        sent: total.sent + report.sent,
        skipped: total.skipped + report.skipped,
        failed: total.failed + report.failed,
        retried: total.retried + report.retried,
        rateLimited: total.rateLimited + report.rateLimited,
      }),
      { sent: 0, skipped: 0, failed: 0, retried: 0, rateLimited: 0 },
    );
  }

  /**
   * Stops claiming, hands back what is scheduled but not yet sending, and waits for sends in
   * flight, at most `graceMs` (a send still unanswered then is left to its claim's expiry).
   */
  async stop(options: { graceMs?: number } = {}): Promise<void> {
    await Promise.all([...this.workers.values()].map((worker) => worker.stop(options.graceMs ?? Infinity)));
  }
}

type Options = Dispatcher["options"];

class PlatformWorker {
  /** The adapter's: replies it sends itself draw from the same limits. */
  private readonly limiter: SendBudget;
  private running = false;
  /** Set by stop(): rows not yet sending go back instead. */
  private stopping = false;
  private readonly delivering: Gate;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** A kick that came while the loop was busy (claiming): its next sleep ends at once. */
  private kicked = false;
  /** The earliest instant (monotonic ms) a row put back for its busy channel may go again. */
  private nextDeferred = Infinity;
  /** Rows reserved a slot and waiting for it (timer) or being sent. */
  private readonly scheduled = new Map<bigint, { row: ClaimedDelivery; timer?: Timer; done: Promise<void> }>();
  private report: DispatchReport = { sent: 0, skipped: 0, failed: 0, retried: 0, rateLimited: 0 };

  constructor(
    private readonly adapter: Adapter,
    private readonly options: Options,
    private readonly owner: string,
  ) {
    this.limiter = adapter.budget;
    this.delivering = new Gate(options.maxConcurrentDeliveries);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  async drain(): Promise<DispatchReport> {
    this.report = { sent: 0, skipped: 0, failed: 0, retried: 0, rateLimited: 0 };
    for (;;) {
      const rows = await this.claim(this.options.maxInFlight);
      if (rows.length === 0 && this.scheduled.size === 0) break;
      for (const row of rows) this.schedule(row);
      await Promise.all([...this.scheduled.values()].map((entry) => entry.done));
    }
    return this.report;
  }

  async stop(graceMs: number): Promise<void> {
    this.running = false;
    this.stopping = true;
    this.kick();
    await this.loop;
    // Rows still waiting for their slot go back at once, so another process can send them.
    const now = this.options.clock.now();
    for (const [id, entry] of this.scheduled) {
      if (!entry.timer) continue;
      this.options.clock.clearTimeout(entry.timer);
      this.scheduled.delete(id);
      await this.options.outbox.release(entry.row, this.owner, now, { countAttempt: false }).catch(() => {});
    }
    const inFlight = Promise.all([...this.scheduled.values()].map((entry) => entry.done));
    const gaveUp = !(await finishedWithin(this.options.clock, graceMs, inFlight));
    if (gaveUp) this.options.logger.warn({ platform: this.adapter.platform, unanswered: this.scheduled.size }, "stopped before every send was answered; their claims will expire and be retried");
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        // Claim no more than can be sent soon: a row that waits for its turn past its claim's
        // expiry is taken over by another process, claimed again, and never gets anywhere.
        const room = Math.min(this.options.maxInFlight - this.scheduled.size, 2 * this.options.maxConcurrentDeliveries - this.delivering.load);
        if (room <= 0 || this.limiter.backlogMs() > this.options.lookaheadMs) {
          await this.sleep(Math.min(250, Math.max(10, this.limiter.backlogMs() - this.options.lookaheadMs / 2)));
          continue;
        }
        const rows = await this.claim(Math.min(room, this.batchSize()));
        if (rows.length === 0) {
          // A row put back for its busy channel is looked at again when it may go, not a poll later.
          const untilDeferred = this.nextDeferred + 5 - this.options.clock.monotonic();
          this.nextDeferred = Infinity;
          await this.sleep(Math.max(10, Math.min(this.options.idlePollMs, untilDeferred)));
          continue;
        }
        for (const row of rows) this.schedule(row);
      } catch (error) {
        this.options.logger.error({ err: error, platform: this.adapter.platform }, "dispatcher loop failed; retrying");
        await this.sleep(1_000);
      }
    }
  }

  /** Enough rows to fill the lookahead at the platform's rate. */
  private batchSize(): number {
    const global = this.limiter.limits.global;
    if (!global) return 100;
    return Math.max(1, Math.min(500, Math.ceil((this.options.lookaheadMs * global.messages) / global.perMs)));
  }

  private claim(limit: number): Promise<ClaimedDelivery[]> {
    return this.options.outbox.claim({ platform: this.adapter.platform, owner: this.owner, limit, ttlMs: this.options.claimTtlMs });
  }

  private schedule(row: ClaimedDelivery): void {
    if (row.previousOwner) {
      this.options.logger.warn({ delivery: String(row.id), previousOwner: row.previousOwner }, "took over an expired claim");
    }
    const slot = this.limiter.reserve(row.platformChannelId);
    if ("retryAt" in slot) {
      // The channel is busy for a while; come back then rather than hold up other channels.
      const retryInMs = slot.retryAt - this.limiter.monotonic();
      const at = new Date(this.options.clock.now().getTime() + retryInMs);
      this.nextDeferred = Math.min(this.nextDeferred, this.options.clock.monotonic() + retryInMs);
      void this.options.outbox.release(row, this.owner, at, { countAttempt: false }).catch((error) => this.logFailure(row, error));
      return;
    }
    let resolve!: () => void;
    const done = new Promise<void>((settle) => (resolve = settle));
    const entry: { row: ClaimedDelivery; timer?: Timer; done: Promise<void> } = { row, done };
    this.scheduled.set(row.id, entry);
    entry.timer = this.options.clock.setTimeout(() => {
      entry.timer = undefined;
      this.delivering
        .run(() => (this.stopping ? this.handBack(row) : this.deliver(row)))
        .catch((error) => this.logFailure(row, error))
        .finally(() => {
          this.scheduled.delete(row.id);
          resolve();
        });
    }, Math.max(0, slot.at - this.limiter.monotonic()));
  }

  private async deliver(row: ClaimedDelivery): Promise<void> {
    const { outbox, clock, logger, kinds } = this.options;
    const now = clock.now();
    if (row.expiresAt && now >= row.expiresAt) {
      await outbox.markSkipped(row, this.owner, "expired: its time has passed");
      this.report.skipped++;
      logger.info({ delivery: String(row.id), kind: row.kind, dedupeKey: row.dedupeKey }, "delivery skipped: expired");
      return;
    }
    const prepared = kinds.get(row.kind)?.prepare(row.payload) ?? { invalid: `unknown kind ${row.kind}` };
    if ("invalid" in prepared) {
      await outbox.markFailed(row, this.owner, prepared.invalid);
      this.report.failed++;
      return;
    }
    const rendered = await prepared.render(await this.target(row, now));
    if ("skip" in rendered) {
      await outbox.markSkipped(row, this.owner, rendered.skip);
      this.report.skipped++;
      logger.info({ delivery: String(row.id), kind: row.kind, reason: rendered.skip }, "delivery skipped");
      return;
    }
    // The claim may have expired while the row waited (a slow database, a busy process) and
    // another process taken it over (then it is theirs to send), or it was cancelled. Else it now
    // holds for the send, and the row says it is being sent (a cancel no longer takes it).
    if (!(await outbox.renewClaim(row, this.owner, this.options.claimTtlMs))) {
      logger.warn({ delivery: String(row.id), kind: row.kind }, "not sent: cancelled, or taken over by another process, while it waited");
      return;
    }
    try {
      const result = await this.sendInPlace(row, rendered.message);
      const lateMs = clock.now().getTime() - row.notBefore.getTime();
      const late = lateMs > this.options.lateAfterMs;
      this.options.metrics?.sent(row.platform, row.kind, row.notBefore, clock.now());
      const recorded = await this.recordSent(row, result.platformMessageId, late);
      this.report.sent++;
      if (!recorded) logger.warn({ delivery: String(row.id) }, "sent, but the claim had been taken over meanwhile");
      if (late) logger.warn({ delivery: String(row.id), kind: row.kind, lateMs }, "delivery sent late");
    } catch (error) {
      await this.handleSendError(row, error);
    }
  }

  /**
   * The platform has the message, so its row must say so, or it would be sent again once the
   * claim expires. While the database is unreachable this keeps trying (the claim, renewed right
   * before the send, keeps other processes off the row for claimTtlMs) until it answers or the
   * dispatcher stops.
   */
  private async recordSent(row: ClaimedDelivery, platformMessageId: string | undefined, late: boolean): Promise<boolean> {
    for (let waitMs = 250; ; waitMs = Math.min(waitMs * 2, 4_000)) {
      try {
        return await this.options.outbox.markSent(row, this.owner, platformMessageId, late);
      } catch (error) {
        if (this.stopping) throw error;
        this.options.logger.warn({ err: error, delivery: String(row.id), retryInMs: waitMs }, "sent, but recording it failed; trying again");
        await this.options.clock.sleep(waitMs);
      }
    }
  }

  /** A row whose slot came after stop(): back to the outbox for whichever process runs next. */
  private async handBack(row: ClaimedDelivery): Promise<void> {
    await this.options.outbox.release(row, this.owner, this.options.clock.now(), { countAttempt: false });
  }

  /**
   * Sends within the limits, counted in the limiter. A rate limit that clears within a moment
   * (Discord's fractional retry_after; discord.js refusing a request its bucket has no room for
   * yet) is waited out here, so the message keeps its place instead of going back to the outbox
   * and taking a later slot of its channel. Longer ones are the caller's to handle.
   */
  private async sendInPlace(row: ClaimedDelivery, message: OutgoingMessage): Promise<SendResult> {
    for (let tries = 1; ; tries++) {
      for (let hold = this.limiter.holdBeforeSend(row.platformChannelId); hold > 0; hold = this.limiter.holdBeforeSend(row.platformChannelId)) {
        await this.options.clock.sleep(hold);
      }
      const answered = this.limiter.startSend(row.platformChannelId);
      try {
        const result = await this.adapter.send(row.platformChannelId, message, { idempotencyKey: row.dedupeKey });
        answered();
        return result;
      } catch (error) {
        const refused = error instanceof DeliveryError && error.kind === "rate_limited";
        answered(!refused);
        if (!refused) throw error;
        this.options.metrics?.sendFailed(row.platform, "rate_limited");
        const wait = error.retryAfterMs;
        if (wait === undefined || wait >= RETRY_IN_PLACE_BELOW_MS || tries >= MAX_TRIES_IN_PLACE) throw error;
        this.limiter.backOff(wait, error.scope, row.platformChannelId);
        this.report.rateLimited++;
        this.options.logger.debug({ delivery: String(row.id), channel: row.platformChannelId, retryAfterMs: wait }, "rate limited for a moment; waiting in place");
        await this.options.clock.sleep(wait);
      }
    }
  }

  private async handleSendError(row: ClaimedDelivery, error: unknown): Promise<void> {
    const { outbox, clock, logger } = this.options;
    const failure = error instanceof DeliveryError ? error : new DeliveryError("transient", String((error as Error)?.message ?? error));
    const now = clock.now().getTime();
    const context = { delivery: String(row.id), platform: row.platform, channel: row.platformChannelId, reason: failure.message };
    if (failure.kind !== "rate_limited") this.options.metrics?.sendFailed(row.platform, failure.kind);
    switch (failure.kind) {
      case "rate_limited": {
        const wait = failure.retryAfterMs ?? 1_000;
        this.limiter.backOff(wait, failure.scope, row.platformChannelId);
        await outbox.release(row, this.owner, new Date(now + wait), { countAttempt: false, error: failure.message });
        this.report.rateLimited++;
        logger.warn({ ...context, retryAfterMs: wait }, "rate limited by the platform");
        return;
      }
      case "transient": {
        if (row.attempts >= this.options.maxAttempts) {
          await outbox.markFailed(row, this.owner, `gave up after ${row.attempts} attempts: ${failure.message}`);
          this.report.failed++;
          logger.error(context, "delivery failed: too many attempts");
          return;
        }
        const backoff = Math.min(this.options.backoffMaxMs, this.options.backoffBaseMs * 2 ** (row.attempts - 1));
        const jittered = Math.round(backoff * (0.5 + this.options.random()));
        await outbox.release(row, this.owner, new Date(now + jittered), { countAttempt: true, error: failure.message });
        this.report.retried++;
        logger.warn({ ...context, attempt: row.attempts, retryInMs: jittered }, "delivery failed; will retry");
        return;
      }
      case "permanent": {
        await outbox.markFailed(row, this.owner, failure.message);
        const others = await outbox.failPendingForChannel(row.channelId, `channel unreachable: ${failure.message}`);
        this.report.failed += 1;
        await this.options.onUnreachable(row.platform, row.platformChannelId, failure.message);
        logger.error({ ...context, alsoFailed: others }, "delivery failed permanently; channel marked unreachable");
        return;
      }
    }
  }

  /** The group, program, language and zone the row is rendered for, as they are now. */
  private async target(row: ClaimedDelivery, now: Date): Promise<DeliveryTarget> {
    const { db, i18n } = this.options;
    const group = row.groupId === null ? null : await db.group.findUnique({ where: { id: row.groupId }, include: { program: true } });
    const program = group?.program ?? (await db.program.findFirst({ where: { active: true }, orderBy: { id: "desc" } }));
    return {
      channel: { id: row.channelId, platform: row.platform, platformChannelId: row.platformChannelId },
      group,
      program,
      ...readerFor(i18n, { kind: "channel", group, program }),
      now,
    };
  }

  private logFailure(row: ClaimedDelivery, error: unknown): void {
    this.options.logger.error({ err: error, delivery: String(row.id) }, "delivery handling failed; its claim will expire and it will be retried");
  }

  private sleep(ms: number): Promise<void> {
    if (this.kicked) {
      this.kicked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        this.options.clock.clearTimeout(timer);
        this.kicked = false;
        this.wake = undefined;
        resolve();
      };
      const timer = this.options.clock.setTimeout(done, ms);
      this.wake = done;
    });
  }
}

/** At most `size` tasks at once; the others wait their turn, in order. */
class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  /** Tasks running or waiting. */
  get load(): number {
    return this.active + this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
