// Immediate answers (command replies, greetings). Unlike outbox messages they have no row to
// come back to, so they are retried here: paced to the chat's limits, waiting out a 429's
// retry_after, retrying a short outage a few times. They are given up, and logged, when the chat
// is closed to the bot, after too many tries, or when the adapter stops.
import type { OutgoingMessage } from "../../src/core/messages.ts";
import type { Logger } from "../../src/logger.ts";
import { toDeliveryError } from "./errors.ts";
import type { TelegramOutbound } from "./outbound.ts";
import type { Clock } from "../../src/clock.ts";
import type { SendBudget } from "../../src/core/send-budget.ts";

const MAX_TRANSIENT_ATTEMPTS = 4;
const MAX_RATE_LIMITED = 10;

export class ReplySender {
  private sequence = 0;

  constructor(
    private readonly outbound: TelegramOutbound,
    private readonly budget: SendBudget,
    private readonly clock: Clock,
    private readonly signal: AbortSignal,
    private readonly logger: Logger,
  ) {}

  /** Whether it was delivered. */
  async send(chatId: string, message: OutgoingMessage, replyTo?: number): Promise<boolean> {
    const progressKey = `reply:${++this.sequence}`;
    let transient = 0;
    let rateLimited = 0;
    for (;;) {
      try {
        await this.outbound.deliver(chatId, message, {
          replyTo,
          progressKey,
          signal: this.signal,
          pace: (target) => this.budget.acquire(target, this.signal),
        });
        return true;
      } catch (error) {
        if (this.signal.aborted) {
          this.logger.warn({ chatId }, "reply not sent: the adapter stopped");
          return false;
        }
        const failure = toDeliveryError(error);
        if (failure.kind === "rate_limited" && ++rateLimited <= MAX_RATE_LIMITED) {
          this.budget.backOff(failure.retryAfterMs ?? 1_000, "channel", chatId);
          continue;
        }
        if (failure.kind === "transient" && ++transient < MAX_TRANSIENT_ATTEMPTS) {
          const stopped = await this.clock.sleep(1_000 * 2 ** (transient - 1), this.signal).then(() => false, () => true);
          if (!stopped) continue;
        }
        this.logger.warn({ chatId, kind: failure.kind, error: failure.message }, "reply not sent");
        return false;
      }
    }
  }
}
