// An adapter for integration tests: records every message it is asked to send, and fails on
// demand the way platforms do (429 with retry_after, 5xx, bot removed).
import type { Adapter, BotHost, PlatformLimits, SendOptions, SendResult } from "../../src/core/adapter.ts";
import { SendBudget } from "../../src/core/send-budget.ts";
import { DeliveryError } from "../../src/core/adapter.ts";
import { renderPlain, type OutgoingMessage } from "../../src/core/messages.ts";

export interface RecordedSend {
  channelId: string;
  text: string;
  message: OutgoingMessage;
  idempotencyKey: string;
  at: number;
}

type Failure = "rate_limited" | "transient" | "permanent";

export class RecordingAdapter implements Adapter {
  readonly sent: RecordedSend[] = [];
  private readonly failures: { channelId?: string; kind: Failure; retryAfterMs?: number }[] = [];

  readonly budget: SendBudget;

  constructor(
    readonly platform = "console",
    limits: PlatformLimits = {},
  ) {
    this.budget = new SendBudget(limits);
  }

  /** The next send (to `channelId`, if given) fails this way. */
  failNext(kind: Failure, options: { channelId?: string; retryAfterMs?: number; times?: number } = {}): void {
    for (let index = 0; index < (options.times ?? 1); index++) this.failures.push({ kind, ...options });
  }

  /** Forgets what was sent and any failures still queued. */
  reset(): void {
    this.sent.length = 0;
    this.failures.length = 0;
  }

  async start(host: BotHost): Promise<void> {
    this.budget.runOn(host.clock);
  }
  async stop(): Promise<void> {}
  isConnected(): boolean {
    return true;
  }

  async send(channelId: string, message: OutgoingMessage, options: SendOptions): Promise<SendResult> {
    const index = this.failures.findIndex((failure) => !failure.channelId || failure.channelId === channelId);
    if (index !== -1) {
      const [failure] = this.failures.splice(index, 1);
      const text = { rate_limited: "429 Too Many Requests", transient: "502 Bad Gateway", permanent: "403 Forbidden: bot was kicked" }[failure!.kind];
      throw new DeliveryError(failure!.kind, text, failure!.retryAfterMs);
    }
    this.sent.push({ channelId, text: renderPlain(message), message, idempotencyKey: options.idempotencyKey, at: performance.now() });
    return { platformMessageId: `m${this.sent.length}` };
  }

  to(channelId: string): RecordedSend[] {
    return this.sent.filter((send) => send.channelId === channelId);
  }
}
