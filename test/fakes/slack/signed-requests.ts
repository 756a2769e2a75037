// Sends requests to a Bolt HTTP endpoint the way Slack does, signed per
// https://api.slack.com/authentication/verifying-requests-from-slack:
//   X-Slack-Request-Timestamp: <unix seconds>
//   X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret, "v0:<timestamp>:<raw body>")>
// Payload shapes follow https://api.slack.com/interactivity/slash-commands (form-encoded),
// https://api.slack.com/apis/events-api (JSON event_callback / url_verification) and
// https://api.slack.com/reference/interaction-payloads (form-encoded `payload=<json>`).

import { createHmac, randomUUID } from "node:crypto";
import { DEFAULT_BOT, DEFAULT_TEAM, DEFAULT_VERIFICATION_TOKEN, randomSlackId, tsFromDate, type FakeBotIdentity, type FakeTeam } from "./workspace.ts";

export interface SlackSignatureHeaders {
  "X-Slack-Request-Timestamp": string;
  "X-Slack-Signature": string;
}

/** Slack's request signature for `body` (the exact bytes that will be sent). */
export function signSlackRequest(signingSecret: string, body: string, timestamp: number = Math.floor(Date.now() / 1000)): SlackSignatureHeaders {
  const signature = createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex");
  return { "X-Slack-Request-Timestamp": String(timestamp), "X-Slack-Signature": `v0=${signature}` };
}

/** What the helpers need from the fake Web API (structural, so any fake with these works). */
export interface SlackWorkspaceSource {
  team: FakeTeam;
  bot: FakeBotIdentity;
  createResponseUrl(): string;
}

export interface BoltTarget {
  /** Full URL of the Bolt endpoint, e.g. http://127.0.0.1:4321/slack/events */
  url: string;
  signingSecret: string;
  /** Supplies team/app ids and fresh response_urls. */
  workspace?: SlackWorkspaceSource;
}

export interface SendOptions {
  /** "valid" (default); "bad" signs with a wrong secret; "missing" omits both headers. */
  signature?: "valid" | "bad" | "missing";
  /** Unix seconds to sign with (default now). */
  timestamp?: number;
  /** Sign correctly but with a timestamp 6 minutes old (Slack/Bolt allow 5). */
  stale?: boolean;
  /** Slack's redelivery headers (X-Slack-Retry-Num / X-Slack-Retry-Reason). */
  retryNum?: number;
  retryReason?: string;
  headers?: Record<string, string>;
}

export interface BoltHttpResult {
  status: number;
  body: string;
  /** Parsed body when it is JSON. */
  json: unknown;
  headers: Headers;
}

export const STALE_AFTER_SECONDS = 5 * 60;

