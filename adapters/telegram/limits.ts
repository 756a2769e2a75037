// Telegram's published sending limits (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
// about 30 messages a second overall, no more than 20 a minute in one group, and about one a
// second in one chat, with short bursts tolerated. Written here once: the adapter's SendBudget
// keeps them for the outbox's dispatcher (evenly spaced slots) and for immediate replies alike
// (which go at once unless a window counted from Telegram's answers is full).
import type { PlatformLimits } from "../../src/core/adapter.ts";

export const TELEGRAM_LIMITS: PlatformLimits = {
  global: { messages: 30, perMs: 1_000 },
  // Outbox messages go to group chats; a private chat paced like a group stays well under 1/s.
  perChannel: { messages: 20, perMs: 60_000 },
  // A reply or two more in a chat go at once; a longer burst is spread to about one a second.
  perChannelBurst: { messages: 3, perMs: 3_000 },
};
