// Gateway v10 (https://discord.com/developers/docs/events/gateway): HELLO, IDENTIFY -> READY +
// GUILD_CREATE, HEARTBEAT/ACK, RESUME with replay + RESUMED, RECONNECT, INVALID_SESSION, close codes,
// optional zlib-stream transport compression and identify payload compression.

import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import zlib from "node:zlib";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import { randomHex, shardForGuild } from "./snowflake.ts";
import { Intents, KNOWN_INTENTS, PRIVILEGED_INTENTS, type FakeState } from "./state.ts";
import type { Json } from "./types.ts";

export const Op = {
  DISPATCH: 0,
  HEARTBEAT: 1,
  IDENTIFY: 2,
  PRESENCE_UPDATE: 3,
  VOICE_STATE_UPDATE: 4,
  RESUME: 6,
  RECONNECT: 7,
  REQUEST_GUILD_MEMBERS: 8,
  INVALID_SESSION: 9,
  HELLO: 10,
  HEARTBEAT_ACK: 11,
  REQUEST_SOUNDBOARD_SOUNDS: 31,
} as const;

export const CloseCode = {
  UNKNOWN_ERROR: 4000,
  UNKNOWN_OPCODE: 4001,
  DECODE_ERROR: 4002,
  NOT_AUTHENTICATED: 4003,
  AUTHENTICATION_FAILED: 4004,
  ALREADY_AUTHENTICATED: 4005,
  INVALID_SEQ: 4007,
  RATE_LIMITED: 4008,
  SESSION_TIMED_OUT: 4009,
  INVALID_SHARD: 4010,
  INVALID_API_VERSION: 4012,
  INVALID_INTENTS: 4013,
  DISALLOWED_INTENTS: 4014,
} as const;

const SUPPORTED_VERSIONS = new Set(["9", "10"]);
const MAX_REPLAY_BUFFER = 5000;
/** Discord allows 120 gateway commands per 60 s per connection. */
const SEND_LIMIT = 120;
const SEND_WINDOW_MS = 60_000;

interface BufferedEvent {
  s: number;
  payload: Json;
  onSent?: () => void;
}

export class GatewaySession {
  seq = 0;
  readonly buffer: BufferedEvent[] = [];
  conn: GatewayConnection | null = null;
  invalidated = false;
  disconnectedAt: number | null = null;
  constructor(
    readonly id: string,
    readonly shard: [number, number],
    readonly intents: number,
    readonly largeThreshold: number,
  ) {}
}

export class GatewayConnection {
  session: GatewaySession | null = null;
  /** identify `compress: true`: every payload is sent as its own zlib-deflated binary frame. */
  payloadCompression = false;
  readonly openedAt = Date.now();
  heartbeatsReceived = 0;
  lastHeartbeatAt: number | null = null;
  private received: number[] = [];
  private deflate: zlib.Deflate | null = null;
  private deflateOut: Buffer[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly ws: WebSocket,
    readonly path: string,
    readonly query: { v: string | null; encoding: string | null; compress: string | null },
  ) {
    if (query.compress === "zlib-stream") {
      this.deflate = zlib.createDeflate();
      this.deflate.on("data", (chunk: Buffer) => this.deflateOut.push(chunk));
    }
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Counts a client command; returns false when the 120/60 s limit is exceeded. */
  countReceived(now: number): boolean {
    this.received = this.received.filter((t) => now - t < SEND_WINDOW_MS);
    this.received.push(now);
    return this.received.length <= SEND_LIMIT;
  }

  send(payload: Json, onSent?: () => void): void {
    const json = JSON.stringify(payload);
    if (!this.deflate && !this.payloadCompression) {
      if (!this.open) return;
      this.ws.send(json);
      onSent?.();
      return;
    }
    // Compressed frames are produced asynchronously; keep them in order.
    this.chain = this.chain
      .then(() => this.encode(json))
      .then((buf) => {
        if (!this.open) return;
        this.ws.send(buf, { binary: true });
        onSent?.();
      })
      .catch(() => undefined);
  }

  private encode(json: string): Promise<Buffer> {
    const deflate = this.deflate;
    if (!deflate) return Promise.resolve(zlib.deflateSync(Buffer.from(json)));
    // zlib-stream: one shared context per connection, each message ends with a Z_SYNC_FLUSH (00 00 ff ff).
    return new Promise((resolve) => {
      deflate.write(Buffer.from(json));
      deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        const out = Buffer.concat(this.deflateOut);
        this.deflateOut = [];
        resolve(out);
      });
    });
  }

  close(code: number, reason = ""): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
  }

  dispose(): void {
    this.deflate?.destroy();
    this.deflate = null;
  }
}

