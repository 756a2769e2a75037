// The adapter benchmarks dispatch through: posts each message to a PacedPlatform, with the
// platform's limits as its policy, and maps its answers to DeliveryErrors like a real adapter.
import type { Adapter, PlatformLimits, SendOptions, SendResult } from "../../src/core/adapter.ts";
import { SendBudget } from "../../src/core/send-budget.ts";
import { DeliveryError } from "../../src/core/adapter.ts";
import { renderPlain, type OutgoingMessage } from "../../src/core/messages.ts";

export class PacedAdapter implements Adapter {
  readonly budget: SendBudget;
  constructor(
    readonly platform: string,
    private readonly url: string,
    limits: PlatformLimits,
  ) {
    this.budget = new SendBudget(limits);
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  isConnected(): boolean {
    return true;
  }

  async send(channelId: string, message: OutgoingMessage, options: SendOptions): Promise<SendResult> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ channel: channelId, key: options.idempotencyKey, text: renderPlain(message) }),
      });
    } catch (error) {
      throw new DeliveryError("transient", String(error));
    }
    const body = (await response.json()) as { id?: number; parameters?: { retry_after?: number } };
    if (response.status === 429) throw new DeliveryError("rate_limited", "429", (body.parameters?.retry_after ?? 1) * 1000);
    if (!response.ok) throw new DeliveryError("transient", `HTTP ${response.status}`);
    return { platformMessageId: String(body.id) };
  }
}
