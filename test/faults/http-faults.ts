// An HTTP proxy in front of a platform fake that answers a burst of requests with a server error,
// the way a platform's load balancer does in an outage: an HTML 502/503 page, not the API's JSON.
// Everything else is passed through unchanged (streamed both ways).
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface HttpFaults {
  /** http://127.0.0.1:<port>: put it where the bot expects the platform's API. */
  readonly url: string;
  /** Requests answered with an error so far. */
  readonly failed: number;
  /** Requests passed through that matched `sends` (attempts to post a message). */
  readonly sendAttempts: number;
  /** The next `count` requests matching the send pattern get `status`. */
  storm(count: number, status?: 500 | 502 | 503): void;
  close(): Promise<void>;
}

export async function startHttpFaults(target: string, sends: RegExp): Promise<HttpFaults> {
  const upstream = new URL(target);
  let remaining = 0;
  let status = 502;
  let failed = 0;
  let sendAttempts = 0;
  const server = http.createServer((request, response) => {
    const isSend = sends.test(request.url ?? "");
    if (isSend) sendAttempts++;
    if (isSend && remaining > 0) {
      remaining--;
      failed++;
      request.resume();
      response.writeHead(status, { "content-type": "text/html" }).end(`<html><body><h1>${status} ${http.STATUS_CODES[status]}</h1></body></html>`);
      return;
    }
    const forwarded = http.request(
      { host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: { ...request.headers, host: upstream.host } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forwarded.on("error", () => response.destroy());
    request.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get failed() {
      return failed;
    },
    get sendAttempts() {
      return sendAttempts;
    },
    storm(count, answer = 502) {
      remaining = count;
      status = answer;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
