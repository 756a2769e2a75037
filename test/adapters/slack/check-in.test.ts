// The reminder's check-in button through Slack, end to end: the real adapter posts the reminder
// with a Block Kit button, a member presses it (a signed block_actions interaction), and the answer
// is ephemeral through the interaction's response_url; the check-in is recorded once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sendBlockAction } from "../../fakes/slack/index.ts";
import { BEA, startSlackHarness, type SlackHarness } from "./harness.ts";

// The test program's first session: Tuesday 2030-05-14 17:00 Berlin (15:00 UTC); check-in opens 15 minutes before.
const SESSION_1 = Date.parse("2030-05-14T15:00:00Z");
const HOUR = 3_600_000;

describe("Slack check-in button", () => {
  let slack: SlackHarness;
  beforeAll(async () => {
    slack = await startSlackHarness();
  });
  beforeEach(async () => {
    await slack.reset();
  });
  afterAll(async () => {
    await slack?.close();
  });

  it("posts the reminder with a button and answers a press privately", async () => {
    await slack.slash("register Berlin Tenants", { channel: "C0BERLIN1" });
    await slack.slash("join", { channel: "C0BERLIN1", user: BEA });
    slack.clock.set(SESSION_1 - 24 * HOUR);
    await slack.app.planners.reminders.enqueueHorizon();
    expect((await slack.app.dispatcher.drain()).sent).toBe(1);
    const [reminder] = slack.fake.messagesIn("C0BERLIN1");
    expect(reminder!.blocks!.at(-1)).toEqual({
      type: "actions",
      block_id: "actions",
      elements: [{ type: "button", action_id: "check-in", text: { type: "plain_text", text: "✋ I'm here", emoji: true }, value: "here:1" }],
    });

    slack.clock.set(SESSION_1 + 5 * 60_000);
    const press = () => sendBlockAction(slack.target, { action_id: "check-in", value: "here:1", user_id: BEA.id, user_name: BEA.name, channel_id: "C0BERLIN1", message_ts: reminder!.ts });
    const answers = [];
    for (let tap = 0; tap < 2; tap++) {
      const result = await press();
      expect(result.status).toBe(200);
      answers.push(await slack.fake.waitFor((fake) => fake.responses.find((response) => response.url === result.payload.response_url)));
    }
    expect(answers.map((answer) => [answer.visibility, answer.replace_original, answer.text])).toEqual([
      ["ephemeral", false, "✅ Beatriz Souza, sua presença na sessão 1, “First”, foi registrada (17:05, depois do início)."],
      ["ephemeral", false, "Sua presença na sessão 1 já tinha sido registrada às 17:05."],
    ]);
    const rows = await slack.db.prisma.checkIn.findMany({ include: { member: true } });
    expect(rows.map((row) => [row.member?.displayName, row.late, row.recordedBy])).toEqual([["Beatriz Souza", true, "self"]]);
  });

  it("ignores a button that is not ours", async () => {
    const result = await sendBlockAction(slack.target, { action_id: "check-in", value: "vote:yes", user_id: BEA.id, channel_id: "C0BERLIN1" });
    expect(result.status).toBe(200);
    await slack.adapter.settled();
    expect(slack.fake.responses.filter((response) => response.url === result.payload.response_url)).toEqual([]);
  });
});
