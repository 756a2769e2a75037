// The work an adapter has in hand (commands being answered, events being handled), so that
// stopping can let it finish, briefly, before the connection and the database close under it.
// One answer for every adapter: new work is refused by the adapter once it stops accepting; what
// is in hand gets a grace period on the bot's clock; what is still unfinished then is logged and
// left (its replies fail quietly, a command's own transaction has committed or rolled back).
import { finishedWithin, type Clock } from "../../src/clock.ts";

export class InFlight {
  private readonly work = new Set<Promise<void>>();

  /** Keeps `work` until it settles; a failure goes to `onError` (it must not go unhandled). */
  track(work: Promise<unknown>, onError: (error: unknown) => void): Promise<void> {
    const tracked = work.then(
      () => {},
      (error: unknown) => onError(error),
    );
    this.work.add(tracked);
    void tracked.finally(() => this.work.delete(tracked));
    return tracked;
  }

  get size(): number {
    return this.work.size;
  }

  /** Resolves once everything tracked so far, and tracked meanwhile, has settled. */
  async settled(): Promise<void> {
    while (this.work.size > 0) await Promise.allSettled([...this.work]);
  }

  /** Waits for the work in hand at most `graceMs` on `clock`; returns how much is still unfinished. */
  async settle(clock: Clock, graceMs: number): Promise<number> {
    await finishedWithin(clock, graceMs, this.settled());
    return this.work.size;
  }
}
