// Telegram's published sending limits (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
// about 30 messages a second overall, no more than 20 a minute in one group, and about one a
// second in one chat, with short bursts tolerated.
//
// The outbox's dispatcher paces by `TELEGRAM_LIMITS`, evenly spaced. Immediate replies are paced
// here instead, by sliding windows, so a reply goes out at once unless a window is full: a
// group's twentieth /join in a minute waits for room rather than provoking a 429. Sends the
// dispatcher makes are counted too, so replies leave room for them.
//
// Telegram counts a message when its request arrives, which we can't see: under load a request
// may take hundreds of milliseconds to get there. So a send holds its place in the windows while
// it is in flight and is counted from when its answer came back, which is never earlier than
// its arrival: the windows we keep are never fuller on Telegram's side than on ours.
import type { PlatformLimits } from "../../src/core/adapter.ts";

export const TELEGRAM_LIMITS: PlatformLimits = {
  global: { messages: 30, perMs: 1_000 },
  // Outbox messages go to group chats; a private chat paced like a group stays well under 1/s.
  perChannel: { messages: 20, perMs: 60_000 },
};

/** A little slower than the limits, for clock granularity. */
const SAFETY_MARGIN = 1.02;
/** How often to look again while a window is full of sends still in flight. */
const IN_FLIGHT_POLL_MS = 20;

class SlidingWindow {
  /** When recent sends were answered, oldest first (at most `messages`). */
  private readonly times: number[] = [];
  private inFlight = 0;

  constructor(
    private readonly messages: number,
    private readonly perMs: number,
  ) {}

  /** Milliseconds until one more send fits. */
  wait(now: number): number {
    const free = this.messages - this.inFlight;
    if (free <= 0) return IN_FLIGHT_POLL_MS;
    if (this.times.length < free) return 0;
    return Math.max(0, this.times[this.times.length - free]! + this.perMs * SAFETY_MARGIN - now);
  }

  begin(): void {
    this.inFlight++;
  }

  /** The send was answered; `counted` unless Telegram refused it (429). */
  end(now: number, counted: boolean): void {
    this.inFlight--;
    if (!counted) return;
    this.times.push(now);
    if (this.times.length > this.messages) this.times.splice(0, this.times.length - this.messages);
  }

  idleSince(): number {
    return this.inFlight > 0 ? Infinity : (this.times.at(-1) ?? -Infinity);
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
function isGroupChatId(chatId: string): boolean {
  return chatId.startsWith("-");
}

/** Call when the send's answer came back; `counted` is false when it was refused with a 429. */
export type SendDone = (counted: boolean) => void;

export class ReplyPacer {
  private readonly global = new SlidingWindow(30, 1_000);
  private readonly chats = new Map<string, ChatWindows>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Waits until a message may go to the chat, then holds its place until `done`. */
  async acquire(chatId: string, signal: AbortSignal): Promise<SendDone> {
    for (let wait = this.delay(chatId); wait > 0; wait = this.delay(chatId)) await sleep(wait, signal);
    return this.begin(chatId);
  }

  /** Holds a place for a send made without waiting (the dispatcher paces its own). */
  begin(chatId: string): SendDone {
    const windows = [this.global, ...this.windowsOf(chatId)];
    for (const window of windows) window.begin();
    let ended = false;
    return (counted) => {
      if (ended) return;
      ended = true;
      const now = this.now();
      for (const window of windows) window.end(now, counted);
    };
  }

  /** The platform said "retry after": nothing more goes to this chat until then. */
  backOff(chatId: string, retryAfterMs: number): void {
    const windows = this.chat(chatId);
    windows.blockedUntil = Math.max(windows.blockedUntil, this.now() + retryAfterMs);
  }

  private delay(chatId: string): number {
    const now = this.now();
    const waits = [this.global, ...this.windowsOf(chatId)].map((window) => window.wait(now));
    return Math.max(...waits, this.chat(chatId).blockedUntil - now);
  }

  private windowsOf(chatId: string): SlidingWindow[] {
    const windows = this.chat(chatId);
    return windows.minute ? [windows.burst, windows.minute] : [windows.burst];
  }

  private chat(chatId: string): ChatWindows {
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
      const last = Math.max(windows.burst.idleSince(), windows.minute?.idleSince() ?? -Infinity, windows.blockedUntil);
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
