// Discord's failures in the terms the dispatcher acts on (DeliveryError):
// - a 429, or discord.js's own queue knowing a bucket is spent, is rate_limited with its retry_after;
// - no access, no permission, a deleted channel or a user who blocks the bot is permanent: the
//   channel is unreachable until someone fixes it (and binds it again);
// - everything else (5xx after discord.js's retries, network, timeouts, an unexpected 4xx) is
//   transient and retried with backoff up to the dispatcher's limit.
import { DiscordAPIError, HTTPError, RateLimitError, RESTJSONErrorCodes } from "discord.js";
import { DeliveryError } from "../../src/core/adapter.ts";

const UNREACHABLE = new Set<number>([
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.MissingPermissions,
  RESTJSONErrorCodes.CannotSendMessagesToThisUser,
]);

/** Whether discord.js should hand a rate limit on this request back to us rather than wait it out. */
export function isOutboxSend(request: { method: string; route: string }): boolean {
  // Only channel messages come from the outbox: the dispatcher reschedules them. Interaction
  // replies (someone is waiting) and everything else are waited out by discord.js's queue.
  return request.method.toUpperCase() === "POST" && request.route === "/channels/:id/messages";
}

export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof RateLimitError) {
    return new DeliveryError(
      "rate_limited",
      `rate limited on ${error.method.toUpperCase()} ${error.route} (${error.scope}), retry after ${error.retryAfter} ms`,
      Math.max(0, Math.ceil(error.retryAfter)),
      error.global ? "global" : "channel",
    );
  }
  if (error instanceof DiscordAPIError) {
    const code = Number(error.code);
    const description = `${error.status} ${code}: ${error.message}`;
    return new DeliveryError(UNREACHABLE.has(code) ? "permanent" : "transient", description);
  }
  if (error instanceof HTTPError) return new DeliveryError("transient", `${error.status} ${error.message}`);
  return new DeliveryError("transient", (error as Error)?.message ?? String(error));
}

/** Whether a failed interaction response is the interaction running out (3 s, or 15 min for edits). */
export function isExpiredInteraction(error: unknown): boolean {
  return (
    error instanceof DiscordAPIError &&
    [RESTJSONErrorCodes.UnknownInteraction, RESTJSONErrorCodes.InvalidWebhookToken, RESTJSONErrorCodes.UnknownWebhook].includes(Number(error.code))
  );
}
