// A platform's send budget: the one place its published limits are kept and spent. The adapter
// owns it (the rate-limit queue belongs to the transport, not to its callers); the outbox's
// dispatcher books slots in it, and an adapter's immediate answers draw from the same windows, so
// a broadcast and a burst of replies together still stay within the platform's limits.
//
// Each limit is a schedule of evenly spaced slots (the generic cell rate algorithm without
// burst): a send is given the earliest instant at which both its channel's and the platform's
// schedules have room, and those slots are reserved. Even spacing never exceeds a sliding-window
// limit, whatever the window's alignment, so a platform that enforces its limits never has to
// answer 429; a send log counted from the platform's answers holds a send when late timers or slow
// requests bunch them up anyway. A retry_after from the platform pushes the affected schedule back.
//
// A message whose channel is busy for a while (Telegram allows ~20 per minute in a group) is not
// given a far-away global slot, which would hold up every other channel behind it: it is told to
// come back later instead.
//
// An immediate answer (acquire) takes no slot: it goes at once unless a window counted from the
// answers is full, so a reply is not queued behind a broadcast's booked schedule.
import { systemClock, type Clock } from "../clock.ts";
import type { PlatformLimits, RateWindow } from "./adapter.ts";

/** The key under which a retry_after for the whole platform is kept. */
const GLOBAL = "\u0000global";

/** Slots a little slower than the published rate, to absorb jitter without holding sends. */
const SAFETY_MARGIN = 1.01;

function interval(window: RateWindow | undefined): number {
  return window ? (window.perMs / window.messages) * SAFETY_MARGIN : 0;
}

/**
 * Call when the platform has answered a send; `counted` is false when it refused it with a rate
 * limit (a refused request does not count against the limit, and one that a client library
 * refused never reached the platform).
 */
export type SendAnswered = (counted?: boolean) => void;

/** While more than a window's worth of sends are still unanswered: how soon to look again. */
const UNANSWERED_POLL_MS = 10;

/**
 * The sends a platform can still be counting in its window: the hard check that no window ever
 * holds one too many. A send enters the platform's window at some instant between our request
 * and its answer, and that instant is hidden from us: a busy event loop or network can delay a
 * request by tens of milliseconds, so sends paced evenly here may still arrive bunched there.
 * Counting each send from its answer, and a send still waiting for one as counted now, is the
 * safe side: the platform has then counted it no later than we do, whatever the delay.
 */
class SendLog {
  private unanswered = 0;
  /** When each answered send was answered, oldest first, within the window. */
  private readonly answeredAt: number[] = [];
  constructor(private readonly window: RateWindow) {}

  /** Milliseconds to wait before one more send fits into every window ending now. */
  wait(now: number): number {
    // No margin here: counted from answers, the platform's count can't be fuller than ours. The
    // slots' margin leaves room for answers that take up to 1% of the window to come back.
    const span = this.window.perMs;
    while (this.answeredAt.length > 0 && this.answeredAt[0]! <= now - span) this.answeredAt.shift();
    const counted = this.unanswered + this.answeredAt.length;
    if (counted < this.window.messages) return 0;
    const mustLeave = counted - this.window.messages + 1;
    if (mustLeave > this.answeredAt.length) return UNANSWERED_POLL_MS;
    return Math.max(0, this.answeredAt[mustLeave - 1]! + span - now);
  }

  /** Nothing in flight and nothing answered within the window: the log can be forgotten. */
  idle(now: number): boolean {
    return this.unanswered === 0 && (this.answeredAt.at(-1) ?? -Infinity) <= now - this.window.perMs;
  }

  /** Records a send going out; call the result when the platform has answered it. */
  start(now: () => number): SendAnswered {
    this.unanswered++;
    let answered = false;
    return (counted = true) => {
      if (answered) return;
      answered = true;
      this.unanswered--;
      if (counted) this.answeredAt.push(now());
    };
  }
}

