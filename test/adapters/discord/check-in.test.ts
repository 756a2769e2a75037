// The reminder's check-in button through Discord, end to end: the real adapter posts the reminder
// with a button component, a member presses it (INTERACTION_CREATE type 3 through the fake's
// gateway), and the answer is an ephemeral interaction reply in their language; recorded once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseProgramText } from "../../../src/programs/program-file.ts";
import { startDiscordFake, type DiscordFake, type FakeUserInit } from "../../fakes/discord/index.ts";
import { TEST_PROGRAM } from "../../helpers/bot.ts";
import { answerOf, EPHEMERAL, startDiscordBot, type DiscordBot } from "./harness.ts";

// The test program's first session: Tuesday 2030-05-14 17:00 Berlin (15:00 UTC); check-in opens 15 minutes before.
const SESSION_1 = Date.parse("2030-05-14T15:00:00Z");
const HOUR = 3_600_000;
const LEA: FakeUserInit = { id: "330000000000000001", username: "lea", globalName: "Lea", locale: "de" };
const MIN: FakeUserInit = { id: "330000000000000002", username: "min", globalName: "Min", locale: "ko" };

describe("Discord check-in button", () => {
  let fake: DiscordFake;
  let bot: DiscordBot;
  let channel: string;
  let channels = 0;
  beforeAll(async () => {
    fake = await startDiscordFake({ heartbeatIntervalMs: 1000, guilds: [{ name: "Organizing Hub" }] });
    bot = await startDiscordBot(fake, { guildId: fake.defaultGuildId });
  });
  afterAll(async () => {
    await bot?.close();
    await fake?.close();
  });
  beforeEach(async () => {
    await bot.db.reset();
    bot.clock.set(SESSION_1 - 3 * 24 * HOUR);
    await bot.app.services.programs.import(parseProgramText(TEST_PROGRAM), { activate: true });
    channel = fake.addChannel(fake.defaultGuildId, { name: `check-in-${++channels}` });
    await answerOf(fake, fake.interact({ commandName: "register", channelId: channel, user: LEA, options: { name: "Tenants of Kreuzberg", timezone: "Europe/Berlin" } }));
    await answerOf(fake, fake.interact({ commandName: "join", channelId: channel, user: MIN }));
  });

  it("posts the reminder with a button and answers a press ephemerally", async () => {
    bot.clock.set(SESSION_1 - 24 * HOUR);
    expect((await bot.app.dispatcher.drain()).sent).toBe(1);
    const reminder = fake.messages(channel).find((message) => message.content.includes("⏰"))!;
    expect(reminder.components).toEqual([{ type: 1, components: [{ type: 2, style: 1, label: "✋ Ich bin da", custom_id: "here:1" }] }]);

    bot.clock.set(SESSION_1 - 5 * 60_000);
    const [first] = await answerOf(fake, fake.pressButton({ messageId: reminder.id, customId: "here:1", user: MIN }));
    const [second] = await answerOf(fake, fake.pressButton({ messageId: reminder.id, customId: "here:1", user: MIN }));
    expect([first!.flags & EPHEMERAL, second!.flags & EPHEMERAL]).toEqual([EPHEMERAL, EPHEMERAL]);
    expect(first!.content).toBe("✅ Min 님, 세션 1 “First”에 출석 체크했어요 (PM 4:55).");
    expect(second!.content).toBe("세션 1에는 이미 PM 4:55에 출석 체크했어요.");
    const rows = await bot.db.prisma.checkIn.findMany({ include: { member: true } });
    expect(rows.map((row) => [row.member?.displayName, row.late, row.recordedBy])).toEqual([["Min", false, "self"]]);
  });
});
