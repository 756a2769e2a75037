// What Telegram shows for messages the adapter sends: a coordinator's announcement with markup
// characters and @everyone, long messages split at 4,096 characters, and a long message whose
// second part hits a rate limit (retried without repeating the first). Telegram's own parser
// (the fake follows TDLib's) has the last word on whether our HTML is valid.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DeliveryError } from "../../../src/core/adapter.ts";
import { message } from "../../../src/core/messages.ts";
import { startTelegramHarness, type TelegramHarness } from "./harness.ts";

const ANNOUNCEMENT = "<b>Rent strike</b> on Friday & *everyone* brings _food_ `now` <i>really</i> @everyone";

describe("Telegram sending", () => {
  let h: TelegramHarness;
  let chatId: number;
  beforeAll(async () => {
    h = await startTelegramHarness({ fake: { rateLimits: "off" } });
  });
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(() => {
    h.telegram.setRateLimits("off");
    h.telegram.clearRecords();
    chatId = h.newGroup().id;
    h.telegram.addChat({ id: chatId, type: "group", title: "Announcements" });
  });

  const send = (built: ReturnType<ReturnType<typeof message>["build"]>, key = `test:${Math.random()}`) =>
    h.adapter.send(String(chatId), built, { idempotencyKey: key });

  it("shows a coordinator's announcement exactly as typed, with no formatting and no mass mention", async () => {
    await send(message().heading("📣 Announcement").text(ANNOUNCEMENT).build());
    const [sent] = h.telegram.messages;
    expect(sent!.message.text).toBe(`📣 Announcement\n${ANNOUNCEMENT.replace("@everyone", "@\u2060everyone")}`);
    expect(sent!.message.entities).toEqual([{ type: "bold", offset: 0, length: "📣 Announcement".length }]);
  });

  it("lets @everyone through as a mention when the message allows mass mentions", async () => {
    await send({ ...message().text(ANNOUNCEMENT).build(), allowMassMentions: true });
    const [sent] = h.telegram.messages;
    expect(sent!.message.text).toBe(ANNOUNCEMENT);
    expect(sent!.message.entities).toEqual([{ type: "mention", offset: ANNOUNCEMENT.indexOf("@everyone"), length: 9 }]);
  });

  it("splits a long message into several, each within Telegram's limit, in order", async () => {
    const paragraphs = Array.from({ length: 5 }, (_, index) => `Paragraph ${index}: ${"organize & win <together> ".repeat(90)}`.trim());
    const result = await send(message().heading("Long").text(paragraphs.join("\n")).build());
    const texts = h.telegram.messages.map((sent) => sent.message.text!);
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.every((text) => text.length <= 4096)).toBe(true);
    expect(texts.join("\n")).toBe(["Long", ...paragraphs].join("\n"));
    expect(result.platformMessageId).toBe(`${chatId}:${h.telegram.messages[0]!.messageId}`);
  });

  it("resumes a long message after a rate limit without sending its first part twice", async () => {
    const long = message().text(Array.from({ length: 3 }, (_, index) => `${index} ${"x".repeat(3000)}`).join("\n")).build();
    h.telegram.setRateLimits({ perChatBurst: 1, perChatPerSecond: 1 });
    const failure = await send(long, "announcement:7:group:1").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DeliveryError);
    expect(failure).toMatchObject({ kind: "rate_limited", retryAfterMs: 1000, scope: "channel" });
    expect(h.telegram.messages).toHaveLength(1);
    h.telegram.setRateLimits("off");
    await send(long, "announcement:7:group:1");
    expect(h.telegram.messages.map((sent) => sent.message.text!.slice(0, 2))).toEqual(["0 ", "1 ", "2 "]);
  });

  it("sends a file with its text as the caption, or after the text when it is too long for one", async () => {
    const file = { fileName: "roster.csv", contentType: "text/csv", data: Buffer.from("name\n<Ana>\n") };
    await send(message().text("Roster <week 1>").attach(file).build());
    expect(h.telegram.documents[0]).toMatchObject({ fileName: "roster.csv", caption: "Roster &lt;week 1&gt;", parseMode: "HTML" });
    expect(h.telegram.documents[0]!.message.caption).toBe("Roster <week 1>");
    await send(message().text("y".repeat(2000)).attach(file).build());
    expect(h.telegram.sent.slice(1).map((sent) => sent.method)).toEqual(["sendMessage", "sendDocument"]);
  });

  it("maps Telegram's refusals to what the outbox does next", async () => {
    h.telegram.storm(1, 3);
    await expect(send(message().text("hi").build())).rejects.toMatchObject({ kind: "rate_limited", retryAfterMs: 3000 });
    h.telegram.kickBot(chatId);
    await expect(send(message().text("hi").build())).rejects.toMatchObject({ kind: "permanent", message: "403 Forbidden: bot was kicked from the group chat" });
    await expect(h.adapter.send("-100999", message().text("hi").build(), { idempotencyKey: "x" })).rejects.toMatchObject({
      kind: "permanent",
      message: "400 Bad Request: chat not found",
    });
  });
});
