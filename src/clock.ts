// Time enters the bot only through a Clock, so tests can set it instead of sleeping.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until a test moves it. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: Date | string | number = Date.now()) {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(instant: Date | string | number): void {
    this.current = new Date(instant).getTime();
  }
  advance(milliseconds: number): void {
    this.current += milliseconds;
  }
}
