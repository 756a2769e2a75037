// How Slack reaches the bot, both ways through Bolt:
// - Socket Mode (default): the bot opens a WebSocket to Slack with the app-level token, so no
//   public URL is needed (https://docs.slack.dev/apis/events-api/using-socket-mode).
// - HTTP: Slack posts events, slash commands and interactions to /slack/events on the bot's
//   own HTTP server (PORT). Bolt's HTTPReceiver serves that path; its request listener verifies
//   every request's signature and timestamp (Bolt's verify-request) before anything else runs.
import { App, HTTPReceiver, SocketModeReceiver, type Logger as SlackLogger } from "@slack/bolt";
import type { WebClientOptions } from "@slack/web-api";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Config } from "../../src/config.ts";
import type { HttpServer } from "../../src/http/server.ts";

export const EVENTS_PATH = "/slack/events";

export type SlackMode = { kind: "socket"; appToken: string } | { kind: "http"; path: typeof EVENTS_PATH };

export interface SlackSettings {
  botToken: string;
  signingSecret: string;
  mode: SlackMode;
  /** Web API base, with its trailing slash (GovSlack, or a test's fake). */
  apiUrl: string;
  /** The slash command that carries every command, e.g. "/o4p". */
  slashCommand: string;
}

/** The Slack part of the configuration (config.ts has already checked that it is complete). */
export function slackSettings(config: Config): SlackSettings {
  if (!config.SLACK_BOT_TOKEN || !config.SLACK_SIGNING_SECRET) throw new Error("SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are required for Slack");
  const kind = config.SLACK_MODE ?? "socket";
  if (kind === "socket" && !config.SLACK_APP_TOKEN) throw new Error("SLACK_APP_TOKEN is required for Socket Mode (or set SLACK_MODE=http)");
  return {
    botToken: config.SLACK_BOT_TOKEN,
    signingSecret: config.SLACK_SIGNING_SECRET,
    mode: kind === "socket" ? { kind, appToken: config.SLACK_APP_TOKEN! } : { kind, path: EVENTS_PATH },
    apiUrl: config.SLACK_API_URL.endsWith("/") ? config.SLACK_API_URL : `${config.SLACK_API_URL}/`,
    slashCommand: config.SLACK_COMMAND,
  };
}

export interface BoltConnection {
  readonly app: App;
  /** Starts receiving: opens the socket, or serves the events path on the bot's HTTP server. */
  start(http: HttpServer): Promise<void>;
  stop(): Promise<void>;
  isConnected(): boolean;
}

export interface ConnectionOptions {
  settings: SlackSettings;
  /** From auth.test: with both given, Bolt doesn't call auth.test again. */
  botUserId: string;
  botId: string;
  clientOptions: WebClientOptions;
  logger: SlackLogger;
}

export function createConnection(options: ConnectionOptions): BoltConnection {
  return options.settings.mode.kind === "socket" ? socketConnection(options, options.settings.mode.appToken) : httpConnection(options, options.settings.mode.path);
}

function appOptions({ settings, botUserId, botId, clientOptions, logger }: ConnectionOptions) {
  return { token: settings.botToken, botUserId, botId, clientOptions, logger };
}

function socketConnection(options: ConnectionOptions, appToken: string): BoltConnection {
  // The receiver's own WebClient (apps.connections.open) gets the same API base as the bot's,
  // and keeps its own patient retry policy for reconnecting.
  const clientOptions = { ...options.clientOptions, retryConfig: undefined };
  const receiver = new SocketModeReceiver({ appToken, logger: options.logger, installerOptions: { clientOptions } });
  const app = new App({ ...appOptions(options), receiver, socketMode: true });
  let connected = false;
  receiver.client.on("connected", () => (connected = true));
  // "close": the socket is gone (Slack asked for a refresh); a new one follows after a pause.
  for (const state of ["close", "disconnecting", "disconnected", "reconnecting"]) receiver.client.on(state, () => (connected = false));
  return {
    app,
    async start() {
      await app.start();
    },
    async stop() {
      await app.stop();
      connected = false;
    },
    isConnected: () => connected,
  };
}

function httpConnection(options: ConnectionOptions, path: string): BoltConnection {
  const receiver = new HTTPReceiver({ signingSecret: options.settings.signingSecret, endpoints: path, logger: options.logger });
  const app = new App({ ...appOptions(options), receiver });
  let serving = false;
  return {
    app,
    async start(http) {
      serving = true;
      http.route("POST", path, (request: IncomingMessage, response: ServerResponse) => {
        // After stop() the route stays on the shared server; Slack retries events that get a 503.
        if (!serving) {
          response.writeHead(503).end();
          return;
        }
        receiver.requestListener(request, response);
      });
    },
    async stop() {
      serving = false;
    },
    isConnected: () => serving,
  };
}
