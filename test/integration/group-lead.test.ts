// A group never stays without a lead unnoticed: when the lead leaves (/leave, /forgetme) the
// group is told; a coordinator may pick the lead (/lead), otherwise the next member to use a
// command in the group's channel becomes lead, and the group is told that too.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { backends } from "../helpers/database.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";
import { RecordingAdapter } from "../helpers/recording-adapter.ts";

describe.each(backends)("group leads on %s", (backend) => {
  let bot: TestBot;
  let adapter: RecordingAdapter;
  beforeAll(async () => {
    adapter = new RecordingAdapter();
    bot = await createTestBot(backend, { adapters: [adapter] });
  });
  beforeEach(async () => {
    await bot.reset();
    adapter.reset();
    await bot.say("ana", "c1", "/register Group One language=de");
    await bot.say("ben", "c1", "/join");
    await bot.say("cem", "c1", "/join");
  });
  afterAll(async () => {
    await bot.close();
  });

  const leads = async () =>
    (await bot.db.prisma.member.findMany({ where: { isLead: true }, orderBy: { id: "asc" } })).map((member) => member.platformUserId);
  const noticesIn = async (channel: string) => {
    await bot.app.dispatcher.drain();
    return adapter.sent.filter((sent) => sent.channelId === channel).map((sent) => sent.text);
  };

  it("tells the group when its lead leaves; the next member to speak there becomes lead, and the group is told", async () => {
    expect(await bot.say("ana", "c1", "/leave")).toMatch(/keine Leitung/);
    expect(await leads()).toEqual([]);
    expect(await noticesIn("c1")).toEqual([
      "ana hat die Gruppe verlassen und leitet sie nicht mehr. Wer als Nächstes hier einen Befehl verwendet, übernimmt die Leitung, außer eine Koordinator*in bestimmt jemanden.",
    ]);
    // Speaking elsewhere (a private chat) does not count; speaking in the group's channel does.
    await bot.say("cem", "dm-cem", "/whoami", { isPrivateChat: true });
    expect(await leads()).toEqual([]);
    // A member's /leave stays a leave: it does not make them lead on the way out.
    await bot.say("ben", "c1", "/leave");
    expect(await leads()).toEqual([]);
    await bot.say("cem", "c1", "/schedule");
    await bot.say("ana", "c1", "/join");
    await bot.say("ana", "c1", "/schedule");
    expect(await leads()).toEqual(["cem"]);
    // As lead, cem may now run lead commands at once.
    expect(await bot.say("cem", "c1", "/timezone Tokyo")).toMatch(/Asia\/Tokyo/);
    expect((await noticesIn("c1")).slice(1)).toEqual(["cem leitet jetzt die Gruppe."]);
    const audit = await bot.db.prisma.auditEntry.findMany({ where: { action: "group.leadClaimed" } });
    expect(audit).toHaveLength(1);
  });

  it("does not name a lead who asked to be forgotten", async () => {
    await bot.say("ana", "c1", "/forgetme");
    expect(await bot.say("ana", "c1", "/forgetme confirm")).toMatch(/keine Leitung/);
    expect(await noticesIn("c1")).toEqual([
      "Die Leitung der Gruppe ist ausgetreten. Wer als Nächstes hier einen Befehl verwendet, übernimmt sie, außer eine Koordinator*in bestimmt jemanden.",
    ]);
  });

  it("lets a coordinator pick the lead, by group name or in the group's channel, and tells the group", async () => {
    expect(await bot.say("coordinator", "hq", "/lead ben Group One")).toBe("ben now leads “Group One”. The group has been told.");
    expect(await leads()).toEqual(["ben"]);
    expect(await noticesIn("c1")).toEqual(["Eine Koordinator*in hat ben die Leitung der Gruppe übertragen."]);
    expect(await bot.say("coordinator", "c1", "/lead ben")).toMatch(/bereits/);
    expect(await bot.say("coordinator", "hq", "/lead zoe Group One")).toMatch(/don't know anyone called “zoe”/);
    await bot.say("zoe", "elsewhere", "/whoami");
    expect(await bot.say("coordinator", "hq", "/lead zoe Group One")).toBe("zoe is not a member of “Group One”: they can /join in the group's channel first.");
    expect(await bot.say("coordinator", "hq", "/lead ben")).toBe("Which group? Write /lead <person> <group name>, or send /lead <person> in the group's channel.");
    expect(await bot.say("ana", "c1", "/lead cem")).toMatch(/nur für die Rolle/);
    expect(await leads()).toEqual(["ben"]);
    expect((await bot.db.prisma.auditEntry.findMany({ where: { action: "group.leadAppointed" } })).map((entry) => entry.details)).toEqual([{ groupId: 1 }]);
  });
});
