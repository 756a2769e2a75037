// The adapter kit: what every adapter does the same way (stopping with work in hand, a long
// message whose later part failed).
import { describe, expect, it } from "vitest";
import { InFlight } from "../../adapters/kit/in-flight.ts";
import { PartProgress } from "../../adapters/kit/part-progress.ts";
import { ManualClock } from "../../src/clock.ts";

describe("InFlight", () => {
  it("lets work in hand finish within the grace period, and says what is still unfinished after it", async () => {
    const clock = new ManualClock(0);
    const work = new InFlight();
    const errors: unknown[] = [];
    let finishQuick!: () => void;
    work.track(new Promise<void>((resolve) => (finishQuick = resolve)), (error) => errors.push(error));
    work.track(new Promise(() => {}), (error) => errors.push(error)); // hangs
    work.track(Promise.reject(new Error("boom")), (error) => errors.push(error));
    const settling = work.settle(clock, 5_000);
    finishQuick();
    await clock.advanceAsync(4_999);
    let unfinished: number | undefined;
    void settling.then((count) => (unfinished = count));
    await clock.advanceAsync(0);
    expect(unfinished).toBeUndefined();
    await clock.advanceAsync(1);
    expect(unfinished).toBe(1);
    expect(errors).toEqual([new Error("boom")]);
  });
});

describe("PartProgress", () => {
  it("starts a retried message at the part that failed, and forgets it once every part is in", () => {
    const progress = new PartProgress();
    expect(progress.start("delivery-1")).toBe(0);
    progress.record("delivery-1", 1); // part 1 is in, part 2 failed
    expect(progress.start("delivery-1")).toBe(1);
    expect(progress.start("delivery-2")).toBe(0);
    progress.finish("delivery-1");
    expect(progress.start("delivery-1")).toBe(0);
    expect(progress.start(undefined)).toBe(0);
  });
});