export class SendBudget {
  private readonly globalInterval: number;
  private readonly channelInterval: number;
  private readonly globalLog: SendLog | undefined;
  private readonly channelLogs = new Map<string, SendLog[]>();
  /** The earliest instant (ms, monotonic) the next global slot is free. */
  private nextGlobal = 0;
  private readonly nextByChannel = new Map<string, number>();
  /** A retry_after for one channel (or, under "global", for all): nothing goes there before. */
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    readonly limits: PlatformLimits,
    private clock: Pick<Clock, "monotonic" | "sleep"> = systemClock,
  ) {
    this.globalInterval = interval(limits.global);
    this.channelInterval = interval(limits.perChannel);
    this.globalLog = limits.global ? new SendLog(limits.global) : undefined;
  }

  /** Measures time on the bot's clock (the adapter calls this when it starts). */
  runOn(clock: Pick<Clock, "monotonic" | "sleep">): void {
    this.clock = clock;
  }

  /** The budget's monotonic time: the instants reserve() returns are on this clock. */
  monotonic(): number {
    return this.clock.monotonic();
  }

  private now(): number {
    return this.clock.monotonic();
  }

  /**
   * Right before a send: how long to hold it so that no window the platform counts holds more
   * than the limit (see SendLog). Paced slots normally make this 0; it matters when timers fire
   * late and bunch up, or requests are slow to arrive, which would otherwise provoke a 429.
   */
  holdBeforeSend(channel: string): number {
    const now = this.now();
    let hold = Math.max(this.globalLog?.wait(now) ?? 0, (this.blockedUntil.get(GLOBAL) ?? 0) - now, (this.blockedUntil.get(channel) ?? 0) - now);
    for (const log of this.channelLogs.get(channel) ?? []) hold = Math.max(hold, log.wait(now));
    return hold;
  }

  /** Records a send going out now; call the result when the platform has answered it (or failed). */
  startSend(channel: string): SendAnswered {
    const answers = [this.globalLog?.start(() => this.now())];
    for (const log of this.logsOf(channel)) answers.push(log.start(() => this.now()));
    return (counted = true) => {
      for (const answered of answers) answered?.(counted);
    };
  }

  /**
   * For an immediate answer (a command's reply): waits until one more send fits every window and
   * any retry_after has passed, then counts it as going out. Rejects when the signal aborts.
   */
  async acquire(channel: string, signal?: AbortSignal): Promise<SendAnswered> {
    for (let hold = this.holdBeforeSend(channel); hold > 0; hold = this.holdBeforeSend(channel)) await this.clock.sleep(hold, signal);
    return this.startSend(channel);
  }

  private logsOf(channel: string): SendLog[] {
    let logs = this.channelLogs.get(channel);
    if (!logs) {
      this.forgetIdleChannels(this.now());
      const windows = [this.limits.perChannel, this.limits.perChannelBurst].filter((window) => window !== undefined);
      this.channelLogs.set(channel, (logs = windows.map((window) => new SendLog(window))));
    }
    return logs;
  }

  /**
   * Reserves a slot for one message to `channel` and returns the monotonic instant to send it
   * at, or, when the channel itself is busy for longer than `maxChannelWaitMs`, reserves nothing
   * and says when to come back: as soon as its channel's slot is within reach, so that it is
   * booked ahead of that slot and the channel keeps its pace whatever the claim's latency.
   */
  reserve(channel: string, maxChannelWaitMs = 1000): { at: number } | { retryAt: number } {
    const now = this.now();
    const globalFree = Math.max(now, this.nextGlobal);
    const channelFree = this.nextByChannel.get(channel) ?? 0;
    if (channelFree > globalFree + maxChannelWaitMs) return { retryAt: channelFree - maxChannelWaitMs };
    const at = Math.max(globalFree, channelFree);
    // The message takes the next global slot even when its channel makes it wait a little: moving
    // the global schedule to its later instant would make every other channel wait behind it
    // (Discord: a channel's 1 per second would pace the whole bot). Sends that bunch up in the
    // end are held by holdBeforeSend.
    this.nextGlobal = globalFree + this.globalInterval;
    if (this.channelInterval > 0) this.nextByChannel.set(channel, at + this.channelInterval);
    this.forgetIdleChannels(now);
    return { at };
  }

  /** How far ahead the global schedule is booked (ms): the dispatcher claims more when it is short. */
  backlogMs(): number {
    return Math.max(0, this.nextGlobal - this.now());
  }

  /** The platform said "retry after": nothing more goes to the channel (or anywhere) until then. */
  backOff(retryAfterMs: number, scope: "global" | "channel", channel: string): void {
    const until = this.now() + retryAfterMs;
    if (scope === "global") this.nextGlobal = Math.max(this.nextGlobal, until);
    this.nextByChannel.set(channel, Math.max(this.nextByChannel.get(channel) ?? 0, until));
    const blocked = scope === "global" ? GLOBAL : channel;
    this.blockedUntil.set(blocked, Math.max(this.blockedUntil.get(blocked) ?? 0, until));
  }

  /** Keeps the per-channel maps from growing with every channel ever written to. */
  private forgetIdleChannels(now: number): void {
    if (this.nextByChannel.size < 10_000 && this.channelLogs.size < 10_000) return;
    for (const [channel, free] of this.nextByChannel) {
      if (free < now - (this.limits.perChannel?.perMs ?? 0)) this.nextByChannel.delete(channel);
    }
    for (const [channel, logs] of this.channelLogs) {
      if (logs.every((log) => log.idle(now))) this.channelLogs.delete(channel);
    }
    for (const [channel, until] of this.blockedUntil) if (until < now) this.blockedUntil.delete(channel);
  }
}
