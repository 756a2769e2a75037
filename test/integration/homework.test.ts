// Homework on PGlite and PostgreSQL: the current assignment in each reader's language and zone,
// submitting (text, links, attachments), replacing, late submissions, what facilitators may
// see, review feedback and nudges through the outbox, the CSV export, and deleting a member.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { IncomingCommand } from "../../src/core/incoming.ts";
import type { OutgoingMessage } from "../../src/core/messages.ts";
import { parseProgramText } from "../../src/programs/program-file.ts";
import { backends } from "../helpers/database.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";
import { RecordingAdapter } from "../helpers/recording-adapter.ts";

// Session 1 on Tuesday 2030-05-14 17:00 Berlin; its homework is due when session 2 starts,
// 2030-05-21 17:00 Berlin (15:00 UTC). Session 2 has none; session 3's is due 7 days after it.
const PROGRAM = `
slug: homework-program
title: Homework Program
timezone: Europe/Berlin
defaultLanguage: en
registrationDeadline: "2030-05-12 23:59"
reminders: []
sessions:
  - title: First
    start: "2030-05-14 17:00"
    homework:
      en: "Have one organizing conversation. Guide: https://example.org/guide"
      es: "Ten una conversación de organización."
  - { title: Second, start: "2030-05-21 17:00" }
  - title: Third
    start: "2030-05-28 17:00"
    homework: { en: "Chart your workplace." }
`;
const DUE_1 = Date.parse("2030-05-21T15:00:00Z");
const DUE_3 = Date.parse("2030-06-04T15:00:00Z");
const HOUR = 3_600_000;

