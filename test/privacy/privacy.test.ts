// People's data, through the whole pipeline on PGlite and PostgreSQL: /mydata sends a person a
// JSON file of everything about them (and nothing about others), privately; /forgetme then
// /forgetme confirm deletes it (homework too, unless the program keeps submissions: then they stay
// as "a former member's"), the lead hands the group on, audit entries keep the action and lose
// the person, and nothing waiting to be sent names them. Coordinators do the same on request, and
// the program file's retention rule deletes participants' data after the program ends.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { IncomingCommand } from "../../src/core/incoming.ts";
import type { OutgoingMessage } from "../../src/core/messages.ts";
import { ProgramFileError, parseProgramText } from "../../src/programs/program-file.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";
import { backends } from "../helpers/database.ts";
import { RecordingAdapter } from "../helpers/recording-adapter.ts";

const program = (privacy: string) => `
slug: privacy-program
title: Privacy Program
timezone: Europe/Berlin
registrationDeadline: "2030-05-12 23:59"
reminders: []
${privacy}
sessions:
  - title: First
    start: "2030-05-14 17:00"
    homework: { en: "Have one organizing conversation." }
  - { title: Second, start: "2030-05-21 17:00", duration: 2h }
`;
const PROGRAM_END = Date.parse("2030-05-21T17:00:00Z");
const DAY = 86_400_000;

