// GET /healthz: 200 when the database answers and every chat adapter is connected, 503 with
// what is wrong otherwise, and 503 "stopping" once shutdown has begun (a load balancer stops
// sending traffic before the bot goes away).
import type { Adapter } from "../core/adapter.ts";
import type { Database } from "../db/database.ts";
import type { RequestHandler } from "./server.ts";

export function healthzRoute(options: { db: Pick<Database, "ping">; adapters: readonly Adapter[]; stopping: () => boolean }): RequestHandler {
  return async (_request, response) => {
    if (options.stopping()) {
      response.writeHead(503, { "content-type": "application/json" }).end(JSON.stringify({ status: "stopping" }));
      return;
    }
    const database = await options.db.ping();
    const connected = Object.fromEntries(options.adapters.map((adapter) => [adapter.platform, adapter.isConnected()]));
    const healthy = database && Object.values(connected).every(Boolean);
    response
      .writeHead(healthy ? 200 : 503, { "content-type": "application/json" })
      .end(JSON.stringify({ status: healthy ? "ok" : "degraded", database: database ? "ok" : "unreachable", adapters: connected }));
  };
}
