// A local fake of Slack's Socket Mode (https://docs.slack.dev/apis/events-api/using-socket-mode),
// beside the Web API fake: apps.connections.open (called with the app-level token) hands out a
// single-use ws:// URL served here; on connecting the client gets
//   {"type":"hello","num_connections":1,"debug_info":{...},"connection_info":{"app_id":"A…"}}
// and then envelopes, each of which it must acknowledge with {"envelope_id":"…","payload":{…}}:
//   {"envelope_id":"…","type":"slash_commands","payload":{<the form fields of a slash command>},"accepts_response_payload":true}
//   {"envelope_id":"…","type":"events_api","payload":{<the event_callback body>},"accepts_response_payload":false,"retry_attempt":0,"retry_reason":""}
// requestRefresh() sends {"type":"disconnect","reason":"refresh_requested"}, after which a client
// reconnects through apps.connections.open. Uses the `ws` package (a dev dependency) for the server.
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { buildEventEnvelope, buildSlashCommandPayload, type BoltTarget, type SlackEventPayload, type SlashCommandInput } from "./signed-requests.ts";
import type { SlackFake } from "./web-api-fake.ts";
import { randomSlackId } from "./workspace.ts";

/** Slack expects an acknowledgement within 3 seconds. */
const ACK_TIMEOUT_MS = 3_000;

export interface SocketModeAck {
  envelopeId: string;
  /** What the app put in the acknowledgement (e.g. an immediate slash command reply), if anything. */
  payload: unknown;
}

export class SocketModeFake {
  /** ws://127.0.0.1:<port>/link */
  readonly url: string;
  /** Every hello sent: one per connection ever made. */
  connectionsMade = 0;
  readonly acks: SocketModeAck[] = [];

  private readonly sockets = new Set<WebSocket>();
  private readonly tickets = new Set<string>();
  private readonly pending = new Map<string, (ack: SocketModeAck) => void>();
  private readonly greeted = new Set<() => void>();

  constructor(
    private readonly web: SlackFake,
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    port: number,
  ) {
    this.url = `ws://127.0.0.1:${port}/link`;
    wss.on("connection", (socket, request) => this.accept(socket, request.url ?? ""));
  }

  /** What apps.connections.open returns: a URL with a fresh single-use ticket. */
  issueUrl(): string {
    const ticket = randomSlackId("", 32).toLowerCase();
    this.tickets.add(ticket);
    return `${this.url}?ticket=${ticket}&app_id=${this.web.bot.appId}`;
  }

  /** Open connections. */
  get connections(): number {
    return this.sockets.size;
  }

  private target(): BoltTarget {
    return { url: this.url, signingSecret: "", workspace: this.web };
  }

  /** A slash command as Slack delivers it over the socket; resolves with the app's acknowledgement. */
  async sendSlashCommand(input: SlashCommandInput): Promise<{ payload: Record<string, string>; ack: SocketModeAck }> {
    const payload = buildSlashCommandPayload(this.target(), input);
    return { payload, ack: await this.deliver("slash_commands", payload, { accepts_response_payload: true }) };
  }

  /** An Events API event over the socket; resolves with the app's acknowledgement. */
  async sendEvent(event: SlackEventPayload, envelope: Record<string, unknown> = {}): Promise<{ envelope: Record<string, unknown>; ack: SocketModeAck }> {
    const body = buildEventEnvelope(this.target(), event, envelope);
    return { envelope: body, ack: await this.deliver("events_api", body, { accepts_response_payload: false, retry_attempt: 0, retry_reason: "" }) };
  }

  /** Slack asks every client to reconnect (it does so every few hours). */
  requestRefresh(): void {
    for (const socket of this.sockets) socket.send(JSON.stringify({ type: "disconnect", reason: "refresh_requested", debug_info: { host: "fake-applink" } }));
  }

  /** Resolves once at least `count` connections have ever been greeted. */
  waitForConnections(count: number, timeoutMs = 5_000): Promise<void> {
    if (this.connectionsMade >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.greeted.delete(check);
        reject(new Error(`no Socket Mode connection ${count} within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = () => {
        if (this.connectionsMade < count) return;
        clearTimeout(timer);
        this.greeted.delete(check);
        resolve();
      };
      this.greeted.add(check);
    });
  }

  async close(): Promise<void> {
    if (this.web.socketMode === this) this.web.socketMode = undefined;
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private accept(socket: WebSocket, requestUrl: string): void {
    const ticket = new URL(requestUrl, this.url).searchParams.get("ticket") ?? "";
    if (!this.tickets.delete(ticket)) {
      socket.close(1008, "invalid or used ticket");
      return;
    }
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("message", (data) => this.onMessage(String(data)));
    this.connectionsMade += 1;
    socket.send(
      JSON.stringify({
        type: "hello",
        num_connections: this.sockets.size,
        debug_info: { host: "fake-applink", build_number: 1, approximate_connection_time: 18_060 },
        connection_info: { app_id: this.web.bot.appId },
      }),
    );
    for (const check of [...this.greeted]) check();
  }

  private onMessage(text: string): void {
    let message: { envelope_id?: unknown; payload?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (typeof message.envelope_id !== "string") return;
    const ack = { envelopeId: message.envelope_id, payload: message.payload };
    this.acks.push(ack);
    this.pending.get(message.envelope_id)?.(ack);
  }

  private deliver(type: string, payload: Record<string, unknown>, extra: Record<string, unknown>): Promise<SocketModeAck> {
    const socket = [...this.sockets].at(-1);
    if (!socket) return Promise.reject(new Error("no Socket Mode client is connected"));
    const envelopeId = randomUUID();
    return new Promise<SocketModeAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        reject(new Error(`envelope ${envelopeId} (${type}) was not acknowledged within ${ACK_TIMEOUT_MS} ms`));
      }, ACK_TIMEOUT_MS);
      this.pending.set(envelopeId, (ack) => {
        clearTimeout(timer);
        this.pending.delete(envelopeId);
        resolve(ack);
      });
      socket.send(JSON.stringify({ envelope_id: envelopeId, type, payload, ...extra }));
    });
  }
}

/** Starts a Socket Mode server on an ephemeral port and points the Web API fake's apps.connections.open at it. */
export async function startSocketModeFake(web: SlackFake): Promise<SocketModeFake> {
  const server = createServer((_request, response) => response.writeHead(426, { "content-type": "text/plain" }).end("upgrade required"));
  const wss = new WebSocketServer({ server, path: "/link" });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const fake = new SocketModeFake(web, server, wss, (server.address() as AddressInfo).port);
  web.socketMode = fake;
  return fake;
}