describe.each(backends)("people's data on %s", (backend) => {
  let bot: TestBot;
  const adapter = new RecordingAdapter();

  beforeAll(async () => {
    bot = await createTestBot(backend, { program: program("privacy: { deleteAfter: 30d }"), coordinators: "console:coco", adapters: [adapter] });
  });
  beforeEach(async () => {
    await bot.reset();
    adapter.reset();
    await bot.say("ana", "berlin", "/register Berlin Tenants");
    await bot.say("ben", "berlin", "/join");
    await bot.say("ben", "berlin", "/homework submit I talked to Maria from packing about the heat.");
    // A facilitator reviews Ben's homework; the feedback waits in the outbox.
    await bot.say("fay", "facil", "/whoami");
    await bot.say("coco", "facil", "/grant fay facilitator");
    await bot.say("coco", "facil", "/bind facilitators");
    await bot.say("coco", "facil", "/facilitate fay Berlin Tenants");
    await bot.say("fay", "facil", "/homework review 1 Great start, Ben!");
  });
  afterAll(async () => {
    await bot.close();
  });

  async function ask(user: string, channel: string, name: string, text = ""): Promise<OutgoingMessage[]> {
    const command: IncomingCommand = { platform: "console", channelId: channel, userId: user, displayName: user, name, text };
    return bot.app.handle(command);
  }
  const json = (reply: OutgoingMessage[]) => JSON.parse(new TextDecoder().decode(reply[0]!.file!.data)) as Record<string, any>;
  const member = (id: string) => bot.db.prisma.member.findUnique({ where: { platform_platformUserId: { platform: "console", platformUserId: id } } });

  it("/mydata sends the caller, privately, a JSON file of everything about them and nothing about others", async () => {
    const reply = await ask("ben", "berlin", "mydata");
    expect(reply).toHaveLength(1);
    expect(reply[0]!.private).toBe(true);
    expect(reply[0]!.file).toMatchObject({ fileName: expect.stringMatching(/^my-data-console-\d{4}-\d{2}-\d{2}\.json$/), contentType: "application/json" });
    const data = json(reply);
    expect(data.person).toMatchObject({ platform: "console", platformUserId: "ben", displayName: "ben", role: "participant", groupLead: false });
    expect(data.group).toMatchObject({ name: "Berlin Tenants", program: "Privacy Program" });
    expect(data.homework).toEqual([
      expect.objectContaining({ session: { number: 1, title: "First" }, text: "I talked to Maria from packing about the heat.", feedback: "Great start, Ben!" }),
    ]);
    expect(data.messagesWaiting).toEqual([expect.objectContaining({ kind: "homework-feedback" })]);
    expect(JSON.stringify(data)).not.toMatch(/"(ana|fay|coco)"/);
  });

  it("/forgetme says what goes and asks for /forgetme confirm; confirm alone, or too late, deletes nothing", async () => {
    expect(await bot.say("ben", "berlin", "/forgetme confirm")).toBe(
      "First send /forgetme to see what would be deleted, then /forgetme confirm within 10 minutes.",
    );
    expect(await bot.say("ben", "berlin", "/forgetme")).toBe(
      [
        "This deletes your name, @handle, account id and language, your place in your group, your breakout rooms and your facilitator profile.",
        "1 homework submission is deleted too.",
        "This can't be undone.",
        "To go ahead, send /forgetme confirm within 10 minutes.",
      ].join("\n"),
    );
    bot.clock.advance(11 * 60_000);
    expect(await bot.say("ben", "berlin", "/forgetme confirm")).toMatch(/^First send \/forgetme/);
    expect(await member("ben")).not.toBeNull();
    expect(await bot.db.prisma.homeworkSubmission.count()).toBe(1);
  });

  it("/forgetme confirm deletes the person and their homework; the audit log keeps the actions, not them; the feedback waiting is not sent", async () => {
    const ben = (await member("ben"))!;
    await bot.say("ben", "berlin", "/forgetme");
    bot.clock.advance(5 * 60_000);
    expect(await bot.say("ben", "berlin", "/forgetme confirm")).toMatch(/^Done: I have deleted everything I held about you\./);
    expect(await member("ben")).toBeNull();
    expect(await bot.db.prisma.homeworkSubmission.count()).toBe(0);
    const audit = await bot.db.prisma.auditEntry.findMany();
    expect(audit.filter((entry) => entry.actorMemberId === ben.id || entry.targetMemberId === ben.id)).toEqual([]);
    expect(audit.find((entry) => entry.action === "privacy.forgotten")).toMatchObject({ actorMemberId: null, targetMemberId: null, details: { submissionsDeleted: 1, submissionsKept: 0 } });
    expect(audit.map((entry) => entry.action)).toContain("homework.reviewed"); // the action stays
    expect(JSON.stringify(audit)).not.toContain("ben");
    await bot.app.dispatcher.drain();
    expect(adapter.sent.filter((send) => send.text.includes("ben"))).toEqual([]);
  });

  it("leaves the group to its next speaker when its lead forgets themselves", async () => {
    await bot.say("ana", "berlin", "/forgetme");
    expect(await bot.say("ana", "berlin", "/forgetme confirm")).toMatch(/\nThe group has no lead now/);
    expect(await member("ben")).toMatchObject({ isLead: false });
    // Ben speaks next in the group's channel: once his command has run, he leads.
    await bot.say("ben", "berlin", "/whoami");
    expect(await member("ben")).toMatchObject({ isLead: true });
    expect(await bot.say("ben", "berlin", "/language de")).toMatch(/Deutsch|German/);
  });

  it("keeps a forgotten person's submissions as a former member's when the program keeps submissions", async () => {
    await bot.app.services.programs.import(parseProgramText(program("privacy: { keepSubmissions: true }")));
    await bot.say("ben", "berlin", "/forgetme");
    await bot.say("ben", "berlin", "/forgetme confirm");
    expect(await bot.db.prisma.homeworkSubmission.findMany({ select: { memberId: true, text: true, feedback: true } })).toEqual([
      { memberId: null, text: "I talked to Maria from packing about the heat.", feedback: "Great start, Ben!" },
    ]);
    expect(await bot.say("fay", "facil", "/homework list 1")).toContain("a former member");
  });

  it("lets a coordinator send a person's data and delete it on request, audited with the coordinator and not the person", async () => {
    const coco = (await member("coco"))!;
    const file = await ask("coco", "facil", "datafor", "ben");
    expect(file[0]!.private).toBe(true);
    expect(json(file).person).toMatchObject({ platformUserId: "ben" });
    expect(await bot.say("coco", "facil", "/forget ben")).toMatch(/^This deletes everything I hold about ben: [\s\S]*To go ahead, send \/forget ben confirm=yes\.$/);
    expect(await member("ben")).not.toBeNull();
    expect(await bot.say("coco", "facil", "/forget ben confirm=yes")).toBe(
      "Done: I no longer hold any data about ben. The audit log records that you deleted someone's data, not whose.",
    );
    expect(await member("ben")).toBeNull();
    const entries = await bot.db.prisma.auditEntry.findMany({ where: { action: { startsWith: "privacy." } }, orderBy: { id: "asc" } });
    expect(entries.map((entry) => [entry.action, entry.actorMemberId, entry.targetMemberId])).toEqual([
      ["privacy.exported", coco.id, null],
      ["privacy.forgottenOnRequest", coco.id, null],
    ]);
  });

  it("deletes participants' data once the program has been over for its deleteAfter, keeps staff, and does it once", async () => {
    bot.clock.set(PROGRAM_END + 29 * DAY);
    expect(await bot.app.services.privacy.purgeExpired()).toEqual([]); // not yet
    bot.clock.set(PROGRAM_END + 30 * DAY + 60_000);
    const [outcome] = await bot.app.services.privacy.purgeExpired();
    expect(outcome).toMatchObject({ program: "Privacy Program", people: 2 });
    expect(await bot.db.prisma.member.findMany({ orderBy: { platformUserId: "asc" }, select: { platformUserId: true } })).toEqual([
      { platformUserId: "coco" },
      { platformUserId: "fay" },
    ]);
    expect(await bot.db.prisma.homeworkSubmission.count()).toBe(0);
    expect(await bot.db.prisma.group.count()).toBe(1); // the group (an organization) stays, without its people
    expect((await bot.app.services.privacy.purgeExpired())[0]).toMatchObject({ people: 0 });
  });

  it("refuses a retention period that is not whole days, naming the field", () => {
    expect(() => parseProgramText(program("privacy: { deleteAfter: 36h }"))).toThrow(ProgramFileError);
    expect(() => parseProgramText(program("privacy: { deleteAfter: 36h }"))).toThrow(/privacy\.deleteAfter.*whole number of days/);
    expect(() => parseProgramText(program("privacy: { keepSubmisions: true }"))).toThrow(/keepSubmisions/);
  });
});
