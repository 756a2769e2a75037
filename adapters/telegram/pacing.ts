// Telegram's published sending limits (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
// about 30 messages a second overall, no more than 20 a minute in one group, and about one a
// second in one chat, with short bursts tolerated.
//
// The outbox's dispatcher paces by `TELEGRAM_LIMITS`, evenly spaced. Immediate replies are paced
// here instead, by sliding windows, so a reply goes out at once unless a window is full: a
// group's twentieth /join in a minute waits for room rather than provoking a 429. Sends the
// dispatcher makes are recorded too, so replies leave room for them.
import type { PlatformLimits } from "../../src/core/adapter.ts";

export const TELEGRAM_LIMITS: PlatformLimits = {
  global: { messages: 30, perMs: 1_000 },
  // Outbox messages go to group chats; a private chat paced like a group stays well under 1/s.
  perChannel: { messages: 20, perMs: 60_000 },
};

/** A little slower than the limits, for clock and network jitter (as the dispatcher does). */
const SAFETY_MARGIN = 1.02;

class SlidingWindow {
  private readonly times: number[] = [];
  constructor(
    private readonly messages: number,
    private readonly perMs: number,
  ) {}

  /** Milliseconds until one more send fits. */
  wait(now: number): number {
    if (this.times.length < this.messages) return 0;
    return Math.max(0, this.times[this.times.length - this.messages]! + this.perMs * SAFETY_MARGIN - now);
  }

  record(now: number): void {
    this.times.push(now);
    if (this.times.length > this.messages) this.times.splice(0, this.times.length - this.messages);
  }

  lastAt(): number {
    return this.times.at(-1) ?? -Infinity;
  }
}

interface ChatWindows {
  burst: SlidingWindow;
  /** Groups only. */
  minute?: SlidingWindow;
  /** A 429's retry_after for this chat. */
  blockedUntil: number;
}

/** Telegram gives groups and channels negative ids and users positive ones. */
export function isGroupChatId(chatId: string): boolean {
  return chatId.startsWith("-");
}

export class ReplyPacer {
  private readonly global = new SlidingWindow(30, 1_000);
  private readonly chats = new Map<string, ChatWindows>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Waits until a message may go to the chat, then counts it as sent. */
  async acquire(chatId: string, signal: AbortSignal): Promise<void> {
    for (let wait = this.delay(chatId); wait > 0; wait = this.delay(chatId)) await sleep(wait, signal);
    this.record(chatId);
  }

  /** Counts a message sent to the chat by someone else (the dispatcher). */
  record(chatId: string): void {
    const now = this.now();
    const windows = this.windows(chatId);
    this.global.record(now);
    windows.burst.record(now);
    windows.minute?.record(now);
  }

  /** The platform said "retry after": nothing more goes to this chat until then. */
  backOff(chatId: string, retryAfterMs: number): void {
    const windows = this.windows(chatId);
    windows.blockedUntil = Math.max(windows.blockedUntil, this.now() + retryAfterMs);
  }

  private delay(chatId: string): number {
    const now = this.now();
    const windows = this.windows(chatId);
    return Math.max(this.global.wait(now), windows.burst.wait(now), windows.minute?.wait(now) ?? 0, windows.blockedUntil - now);
  }

  private windows(chatId: string): ChatWindows {
    let windows = this.chats.get(chatId);
    if (!windows) {
      this.forgetIdleChats();
      windows = {
        burst: new SlidingWindow(3, 3_000),
        minute: isGroupChatId(chatId) ? new SlidingWindow(20, 60_000) : undefined,
        blockedUntil: 0,
      };
      this.chats.set(chatId, windows);
    }
    return windows;
  }

  /** Keeps the map from growing with every chat ever written to. */
  private forgetIdleChats(): void {
    if (this.chats.size < 10_000) return;
    const now = this.now();
    for (const [chatId, windows] of this.chats) {
      const last = Math.max(windows.burst.lastAt(), windows.minute?.lastAt() ?? -Infinity, windows.blockedUntil);
      if (last < now - 61_000) this.chats.delete(chatId);
    }
  }
}

/** Resolves after `ms`, or rejects at once when the signal aborts (the adapter is stopping). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(signal.reason);
    }
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
