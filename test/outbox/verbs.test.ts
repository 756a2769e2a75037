// The Outbox verbs a delivery kind's module uses (enqueue, enqueueSelect, cancel, restore) and
// the kind contract they rely on: a payload is checked when it is queued, and a row queued one
// row at a time or set-based gets the same dedupe key from the kind's one key template.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ManualClock } from "../../src/clock.ts";
import { Prisma } from "../../src/generated/prisma/client.ts";
import { defineDeliveryKind, payloadInstant } from "../../src/outbox/kinds.ts";
import { isoText, Outbox } from "../../src/outbox/outbox.ts";
import { backends, openTestDatabase, type TestDatabase } from "../helpers/database.ts";

const NOW = Date.parse("2030-05-14T12:00:00Z");

const NOTE = defineDeliveryKind({
  name: "test-note",
  payload: z.object({ topicId: z.number().int(), at: payloadInstant }),
  key: "note:{topicId}:{at}:{channelId}",
});

describe("a delivery kind's contract", () => {
  it("builds the dedupe key from its template and checks the payload when the request is built", () => {
    const request = NOTE.request({ channelId: 7, payload: { topicId: 3, at: "2030-05-14T15:00:00.000Z" }, notBefore: new Date(NOW) });
    expect(request).toMatchObject({ kind: "test-note", dedupeKey: "note:3:2030-05-14T15:00:00.000Z:7", channelId: 7 });
    expect(() => NOTE.request({ channelId: 7, payload: { topicId: 3, at: "tomorrow-ish" }, notBefore: new Date(NOW) })).toThrow(/invalid test-note payload/);
    expect(() => NOTE.request({ channelId: 7, payload: { topicId: 1.5, at: "2030-05-14T15:00:00.000Z" }, notBefore: new Date(NOW) })).toThrow(/invalid/);
  });

  it("refuses a key template that names a field its payload does not have", () => {
    expect(() => defineDeliveryKind({ name: "broken", payload: z.object({ a: z.number() }), key: "broken:{b}:{channelId}" })).toThrow(/names b/);
    expect(() => defineDeliveryKind({ name: "broken", payload: z.object({ a: z.number() }), key: "broken:{a" })).toThrow(/unclosed/);
  });

  it("hands the dispatcher a renderer only for a payload that fits", async () => {
    const kind = NOTE.renderWith((payload) => ({ skip: `topic ${payload.topicId}` }));
    const prepared = kind.prepare({ topicId: 4, at: "2030-05-14T15:00:00.000Z" });
    expect("render" in prepared && (await prepared.render({} as never))).toEqual({ skip: "topic 4" });
    expect(kind.prepare({ topicId: "four" })).toMatchObject({ invalid: expect.stringMatching(/invalid payload/) });
  });
});

describe.each(backends)("outbox verbs on %s", (backend) => {
  let db: TestDatabase;
  let outbox: Outbox;
  let clock: ManualClock;
  let channels: number[];
  let woken = 0;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });
  beforeEach(async () => {
    await db.reset();
    clock = new ManualClock(NOW);
    outbox = new Outbox(db.prisma, clock);
    woken = 0;
    outbox.onDue(() => woken++);
    await db.prisma.channel.createMany({
      data: [1, 2, 3].map((n) => ({ platform: "console", platformChannelId: `chat-${n}`, purpose: "announcements" as const })),
    });
    channels = (await db.prisma.channel.findMany({ orderBy: { id: "asc" }, select: { id: true } })).map((channel) => channel.id);
  });
  afterAll(async () => {
    await db.close();
  });

  const rows = () => db.prisma.delivery.findMany({ orderBy: { id: "asc" } });

  /** Topic `topicId` for every channel, built in SQL the way a planner does. */
  const everyChannel = (topicId: number, at: Date) => Prisma.sql`
    SELECT c.id AS "channelId", c.platform,
           jsonb_build_object('topicId', ${topicId}::int, 'at', ${isoText(Prisma.sql`${at}::timestamptz`)}) AS payload,
           ${at}::timestamptz AS "notBefore", NULL::timestamptz AS "expiresAt"
    FROM "Channel" c`;

  it("enqueues a row once however often it is asked, one by one or set-based, with the same key", async () => {
    const at = new Date(NOW + 3_600_000);
    const one = NOTE.request({ channelId: channels[0]!, payload: { topicId: 1, at: at.toISOString() }, notBefore: at });
    expect(await outbox.enqueue(one)).toBe(1);
    expect(await outbox.enqueueSelect(NOTE, everyChannel(1, at))).toBe(2); // the first channel's was there
    expect(await outbox.enqueueSelect(NOTE, everyChannel(1, at))).toBe(0);
    expect(await outbox.enqueue(one)).toBe(0);
    expect((await rows()).map((row) => row.dedupeKey)).toEqual(channels.map((id) => `note:1:${at.toISOString()}:${id}`));
    expect(woken).toBe(0); // nothing due yet
  });

  it("wakes the dispatcher when what it queued set-based is due now", async () => {
    expect(await outbox.enqueueSelect(NOTE, everyChannel(1, new Date(NOW)))).toBe(3);
    expect(woken).toBe(1);
  });

  it("refuses set-based rows whose payload does not fit the kind, and stores none of them", async () => {
    const wrong = Prisma.sql`
      SELECT c.id AS "channelId", c.platform, jsonb_build_object('topicId', 'one', 'at', 'x') AS payload,
             ${new Date(NOW)}::timestamptz AS "notBefore", NULL::timestamptz AS "expiresAt"
      FROM "Channel" c`;
    await expect(outbox.enqueueSelect(NOTE, wrong)).rejects.toThrow(/does not fit/);
    expect(await rows()).toEqual([]);
  });

  it("cancels only the waiting rows that match, and restores only those it cancelled for that reason and still ahead", async () => {
    const soon = new Date(NOW + 60_000);
    const later = new Date(NOW + 3_600_000);
    await outbox.enqueueSelect(NOTE, everyChannel(1, soon));
    await outbox.enqueueSelect(NOTE, everyChannel(2, later));
    await db.prisma.delivery.updateMany({ where: { dedupeKey: `note:1:${soon.toISOString()}:${channels[0]}` }, data: { status: "sent" } });

    expect(await outbox.cancel(NOTE, { topicId: [1] }, "paused")).toBe(2); // not the one already sent
    expect(await outbox.cancel(NOTE, { topicId: [2] }, "moved")).toBe(3);
    expect(await outbox.cancel(NOTE, { topicId: [1, 2] }, "paused")).toBe(0); // nothing waits any more
    const statuses = await rows();
    expect(statuses.filter((row) => row.status === "cancelled")).toHaveLength(5);

    clock.set(NOW + 120_000); // topic 1's time has passed
    expect(await outbox.restore(NOTE, { topicId: [1, 2] }, "paused")).toBe(0);
    expect(await outbox.restore(NOTE, { topicId: [2] }, "moved")).toBe(3);
    expect((await rows()).filter((row) => row.status === "pending").map((row) => (row.payload as { topicId: number }).topicId)).toEqual([2, 2, 2]);
  });

  it("cancels inside the caller's transaction, which can still roll it back", async () => {
    await outbox.enqueueSelect(NOTE, everyChannel(1, new Date(NOW + 60_000)));
    await expect(
      db.prisma.$transaction(async (tx) => {
        expect(await outbox.cancel(NOTE, { topicId: [1] }, "changed my mind", tx)).toBe(3);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect((await rows()).every((row) => row.status === "pending")).toBe(true);
  });
});
