// The whole bot (test/adapters/harness.ts) with its real Slack adapter (Bolt in HTTP mode on the
// bot's own HTTP server, or Socket Mode) against the local Slack fake. Tests send what Slack
// would send, signed as Slack signs it, and read what the fake received.
import type { CommandEntry } from "../../../src/core/command.ts";
import { createLogger, type Logger } from "../../../src/logger.ts";
import { createSlackAdapter } from "../../../adapters/slack/index.ts";
import { BOT_SCOPES } from "../../../adapters/slack/manifest.ts";
import { decodeSlackText } from "../../../adapters/slack/mrkdwn.ts";
import type { SlackAdapter } from "../../../adapters/slack/slack-adapter.ts";
import {
  appMentionEvent,
  sendEvent,
  sendSlashCommand,
  startSlackFake,
  startSocketModeFake,
  type BoltTarget,
  type FakeSlackChannel,
  type FakeSlackUser,
  type RecordedResponse,
  type SendOptions,
  type SlackFake,
  type SlackFakeOptions,
  type SocketModeFake,
} from "../../fakes/slack/index.ts";
import { startAdapterBot, type AdapterBot } from "../harness.ts";

export const SIGNING_SECRET = "test-signing-secret-0123456789abcdef";
export const COMMAND = "/o4p";

export const ADA: FakeSlackUser = { id: "U0ADA0001", name: "ada", realName: "Ada Lovelace", displayName: "Ada", locale: "en-GB" };
export const BEA: FakeSlackUser = { id: "U0BEA0002", name: "bea", realName: "Beatriz Souza", locale: "pt-BR" };
export const CHLOE: FakeSlackUser = { id: "U0CHL0003", name: "chloe", realName: "Chloé Martin", locale: "fr-FR" };
export const COORDINATOR: FakeSlackUser = { id: "U0COORD04", name: "rosa", realName: "Rosa Coordinator", locale: "en-US" };

export const CHANNELS: FakeSlackChannel[] = [
  { id: "C0BERLIN1", name: "berlin-tenants" },
  { id: "C0LISBON2", name: "lisbon-union" },
  { id: "C0PARIS03", name: "paris" },
  { id: "C0OUTSIDE", name: "outside", botIsMember: false },
  { id: "G0PRIVATE", name: "private-group", isPrivate: true },
];

export interface SlackHarness extends AdapterBot<SlackAdapter> {
  fake: SlackFake;
  /** Socket Mode's side of the fake, when the bot runs in Socket Mode. */
  socket: SocketModeFake | undefined;
  target: BoltTarget;
  logs: Record<string, unknown>[];
  /** `/o4p <text>` as `user` in `channel`; resolves with the replies posted to its response_url. */
  slash(text: string, options?: { user?: FakeSlackUser; channel?: string; replies?: number; send?: SendOptions }): Promise<RecordedResponse[]>;
  /** "@bot <text>" in `channel`; resolves with the messages the bot posted in answer. */
  mention(text: string, options?: { user?: FakeSlackUser; channel?: string; replies?: number; thread_ts?: string }): Promise<ReturnType<SlackFake["messagesIn"]>>;
  /** A fresh start (see AdapterBot), with the fake's scopes, rate limits and channels as at the start. */
  reset(): Promise<void>;
}

export interface HarnessOptions {
  /** How Slack reaches the bot: HTTP requests to /slack/events (default) or Socket Mode. */
  mode?: "http" | "socket";
  fake?: SlackFakeOptions;
  commands?: readonly CommandEntry[];
  now?: string;
}

/** A pino logger that keeps its lines, to assert on what was logged. */
function memoryLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger("debug", { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

export async function startSlackHarness(options: HarnessOptions = {}): Promise<SlackHarness> {
  // The token holds exactly the scopes the manifest asks for: every test proves they are enough.
  const fake = await startSlackFake({ users: [ADA, BEA, CHLOE, COORDINATOR], channels: CHANNELS, scopes: Object.keys(BOT_SCOPES), ...options.fake });
  const socket = options.mode === "socket" ? await startSocketModeFake(fake) : undefined;
  const { logger, lines } = memoryLogger();
  const bot = await startAdapterBot({
    env: {
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      ...(socket ? { SLACK_APP_TOKEN: fake.appToken } : { SLACK_MODE: "http" }),
      SLACK_API_URL: fake.apiUrl,
      PORT: "0",
    },
    coordinators: `slack:${COORDINATOR.id}`,
    logger,
    http: true,
    commands: options.commands,
    now: options.now,
    program: "after start",
    adapter: ({ config }) => createSlackAdapter(config),
    resetPlatform() {
      fake.reset();
      fake.setScopes(Object.keys(BOT_SCOPES));
      fake.setRateLimits(options.fake?.rateLimits ?? "real");
      for (const channel of CHANNELS) fake.setChannel(channel);
    },
  });
  const target: BoltTarget = { url: `http://127.0.0.1:${bot.app.http.port}/slack/events`, signingSecret: SIGNING_SECRET, workspace: fake };

  return {
    ...bot,
    fake,
    socket,
    target,
    logs: lines,
    async slash(text, { user = ADA, channel = "C0BERLIN1", replies = 1, send } = {}) {
      const input = { command: COMMAND, text, user_id: user.id, user_name: user.name, channel_id: channel };
      let responseUrl: string;
      if (socket) {
        responseUrl = (await socket.sendSlashCommand(input)).payload.response_url!;
      } else {
        const result = await sendSlashCommand(target, input, send);
        if (result.status !== 200) throw new Error(`Bolt answered ${result.status}`);
        responseUrl = result.payload.response_url!;
      }
      return fake.waitFor((f) => {
        const posted = f.responses.filter((response) => response.url === responseUrl);
        return posted.length >= replies ? posted : undefined;
      });
    },
    async mention(text, { user = ADA, channel = "C0BERLIN1", replies = 1, thread_ts } = {}) {
      const before = fake.messages.length;
      const event = appMentionEvent({ user: user.id, channel, text: `<@${fake.bot.userId}> ${text}`, ...(thread_ts ? { thread_ts } : {}) });
      if (socket) await socket.sendEvent(event);
      else {
        const result = await sendEvent(target, event);
        if (result.status !== 200) throw new Error(`Bolt answered ${result.status}`);
      }
      return fake.waitFor((f) => {
        const posted = f.messages.slice(before).filter((message) => message.channel === channel);
        return posted.length >= replies ? posted : undefined;
      });
    },
    async close() {
      await bot.close();
      await socket?.close();
      await fake.close();
    },
  };
}

/** What a person reads in a posted message: its blocks' text without invisible spaces or escapes (formatting markers stay). */
export function visible(message: { text?: string; blocks?: unknown[] }): string {
  const blocks = (message.blocks ?? []) as { text?: { text?: string } }[];
  const text = blocks.length > 0 ? blocks.map((block) => block.text?.text ?? "").join("\n") : (message.text ?? "");
  return decodeSlackText(text.replace(/\u200B/g, ""));
}
