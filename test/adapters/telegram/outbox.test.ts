// The outbox through Telegram, end to end: reminders the dispatcher sends through the real
// adapter to the fake Bot API, a 429 storm, a group that becomes a supergroup, the bot removed
// from a chat and added back. Time is a ManualClock; the dispatcher is drained by hand.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ALICE, BOB, startTelegramHarness, type TelegramHarness } from "./harness.ts";

// The test program's first session: Tuesday 2030-05-14 17:00 Berlin (15:00 UTC).
const SESSION_1 = Date.parse("2030-05-14T15:00:00Z");
const HOUR = 3_600_000;

describe("Telegram outbox", () => {
  let h: TelegramHarness;
  beforeAll(async () => {
    h = await startTelegramHarness();
  });
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(async () => {
    await h.reset();
    // Registration is open, and registering enqueues the reminders 24 hours and 1 hour before the first session.
    h.clock.set(SESSION_1 - 3 * 24 * HOUR);
  });

  const deliveries = () => h.db.prisma.delivery.findMany({ orderBy: { id: "asc" }, include: { channel: true } });
  const channelOf = (chatId: number) => h.db.prisma.channel.findFirst({ where: { platformChannelId: String(chatId) } });

  let leads = 0;
  /** A fresh chat with a group registered in it by a lead of its own. */
  async function registeredGroup(name: string, options = "") {
    const chat = h.newGroup(name);
    const lead = { id: 2000 + ++leads, first_name: `Lead ${leads}`, language_code: "en" };
    await h.ask(lead, `/register ${name} ${options}`.trim(), chat);
    return chat;
  }
  const dueRows = async () => (await deliveries()).filter((row) => row.notBefore <= h.clock.now());

  /**
   * Drains until every due row is sent or failed. The dispatcher paces by the real monotonic
   * clock (performance.now), so when it puts a row off, that much real time has to pass too:
   * the ManualClock is moved and the same time waited.
   */
  async function drainUntilSettled(): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      await h.app.dispatcher.drain();
      const open = (await dueRows()).filter((row) => row.status === "pending" || row.status === "claimed" || row.status === "sending");
      if (open.length === 0) return;
      if (Date.now() > deadline) throw new Error(`the outbox did not settle: ${JSON.stringify(open.map((row) => [row.status, row.lastError]))}`);
      const next = Math.min(...open.map((row) => row.nextAttemptAt.getTime()));
      const wait = Math.max(0, next - h.clock.now().getTime());
      await new Promise((resolve) => setTimeout(resolve, wait));
      h.clock.set(Math.max(next, h.clock.now().getTime()));
    }
  }

  it("delivers a reminder from the outbox as Telegram HTML, in the group's language", async () => {
    const chat = await registeredGroup("Berlin Tenants", "language=de");
    h.clock.set(SESSION_1 - 24 * HOUR);
    expect((await h.app.dispatcher.drain()).sent).toBe(1);
    const [reminder] = h.telegram.messages.filter((sent) => sent.chatId === chat.id && sent.message.reply_to_message === undefined);
    expect(reminder!.parseMode).toBe("HTML");
    expect(reminder!.message.text).toMatch(/^⏰ Sitzung 1, „First“/);
    expect(reminder!.message.text).toContain("Dienstag, 14. Mai");
    expect(reminder!.message.entities![0]).toMatchObject({ type: "bold", offset: 0 });
    const [row] = await dueRows();
    expect(row).toMatchObject({ status: "sent", platformMessageId: `${chat.id}:${reminder!.messageId}` });
  });

  it("survives a 429 storm: every group gets its reminder exactly once", async () => {
    const chats = [];
    for (let index = 0; index < 6; index++) chats.push(await registeredGroup(`Storm Group ${index}`));
    h.telegram.clearRecords();
    h.clock.set(SESSION_1 - 24 * HOUR);
    h.telegram.storm(4, 1);
    const first = await h.app.dispatcher.drain();
    expect(first.rateLimited).toBeGreaterThan(0);
    await drainUntilSettled();
    expect(h.telegram.tooManyRequestsCount).toBe(4);
    for (const chat of chats) expect(h.telegram.messages.filter((sent) => sent.chatId === chat.id)).toHaveLength(1);
    expect((await dueRows()).map((row) => row.status)).toEqual(Array(6).fill("sent"));
  });

  it("follows a group that became a supergroup: its binding and its reminders move to the new id", async () => {
    const chat = await registeredGroup("Growing Group");
    const { supergroup } = h.telegram.migrateGroupToSupergroup({ chat: chat.id });
    await h.eventually(async () => (await channelOf(supergroup.id)) !== null);
    expect(await channelOf(chat.id)).toBeNull();

    h.clock.set(SESSION_1 - 24 * HOUR);
    expect((await h.app.dispatcher.drain()).sent).toBe(1);
    expect(h.telegram.messages.at(-1)!.chatId).toBe(supergroup.id);
    const joined = await h.ask(BOB, "/join", supergroup.id);
    expect(joined.message.text).toMatch(/Growing Group/);
  });

  it("sends to the new supergroup when the migration is only learnt from a failed send", async () => {
    const chat = await registeredGroup("Quiet Group");
    h.telegram.markMigrated(chat.id, -1_009_000_000_001);
    h.clock.set(SESSION_1 - 24 * HOUR);
    expect((await h.app.dispatcher.drain()).sent).toBe(1);
    expect(h.telegram.messages.at(-1)!.chatId).toBe(-1_009_000_000_001);
    expect(await channelOf(-1_009_000_000_001)).not.toBeNull();
  });

  it("marks the channel unreachable when the bot is removed, and reachable again with a hello when added back", async () => {
    const chat = await registeredGroup("Fickle Group");
    h.telegram.botRemovedFromGroup({ chat: chat.id, by: ALICE });
    await h.eventually(async () => (await channelOf(chat.id))?.unreachableAt != null);
    expect((await channelOf(chat.id))!.unreachableReason).toMatch(/removed from the group/);

    h.clock.set(SESSION_1 - 24 * HOUR);
    await h.app.dispatcher.drain();
    expect(h.telegram.messages.filter((sent) => sent.chatId === chat.id && !sent.message.reply_to_message)).toHaveLength(0);

    h.telegram.botAddedToGroup({ chat: chat.id, by: BOB });
    const hello = await h.telegram.waitFor((sent) => sent.chatId === chat.id && sent.message.text!.startsWith("👋"));
    expect(hello.message.text).toBe(h.app.i18n.t("de", "telegram.hello"));
    await h.eventually(async () => (await channelOf(chat.id))?.unreachableAt === null);
  });

  it("treats a 403 (bot kicked) as permanent: the delivery fails once and the channel is marked", async () => {
    const chat = await registeredGroup("Kicked Group");
    h.telegram.kickBot(chat.id);
    h.clock.set(SESSION_1 - 24 * HOUR);
    const report = await h.app.dispatcher.drain();
    expect(report).toMatchObject({ sent: 0, failed: 1, retried: 0 });
    const [row] = await dueRows();
    expect(row!.status).toBe("failed");
    expect(row!.lastError).toMatch(/403 Forbidden: bot was kicked/);
    expect(row!.channel.unreachableAt).not.toBeNull();
  });
});
