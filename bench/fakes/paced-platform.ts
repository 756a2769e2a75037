// A chat platform for benchmarks: admits a fixed number of messages per sliding window and
// answers 429 with retry_after beyond it, the way Telegram, Slack and Discord do. It records
// every accepted message by its idempotency key, so a benchmark can count duplicates and losses.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface PacedPlatform {
  url: string;
  /** Arrival time (ms since epoch) of each accepted message, by key; more than one = a duplicate. */
  received: Map<string, number[]>;
  accepted: number;
  rejected: number;
  /** 429s answered after the first second of traffic. */
  rejectedAfterFirstSecond: number;
  firstAcceptedAt?: number;
  close(): Promise<void>;
}

export async function startPacedPlatform(options: { messages: number; perMs: number; latencyMs?: number }): Promise<PacedPlatform> {
  const window: number[] = [];
  const platform: PacedPlatform = {
    url: "",
    received: new Map(),
    accepted: 0,
    rejected: 0,
    rejectedAfterFirstSecond: 0,
    close: async () => {},
  };
  const server: Server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      const now = Date.now();
      while (window.length > 0 && window[0]! <= now - options.perMs) window.shift();
      const reply = () => {
        if (window.length >= options.messages) {
          platform.rejected++;
          if (platform.firstAcceptedAt !== undefined && now - platform.firstAcceptedAt > 1_000) platform.rejectedAfterFirstSecond++;
          const retryAfter = Math.max(1, Math.ceil((window[0]! + options.perMs - now) / 1000));
          response.writeHead(429, { "content-type": "application/json", "retry-after": String(retryAfter) });
          response.end(JSON.stringify({ ok: false, error_code: 429, parameters: { retry_after: retryAfter } }));
          return;
        }
        window.push(now);
        platform.accepted++;
        platform.firstAcceptedAt ??= now;
        const { key } = JSON.parse(body) as { key: string };
        const times = platform.received.get(key) ?? [];
        times.push(now);
        platform.received.set(key, times);
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ ok: true, id: platform.accepted }));
      };
      if (options.latencyMs) setTimeout(reply, options.latencyMs);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  platform.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  platform.close = () => new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  return platform;
}
