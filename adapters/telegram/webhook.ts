// Receives updates that Telegram POSTs to TELEGRAM_WEBHOOK_URL, on the bot's own HTTP server.
// Every request must carry the secret given to setWebhook in X-Telegram-Bot-Api-Secret-Token
// (https://core.telegram.org/bots/api#setwebhook); anything else is refused before its body is
// read. This is the one place that check lives.
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { Logger } from "../../src/logger.ts";

const SECRET_HEADER = "x-telegram-bot-api-secret-token";
/** Updates are small (files are fetched separately); anything bigger is not from Telegram. */
const MAX_BODY_BYTES = 1024 * 1024;

const updateSchema = z.object({ update_id: z.number().int().nonnegative() }).loose();

export type Update = z.infer<typeof updateSchema>;

export interface WebhookOptions {
  secret: string;
  logger: Logger;
  /** False while starting or stopping: Telegram then keeps the update and retries. */
  ready(): boolean;
  handle(update: Update): Promise<void>;
}

/** Compares in constant time, whatever the lengths. */
function secretMatches(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== "string") return false;
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(secret));
}

export function webhookHandler(options: WebhookOptions) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== "POST") return answer(response, 405, { allow: "POST" });
    if (!secretMatches(request.headers[SECRET_HEADER], options.secret)) {
      options.logger.warn({ platform: "telegram", remote: request.socket.remoteAddress }, "webhook request without the right secret refused");
      request.resume();
      return answer(response, 401);
    }
    if (!options.ready()) {
      request.resume();
      return answer(response, 503);
    }
    const body = await readBody(request);
    if (body === undefined) return answer(response, 413);
    let update: Update;
    try {
      update = updateSchema.parse(JSON.parse(body.toString("utf8")));
    } catch {
      return answer(response, 400);
    }
    await options.handle(update);
    answer(response, 200);
  };
}

function answer(response: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  response.writeHead(status, headers).end();
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end even when too big, so the client still gets our answer.
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : undefined;
}