/** POST a raw body with Slack's headers. */
export async function postSignedToBolt(target: BoltTarget, body: string, contentType: string, options: SendOptions = {}): Promise<BoltHttpResult> {
  const now = Math.floor(Date.now() / 1000);
  const timestamp = options.timestamp ?? (options.stale ? now - STALE_AFTER_SECONDS - 60 : now);
  const headers: Record<string, string> = { "Content-Type": contentType, "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)" };
  const signature = options.signature ?? "valid";
  if (signature !== "missing") {
    const secret = signature === "bad" ? `${target.signingSecret}-wrong` : target.signingSecret;
    Object.assign(headers, signSlackRequest(secret, body, timestamp));
  }
  if (options.retryNum !== undefined) headers["X-Slack-Retry-Num"] = String(options.retryNum);
  if (options.retryReason !== undefined) headers["X-Slack-Retry-Reason"] = options.retryReason;
  Object.assign(headers, options.headers);
  const response = await fetch(target.url, { method: "POST", headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, body: text, json, headers: response.headers };
}

const teamOf = (target: BoltTarget) => target.workspace?.team ?? DEFAULT_TEAM;
const botOf = (target: BoltTarget) => target.workspace?.bot ?? DEFAULT_BOT;

// ----- slash commands ------------------------------------------------------------------------

export interface SlashCommandInput {
  /** e.g. "/register" */
  command: string;
  text?: string;
  channel_id?: string;
  channel_name?: string;
  user_id?: string;
  user_name?: string;
  /** Default: a fresh response_url from target.workspace, else a dead local URL. */
  response_url?: string;
  trigger_id?: string;
}

/** The form fields Slack posts for a slash command. */
export function buildSlashCommandPayload(target: BoltTarget, input: SlashCommandInput): Record<string, string> {
  const team = teamOf(target);
  return {
    token: DEFAULT_VERIFICATION_TOKEN,
    team_id: team.id,
    team_domain: team.domain,
    channel_id: input.channel_id ?? "C0GENERAL",
    channel_name: input.channel_name ?? "general",
    user_id: input.user_id ?? "U0HUMAN01",
    user_name: input.user_name ?? "ada",
    command: input.command,
    text: input.text ?? "",
    api_app_id: botOf(target).appId,
    is_enterprise_install: "false",
    response_url: input.response_url ?? target.workspace?.createResponseUrl() ?? "http://127.0.0.1:9/response/none",
    trigger_id: input.trigger_id ?? `${Date.now()}.${randomSlackId("", 12)}.${randomSlackId("", 32).toLowerCase()}`,
  };
}

export async function sendSlashCommand(
  target: BoltTarget,
  input: SlashCommandInput,
  options: SendOptions = {},
): Promise<BoltHttpResult & { payload: Record<string, string> }> {
  const payload = buildSlashCommandPayload(target, input);
  const result = await postSignedToBolt(target, new URLSearchParams(payload).toString(), "application/x-www-form-urlencoded", options);
  return { ...result, payload };
}

// ----- Events API ----------------------------------------------------------------------------

export type SlackEventPayload = { type: string } & Record<string, unknown>;

export function appMentionEvent(input: { user: string; channel: string; text: string; ts?: string; thread_ts?: string; team?: string }): SlackEventPayload {
  const ts = input.ts ?? tsFromDate();
  return {
    type: "app_mention",
    client_msg_id: randomUUID(),
    user: input.user,
    text: input.text,
    ts,
    ...(input.thread_ts ? { thread_ts: input.thread_ts } : {}),
    team: input.team ?? DEFAULT_TEAM.id,
    channel: input.channel,
    event_ts: ts,
  };
}

/** A user left a channel the bot is in. channel_type: C public, G private. */
export function memberLeftChannelEvent(input: { user: string; channel: string; channel_type?: "C" | "G"; team?: string }): SlackEventPayload {
  return {
    type: "member_left_channel",
    user: input.user,
    channel: input.channel,
    channel_type: input.channel_type ?? "C",
    team: input.team ?? DEFAULT_TEAM.id,
    event_ts: tsFromDate(),
  };
}

/** The bot was removed from (or left) a channel. */
export function channelLeftEvent(input: { channel: string; actor_id?: string }): SlackEventPayload {
  return { type: "channel_left", channel: input.channel, actor_id: input.actor_id ?? "U0HUMAN01", event_ts: tsFromDate() };
}

/** The outer event_callback envelope Slack wraps every event in. */
export function buildEventEnvelope(target: BoltTarget, event: SlackEventPayload, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const team = teamOf(target);
  const bot = botOf(target);
  return {
    token: DEFAULT_VERIFICATION_TOKEN,
    team_id: team.id,
    context_team_id: team.id,
    context_enterprise_id: null,
    api_app_id: bot.appId,
    event,
    type: "event_callback",
    event_id: randomSlackId("Ev"),
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: team.id, user_id: bot.userId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(randomSlackId("", 24)).toString("base64url")}`,
    ...overrides,
  };
}

export async function sendEvent(
  target: BoltTarget,
  event: SlackEventPayload,
  options: SendOptions & { envelope?: Record<string, unknown> } = {},
): Promise<BoltHttpResult & { envelope: Record<string, unknown> }> {
  const envelope = buildEventEnvelope(target, event, options.envelope);
  const result = await postSignedToBolt(target, JSON.stringify(envelope), "application/json", options);
  return { ...result, envelope };
}

/** The handshake Slack sends when a Request URL is saved; the app must echo `challenge`. */
export async function sendUrlVerification(target: BoltTarget, challenge = randomSlackId("", 48), options: SendOptions = {}): Promise<BoltHttpResult & { challenge: string }> {
  const body = JSON.stringify({ token: DEFAULT_VERIFICATION_TOKEN, challenge, type: "url_verification" });
  const result = await postSignedToBolt(target, body, "application/json", options);
  return { ...result, challenge };
}

// ----- interactivity -------------------------------------------------------------------------

export interface BlockActionInput {
  action_id: string;
  block_id?: string;
  value?: string;
  user_id?: string;
  user_name?: string;
  channel_id?: string;
  channel_name?: string;
  /** ts of the message holding the button. */
  message_ts?: string;
  response_url?: string;
}

/** A block_actions payload for a button click in a message. */
export function blockActionPayload(target: BoltTarget, input: BlockActionInput): Record<string, unknown> {
  const team = teamOf(target);
  const bot = botOf(target);
  const userId = input.user_id ?? "U0HUMAN01";
  const channelId = input.channel_id ?? "C0GENERAL";
  const messageTs = input.message_ts ?? tsFromDate();
  const blockId = input.block_id ?? "actions";
  return {
    type: "block_actions",
    user: { id: userId, username: input.user_name ?? "ada", name: input.user_name ?? "ada", team_id: team.id },
    api_app_id: bot.appId,
    token: DEFAULT_VERIFICATION_TOKEN,
    container: { type: "message", message_ts: messageTs, channel_id: channelId, is_ephemeral: false },
    trigger_id: `${Date.now()}.${randomSlackId("", 12)}.${randomSlackId("", 32).toLowerCase()}`,
    team: { id: team.id, domain: team.domain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: input.channel_name ?? "general" },
    message: { type: "message", user: bot.userId, bot_id: bot.botId, ts: messageTs, text: "", blocks: [] },
    state: { values: {} },
    response_url: input.response_url ?? target.workspace?.createResponseUrl() ?? "http://127.0.0.1:9/response/none",
    actions: [
      {
        action_id: input.action_id,
        block_id: blockId,
        text: { type: "plain_text", text: input.value ?? input.action_id, emoji: true },
        value: input.value ?? "",
        type: "button",
        action_ts: tsFromDate(),
      },
    ],
  };
}

/** Any interaction payload (block_actions, view_submission, shortcut...), form-encoded as `payload=<json>`. */
export async function sendInteraction(target: BoltTarget, payload: Record<string, unknown>, options: SendOptions = {}): Promise<BoltHttpResult> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return postSignedToBolt(target, body, "application/x-www-form-urlencoded", options);
}

export async function sendBlockAction(target: BoltTarget, input: BlockActionInput, options: SendOptions = {}): Promise<BoltHttpResult & { payload: Record<string, unknown> }> {
  const payload = blockActionPayload(target, input);
  const result = await sendInteraction(target, payload, options);
  return { ...result, payload };
}