export interface GatewayOptions {
  heartbeatIntervalMs: number;
  shardCount: number;
  allowedPrivilegedIntents: number;
  sessionResumeWindowMs: number;
  sessionStartLimit: { total: number; remaining: number; resetAfter: number; maxConcurrency: number };
}

export interface DispatchOptions {
  /** Routes the event to the shard owning this guild (DMs go to shard 0). */
  guildId?: string | null;
  /** Only sessions that identified with this intent receive the event. */
  intent?: number;
  /** Per-session payload tweak (e.g. strip message content without MESSAGE_CONTENT). */
  transform?: (d: Json, session: GatewaySession) => Json;
  /** Called once when the frame is written to a live socket (first session only). */
  onSent?: () => void;
}

export class FakeGateway {
  readonly wss = new WebSocketServer({ noServer: true });
  readonly connections = new Set<GatewayConnection>();
  readonly sessions = new Map<string, GatewaySession>();
  baseUrl = "";
  /** Every payload a client sent, for assertions. */
  readonly received: { at: number; op: number; d: unknown }[] = [];

  constructor(
    private readonly state: FakeState,
    readonly opts: GatewayOptions,
  ) {}

  get gatewayUrl(): string {
    return `${this.baseUrl}/gateway`;
  }

  get resumeGatewayUrl(): string {
    return `${this.baseUrl}/gateway/resume`;
  }

