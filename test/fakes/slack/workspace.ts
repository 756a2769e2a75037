// Identity of the fake workspace and generators for Slack-shaped ids and timestamps.
// Ids follow Slack's look (prefix letter + upper-case alphanumerics); the values are arbitrary.

export interface FakeTeam {
  id: string;
  name: string;
  domain: string;
}

export interface FakeBotIdentity {
  /** The bot's user id (auth.test `user_id`). */
  userId: string;
  /** The bot's user name (auth.test `user`). */
  userName: string;
  /** auth.test `bot_id`, message `bot_id`. */
  botId: string;
  appId: string;
  /** Display name in `bot_profile`. */
  name: string;
}

export const DEFAULT_TEAM: FakeTeam = { id: "T0FAKETEAM", name: "Fake Workspace", domain: "fake-workspace" };

export const DEFAULT_BOT: FakeBotIdentity = {
  userId: "U0FAKEBOT",
  userName: "organizing-bot",
  botId: "B0FAKEBOT",
  appId: "A0FAKEAPP",
  name: "Organizing Bot",
};

export const DEFAULT_BOT_TOKEN = "xoxb-0000000000-0000000000000-fakebottokenfakebottoken";
/** The app-level token (Socket Mode's apps.connections.open); it works for no other method. */
export const DEFAULT_APP_TOKEN = "xapp-1-A0FAKEAPP-0000000000000-fakeapptokenfakeapptoken";
export const DEFAULT_SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
/** The deprecated verification token Slack still puts in payloads; Bolt ignores it. */
export const DEFAULT_VERIFICATION_TOKEN = "fakeVerificationToken0000";

/** Bot scopes a freshly installed organizing bot would hold. */
export const DEFAULT_BOT_SCOPES: readonly string[] = [
  "app_mentions:read",
  "channels:history",
  "channels:join",
  "channels:read",
  "chat:write",
  "commands",
  "files:write",
  "groups:read",
  "im:read",
  "im:write",
  "mpim:read",
  "users:read",
];

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** Random Slack-looking id such as `F07ABCD1234`. */
export function randomSlackId(prefix: string, length = 10): string {
  let id = prefix;
  for (let i = 0; i < length; i += 1) id += ID_ALPHABET[Math.floor(Math.random() * ID_ALPHABET.length)];
  return id;
}

/**
 * Message timestamps: "<unix seconds>.<6 digits>", unique and strictly increasing within a clock,
 * derived from wall-clock time like Slack's (e.g. "1700000000.000100").
 */
export class TsClock {
  private lastMicros = 0;
  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
  }

  next(): string {
    const micros = Math.max(Math.floor(this.now()) * 1000, this.lastMicros + 100);
    this.lastMicros = micros;
    return formatTs(micros);
  }
}

export function formatTs(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = String(micros % 1_000_000).padStart(6, "0");
  return `${seconds}.${fraction}`;
}

/** A ts for an event that did not go through the fake (e.g. a user's message in an event payload). */
export function tsFromDate(date: number = Date.now()): string {
  return formatTs(Math.floor(date) * 1000 + Math.floor(Math.random() * 1000));
}
