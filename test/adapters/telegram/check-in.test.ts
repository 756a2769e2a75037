// The reminder's check-in button through Telegram, end to end: the real adapter sends the reminder
// with an inline keyboard, a member presses it (a callback_query from the fake Bot API), and the
// answer comes back as a callback answer only they see, in their language; the check-in is recorded once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ALICE, BOB, startTelegramHarness, type TelegramHarness } from "./harness.ts";

// The test program's first session: Tuesday 2030-05-14 17:00 Berlin (15:00 UTC); check-in opens 15 minutes before.
const SESSION_1 = Date.parse("2030-05-14T15:00:00Z");
const HOUR = 3_600_000;

describe("Telegram check-in button", () => {
  let h: TelegramHarness;
  beforeAll(async () => {
    h = await startTelegramHarness();
  });
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(async () => {
    await h.reset();
    h.clock.set(SESSION_1 - 3 * 24 * HOUR);
  });

  it("puts an inline button on the reminder and checks the presser in, answering only them", async () => {
    const chat = h.newGroup("Button Tenants");
    await h.ask(ALICE, "/register Button Tenants", chat);
    await h.ask(BOB, "/join", chat);
    h.clock.set(SESSION_1 - 24 * HOUR);
    expect((await h.app.dispatcher.drain()).sent).toBe(1);
    const reminder = h.telegram.messages.find((sent) => sent.chatId === chat.id && sent.message.text?.startsWith("⏰"))!;
    expect(reminder.message.reply_markup).toEqual({ inline_keyboard: [[{ text: "✋ I'm here", callback_data: "here:1" }]] });

    // Too early: the answer says when check-in opens, and nothing is recorded.
    h.telegram.injectCallbackQuery({ from: BOB, chatId: chat.id, messageId: reminder.messageId, data: "here:1" });
    await h.eventually(() => h.telegram.callbackAnswers.length === 1);
    expect(h.telegram.callbackAnswers[0]!.text).toBe("Der Check-in für Sitzung 1 öffnet am Dienstag, 14. Mai 2030 um 16:45 MESZ.");

    h.clock.set(SESSION_1 - 10 * 60_000);
    const messagesBefore = h.telegram.messages.length;
    for (let tap = 0; tap < 2; tap++) h.telegram.injectCallbackQuery({ from: BOB, chatId: chat.id, messageId: reminder.messageId, data: "here:1" });
    await h.eventually(() => h.telegram.callbackAnswers.length === 3);
    expect(h.telegram.callbackAnswers.slice(1).map((answer) => answer.text)).toEqual([
      "✅ Bob, du bist für Sitzung 1, „First“, eingecheckt (16:50).",
      "Du warst für Sitzung 1 schon um 16:50 eingecheckt.",
    ]);
    // Nothing was posted in the group: the answers were Bob's alone.
    expect(h.telegram.messages.length).toBe(messagesBefore);
    const rows = await h.db.prisma.checkIn.findMany({ include: { member: true } });
    expect(rows.map((row) => [row.member?.displayName, row.late, row.recordedBy])).toEqual([["Bob", false, "self"]]);
  });

  it("ignores a press whose data is not ours", async () => {
    const chat = h.newGroup("Other Data");
    await h.ask(ALICE, "/register Other Data", chat);
    const [message] = h.telegram.messages.filter((sent) => sent.chatId === chat.id);
    h.telegram.injectCallbackQuery({ from: ALICE, chatId: chat.id, messageId: message!.messageId, data: "vote:yes" });
    const answer = await h.ask(ALICE, "/whoami", chat);
    expect(answer.message.text).toContain("Alice");
    expect(h.telegram.callbackAnswers).toHaveLength(0);
  });
});
