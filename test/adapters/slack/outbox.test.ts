// The outbox through the Slack adapter: reminders reach the channel in the group's language and
// zone, a 429 is waited out as Slack asks, a channel the bot can't post in any more is given up
// (and Slack's events about removal are believed at once), and what a coordinator writes stays
// text unless they mean to notify everyone.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DeliveryError } from "../../../src/core/adapter.ts";
import { message } from "../../../src/core/messages.ts";
import { CHANNEL_LOSS_EVENTS } from "../../../adapters/slack/channel-events.ts";
import { sendEvent } from "../../fakes/slack/index.ts";
import { BEA, COORDINATOR, startSlackHarness, visible, type SlackHarness } from "./harness.ts";

// The test program's first session: Tuesday 2030-05-14 17:00 Berlin (15:00 UTC).
const SESSION_1 = Date.parse("2030-05-14T15:00:00Z");
const HOUR = 3_600_000;

describe("Slack deliveries", () => {
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

  const deliveries = () => slack.db.prisma.delivery.findMany({ orderBy: { id: "asc" }, include: { channel: true } });
  const channel = (id: string) => slack.db.prisma.channel.findFirstOrThrow({ where: { platform: "slack", platformChannelId: id } });

  // The dispatcher paces each channel to Slack's one message per second across tests, so each
  // test posts to channels of its own.
  let channels = 0;
  function freshChannel(): string {
    const id = `C0NEW${String(++channels).padStart(4, "0")}`;
    slack.fake.setChannel({ id, name: id.toLowerCase() });
    return id;
  }

  /** A group registered by a lead of its own in a channel of its own. */
  async function groupWithDueReminder(name: string, options = ""): Promise<string> {
    const id = freshChannel();
    const lead = { id: `U0LEAD${String(channels).padStart(4, "0")}`, name: `lead${channels}`, locale: "en-US" };
    slack.fake.addUser(lead);
    await slack.slash(`register ${name} ${options}`, { channel: id, user: lead });
    return id;
  }

  async function dueNow(): Promise<void> {
    slack.clock.set(SESSION_1 - 24 * HOUR);
    await slack.app.planners.reminders.enqueueHorizon();
  }

  const sentRows = async () => (await deliveries()).filter((row) => row.status === "sent");
  const postsTo = (id: string) => slack.fake.requests.filter((request) => request.method === "chat.postMessage" && request.args.channel === id);

  it("delivers a reminder from the outbox to each group's channel, in its language and zone", async () => {
    const berlinId = await groupWithDueReminder("Berlin Tenants");
    const lisbonId = await groupWithDueReminder("Lisbon Union", "language=pt tz=Europe/Lisbon");
    await dueNow();
    expect(await slack.app.dispatcher.drain()).toMatchObject({ sent: 2, failed: 0, rateLimited: 0 });
    const [berlin] = slack.fake.messagesIn(berlinId);
    expect(visible(berlin!)).toMatch(/^\*⏰ Session 1, “First”, starts in 1 day\*\nTuesday, May 14, 5:00\sPM–7:00\sPM \(Europe\/Berlin\)/);
    expect(berlin!.text).toMatch(/⏰ Session 1/); // the notification
    const [lisbon] = slack.fake.messagesIn(lisbonId);
    expect(visible(lisbon!)).toMatch(/terça-feira, 14 de maio, 16:00–18:00 \(Europe\/Lisbon\)/);
    const sent = await sentRows();
    expect(sent.map((row) => [row.channel.platformChannelId, row.platformMessageId]).sort()).toEqual([[berlinId, berlin!.ts], [lisbonId, lisbon!.ts]].sort());
    await slack.app.dispatcher.drain();
    expect(slack.fake.messagesIn(berlinId)).toHaveLength(1);
  });

  it("waits out a 429 for as long as Retry-After says, then delivers once", async () => {
    const id = await groupWithDueReminder("Berlin Tenants");
    await dueNow();
    const due = SESSION_1 - 24 * HOUR;
    const row = async () => (await deliveries()).find((delivery) => delivery.notBefore.getTime() === due)!;
    slack.fake.startRateLimitStorm({ calls: 1, retryAfterSeconds: 1, methods: ["chat.postMessage"] });
    expect(await slack.app.dispatcher.drain()).toMatchObject({ sent: 0, rateLimited: 1 });
    expect(await row()).toMatchObject({ status: "pending", attempts: 0, lastError: "ratelimited (Retry-After 1 s)" });
    expect((await row()).nextAttemptAt.getTime()).toBe(due + 1_000);
    slack.clock.advance(999);
    expect((await slack.app.dispatcher.drain()).sent).toBe(0);
    // From then on, as the dispatcher's ticks would: the row goes out once the channel is free.
    for (let tick = 0; tick < 5 && (await row()).status !== "sent"; tick++) {
      slack.clock.set(Math.max(slack.clock.now().getTime(), (await row()).nextAttemptAt.getTime()));
      await slack.app.dispatcher.drain();
    }
    expect(await row()).toMatchObject({ status: "sent", attempts: 1 });
    expect(slack.fake.messagesIn(id)).toHaveLength(1);
    const [limited, accepted] = postsTo(id);
    expect([limited!.httpStatus, accepted!.httpStatus]).toEqual([429, 200]);
    expect(accepted!.timestamp - limited!.timestamp).toBeGreaterThanOrEqual(1_000); // Retry-After, in Slack's time
  });

  for (const [state, error] of [["not_in_channel", "not_in_channel"], ["archived", "is_archived"], ["unknown", "channel_not_found"]] as const) {
    it(`gives a channel up for good on ${error}, and plans nothing more for it`, async () => {
      const lost = await groupWithDueReminder("Berlin Tenants");
      const other = await groupWithDueReminder("Lisbon Union");
      await dueNow();
      slack.fake.setChannelState(lost, state);
      expect(await slack.app.dispatcher.drain()).toMatchObject({ sent: 1, failed: 1 });
      const rows = (await deliveries()).filter((row) => row.channel.platformChannelId === lost);
      expect(rows.map((row) => row.status)).toEqual(rows.map(() => "failed"));
      expect(rows.map((row) => row.lastError).sort()).toEqual([error, ...rows.slice(1).map(() => `channel unreachable: ${error}`)].sort());
      expect(await channel(lost)).toMatchObject({ unreachableReason: error });
      slack.clock.set(SESSION_1 + 2 * 24 * HOUR);
      await slack.app.planners.reminders.enqueueHorizon();
      await slack.app.dispatcher.drain();
      expect((await deliveries()).filter((row) => row.channel.platformChannelId === lost)).toHaveLength(rows.length);
      expect(postsTo(lost)).toHaveLength(1);
      expect(slack.fake.messagesIn(other).length).toBeGreaterThan(0);
    });
  }

  it("marks a channel unreachable as soon as Slack says the bot was removed, or it was archived or deleted", async () => {
    const bot = slack.fake.bot.userId;
    // Each event as Slack sends it (https://docs.slack.dev/reference/events).
    const events = {
      channel_left: (channel: string) => ({ type: "channel_left", channel, actor_id: COORDINATOR.id, event_ts: "1.1" }),
      group_left: (channel: string) => ({ type: "group_left", channel, actor_id: COORDINATOR.id, event_ts: "1.1" }),
      member_left_channel: (channel: string) => ({ type: "member_left_channel", user: bot, channel, channel_type: "C", team: slack.fake.team.id }),
      channel_archive: (channel: string) => ({ type: "channel_archive", channel, user: COORDINATOR.id }),
      group_archive: (channel: string) => ({ type: "group_archive", channel }),
      channel_deleted: (channel: string) => ({ type: "channel_deleted", channel }),
      group_deleted: (channel: string) => ({ type: "group_deleted", channel }),
    };
    expect(Object.keys(events).sort()).toEqual(Object.keys(CHANNEL_LOSS_EVENTS).sort());
    const lost: [string, string][] = [];
    for (const [type, build] of Object.entries(events)) {
      const id = await groupWithDueReminder(`Group ${type}`);
      expect((await sendEvent(slack.target, build(id))).status).toBe(200);
      lost.push([id, type]);
    }
    // Someone else leaving is no concern of the bot's.
    const stays = await groupWithDueReminder("Staying Group");
    await sendEvent(slack.target, { type: "member_left_channel", channel: stays, user: BEA.id, channel_type: "C" });
    await expect.poll(() => slack.db.prisma.channel.count({ where: { unreachableAt: { not: null } } })).toBe(lost.length);
    for (const [id, type] of lost) {
      expect((await channel(id)).unreachableReason, type).toBe(CHANNEL_LOSS_EVENTS[type as keyof typeof CHANNEL_LOSS_EVENTS]);
    }
    await dueNow();
    await slack.app.dispatcher.drain();
    expect(slack.fake.messages.filter((posted) => posted.kind === "message").map((posted) => posted.channel)).toEqual([stays]);
  });

  it("plans and sends for a channel again once the bot is invited back", async () => {
    const id = await groupWithDueReminder("Comeback Tenants");
    await sendEvent(slack.target, { type: "channel_left", channel: id, actor_id: COORDINATOR.id, event_ts: "1.1" });
    await expect.poll(async () => (await channel(id)).unreachableAt).not.toBeNull();
    // Someone else joining changes nothing; the bot joining does.
    await sendEvent(slack.target, { type: "member_joined_channel", user: BEA.id, channel: id, channel_type: "C", team: slack.fake.team.id });
    await sendEvent(slack.target, { type: "member_joined_channel", user: slack.fake.bot.userId, channel: id, channel_type: "C", team: slack.fake.team.id, inviter: COORDINATOR.id });
    await expect.poll(async () => (await channel(id)).unreachableAt).toBeNull();
    await dueNow();
    expect(await slack.app.dispatcher.drain()).toMatchObject({ sent: 1 });
    expect(visible(slack.fake.messagesIn(id)[0]!)).toMatch(/⏰ Session 1/);
  });

  describe("what a coordinator writes", () => {
    const written = "<b>Strike vote</b> tonight & *everyone* must come. @everyone please share: https://union.example/vote_now";
    const announcement = (allowMassMentions: boolean) => ({ ...message().heading("📣 Announcement").text(written).build(), allowMassMentions });

    it("stays text: no markup, no formatting and no @everyone notification", async () => {
      const id = freshChannel();
      await slack.adapter.send(id, announcement(false), { idempotencyKey: "a1" });
      const [posted] = slack.fake.messagesIn(id);
      const text = (posted!.blocks as { text: { text: string } }[])[1]!.text.text;
      expect(text).toContain("&lt;b&gt;Strike vote&lt;/b&gt; tonight &amp; \u200B*\u200Beveryone\u200B*\u200B must come. @\u200Beveryone please share: <https://union.example/vote_now>");
      expect(posted!.text).not.toMatch(/<!|<@|&(?!amp;|lt;|gt;)/);
      expect(visible(posted!)).toContain(written);
    });

    it("notifies everyone when the announcement is meant to", async () => {
      const id = freshChannel();
      await slack.adapter.send(id, announcement(true), { idempotencyKey: "a2" });
      const [posted] = slack.fake.messagesIn(id);
      const text = (posted!.blocks as { text: { text: string } }[])[1]!.text.text;
      expect(text).toContain("must come. <!everyone> please share");
      expect(text).toContain("&lt;b&gt;Strike vote&lt;/b&gt;");
    });
  });

  it("sends a message too long for one Slack message as several, in order", async () => {
    const long = message();
    for (let index = 0; index < 120; index++) long.text(`Paragraph ${index}`);
    const id = freshChannel();
    const result = await slack.adapter.send(id, long.build(), { idempotencyKey: "long" });
    const posted = slack.fake.messagesIn(id);
    expect(posted.map((part) => part.blocks!.length)).toEqual([50, 50, 20]);
    expect(posted.flatMap((part) => visible(part).split("\n"))).toEqual(Array.from({ length: 120 }, (_, index) => `Paragraph ${index}`));
    expect(result.platformMessageId).toBe(posted[0]!.ts);
  });

  it("uploads a delivery's file to the channel", async () => {
    const id = freshChannel();
    await slack.adapter.send(id, message().text("Attendance").attach({ fileName: "attendance.csv", contentType: "text/csv", data: new TextEncoder().encode("a,b\n") }).build(), { idempotencyKey: "f" });
    expect(visible(slack.fake.messagesIn(id)[0]!)).toBe("Attendance");
    expect(slack.fake.files).toMatchObject([{ filename: "attendance.csv", channels: [id], size: 4 }]);
  });

  it("calls other failures transient, and reports itself unhealthy while Slack refuses its token", async () => {
    const id = freshChannel();
    slack.fake.failNext("chat.postMessage", "fatal_error");
    await expect(slack.adapter.send(id, message().text("x").build(), { idempotencyKey: "t" })).rejects.toMatchObject({ kind: "transient", message: "fatal_error" });
    slack.fake.failNext("chat.postMessage", "token_revoked");
    const refused = await slack.adapter.send(id, message().text("x").build(), { idempotencyKey: "t" }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DeliveryError);
    expect(refused).toMatchObject({ kind: "transient" });
    const health = await fetch(`http://127.0.0.1:${slack.app.http.port}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ adapters: { slack: false } });
    await slack.adapter.send(id, message().text("back").build(), { idempotencyKey: "t" });
    expect((await fetch(`http://127.0.0.1:${slack.app.http.port}/healthz`)).status).toBe(200);
  });
});
