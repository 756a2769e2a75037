// The process's one small HTTP server. The core serves /healthz; adapters mount their webhook
// endpoints (Slack events, Telegram updates) on it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logger.ts";

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

export class HttpServer {
  private readonly routes: { method: string | undefined; path: string; prefix: boolean; handler: RequestHandler }[] = [];
  private server: Server | undefined;

  constructor(private readonly logger: Logger) {}

  /** Serves one exact path; method undefined means any method. */
  route(method: string | undefined, path: string, handler: RequestHandler): void {
    this.routes.push({ method, path, prefix: false, handler });
  }

  /** Serves every path under a prefix (an adapter's webhook receiver). */
  mount(prefix: string, handler: RequestHandler): void {
    this.routes.push({ method: undefined, path: prefix.replace(/\/$/, ""), prefix: true, handler });
  }

  async listen(port: number, host = "0.0.0.0"): Promise<number> {
    const server = createServer((request, response) => void this.dispatch(request, response));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    return (server.address() as AddressInfo).port;
  }

  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }

  private async dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const route = this.routes.find(
      (candidate) =>
        (candidate.method === undefined || candidate.method === request.method) &&
        (candidate.prefix ? path === candidate.path || path.startsWith(candidate.path + "/") : path === candidate.path),
    );
    if (!route) {
      response.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not found" }));
      return;
    }
    try {
      await route.handler(request, response);
    } catch (error) {
      this.logger.error({ err: error, path }, "http handler failed");
      if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: "internal error" }));
    }
  }
}
