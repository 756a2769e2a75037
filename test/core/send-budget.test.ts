import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.ts";
import type { PlatformLimits } from "../../src/core/adapter.ts";
import { SendBudget } from "../../src/core/send-budget.ts";

function limiterAt(limits: PlatformLimits) {
  const clock = new ManualClock(0);
  const limiter = new SendBudget(limits, clock);
  return { limiter, clock, set: (value: number) => clock.advance(value - clock.monotonic()) };
}

/** The most sends any window of `perMs` contains. */
function busiestWindow(times: number[], perMs: number): number {
  let most = 0;
  for (let start = 0; start < times.length; start++) {
    let end = start;
    while (end < times.length && times[end]! < times[start]! + perMs) end++;
    most = Math.max(most, end - start);
  }
  return most;
}

describe("SendBudget", () => {
  it("spaces sends evenly so that no sliding window exceeds the global limit", () => {
    const { limiter } = limiterAt({ global: { messages: 30, perMs: 1000 } });
    const times = Array.from({ length: 300 }, (_, index) => {
      const slot = limiter.reserve(`chat${index}`);
      if (!("at" in slot)) throw new Error("deferred");
      return slot.at;
    });
    expect(busiestWindow(times, 1000)).toBeLessThanOrEqual(30);
    // ... and close to the limit: 300 messages take about 10 s.
    expect(times.at(-1)!).toBeGreaterThan(9_900);
    expect(times.at(-1)!).toBeLessThan(10_300);
  });

  it("sends a busy channel's message later instead of holding up other channels", () => {
    const { limiter } = limiterAt({ global: { messages: 30, perMs: 1000 }, perChannel: { messages: 20, perMs: 60_000 } });
    expect("at" in limiter.reserve("group")).toBe(true);
    const second = limiter.reserve("group");
    // Back when its slot (3030) is within a second: booked ahead of it, not after it.
    expect(second).toEqual({ retryAt: expect.closeTo(2030, 0) });
    const other = limiter.reserve("other");
    expect("at" in other && other.at).toBeLessThan(100);
  });

  it("lets other channels go while one channel waits out its own limit", () => {
    // Discord's numbers: 5 per 5 s in a channel (one a second, paced), 50 per second overall.
    const { limiter } = limiterAt({ global: { messages: 50, perMs: 1000 }, perChannel: { messages: 5, perMs: 5000 } });
    const busy = [limiter.reserve("busy"), limiter.reserve("busy")];
    expect(busy.map((slot) => "at" in slot && Math.round(slot.at))).toEqual([0, 1010]);
    const other = limiter.reserve("other");
    expect("at" in other && other.at).toBeLessThan(100);
  });

  it("holds a send when late timers bunch up, counted from when the platform answered", () => {
    const { limiter, set } = limiterAt({ global: { messages: 3, perMs: 1000 } });
    const answers = [0, 1, 2].map(() => limiter.startSend("c"));
    // All three unanswered: the platform may count them at any moment, so look again shortly.
    expect(limiter.holdBeforeSend("c")).toBeGreaterThan(0);
    set(200);
    for (const answered of answers) answered();
    expect(limiter.holdBeforeSend("c")).toBeCloseTo(1000, 0);
    set(1199);
    expect(limiter.holdBeforeSend("c")).toBeGreaterThan(0);
    set(1200);
    expect(limiter.holdBeforeSend("c")).toBe(0);
  });

  it("lets one more go as soon as the oldest answered send leaves the window", () => {
    const { limiter, set } = limiterAt({ global: { messages: 2, perMs: 1000 } });
    limiter.startSend("a")();
    set(500);
    const second = limiter.startSend("b");
    expect(limiter.holdBeforeSend("c")).toBeCloseTo(500, 0);
    set(1000);
    expect(limiter.holdBeforeSend("c")).toBe(0);
    // An answer that never comes keeps counting: the second send still fills half the window.
    limiter.startSend("c");
    expect(limiter.holdBeforeSend("d")).toBeGreaterThan(0);
    second();
  });

  it("does not count a send the platform refused with a rate limit", () => {
    const { limiter } = limiterAt({ global: { messages: 1, perMs: 1000 } });
    limiter.startSend("c")(false);
    expect(limiter.holdBeforeSend("c")).toBe(0);
    limiter.startSend("c")();
    expect(limiter.holdBeforeSend("c")).toBeCloseTo(1000, 0);
  });

  it("backs off for a retry_after, globally or for one channel", () => {
    const { limiter } = limiterAt({ global: { messages: 30, perMs: 1000 } });
    limiter.backOff(5000, "channel", "slow");
    expect("retryAt" in limiter.reserve("slow")).toBe(true);
    expect("at" in limiter.reserve("fast")).toBe(true);
    limiter.backOff(2000, "global", "fast");
    const next = limiter.reserve("fast");
    expect("at" in next && next.at).toBeGreaterThanOrEqual(2000);
  });

  it("paces nothing when the platform publishes no limits", () => {
    const { limiter } = limiterAt({});
    for (let index = 0; index < 100; index++) expect(limiter.reserve("c")).toEqual({ at: 0 });
  });

  it("lets a reply go at once although a broadcast has booked the schedule ahead, and counts it for both", async () => {
    const { limiter, clock } = limiterAt({ global: { messages: 30, perMs: 1000 }, perChannel: { messages: 20, perMs: 60_000 } });
    for (let index = 0; index < 60; index++) limiter.reserve(`group${index}`); // two seconds booked
    let answered = false;
    void limiter.acquire("private").then((done) => {
      answered = true;
      done();
    });
    await clock.advanceAsync(0);
    expect(answered).toBe(true);
    // The reply is counted in the window the broadcast's sends are held by.
    for (let index = 0; index < 29; index++) limiter.startSend(`group${index}`)();
    expect(limiter.holdBeforeSend("group99")).toBeCloseTo(1000, 0);
  });

  it("spreads a burst of replies in one chat over its burst window, and waits out a retry_after", async () => {
    const { limiter, clock } = limiterAt({ perChannel: { messages: 20, perMs: 60_000 }, perChannelBurst: { messages: 3, perMs: 3000 } });
    const sentAt: number[] = [];
    const replies = Array.from({ length: 5 }, async () => {
      const done = await limiter.acquire("chat");
      sentAt.push(clock.monotonic());
      done();
    });
    await clock.advanceAsync(0);
    expect(sentAt).toEqual([0, 0, 0]);
    await clock.advanceAsync(10_000);
    await Promise.all(replies);
    expect(sentAt).toEqual([0, 0, 0, 3000, 3000]);
    limiter.backOff(4000, "channel", "chat");
    const late = limiter.acquire("chat").then(() => clock.monotonic());
    await clock.advanceAsync(5000);
    expect(await late).toBe(14_000);
  });

  it("gives up waiting when the adapter stops", async () => {
    const { limiter } = limiterAt({ perChannel: { messages: 1, perMs: 60_000 } });
    limiter.startSend("chat")();
    const stop = new AbortController();
    const waiting = limiter.acquire("chat", stop.signal);
    stop.abort(new Error("stopping"));
    await expect(waiting).rejects.toThrow("stopping");
  });
});
