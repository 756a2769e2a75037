// Webhook mode: the adapter registers TELEGRAM_WEBHOOK_URL with its secret and serves it on the
// bot's own HTTP server; the fake POSTs updates there. A request without the right secret is
// refused and changes nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ALICE, BOB, startTelegramHarness, WEBHOOK_SECRET, type TelegramHarness } from "./harness.ts";

describe("Telegram webhook", () => {
  let h: TelegramHarness;
  beforeAll(async () => {
    h = await startTelegramHarness({ webhook: true, fake: { rateLimits: "off" } });
  });
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(async () => {
    await h.reset();
  });

  const post = (body: string, headers: Record<string, string> = {}, method = "POST") =>
    fetch(h.webhookUrl!, { method, headers: { "content-type": "application/json", ...headers }, ...(method === "POST" ? { body } : {}) });

  /** A realistic update: what the fake would have delivered, but not queued by it. */
  function registerUpdate(chatId: number, updateId: number): string {
    return JSON.stringify({
      update_id: updateId,
      message: {
        message_id: 1,
        date: 1_900_000_000,
        chat: { id: chatId, type: "group", title: "Intruders" },
        from: { id: 666, is_bot: false, first_name: "Mallory" },
        text: "/register Intruders",
        entities: [{ type: "bot_command", offset: 0, length: 9 }],
      },
    });
  }

  it("registers the webhook with its secret and receives commands through it, without polling", async () => {
    expect(h.telegram.webhook).toMatchObject({ url: h.webhookUrl, secretToken: WEBHOOK_SECRET });
    expect(h.telegram.requestCounts.getUpdates ?? 0).toBe(0);
    expect(h.adapter.isConnected()).toBe(true);
    const group = h.newGroup();
    const registered = await h.ask(ALICE, "/register Webhook Tenants", group);
    expect(registered.message.text).toMatch(/Webhook Tenants/);
    const joined = await h.ask(BOB, "/join", group);
    expect(joined.message.text).toMatch(/Webhook Tenants/);
    expect(h.telegram.webhookDeliveries.every((delivery) => delivery.status === 200)).toBe(true);
  });

  it("refuses requests without the right secret, and does nothing with them", async () => {
    const group = h.newGroup();
    h.telegram.addChat(group);
    const wrongSecrets: Record<string, string>[] = [{}, { "x-telegram-bot-api-secret-token": "wrong" }, { "x-telegram-bot-api-secret-token": `${WEBHOOK_SECRET}x` }];
    for (const headers of wrongSecrets) {
      const response = await post(registerUpdate(group.id, 900_000_001), headers);
      expect(response.status).toBe(401);
    }
    expect((await post("", {}, "GET")).status).toBe(405);

    // Telegram itself, configured with another secret: refused, so the update stays with Telegram.
    await fetch(`${h.telegram.apiRoot}/bot${h.telegram.token}/setWebhook`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: h.webhookUrl, secret_token: "not-our-secret" }),
    });
    try {
      h.telegram.injectMessage({ from: ALICE, chat: group, text: "/register Intruders" });
      await h.eventually(() => h.telegram.webhook?.lastErrorMessage !== undefined);
      expect(h.telegram.webhook!.lastErrorMessage).toBe("Wrong response from the webhook: 401 Unauthorized");
      expect(h.telegram.pendingUpdates).toHaveLength(1);
    } finally {
      await fetch(`${h.telegram.apiRoot}/bot${h.telegram.token}/setWebhook`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ url: h.webhookUrl, secret_token: WEBHOOK_SECRET, drop_pending_updates: true }),
      });
    }
    expect(h.telegram.sent).toHaveLength(0);
    expect(await h.db.prisma.group.count()).toBe(0);
  });

  it("accepts a request with the right secret, and rejects a body that is not an update", async () => {
    const group = h.newGroup();
    h.telegram.addChat(group);
    const secret = { "x-telegram-bot-api-secret-token": WEBHOOK_SECRET };
    expect((await post("{not json", secret)).status).toBe(400);
    expect((await post(JSON.stringify({ hello: "world" }), secret)).status).toBe(400);
    expect((await post(JSON.stringify({ update_id: 1, padding: "x".repeat(2 * 1024 * 1024) }), secret)).status).toBe(413);

    const accepted = await post(registerUpdate(group.id, 900_000_002), secret);
    expect(accepted.status).toBe(200);
    const reply = await h.telegram.waitFor((sent) => sent.chatId === group.id);
    expect(reply.message.text).toMatch(/Intruders/);
  });
});
