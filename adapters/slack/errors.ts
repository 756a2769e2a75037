// Web API failures in the terms the dispatcher acts on (see DeliveryError).
import { ErrorCode } from "@slack/web-api";
import { DeliveryError } from "../../src/core/adapter.ts";

/**
 * Answers that mean the bot can't post in this channel any more, whatever we send: removed or
 * never invited, the channel deleted or archived, or posting there restricted by the workspace
 * (https://docs.slack.dev/reference/methods/chat.postMessage#errors).
 */
export const CHANNEL_GONE = new Set([
  "not_in_channel",
  "channel_not_found",
  "is_archived",
  "restricted_action",
  "restricted_action_read_only_channel",
  "restricted_action_thread_only_channel",
  "restricted_action_non_threadable_channel",
  "team_access_not_granted",
]);

/** Answers about the token or the app rather than the channel: worth retrying once an admin fixes it. */
export const APP_PROBLEM = new Set(["invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "no_permission", "missing_scope"]);

interface SlackErrorShape {
  code?: unknown;
  retryAfter?: unknown;
  data?: { error?: unknown };
  statusCode?: unknown;
  message?: unknown;
}

/** The Web API's error code ("not_in_channel"), if the failure is an answer from Slack. */
export function platformError(error: unknown): string | undefined {
  const shape = error as SlackErrorShape | undefined;
  return shape?.code === ErrorCode.PlatformError && typeof shape.data?.error === "string" ? shape.data.error : undefined;
}

/**
 * @param rateScope chat.postMessage is limited per channel; the tiered methods (files) per workspace.
 */
export function toDeliveryError(error: unknown, rateScope: "channel" | "global"): DeliveryError {
  const shape = error as SlackErrorShape | undefined;
  if (shape?.code === ErrorCode.RateLimitedError) {
    const seconds = typeof shape.retryAfter === "number" && shape.retryAfter > 0 ? shape.retryAfter : 1;
    return new DeliveryError("rate_limited", `ratelimited (Retry-After ${seconds} s)`, seconds * 1000, rateScope);
  }
  const answer = platformError(error);
  if (answer && CHANNEL_GONE.has(answer)) return new DeliveryError("permanent", answer);
  if (answer) return new DeliveryError("transient", APP_PROBLEM.has(answer) ? `${answer} (check the app's token and scopes)` : answer);
  if (shape?.code === ErrorCode.HTTPError) return new DeliveryError("transient", `HTTP ${String(shape.statusCode)} from Slack`);
  return new DeliveryError("transient", String(shape?.message ?? error));
}
