// GET /metrics on the bot's HTTP server; with METRICS_TOKEN set, only for "Authorization: Bearer
// <token>" (compared in constant time), so a public webhook port doesn't publish the figures.
import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "../http/server.ts";
import type { Metrics } from "./metrics.ts";

export function metricsRoute(metrics: Metrics, token: string | undefined): RequestHandler {
  const expected = token ? digest(`Bearer ${token}`) : undefined;
  return async (request, response) => {
    if (expected && !timingSafeEqual(digest(request.headers.authorization ?? ""), expected)) {
      response.writeHead(401, { "content-type": "text/plain; charset=utf-8", "www-authenticate": "Bearer" }).end("unauthorized\n");
      return;
    }
    const { contentType, body } = await metrics.scrape();
    response.writeHead(200, { "content-type": contentType }).end(body);
  };
}

/** Equal-length digests, so the comparison takes the same time whatever was sent. */
function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
