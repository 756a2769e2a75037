// Time enters the bot only through a Clock, so tests can move it instead of sleeping. A clock
// tells the calendar time (now: what day it is, for schedules and records), a monotonic time
// (for measuring waits: it never jumps when the system clock is corrected), and runs timers on
// that monotonic time. Everything that waits (the dispatcher's pacing, send budgets, back-offs,
// shutdown grace periods) waits through the clock it was given.

/** A pending timer, as returned by Clock.setTimeout (opaque to callers). */
export type Timer = { readonly __timer?: never } | NodeJS.Timeout;

export interface Clock {
  /** Calendar time. */
  now(): Date;
  /** Milliseconds on a clock that only moves forward; only differences mean anything. */
  monotonic(): number;
  /** Calls `callback` once, `ms` from now on the monotonic clock. */
  setTimeout(callback: () => void, ms: number): Timer;
  clearTimeout(timer: Timer | undefined): void;
  /** Resolves after `ms`; rejects with the signal's reason as soon as it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Resolves after `ms` on `clock`, or rejects at once when the signal aborts. */
function sleepOn(clock: Pick<Clock, "setTimeout" | "clearTimeout">, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clock.clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Waits for `work`, but at most `ms` on `clock` (Infinity: as long as it takes). Resolves true
 * when the work finished in time, false when the time ran out first (the work goes on).
 */
export async function finishedWithin(clock: Clock, ms: number, work: Promise<unknown>): Promise<boolean> {
  if (!Number.isFinite(ms)) return work.then(() => true);
  let timer: Timer | undefined;
  const outcome = await Promise.race([work.then(() => true), new Promise<boolean>((resolve) => (timer = clock.setTimeout(() => resolve(false), ms)))]);
  clock.clearTimeout(timer);
  return outcome;
}

export const systemClock: Clock = {
  now: () => new Date(),
  monotonic: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, Math.max(0, ms)),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout | undefined),
  sleep(ms, signal) {
    return sleepOn(systemClock, ms, signal);
  },
};

interface ManualTimer {
  readonly due: number;
  readonly order: number;
  readonly callback: () => void;
}

export interface ManualClockOptions {
  /**
   * "manual" (the default): a timer due now fires by itself on the next turn of the event loop;
   * later ones fire only when the test moves the clock (advance, advanceAsync, runTimers). "auto": a timer also fires by itself as soon as the event loop is free, in
   * monotonic order and without waiting in real time, while the calendar stays where the test
   * put it: for tests of whole bots, where a rate limit or a back-off should pass at once but
   * "what day it is" is the test's to say. A timeout that races real work (a shutdown's grace
   * period) therefore always runs out at once in auto mode: test those in manual mode. "real": monotonic time and timers are the system's
   * (benchmarks, and tests against fakes that enforce rate limits in real time), only the
   * calendar is the test's.
   */
  timers?: "manual" | "auto" | "real";
}

/** A clock that stands still until a test moves it; its timers fire when it moves. */
export class ManualClock implements Clock {
  private current: number;
  private elapsed = 0;
  private readonly timers = new Set<ManualTimer>();
  private order = 0;
  private readonly mode: "manual" | "auto" | "real";
  private pumping = false;

  constructor(start: Date | string | number = Date.now(), options: ManualClockOptions = {}) {
    this.current = new Date(start).getTime();
    this.mode = options.timers ?? "manual";
  }

  now(): Date {
    return new Date(this.current);
  }

  monotonic(): number {
    return this.mode === "real" ? performance.now() : this.elapsed;
  }

  /**
   * Sets the calendar only, as when the system's clock is corrected: the monotonic clock and its
   * timers don't notice (use advance for time that passes).
   */
  set(instant: Date | string | number): void {
    this.current = new Date(instant).getTime();
  }

  /** Moves both clocks forward, firing the timers that fall due on the way, in order. */
  advance(milliseconds: number): void {
    if (milliseconds < 0) throw new Error("ManualClock: time does not go back; use set() for the calendar");
    this.fireUntil(this.elapsed + milliseconds);
  }

  /**
   * Like advance, but lets promises settle after each timer, so that work a timer starts (and
   * the timers that work sets in turn) runs within the same call.
   */
  async advanceAsync(milliseconds: number): Promise<void> {
    if (milliseconds < 0) throw new Error("ManualClock: time does not go back; use set() for the calendar");
    const until = this.elapsed + milliseconds;
    for (let next = this.nextTimer(); next && next.due <= until; next = this.nextTimer()) {
      this.fire(next);
      await settle();
    }
    this.moveTo(until);
    await settle();
  }

  /** Fires every pending timer (and those they set) in order, moving the clocks to each. */
  async runTimers(limit = 10_000): Promise<void> {
    for (let count = 0, next = this.nextTimer(); next; next = this.nextTimer(), count++) {
      if (count >= limit) throw new Error(`ManualClock: more than ${limit} timers; a timer keeps setting itself?`);
      this.fire(next);
      await settle();
    }
  }

  /** Timers waiting to fire. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  setTimeout(callback: () => void, ms: number): Timer {
    if (this.mode === "real") return systemClock.setTimeout(callback, ms);
    const timer: ManualTimer = { due: this.elapsed + Math.max(0, ms), order: this.order++, callback };
    this.timers.add(timer);
    this.pump();
    return timer as unknown as Timer;
  }

  clearTimeout(timer: Timer | undefined): void {
    if (this.mode === "real") return systemClock.clearTimeout(timer);
    if (timer) this.timers.delete(timer as unknown as ManualTimer);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  private nextTimer(): ManualTimer | undefined {
    let next: ManualTimer | undefined;
    for (const timer of this.timers) {
      if (!next || timer.due < next.due || (timer.due === next.due && timer.order < next.order)) next = timer;
    }
    return next;
  }

  /** Moves the monotonic clock, and the calendar with it, forward to `elapsed`. */
  private moveTo(elapsed: number): void {
    if (elapsed <= this.elapsed) return;
    this.current += elapsed - this.elapsed;
    this.elapsed = elapsed;
  }

  /** Fires a timer at its due time: the calendar moves with it, except for timers that fire by themselves. */
  private fire(timer: ManualTimer, moveCalendar = true): void {
    this.timers.delete(timer);
    if (moveCalendar) this.moveTo(timer.due);
    else this.elapsed = Math.max(this.elapsed, timer.due);
    timer.callback();
  }

  private fireUntil(until: number): void {
    for (let next = this.nextTimer(); next && next.due <= until; next = this.nextTimer()) this.fire(next);
    this.moveTo(until);
  }

  /**
   * Fires the earliest timer on the next turn of the event loop, one at a time: in auto mode any
   * timer (the monotonic clock jumps to it), in manual mode only one already due.
   */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    setImmediate(() => {
      this.pumping = false;
      const next = this.nextTimer();
      if (!next || (this.mode === "manual" && next.due > this.elapsed)) return;
      this.fire(next, false);
      if (this.timers.size > 0) this.pump();
    });
  }
}

/** Lets pending promise callbacks (and what they start) run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
