// What a failed Bot API call means for the core (https://core.telegram.org/bots/api#making-requests):
// 429 with parameters.retry_after is a rate limit; 403 (kicked, blocked, deactivated) and the 400s
// that say the chat is gone or closed to the bot are permanent; network errors and 5xx are
// transient. Messages never carry the token: grammY's HttpError wraps an error whose text holds
// the request URL, which contains it, so only our own description is ever logged.
import { GrammyError, HttpError } from "grammy";
import { DeliveryError } from "../../src/core/adapter.ts";

/** 400 answers after which nothing sent to the chat can get through. */
const CHAT_CLOSED = [
  "chat not found",
  "group chat was deactivated",
  "not enough rights to send",
  "have no rights to send",
  "need administrator rights",
  "CHAT_WRITE_FORBIDDEN",
  "PEER_ID_INVALID",
  "user is deactivated",
];

export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof GrammyError) {
    const description = `${error.error_code} ${error.description}`;
    if (error.error_code === 429) {
      // Telegram does not say which limit was hit; the chat's own limits (20 a minute in a group)
      // are the ones a paced bot meets, so only this chat waits.
      return new DeliveryError("rate_limited", description, (error.parameters.retry_after ?? 1) * 1000, "channel");
    }
    if (error.error_code === 403) return new DeliveryError("permanent", description);
    if (error.error_code === 400 && CHAT_CLOSED.some((text) => error.description.includes(text))) {
      return new DeliveryError("permanent", description);
    }
    return new DeliveryError("transient", description);
  }
  return new DeliveryError("transient", describeError(error));
}

/** The new id of a group that became a supergroup, when that is why the call failed. */
export function migratedTo(error: unknown): number | undefined {
  return error instanceof GrammyError ? error.parameters.migrate_to_chat_id : undefined;
}

/** The HTML we built was refused: a bug of ours, not the chat's fault. */
export function isEntityParseError(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code === 400 && error.description.includes("can't parse entities");
}

/** A log-safe description of any error from the Bot API client. */
export function describeError(error: unknown): string {
  if (error instanceof GrammyError) return `${error.error_code} ${error.description}`;
  if (error instanceof HttpError) return error.message; // "Network request for 'x' failed!", no URL
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
