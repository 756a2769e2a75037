// The channel changes adapters report (bot removed, added back, chat id changed), on PGlite and
// PostgreSQL: what the rows say afterwards (the planners read unreachableAt; the dispatcher the
// platform's chat id).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.ts";
import { createLogger } from "../../src/logger.ts";
import { ChannelService } from "../../src/services/channels.ts";
import { backends, openTestDatabase, type TestDatabase } from "../helpers/database.ts";

const NOW = Date.parse("2030-05-14T12:00:00Z");

describe.each(backends)("channel changes on %s", (backend) => {
  let db: TestDatabase;
  let channels: ChannelService;
  const row = (platformChannelId: string) => db.prisma.channel.findFirst({ where: { platformChannelId } });

  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });
  beforeEach(async () => {
    await db.reset();
    channels = new ChannelService(db.prisma, new ManualClock(NOW), createLogger("silent"));
    await db.prisma.channel.createMany({
      data: [
        { platform: "telegram", platformChannelId: "-100", purpose: "announcements" },
        { platform: "slack", platformChannelId: "-100", purpose: "announcements" },
      ],
    });
  });
  afterAll(async () => {
    await db.close();
  });

  it("marks a channel unreachable with when and why, on that platform only", async () => {
    await channels.unreachable("telegram", "-100", "bot was kicked");
    expect(await db.prisma.channel.findFirst({ where: { platform: "telegram" } })).toMatchObject({ unreachableAt: new Date(NOW), unreachableReason: "bot was kicked" });
    expect(await db.prisma.channel.findFirst({ where: { platform: "slack" } })).toMatchObject({ unreachableAt: null, unreachableReason: null });
  });

  it("makes it reachable again, and says whether it had been unreachable", async () => {
    expect(await channels.reachable("telegram", "-100")).toBe(false);
    await channels.unreachable("telegram", "-100", "bot was kicked");
    expect(await channels.reachable("telegram", "-100")).toBe(true);
    expect(await db.prisma.channel.findFirst({ where: { platform: "telegram" } })).toMatchObject({ unreachableAt: null, unreachableReason: null });
    expect(await channels.reachable("telegram", "-100")).toBe(false);
  });

  it("follows a chat to its new id, keeping its row (and so its group and its queued deliveries)", async () => {
    const before = await db.prisma.channel.findFirstOrThrow({ where: { platform: "telegram" } });
    await channels.moved("telegram", "-100", "-1009");
    expect(await db.prisma.channel.findFirst({ where: { platform: "telegram" } })).toMatchObject({ id: before.id, platformChannelId: "-1009" });
    expect(await row("-100")).toMatchObject({ platform: "slack" }); // another platform's chat with the same id stays
  });

  it("changes nothing for a chat it does not know", async () => {
    await channels.unreachable("discord", "42", "missing access");
    expect(await channels.reachable("discord", "42")).toBe(false);
    await channels.moved("discord", "42", "43");
    expect(await db.prisma.channel.count({ where: { platform: "discord" } })).toBe(0);
    expect(await db.prisma.channel.count({ where: { unreachableAt: { not: null } } })).toBe(0);
  });
});