describe.each(backends)("homework on %s", (backend) => {
  let bot: TestBot;
  let adapter: RecordingAdapter;
  beforeAll(async () => {
    adapter = new RecordingAdapter();
    bot = await createTestBot(backend, { program: PROGRAM, coordinators: "console:coco", adapters: [adapter] });
  });
  beforeEach(async () => {
    await bot.reset();
    adapter.reset();
    // Berlin (English): ana leads, ben joins. Madrid (Spanish, its own zone): kim leads.
    await bot.say("ana", "berlin", "/register Berlin Tenants");
    await bot.say("ben", "berlin", "/join");
    await bot.say("kim", "madrid", "/register Madrid Tenants language=es tz=America/Mexico_City");
  });
  afterAll(async () => {
    await bot.close();
  });

  const submissions = () => bot.db.prisma.homeworkSubmission.findMany({ orderBy: { id: "asc" } });
  const deliveries = (kind: string) => bot.db.prisma.delivery.findMany({ where: { kind }, orderBy: { id: "asc" }, include: { channel: true } });

  /** A facilitators' channel "facil" where fay facilitates Berlin only. */
  async function facilitatorFay() {
    await bot.say("fay", "facil", "/whoami");
    await bot.say("coco", "facil", "/grant fay facilitator");
    await bot.say("coco", "facil", "/bind facilitators");
    expect(await bot.say("coco", "facil", "/facilitate fay Berlin Tenants")).toBe("fay now looks after the homework of “Berlin Tenants”.");
  }

  async function raw(user: string, channel: string, name: string, text: string): Promise<OutgoingMessage[]> {
    return bot.app.handle({ platform: "console", channelId: channel, userId: user, displayName: user, name, text });
  }

  describe("the current assignment", () => {
    it("shows in the reader's language with its due time in the group's zone, and who has sent it", async () => {
      expect(await bot.say("ana", "berlin", "/homework")).toBe(
        [
          "📚 Homework for session 1, “First”",
          "Have one organizing conversation. Guide: https://example.org/guide",
          "Due Tuesday, May 21, 2030 at 05:00 PM GMT+2, in 20 days, 5 hours.",
          "You haven't sent yours yet: /homework submit followed by your answer or a link.",
          "Nobody in “Berlin Tenants” has sent theirs yet.",
        ].join("\n"),
      );
      // Mexico City is 8 hours behind Berlin in May; in Spanish.
      const madrid = await bot.say("kim", "madrid", "/homework");
      expect(madrid).toMatch(/^📚 Tarea de la sesión 1, “First”\nTen una conversación de organización\.\nEntrega: martes, 21 de mayo de 2030, 09:00 GMT-6, dentro de 20 días y 5 horas\./);
    });

    it("renders a link in the assignment as a link", async () => {
      const [reply] = await raw("ana", "berlin", "homework", "");
      const block = reply!.blocks[1]!;
      expect(block).toEqual({ type: "text", spans: ["Have one organizing conversation. Guide: ", { text: "https://example.org/guide", href: "https://example.org/guide" }] });
    });

    it("falls back to the program's language, moves on once the due time passes, and shows a past one when asked", async () => {
      bot.clock.set(DUE_1 + HOUR);
      expect(await bot.say("kim", "madrid", "/homework")).toMatch(/^📚 Tarea de la sesión 3, “Third”\nChart your workplace\./);
      expect(await bot.say("ana", "berlin", "/homework 1")).toMatch(/It was due Tuesday, May 21, 2030 at 05:00 PM GMT\+2\./);
      expect(await bot.say("ana", "berlin", "/homework 2")).toBe("Session 2 has no homework.");
      expect(await bot.say("ana", "berlin", "/homework 7")).toBe("There is no session 7; the program has sessions 1 to 3.");
    });

    it("gives the last session's homework seven days after that session", async () => {
      bot.clock.set(DUE_3 - HOUR);
      expect(await bot.say("ana", "berlin", "/homework")).toMatch(/Due Tuesday, June 4, 2030 at 05:00 PM GMT\+2, in 1 hour\./);
    });
  });

  describe("submitting", () => {
    it("records the text exactly as given, and the group's count", async () => {
      const text = 'My notes, with "quotes", <b>markup</b>, *stars* and @everyone\nsecond line: https://docs.example.org/x?a=1';
      const reply = await raw("ana", "berlin", "homework", `submit ${text}`);
      expect(reply[0]!.private).toBe(true);
      expect(reply[0]!.blocks).toEqual([{ type: "text", spans: ["Thank you, ana! Your homework for session 1, “First”, is in."] }]);
      const [row] = await submissions();
      const ana = await bot.db.prisma.member.findFirstOrThrow({ where: { platformUserId: "ana" } });
      expect(row).toMatchObject({ text, late: false, version: 1, groupId: ana.groupId, memberId: ana.id, attachments: [] });
      expect(await bot.say("ben", "berlin", "/homework")).toMatch(/You haven't sent yours yet.*\nIn “Berlin Tenants”, 1 of 2 has sent theirs\.$/s);
      expect(await bot.say("ana", "berlin", "/homework")).toMatch(/You sent yours on Wednesday, May 1, 2030 at 12:00 PM GMT\+2\. Thank you!/);
    });

    it("replaces an earlier submission before the due time, and says so", async () => {
      await bot.say("ana", "berlin", "/homework submit first try");
      bot.clock.advance(2 * HOUR);
      expect(await bot.say("ana", "berlin", "/homework submit second try")).toBe(
        "Thank you, ana! Your homework for session 1, “First”, is in.\nIt replaces what you sent on Wednesday, May 1, 2030 at 12:00 PM GMT+2.",
      );
      expect(await submissions()).toEqual([expect.objectContaining({ text: "second try", version: 2, late: false })]);
    });

    it("accepts a submission after the due time and marks it late", async () => {
      await bot.say("ana", "berlin", "/homework submit on time");
      bot.clock.set(DUE_1 + 60_000);
      expect(await bot.say("ben", "berlin", "/homework submit session=1 sorry, late")).toBe(
        "Thank you, ben! Your homework for session 1, “First”, is in.\nIt came after the due time (Tuesday, May 21, 2030 at 05:00 PM GMT+2), so it is marked late.",
      );
      expect((await submissions()).map((row) => [row.text, row.late])).toEqual([["on time", false], ["sorry, late", true]]);
      expect(await bot.say("ben", "berlin", "/homework 1")).toMatch(/You sent yours on Tuesday, May 21, 2030 at 05:01 PM GMT\+2, after the due time\./);
    });

    it("records attachments by URL and file name, with or without text", async () => {
      const attachments: IncomingCommand["attachments"] = [{ url: "https://files.example.org/notes.pdf", fileName: "notes.pdf", contentType: "application/pdf", size: 1234 }];
      expect(await bot.say("ana", "berlin", "/homework submit", { attachments })).toBe(
        "Thank you, ana! Your homework for session 1, “First”, is in.\nAttached: notes.pdf",
      );
      expect((await submissions())[0]).toMatchObject({ text: "", attachments });
      expect(await bot.say("ben", "berlin", "/homework submit", { attachments: [{ url: "javascript:alert(1)", fileName: "x.js" }] })).toMatch(/can't record the file “x\.js”/);
      expect(await submissions()).toHaveLength(1);
    });

    it("refuses an empty submission and one over 4,000 characters in the group's language, naming both lengths, and changes nothing", async () => {
      expect(await bot.say("ana", "berlin", "/homework submit")).toBe("Write your answer or a link after /homework submit, or attach a file.");
      expect(await bot.say("ana", "berlin", `/homework submit ${"x".repeat(4001)}`)).toMatch(
        /^Too long: Your answer or a link \(4,001 characters; at most 4,000\)\./,
      );
      expect(await bot.say("kim", "madrid", `/homework submit ${"x".repeat(3999)}🇪🇸`)).toMatch(/^¡Gracias, kim!/);
      expect(await bot.say("kim", "madrid", `/homework submit ${"x".repeat(4000)}🇪🇸`)).toMatch(
        /^Tu respuesta o un enlace: texto demasiado largo \(4001 caracteres; máximo 4000\)\./,
      );
      // Platforms with typed options (Discord) hand the answer over on its own.
      expect(await bot.say("ana", "berlin", "/homework", { subcommand: "submit", options: { answer: "x".repeat(4001) } })).toMatch(
        /^Too long: Your answer or a link \(4,001 characters; at most 4,000\)\./,
      );
      expect((await submissions()).map((row) => row.text.length)).toEqual([4003]);
    });

    it("works from any chat for the caller's own group, but never for another group", async () => {
      expect(await bot.say("ana", "private-ana", "/homework submit from a private chat")).toMatch(/is in/);
      expect((await submissions())[0]).toMatchObject({ groupId: 1, text: "from a private chat" });
      // In Madrid's channel, replies are in Madrid's language.
      expect(await bot.say("ana", "madrid", "/homework submit sneaky")).toBe("Solo las personas del grupo de este canal pueden usar /homework submit. Envía primero /join.");
      expect(await bot.say("nobody", "private-nobody", "/homework submit hello")).toBe("You are not in a group yet. Send /join in your group's channel first.");
      expect(await submissions()).toHaveLength(1);
    });
  });

  describe("facilitators", () => {
    beforeEach(async () => {
      await facilitatorFay();
      await bot.say("ana", "berlin", "/homework submit Talked to Lena, see https://notes.example.org/lena");
      await bot.say("kim", "madrid", "/homework submit Hablé con Marta.");
    });

    it("list their groups' submissions, grouped by group, with who is missing", async () => {
      expect(await bot.say("fay", "facil", "/homework list")).toBe(
        [
          "Homework for session 1, “First”",
          "Due Tuesday, May 21, 2030 at 05:00 PM GMT+2, in 20 days, 5 hours.",
          "Groups that have sent something: 1 of 1.",
          "Berlin Tenants: 1 submission, 1 still missing",
          "• #1 ana · Wednesday, May 1, 2030 at 12:00 PM GMT+2: Talked to Lena, see https://notes.example.org/lena",
          "Not yet: ben",
          "Send feedback with /homework review <number> <feedback>; get everything as a spreadsheet with /homework export.",
        ].join("\n"),
      );
    });

    it("see every group when they are coordinators", async () => {
      const list = await bot.say("coco", "facil", "/homework list 1");
      expect(list).toMatch(/Groups that have sent something: 2 of 2\./);
      expect(list).toMatch(/Berlin Tenants: 1 submission, 1 still missing\n• #1 ana/);
      expect(list).toMatch(/Madrid Tenants: 1 submission, 0 still missing\n• #2 kim .*: Hablé con Marta\./);
    });

    it("show one line per group when there are many submissions, and one group in full on request", async () => {
      const prisma = bot.db.prisma;
      const assignment = await prisma.homeworkAssignment.findFirstOrThrow({ where: { session: { index: 1 } } });
      const berlin = await prisma.group.findFirstOrThrow({ where: { name: "Berlin Tenants" } });
      for (let index = 0; index < 40; index++) {
        const member = await prisma.member.create({ data: { platform: "console", platformUserId: `extra${index}`, displayName: `Extra ${index}`, groupId: berlin.id } });
        await prisma.homeworkSubmission.create({ data: { assignmentId: assignment.id, groupId: berlin.id, memberId: member.id, text: `answer ${index}`, submittedAt: bot.clock.now(), late: false } });
      }
      const list = await bot.say("coco", "facil", "/homework list");
      expect(list).toMatch(/There are 42 submissions: one line per group here\. See a group's in full with \/homework list group=<name>/);
      expect(list).toMatch(/\n• Berlin Tenants: 41 submissions, 1 still missing\n• Madrid Tenants: 1 submission, 0 still missing\n/);
      expect(list).not.toMatch(/answer 7/);
      const one = await bot.say("fay", "facil", '/homework list 1 group="berlin tenants"');
      expect(one).toMatch(/^Homework for session 1.*\nGroups that have sent something: 1 of 1\.\nBerlin Tenants: 41 submissions, 1 still missing\n/s);
      expect(one).toMatch(/Extra 39 · .*: answer 39/);
      expect(await bot.say("fay", "facil", '/homework list group="Madrid Tenants"')).toBe("You don't look after the homework of “Madrid Tenants”.");
    });

    it("can't read or review another group's homework", async () => {
      expect(await bot.say("fay", "facil", "/homework list")).not.toMatch(/Madrid|Marta/);
      expect(await bot.say("fay", "facil", "/homework review 2 Nice")).toBe("There is no submission #2 among your groups' homework.");
      const [exported] = await raw("fay", "facil", "homework", "export");
      expect(new TextDecoder().decode(exported!.file!.data)).not.toMatch(/Madrid|Marta/);
      expect(await bot.say("fay", "madrid", "/homework")).toBe("Solo las personas del grupo de este canal pueden usar /homework. Envía primero /join.");
      expect((await submissions())[1]!.reviewedAt).toBeNull();
    });

    it("see their own group's homework in its channel", async () => {
      expect(await bot.say("fay", "berlin", "/homework")).toMatch(/In “Berlin Tenants”, 1 of 2 has sent theirs\.$/);
    });

    it("work only in a facilitators' channel, and a facilitator without groups is told how to get some", async () => {
      const refusal = "works only in a facilitators' channel, so no group's homework is shown where others can read it";
      expect(await bot.say("coco", "berlin", "/homework list")).toMatch(new RegExp(`^/homework list ${refusal}`));
      expect(await bot.say("fay", "private-fay", "/homework export")).toMatch(new RegExp(`^/homework export ${refusal}`));
      expect(await bot.say("fay", "berlin", "/homework review 1 Nice")).toMatch(new RegExp(`^/homework review ${refusal}`));
      await bot.say("gus", "facil", "/whoami");
      await bot.say("coco", "facil", "/grant gus facilitator");
      expect(await bot.say("gus", "facil", "/homework list")).toMatch(/^You don't look after any group's homework yet/);
    });

    it("are refused to participants, who can't read another group's homework anywhere", async () => {
      expect(await bot.say("ben", "facil", "/homework list")).toBe("/homework list is for the facilitator role only.");
      expect(await bot.say("ben", "facil", "/homework export")).toBe("/homework export is for the facilitator role only.");
      expect(await bot.say("kim", "berlin", "/homework")).toBe("Only members of this channel's group can use /homework. Send /join first.");
      expect(await bot.say("kim", "berlin", "/homework 1")).not.toMatch(/Lena/);
    });

    it("review: the feedback goes to the group's channel through the outbox, in its language, and marks it reviewed", async () => {
      await bot.say("coco", "facil", "/facilitate fay Madrid Tenants");
      expect(await bot.say("fay", "facil", "/homework review 1 Great start! Next time ask about the boss. https://example.org/more")).toBe(
        "Your feedback on #1 (ana, “Berlin Tenants”) is on its way to the group's channel.",
      );
      await bot.say("fay", "facil", "/homework review 2 ¡Muy bien!");
      expect(adapter.sent).toHaveLength(0); // queued, not sent by the command
      await bot.app.dispatcher.drain();
      expect(adapter.to("berlin").map((send) => send.text)).toEqual([
        "💬 Feedback on homework for session 1, “First”\nFor ana, from fay:\nGreat start! Next time ask about the boss. https://example.org/more",
      ]);
      expect(adapter.to("madrid").map((send) => send.text)).toEqual(["💬 Comentarios sobre la tarea de la sesión 1, “First”\nPara kim, de fay:\n¡Muy bien!"]);
      expect(adapter.sent[0]!.message.allowMassMentions).toBeUndefined();
      const fay = await bot.db.prisma.member.findFirstOrThrow({ where: { platformUserId: "fay" } });
      expect(await submissions()).toEqual([
        expect.objectContaining({ feedback: "Great start! Next time ask about the boss. https://example.org/more", reviewerId: fay.id }),
        expect.objectContaining({ feedback: "¡Muy bien!" }),
      ]);
      expect(await bot.say("fay", "facil", "/homework list")).toMatch(/#1 ana · Wednesday, May 1, 2030 at 12:00 PM GMT\+2 · reviewed: /);
    });

    it("review: a second review before the first went out replaces it, and a new submission clears the review", async () => {
      await bot.say("fay", "facil", "/homework review 1 First thought");
      bot.clock.advance(60_000);
      await bot.say("fay", "facil", "/homework review 1 Better thought");
      await bot.app.dispatcher.drain();
      expect(adapter.to("berlin").map((send) => send.text.split("\n").at(-1))).toEqual(["Better thought"]);
      expect((await deliveries("homework-feedback")).map((row) => row.status)).toEqual(["skipped", "sent"]);
      await bot.say("ana", "berlin", "/homework submit revised");
      expect((await submissions())[0]).toMatchObject({ feedback: null, reviewedAt: null, reviewerId: null, version: 2 });
    });

    it("review: says so when the group has no channel left to post in", async () => {
      await bot.db.prisma.channel.updateMany({ where: { platformChannelId: "berlin" }, data: { unreachableAt: new Date(), unreachableReason: "kicked" } });
      expect(await bot.say("fay", "facil", "/homework review 1 Nice")).toBe(
        "Your feedback on #1 (ana) is saved, but “Berlin Tenants” has no channel I can post in, so the group hasn't been told.",
      );
      expect(await deliveries("homework-feedback")).toHaveLength(0);
    });
  });

  describe("export", () => {
    it("is an RFC 4180 CSV with a BOM, one row per submission, escaping commas, quotes, line breaks and keeping non-Latin text", async () => {
      await bot.say("coco", "facil", "/bind facilitators");
      await bot.say("ana", "berlin", '/homework submit Lena said "yes", then:\nwe meet Friday. https://notes.example.org/a', {
        attachments: [{ url: "https://files.example.org/map.png", fileName: "map.png" }],
      });
      await bot.say("ben", "berlin", "/homework submit =HYPERLINK(\"http://evil.example\")");
      await bot.say("kim", "madrid", "/homework submit 한국어 답변, عربي, ελληνικά");
      await bot.say("coco", "facil", "/homework review 1 Good, thanks");
      const [reply] = await raw("coco", "facil", "homework", "export");
      expect(reply!.private).toBe(true);
      expect(reply!.blocks[0]).toEqual({ type: "text", spans: ["Session 1, “First”: 3 submissions, one row each in the file."] });
      const file = reply!.file!;
      expect(file).toMatchObject({ fileName: "homework-homework-program-session-1.csv", contentType: "text/csv; charset=utf-8" });
      const csv = new TextDecoder("utf-8", { ignoreBOM: true }).decode(file.data);
      expect(csv.startsWith("\uFEFF")).toBe(true);
      expect(csv.endsWith("\r\n")).toBe(true);
      expect(csv.slice(1).split("\r\n")).toEqual([
        "number,session,group,organization,country,member,sent (UTC),late,version,text,links,files,reviewed (UTC),reviewed by,feedback",
        '1,1,Berlin Tenants,,,ana,2030-05-01 10:00:00,no,1,"Lena said ""yes"", then:\nwe meet Friday. https://notes.example.org/a",https://notes.example.org/a,map.png <https://files.example.org/map.png>,2030-05-01 10:00:00,coco,"Good, thanks"',
        `2,1,Berlin Tenants,,,ben,2030-05-01 10:00:00,no,1,"'=HYPERLINK(""http://evil.example"")",http://evil.example,,,,`,
        '3,1,Madrid Tenants,,,kim,2030-05-01 10:00:00,no,1,"한국어 답변, عربي, ελληνικά",,,,,',
        "",
      ]);
    });

    it("names its columns in the caller's language, and says when there is nothing to export", async () => {
      await bot.say("coco", "facil", "/bind facilitators");
      expect(await bot.say("coco", "facil", "/homework export")).toBe("Your groups haven't sent anything for session 1, “First”, yet.");
      await bot.say("ana", "berlin", "/homework submit hola");
      const [reply] = await bot.app.handle({ platform: "console", channelId: "facil", userId: "coco", displayName: "coco", name: "homework", text: "export", userLocale: "de-DE" });
      expect(new TextDecoder().decode(reply!.file!.data).split("\r\n")[0]).toBe(
        "Nummer,Sitzung,Gruppe,Organisation,Land,Mitglied,abgegeben (UTC),verspätet,Version,Text,Links,Dateien,Feedback am (UTC),Feedback von,Feedback",
      );
    });
  });

  describe("nudges", () => {
    it("reach each group without a submission once, a day before the due time, in its language", async () => {
      await bot.say("ana", "berlin", "/homework submit done");
      bot.clock.set(DUE_1 - 26 * HOUR);
      expect(await bot.app.planners.homeworkNudges.enqueueHorizon()).toBe(0); // not within the hour yet
      bot.clock.set(DUE_1 - 24 * HOUR - 30 * 60_000);
      expect(await bot.app.planners.homeworkNudges.enqueueHorizon()).toBe(1);
      expect(await bot.app.planners.homeworkNudges.enqueueHorizon()).toBe(0);
      const [row] = await deliveries("homework-nudge");
      expect(row).toMatchObject({ dedupeKey: "homework-nudge:1:2:2030-05-21T15:00:00.000Z", notBefore: new Date(DUE_1 - 24 * HOUR), expiresAt: new Date(DUE_1) });
      expect((await bot.app.dispatcher.drain()).sent).toBe(0);
      bot.clock.set(DUE_1 - 24 * HOUR);
      await bot.app.dispatcher.drain();
      expect(adapter.sent.map((send) => [send.channelId, send.text])).toEqual([
        [
          "madrid",
          "📚 La tarea de la sesión 1, “First”, se entrega dentro de 1 día\nEntrega: martes, 21 de mayo de 2030, 09:00 GMT-6.\nTen una conversación de organización.\nNadie de “Madrid Tenants” ha enviado la suya todavía. Envía /homework submit seguido de tu respuesta o un enlace.",
        ],
      ]);
      await bot.app.planners.homeworkNudges.enqueueHorizon();
      await bot.app.dispatcher.drain();
      expect(adapter.sent).toHaveLength(1);
    });

    it("reach a group that registers within the nudge's hour at once, without waiting for the next tick", async () => {
      await bot.db.prisma.program.updateMany({ data: { registrationDeadline: new Date(DUE_1) } }); // registration kept open
      bot.clock.set(DUE_1 - 24 * HOUR - 30 * 60_000);
      await bot.say("lea", "lyon", "/register Lyon Tenants language=fr");
      expect((await deliveries("homework-nudge")).map((row) => row.channel.platformChannelId)).toEqual(["lyon"]);
      expect(await bot.app.planners.homeworkNudges.enqueueHorizon()).toBe(2); // the tick adds the others, not Lyon's again
    });

    it("are skipped at send time when the group submitted meanwhile", async () => {
      bot.clock.set(DUE_1 - 24 * HOUR - 30 * 60_000);
      expect(await bot.app.planners.homeworkNudges.enqueueHorizon()).toBe(2);
      await bot.say("kim", "madrid", "/homework submit ¡listo!");
      bot.clock.set(DUE_1 - 24 * HOUR);
      await bot.app.dispatcher.drain();
      expect(adapter.sent.map((send) => send.channelId)).toEqual(["berlin"]);
      expect((await deliveries("homework-nudge")).map((row) => [row.channel.platformChannelId, row.status, row.lastError])).toEqual([
        ["berlin", "sent", null],
        ["madrid", "skipped", "the group has submitted"],
      ]);
    });

    it("follow a moved deadline: the old one is skipped and a fresh one planned", async () => {
      bot.clock.set(DUE_1 - 24 * HOUR - 30 * 60_000);
      await bot.app.planners.homeworkNudges.enqueueHorizon();
      await bot.say("coco", "hq", "/session move 2 2030-05-23 17:00");
      bot.clock.set(DUE_1 - 24 * HOUR);
      await bot.app.dispatcher.drain();
      const nudges = () => adapter.sent.filter((send) => send.text.startsWith("📚"));
      expect(nudges()).toHaveLength(0);
      expect((await deliveries("homework-nudge")).map((row) => row.lastError)).toEqual(["due time moved", "due time moved"]);
      bot.clock.set(DUE_1 + 24 * HOUR - 30 * 60_000);
      expect(await bot.app.planners.homeworkNudges.enqueueHorizon()).toBe(2);
      bot.clock.set(DUE_1 + 24 * HOUR);
      await bot.app.dispatcher.drain();
      expect(nudges().filter((send) => send.channelId === "berlin").map((send) => send.text)).toEqual([
        expect.stringMatching(/^📚 Homework for session 1, “First”, is due in 1 day\nDue Thursday, May 23, 2030 at 05:00 PM GMT\+2\./),
      ]);
    });

    it("are not sent when the program turns them off, nor after the due time", async () => {
      const file = parseProgramText(PROGRAM.replace("reminders: []", "reminders: []\nhomework: { nudgeBefore: off }"));
      await bot.app.services.programs.import(file);
      bot.clock.set(DUE_1 - 24 * HOUR);
      expect(await bot.app.planners.homeworkNudges.enqueueHorizon()).toBe(0);
      await bot.app.services.programs.import(parseProgramText(PROGRAM));
      expect(await bot.app.planners.homeworkNudges.enqueueHorizon()).toBe(2);
      await bot.app.services.programs.import(file);
      await bot.app.dispatcher.drain();
      expect(adapter.sent).toHaveLength(0);
      expect((await deliveries("homework-nudge")).map((row) => row.lastError)).toEqual(["homework nudges are off for the program", "homework nudges are off for the program"]);
      bot.clock.set(DUE_1 + HOUR);
      expect(await bot.app.planners.homeworkNudges.enqueueHorizon()).toBe(0);
    });
  });

  describe("assignments", () => {
    it("coordinators set one language's text (the program's language by default) and see them all", async () => {
      expect(await bot.say("coco", "hq", "/assignment set 1 lang=Deutsch Führe ein Gespräch.\nSchreib auf, wie es lief.")).toBe(
        "Saved: the homework for session 1, “First”, in German.\nThese languages still have their earlier text: English, Spanish. Update them with lang=…, e.g. /assignment set 1 lang=es …",
      );
      expect(await bot.say("coco", "hq", "/assignment set 2 Read chapter 2.")).toBe("Saved: the homework for session 2, “Second”, in English.");
      expect(await bot.say("coco", "hq", "/assignment show 1")).toBe(
        [
          "📚 Homework for session 1, “First”",
          "Due Tuesday, May 21, 2030 at 05:00 PM GMT+2, in 20 days, 5 hours.",
          "• English (en): Have one organizing conversation. Guide: https://example.org/guide",
          "• Spanish (es): Ten una conversación de organización.",
          "• German (de): Führe ein Gespräch.\nSchreib auf, wie es lief.",
          "Groups whose language is missing read it in English.",
        ].join("\n"),
      );
      await bot.say("ana", "berlin", "/language de");
      expect(await bot.say("ben", "berlin", "/homework")).toMatch(/^📚 Hausaufgabe zu Sitzung 1, „First“\nFühre ein Gespräch\.\nSchreib auf, wie es lief\./);
      // Session 1's homework is now due when session 2 starts, and session 2's when session 3 does.
      bot.clock.set(DUE_1 + HOUR);
      expect(await bot.say("ana", "berlin", "/homework")).toMatch(/^📚 Hausaufgabe zu Sitzung 2, „Second“\nRead chapter 2\./);
    });

    it("keep a language set by command when the program file is imported again", async () => {
      await bot.say("coco", "hq", "/assignment set 1 lang=fr Ayez une conversation.");
      await bot.app.services.programs.import(parseProgramText(PROGRAM.replace("Ten una conversación de organización.", "Conversa con alguien.")));
      const assignment = await bot.db.prisma.homeworkAssignment.findFirstOrThrow({ where: { session: { index: 1 } } });
      expect(assignment.texts).toEqual({
        en: "Have one organizing conversation. Guide: https://example.org/guide",
        es: "Conversa con alguien.",
        fr: "Ayez une conversation.",
      });
    });

    it("refuses a session that doesn't exist and a language we don't ship, and changes nothing", async () => {
      expect(await bot.say("coco", "hq", "/assignment set 9 Something")).toBe("There is no session 9; the program has sessions 1 to 3.");
      expect(await bot.say("coco", "hq", "/assignment set 1 lang=xx Something")).toMatch(/^I don't know the language “xx”/);
      expect(await bot.db.prisma.homeworkAssignment.count()).toBe(2);
      expect(await bot.say("ana", "berlin", "/assignment set 1 Something")).toBe("/assignment set is for the coordinator role only.");
    });
  });

  describe("facilitation and channels", () => {
    it("links facilitators to groups by name, suggesting close names, and unlinks them", async () => {
      await bot.say("fay", "facil", "/whoami");
      expect(await bot.say("coco", "hq", "/facilitate fay Berlin Tenants")).toBe("fay is not a facilitator yet. Give them the role first with /grant.");
      await bot.say("coco", "hq", "/grant fay facilitator");
      expect(await bot.say("coco", "hq", "/facilitate fay berlin tenant")).toBe("There is no group called “berlin tenant”. Did you mean “Berlin Tenants”?");
      expect(await bot.say("coco", "hq", "/facilitate fay Nowhere At All")).toBe("There is no group called “Nowhere At All” in this program.");
      expect(await bot.say("coco", "hq", "/facilitate fay berlin  TENANTS")).toBe("fay now looks after the homework of “Berlin Tenants”.");
      expect(await bot.say("coco", "hq", "/facilitate fay Berlin Tenants")).toBe("fay already looks after “Berlin Tenants”.");
      expect(await bot.say("coco", "hq", "/unfacilitate fay Berlin Tenants")).toBe("fay no longer looks after “Berlin Tenants”.");
      expect(await bot.say("coco", "hq", "/unfacilitate fay Berlin Tenants")).toBe("fay doesn't look after “Berlin Tenants”.");
      expect((await bot.db.prisma.auditEntry.findMany({ where: { action: { startsWith: "facilitator." } } })).map((entry) => entry.action)).toEqual([
        "facilitator.linked",
        "facilitator.unlinked",
      ]);
    });

    it("binds a facilitators' channel, never a group's, and unbinds it", async () => {
      await facilitatorFay();
      expect(await bot.say("fay", "facil", "/bind facilitators")).toBe("This is already a facilitators' channel.");
      expect(await bot.say("fay", "berlin", "/bind facilitators")).toBe("This channel belongs to the group “Berlin Tenants”. Facilitators need a channel of their own.");
      expect(await bot.say("fay", "berlin", "/unbind")).toBe("This channel is not a facilitators' channel.");
      // The reverse: registering a group there would silently end lists, reviews and exports.
      expect(await bot.say("gus", "facil", "/register Facilitator Squatters")).toBe(
        "This is the facilitators' channel: homework is listed, reviewed and exported here, so it cannot also be a group's channel. Register your group in a channel of its own.",
      );
      expect(await bot.say("fay", "facil", "/homework list")).toMatch(/Berlin Tenants/);
      expect(await bot.db.prisma.group.count({ where: { name: "Facilitator Squatters" } })).toBe(0);
      expect(await bot.say("fay", "facil", "/unbind")).toBe("This is no longer a facilitators' channel.");
      expect(await bot.say("fay", "facil", "/homework list")).toMatch(/works only in a facilitators' channel/);
      expect(await bot.db.prisma.channel.count({ where: { purpose: "facilitators" } })).toBe(0);
    });
  });

  it("keeps a deleted member's submission for the facilitators, without their identity", async () => {
    await bot.say("coco", "facil", "/bind facilitators");
    await bot.say("ben", "berlin", "/homework submit my answer");
    await bot.say("coco", "facil", "/homework review 1 thanks");
    await bot.db.prisma.member.delete({ where: { platform_platformUserId: { platform: "console", platformUserId: "ben" } } });
    expect(await submissions()).toEqual([expect.objectContaining({ memberId: null, groupId: 1, text: "my answer", feedback: "thanks" })]);
    expect(await bot.say("coco", "facil", "/homework list")).toMatch(/Berlin Tenants: 1 submission, 1 still missing\n• #1 a former member · .*: my answer\nNot yet: ana/);
    const [reply] = await raw("coco", "facil", "homework", "export");
    expect(new TextDecoder().decode(reply!.file!.data)).toMatch(/\r\n1,1,Berlin Tenants,,,a former member,/);
  });
});