  /** HTTP upgrade handler: accepts /gateway and /gateway/resume. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== "/gateway" && url.pathname !== "/gateway/resume") {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, url));
  }

  private onConnection(ws: WebSocket, url: URL): void {
    const query = { v: url.searchParams.get("v"), encoding: url.searchParams.get("encoding"), compress: url.searchParams.get("compress") };
    const conn = new GatewayConnection(ws, url.pathname, query);
    this.connections.add(conn);
    ws.on("message", (data, isBinary) => this.onMessage(conn, data, isBinary));
    ws.on("close", (code) => this.onClose(conn, code));
    ws.on("error", () => undefined);
    this.state.notify();

    if (!query.v || !SUPPORTED_VERSIONS.has(query.v)) {
      conn.close(CloseCode.INVALID_API_VERSION, "Invalid API version.");
      return;
    }
    if (query.encoding !== null && query.encoding !== "json") {
      // Discord also supports etf; this fake only speaks JSON.
      conn.close(CloseCode.DECODE_ERROR, "Only encoding=json is supported by the fake.");
      return;
    }
    if (query.compress !== null && query.compress !== "zlib-stream") {
      conn.close(CloseCode.DECODE_ERROR, "Only compress=zlib-stream is supported by the fake.");
      return;
    }
    conn.send({ op: Op.HELLO, d: { heartbeat_interval: this.opts.heartbeatIntervalMs, _trace: ['["fake-gateway",{"micros":0}]'] }, s: null, t: null });
  }

  private onClose(conn: GatewayConnection, code: number): void {
    this.connections.delete(conn);
    conn.dispose();
    const session = conn.session;
    if (session && session.conn === conn) {
      session.conn = null;
      session.disconnectedAt = Date.now();
      // Closing with 1000/1001 invalidates the session; any other code keeps it resumable.
      if (code === 1000 || code === 1001) session.invalidated = true;
    }
    this.state.notify();
  }

  private onMessage(conn: GatewayConnection, data: RawData, _isBinary: boolean): void {
    const now = Date.now();
    if (!conn.countReceived(now)) {
      conn.close(CloseCode.RATE_LIMITED, "You are being rate limited.");
      return;
    }
    let payload: { op?: unknown; d?: unknown };
    try {
      const text = Array.isArray(data) ? Buffer.concat(data).toString("utf8") : Buffer.from(data as ArrayBuffer).toString("utf8");
      payload = JSON.parse(text) as { op?: unknown; d?: unknown };
      if (typeof payload !== "object" || payload === null) throw new Error("not an object");
    } catch {
      conn.close(CloseCode.DECODE_ERROR, "Error while decoding payload.");
      return;
    }
    this.received.push({ at: now, op: Number(payload.op), d: payload.d });
    switch (payload.op) {
      case Op.HEARTBEAT:
        conn.heartbeatsReceived++;
        conn.lastHeartbeatAt = now;
        conn.send({ op: Op.HEARTBEAT_ACK, d: null, s: null, t: null });
        break;
      case Op.IDENTIFY:
        this.onIdentify(conn, payload.d);
        break;
      case Op.RESUME:
        this.onResume(conn, payload.d);
        break;
      case Op.PRESENCE_UPDATE:
      case Op.VOICE_STATE_UPDATE:
      case Op.REQUEST_SOUNDBOARD_SOUNDS:
        if (!conn.session) conn.close(CloseCode.NOT_AUTHENTICATED, "Not authenticated.");
        break;
      case Op.REQUEST_GUILD_MEMBERS:
        if (!conn.session) conn.close(CloseCode.NOT_AUTHENTICATED, "Not authenticated.");
        else this.onRequestGuildMembers(conn.session, payload.d);
        break;
      default:
        conn.close(CloseCode.UNKNOWN_OPCODE, "Unknown opcode.");
    }
    this.state.notify();
  }

  private onIdentify(conn: GatewayConnection, d: unknown): void {
    if (conn.session) {
      conn.close(CloseCode.ALREADY_AUTHENTICATED, "Already authenticated.");
      return;
    }
    const data = d as Json | null;
    if (!data || typeof data !== "object" || typeof data.token !== "string" || typeof data.properties !== "object") {
      conn.close(CloseCode.DECODE_ERROR, "Error while decoding payload.");
      return;
    }
    if (data.token.replace(/^Bot /, "") !== this.state.token) {
      conn.close(CloseCode.AUTHENTICATION_FAILED, "Authentication failed.");
      return;
    }
    const intents = data.intents;
    if (typeof intents !== "number" || !Number.isInteger(intents) || intents < 0 || (intents & ~KNOWN_INTENTS) !== 0) {
      conn.close(CloseCode.INVALID_INTENTS, "Invalid intent(s).");
      return;
    }
    if ((intents & PRIVILEGED_INTENTS & ~this.opts.allowedPrivilegedIntents) !== 0) {
      conn.close(CloseCode.DISALLOWED_INTENTS, "Disallowed intent(s).");
      return;
    }
    let shard: [number, number] = [0, 1];
    if (data.shard !== undefined) {
      const s = data.shard as unknown[];
      const [id, count] = Array.isArray(s) ? s : [];
      if (typeof id !== "number" || typeof count !== "number" || count < 1 || id < 0 || id >= count) {
        conn.close(CloseCode.INVALID_SHARD, "Invalid shard.");
        return;
      }
      shard = [id, count];
    }
    const largeThreshold = typeof data.large_threshold === "number" ? data.large_threshold : 50;
    const session = new GatewaySession(randomHex(16), shard, intents, largeThreshold);
    this.sessions.set(session.id, session);
    session.conn = conn;
    conn.session = session;
    conn.payloadCompression = data.compress === true && !conn.query.compress;
    const limit = this.opts.sessionStartLimit;
    limit.remaining = Math.max(0, limit.remaining - 1);
    this.state.identifies.push({
      at: Date.now(),
      sessionId: session.id,
      intents,
      shard,
      properties: data.properties as Json,
      compress: data.compress === true,
      largeThreshold: typeof data.large_threshold === "number" ? data.large_threshold : undefined,
      presence: (data.presence as Json | undefined) ?? undefined,
      query: conn.query,
    });

    const guilds = [...this.state.guilds.values()].filter((g) => shardForGuild(g.id, shard[1]) === shard[0]);
    this.dispatchTo(session, "READY", {
      v: Number(conn.query.v),
      user_settings: {},
      user: { ...this.state.currentUserObject() },
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      session_type: "normal",
      resume_gateway_url: this.resumeGatewayUrl,
      shard,
      application: { id: this.state.applicationId, flags: this.state.applicationFlags },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: ["fake"],
      auth: {},
      _trace: ['["fake-gateway",{"micros":0}]'],
    });
    // Guilds are lazily sent as GUILD_CREATE; GUILD_CREATE belongs to the GUILDS intent.
    if (intents & Intents.GUILDS) {
      for (const g of guilds) {
        const withMembers = (intents & Intents.GUILD_PRESENCES) !== 0 && g.memberCount <= largeThreshold;
        this.dispatchTo(session, "GUILD_CREATE", this.state.guildCreateObject(g, withMembers));
      }
    }
  }

  private onResume(conn: GatewayConnection, d: unknown): void {
    if (conn.session) {
      conn.close(CloseCode.ALREADY_AUTHENTICATED, "Already authenticated.");
      return;
    }
    const data = d as Json | null;
    if (!data || typeof data !== "object" || typeof data.session_id !== "string" || typeof data.token !== "string") {
      conn.close(CloseCode.DECODE_ERROR, "Error while decoding payload.");
      return;
    }
    if (data.token.replace(/^Bot /, "") !== this.state.token) {
      conn.close(CloseCode.AUTHENTICATION_FAILED, "Authentication failed.");
      return;
    }
    const session = this.sessions.get(data.session_id);
    const seq = typeof data.seq === "number" ? data.seq : 0;
    if (!session || !this.isResumable(session)) {
      conn.send({ op: Op.INVALID_SESSION, d: false, s: null, t: null });
      return;
    }
    if (seq > session.seq) {
      conn.close(CloseCode.INVALID_SEQ, "Invalid seq.");
      return;
    }
    const missed = session.buffer.filter((e) => e.s > seq);
    const oldest = session.buffer[0]?.s ?? session.seq + 1;
    if (seq + 1 < oldest) {
      // Events needed for replay were already dropped from the buffer.
      conn.send({ op: Op.INVALID_SESSION, d: false, s: null, t: null });
      return;
    }
    const previous = session.conn;
    if (previous && previous !== conn) {
      previous.session = null;
      previous.close(CloseCode.UNKNOWN_ERROR, "Session resumed elsewhere.");
    }
    session.conn = conn;
    session.disconnectedAt = null;
    conn.session = session;
    for (const e of missed) conn.send(e.payload, e.onSent);
    this.state.resumes.push({ at: Date.now(), sessionId: session.id, seq, replayed: missed.length, path: conn.path });
    this.dispatchTo(session, "RESUMED", { _trace: ['["fake-gateway",{"micros":0}]'] });
  }

  private onRequestGuildMembers(session: GatewaySession, d: unknown): void {
    const data = (d ?? {}) as Json;
    const guild = this.state.guilds.get(String(data.guild_id));
    if (!guild) return;
    const query = typeof data.query === "string" ? data.query.toLowerCase() : "";
    const ids = Array.isArray(data.user_ids) ? (data.user_ids as string[]) : null;
    const limit = typeof data.limit === "number" && data.limit > 0 ? data.limit : Infinity;
    const members = guild.memberIds
      .filter((id) => (ids ? ids.includes(id) : (this.state.users.get(id)?.username ?? "").toLowerCase().startsWith(query)))
      .slice(0, limit)
      .map((id) => this.state.memberObject(guild, id));
    this.dispatchTo(session, "GUILD_MEMBERS_CHUNK", {
      guild_id: guild.id,
      members,
      chunk_index: 0,
      chunk_count: 1,
      not_found: [],
      ...(data.nonce !== undefined ? { nonce: data.nonce } : {}),
    });
  }

  private isResumable(session: GatewaySession): boolean {
    if (session.invalidated) return false;
    if (session.disconnectedAt !== null && Date.now() - session.disconnectedAt > this.opts.sessionResumeWindowMs) {
      session.invalidated = true;
      return false;
    }
    return true;
  }

  /** Assigns the next sequence number, buffers for RESUME and writes to the socket if connected. */
  private dispatchTo(session: GatewaySession, t: string, d: Json, onSent?: () => void): void {
    const s = ++session.seq;
    const payload = { op: Op.DISPATCH, t, s, d };
    const event: BufferedEvent = { s, payload, ...(onSent ? { onSent } : {}) };
    session.buffer.push(event);
    if (session.buffer.length > MAX_REPLAY_BUFFER) session.buffer.shift();
    if (session.conn) session.conn.send(payload, onSent);
  }

