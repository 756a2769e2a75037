// Commands in a private chat with the bot (any platform that has them): those that bind or act
// on the channel's group are refused with a message that says where they work, and change
// nothing; the others answer as anywhere else.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import { flattenCommands, worksInPrivateChat } from "../../src/core/command.ts";
import { backends } from "../helpers/database.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";

describe.each(backends)("private chats on %s", (backend) => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot(backend, { coordinators: "console:coordinator" });
  });
  beforeEach(async () => {
    await bot.reset();
  });
  afterAll(async () => {
    await bot.close();
  });

  const inPrivate = (user: string, line: string) => bot.say(user, `dm-${user}`, line, { isPrivateChat: true });

  it("knows which commands need a group's channel", () => {
    const groupOnly = flattenCommands(commands).filter(({ definition }) => !worksInPrivateChat(definition)).map(({ path }) => path.join(" "));
    expect(groupOnly).toEqual(["register", "join", "language", "timezone", "here", "chart", "test"]);
  });

  it("refuses group-only commands with a clear message and changes nothing", async () => {
    await bot.say("ana", "berlin", "/register Berlin Tenants");
    for (const [user, line] of [["ben", "/register Private Group"], ["ben", "/join"], ["ana", "/language de"], ["coordinator", "/timezone Tokyo"]] as const) {
      expect(await inPrivate(user, line)).toBe(`${line.split(" ")[0]} works in your group's chat, not in a private chat with me.`);
    }
    expect(await bot.db.prisma.group.findMany({ select: { name: true, locale: true, timezone: true } })).toEqual([
      { name: "Berlin Tenants", locale: "en", timezone: "Europe/Berlin" },
    ]);
    expect(await bot.db.prisma.member.count({ where: { groupId: { not: null } } })).toBe(1);
  });

  it("answers the others as anywhere else", async () => {
    await bot.say("ana", "berlin", "/register Berlin Tenants");
    expect(await inPrivate("ana", "/whoami")).toMatch(/Group: Berlin Tenants/);
    expect(await inPrivate("ana", "/schedule")).toMatch(/1\. First/);
    expect(await inPrivate("ana", "/leave")).toMatch(/left “Berlin Tenants”/);
  });

  it("renders for the caller alone in a private chat: their group's language and zone", async () => {
    await bot.say("ana", "tokyo", "/register Tokyo Tenants language=de tz=Tokyo");
    // Her platform reports English, but in a private chat she reads as her group does.
    const next = await inPrivate("ana", "/next");
    expect(next).toMatch(/Als Nächstes: Sitzung 1/);
    expect(next).toContain("Mittwoch, 15. Mai, 00:00–02:00 (Asia/Tokyo)");
    expect(next).toContain("Dienstag 17:00–19:00 (Europe/Berlin)");
    const schedule = await inPrivate("ana", "/schedule");
    expect(schedule).toContain("Uhrzeiten in der Zeitzone Asia/Tokyo");
    expect(await inPrivate("ana", "/whoami")).toContain("Asia/Tokyo");
  });

  it("uses the caller's platform language and the program's zone in a private chat when they have no group", async () => {
    const schedule = await bot.say("ben", "dm-ben", "/schedule", { isPrivateChat: true, userLocale: "es-ES" });
    expect(schedule).toMatch(/Europe\/Berlin/);
    expect(schedule).not.toContain("times in");
  });
});
