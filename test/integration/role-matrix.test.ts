// Every privileged command, derived from the declarations, is refused for a participant and
// changes nothing. A new privileged command is covered the moment it is declared.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import { flattenCommands } from "../../src/core/command.ts";
import { backends } from "../helpers/database.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";

const privileged = flattenCommands(commands).filter(({ definition }) =>
  ["lead", "facilitator", "coordinator"].includes(definition.role),
);

describe.each(backends)("role matrix on %s", (backend) => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot(backend);
    await bot.say("lead", "group-channel", "/register Matrix Group");
    await bot.say("pat", "group-channel", "/join");
  });
  afterAll(async () => {
    await bot.close();
  });

  it("has privileged commands to check", () => {
    expect(privileged.map(({ path }) => path.join(" "))).toEqual(expect.arrayContaining(["grant", "revoke", "language", "timezone", "attendance", "tests"]));
  });

  // /here is every member's; checking in other people (/here ana ben) is the lead's.
  it("refuses /here with other people's names to a participant, during the check-in window", async () => {
    bot.clock.set("2030-05-14T14:55:00Z");
    const before = await dump(bot);
    expect(await bot.say("pat", "group-channel", "/here lead")).toBe("Only your group's lead can check in other people. Send /here on its own to check yourself in.");
    expect(await dump(bot)).toEqual(before);
  });

  it.each(privileged.map(({ path, definition }) => [path.join(" "), definition.role] as const))(
    "/%s (%s) is refused for a participant and changes nothing",
    async (command) => {
      const before = await dump(bot);
      const reply = await bot.say("pat", "group-channel", `/${command} pat facilitator`);
      expect(reply).toMatch(/is for the (group lead|facilitator|coordinator) role only|^Only members/);
      expect(await dump(bot)).toEqual(before);
    },
  );
});

async function dump(bot: TestBot) {
  const prisma = bot.db.prisma;
  return JSON.stringify({
    groups: await prisma.group.findMany({ orderBy: { id: "asc" } }),
    members: await prisma.member.findMany({ orderBy: { id: "asc" }, select: { id: true, role: true, groupId: true, isLead: true } }),
    channels: await prisma.channel.findMany({ orderBy: { id: "asc" } }),
    audit: await prisma.auditEntry.count(),
    programs: await prisma.program.findMany({ orderBy: { id: "asc" } }),
    sessions: await prisma.session.findMany({ orderBy: { id: "asc" } }),
    deliveries: await prisma.delivery.count(),
    assignments: await prisma.homeworkAssignment.findMany({ orderBy: { id: "asc" } }),
    submissions: await prisma.homeworkSubmission.findMany({ orderBy: { id: "asc" } }),
    facilitators: await prisma.groupFacilitator.findMany({ orderBy: [{ groupId: "asc" }, { memberId: "asc" }] }),
    breakoutRounds: await prisma.breakoutRound.findMany({ orderBy: { id: "asc" } }),
    facilitatorProfiles: await prisma.facilitatorProfile.findMany({ orderBy: { id: "asc" } }),
    announcements: await prisma.announcement.findMany({ orderBy: { id: "asc" } }),
    dashboardLinks: await prisma.dashboardLink.count(),
    checkIns: await prisma.checkIn.findMany({ orderBy: { id: "asc" } }),
    structureTests: await prisma.structureTest.findMany({ orderBy: { id: "asc" } }),
  });
}