  /** Dispatches an event to every resumable session of the right shard. Returns how many sessions got it. */
  dispatch(t: string, d: Json, opts: DispatchOptions = {}): number {
    let count = 0;
    let onSent = opts.onSent;
    for (const session of this.sessions.values()) {
      if (!this.isResumable(session)) continue;
      const [shardId, shardCount] = session.shard;
      const target = opts.guildId ? shardForGuild(opts.guildId, shardCount) : 0;
      if (target !== shardId) continue;
      if (opts.intent !== undefined && (session.intents & opts.intent) === 0) continue;
      this.dispatchTo(session, t, opts.transform ? opts.transform(d, session) : d, onSent);
      onSent = undefined;
      count++;
    }
    this.state.notify();
    return count;
  }

  /** Server-side disconnect. Sessions stay resumable unless the code is 1000/1001. */
  async drop(opts: { code?: number; reason?: string; terminate?: boolean } = {}): Promise<void> {
    const code = opts.code ?? CloseCode.UNKNOWN_ERROR;
    const closing = [...this.connections].map(
      (conn) =>
        new Promise<void>((resolve) => {
          if (conn.ws.readyState === WebSocket.CLOSED) return resolve();
          conn.ws.once("close", () => resolve());
          const session = conn.session;
          if (session && session.conn === conn) {
            session.conn = null;
            session.disconnectedAt = Date.now();
            if (!opts.terminate && (code === 1000 || code === 1001)) session.invalidated = true;
          }
          if (opts.terminate) conn.ws.terminate();
          else conn.close(code, opts.reason ?? "");
        }),
    );
    this.state.notify();
    await Promise.all(closing);
  }

  /** op 7 RECONNECT: the client should reconnect and RESUME. */
  sendReconnect(): void {
    for (const conn of this.connections) conn.send({ op: Op.RECONNECT, d: null, s: null, t: null });
  }

  /** op 9 INVALID_SESSION. With resumable=false the sessions are discarded (client must re-IDENTIFY). */
  invalidateSessions(resumable: boolean): void {
    for (const conn of this.connections) {
      const session = conn.session;
      if (!session) continue;
      // Either way the connection is no longer authenticated: the client RESUMEs or IDENTIFYs next.
      conn.session = null;
      session.conn = null;
      session.disconnectedAt = Date.now();
      if (!resumable) session.invalidated = true;
      conn.send({ op: Op.INVALID_SESSION, d: resumable, s: null, t: null });
    }
  }

  /** op 1 sent by the server: asks clients to heartbeat immediately. */
  requestHeartbeat(): void {
    for (const conn of this.connections) conn.send({ op: Op.HEARTBEAT, d: null, s: null, t: null });
  }

  async close(): Promise<void> {
    for (const conn of this.connections) {
      conn.ws.terminate();
      conn.dispose();
    }
    this.connections.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
