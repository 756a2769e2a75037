// A long message goes out in parts (a platform's length limit). When part 2 fails, the delivery
// fails and is retried as a whole by whoever sent it (the dispatcher, or an adapter's reply
// loop), so every adapter answers the same way: the parts the platform already has are
// remembered under the delivery's stable key and skipped on the retry, so readers never see
// part 1 twice; once every part is in, the key is forgotten.
const MAX_REMEMBERED = 10_000;

export class PartProgress {
  private readonly delivered = new Map<string, number>();

  /** How many parts of the message under `key` were delivered already (0 for none or no key). */
  start(key: string | undefined): number {
    return key ? (this.delivered.get(key) ?? 0) : 0;
  }

  /** Parts up to `count` are in. */
  record(key: string | undefined, count: number): void {
    if (!key) return;
    this.delivered.delete(key);
    this.delivered.set(key, count);
    // Retries come soon or never: beyond a bound, the oldest half-sent messages are forgotten.
    if (this.delivered.size > MAX_REMEMBERED) this.delivered.delete(this.delivered.keys().next().value!);
  }

  /** Every part is in. */
  finish(key: string | undefined): void {
    if (key) this.delivered.delete(key);
  }
}
