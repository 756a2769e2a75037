// Participation on PGlite and PostgreSQL: checking in during a session's window (late after the
// start, once however often), a lead checking in people on their screen, facilitators correcting
// attendance for their breakout rooms, the /participation view for a group and for facilitators,
// charts and structure tests with corrections, the follow-up through the outbox, the CSV export
// and people's data.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { renderPlain } from "../../src/core/messages.ts";
import { checkedInOrRegistered } from "../../src/participation/breakout-participants.ts";
import { participationCsv } from "../../src/participation/csv.ts";
import { parseTestText } from "../../src/participation/test-text.ts";
import { backends } from "../helpers/database.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";
import { RecordingAdapter } from "../helpers/recording-adapter.ts";

// Session 1: Tuesday 2030-05-14 17:00 Berlin = 15:00 UTC, two hours; check-in opens at 14:45 UTC.
const PROGRAM = `
slug: participation-program
title: Participation Program
timezone: Europe/Berlin
defaultLanguage: en
registrationDeadline: "2030-05-12 23:59"
reminders: [1h]
participation:
  checkInOpensMinutesBefore: 15m
  threshold: 0.5
  supermajority: 0.7
  followUp: { absentNudge: true, flagBelow: 0.5 }
sessions:
  - title: First
    start: "2030-05-14 17:00"
    homework: { en: "Chart your workplace." }
  - { title: Second, start: "2030-05-21 17:00" }
`;
const OPENS = "2030-05-14T14:45:00Z";
const STARTS = "2030-05-14T15:00:00Z";

describe.each(backends)("participation on %s", (backend) => {
  let bot: TestBot;
  let adapter: RecordingAdapter;
  beforeAll(async () => {
    adapter = new RecordingAdapter();
    bot = await createTestBot(backend, { program: PROGRAM, coordinators: "console:coco", adapters: [adapter] });
  });
  beforeEach(async () => {
    await bot.reset();
    adapter.reset();
    // Berlin: ana leads; ben, cy and dee join. Madrid: kim leads alone.
    await bot.say("ana", "berlin", "/register Berlin Tenants");
    for (const name of ["ben", "cy", "dee"]) await bot.say(name, "berlin", "/join");
    await bot.say("kim", "madrid", "/register Madrid Tenants language=es");
  });
  afterAll(async () => {
    await bot.close();
  });

  const checkIns = () => bot.db.prisma.checkIn.findMany({ include: { member: true }, orderBy: { id: "asc" } });

  /** A facilitators' channel where fay looks after Berlin. */
  async function facilitatorFay() {
    await bot.say("fay", "facil", "/whoami");
    await bot.say("coco", "facil", "/grant fay facilitator");
    await bot.say("coco", "facil", "/bind facilitators");
    await bot.say("coco", "facil", "/facilitate fay Berlin Tenants");
  }

  describe("checking in", () => {
    it("opens a configurable time before the start, counts late after it, and records a double tap once", async () => {
      bot.clock.set("2030-05-14T14:30:00Z");
      expect(await bot.say("ben", "berlin", "/here")).toBe("Check-in for session 1 opens Tuesday, May 14, 2030 at 04:45 PM GMT+2.");
      expect(await checkIns()).toHaveLength(0);

      bot.clock.set("2030-05-14T14:50:00Z");
      expect(await bot.say("ben", "berlin", "/here")).toBe("✅ ben, you're checked in for session 1, “First” (4:50 PM).");
      bot.clock.set("2030-05-14T14:51:00Z");
      expect(await bot.say("ben", "berlin", "/here")).toBe("You were already checked in for session 1 at 4:50 PM.");

      bot.clock.set("2030-05-14T15:10:00Z");
      expect(await bot.say("cy", "berlin", "/here")).toBe("✅ cy, you're checked in for session 1, “First” (5:10 PM, after the start).");

      const rows = await checkIns();
      expect(rows.map((row) => [row.member?.displayName, row.late, row.recordedBy, row.checkedInAt.toISOString()])).toEqual([
        ["ben", false, "self", "2030-05-14T14:50:00.000Z"],
        ["cy", true, "self", "2030-05-14T15:10:00.000Z"],
      ]);
    });

    it("answers privately, shows times in the reader's zone, and closes when the session ends", async () => {
      await bot.say("kim", "madrid", "/timezone America/Mexico_City");
      bot.clock.set(STARTS);
      const [reply] = await bot.app.handle({ platform: "console", channelId: "madrid", userId: "kim", displayName: "kim", name: "here", text: "" });
      expect(reply!.private).toBe(true);
      expect(renderPlain(reply!)).toBe("✅ kim, tu asistencia a la sesión 1, “First”, queda registrada (9:00).");
      bot.clock.set("2030-05-14T17:00:01Z");
      expect(await bot.say("ben", "berlin", "/here session=1")).toBe("Session 1 is over; check-in has closed.");
      expect(await bot.say("ben", "berlin", "/here")).toContain("Check-in for session 2 opens");
    });

    it("lets the lead check in people on one screen, and nobody else", async () => {
      bot.clock.set(OPENS);
      expect(await bot.say("ben", "berlin", "/here cy dee")).toBe("Only your group's lead can check in other people. Send /here on its own to check yourself in.");
      await bot.say("cy", "berlin", "/here");
      expect(await bot.say("ana", "berlin", "/here ben cy zed ana")).toBe(
        [
          "Check-in for session 1, “First”",
          "Checked in (2): ben, ana.",
          "Already checked in: cy.",
          "Not found in Berlin Tenants: zed. Use their name or @handle as the bot knows it (they may need to send /join first).",
        ].join("\n"),
      );
      const rows = await checkIns();
      expect(rows.map((row) => [row.member?.displayName, row.recordedBy])).toEqual([["cy", "self"], ["ben", "lead"], ["ana", "self"]]);
      // kim's Madrid people are not Berlin's to check in.
      expect(await bot.say("ana", "berlin", "/here kim")).toContain("Not found in Berlin Tenants: kim.");
    });

    it("works only in a group's channel, for its members", async () => {
      bot.clock.set(OPENS);
      expect(await bot.say("kim", "berlin", "/here")).toContain("Only members of this channel's group can use /here");
      expect(await checkIns()).toHaveLength(0);
    });
  });

  describe("facilitators correcting attendance", () => {
    /** fay leads room 1 of session 1 with ben and cy in it. */
    async function roomForFay() {
      await facilitatorFay();
      const session = await bot.db.prisma.session.findFirstOrThrow({ where: { index: 1 } });
      const [fay, ben, cy] = await Promise.all(["fay", "ben", "cy"].map((name) => bot.db.prisma.member.findFirstOrThrow({ where: { displayName: name } })));
      const round = await bot.db.prisma.breakoutRound.create({
        data: { sessionId: session.id, status: "published", version: 1, mode: "mix", targetSize: 8, seed: 1, needsConfirmation: false, report: {} },
      });
      await bot.db.prisma.breakoutRoom.create({
        data: { roundId: round.id, number: 1, language: "en", facilitatorId: fay!.id, seats: { create: [ben!, cy!].map((member) => ({ memberId: member.id, groupId: member.groupId! })) } },
      });
    }

    it("changes the record for people in their rooms and keeps what it was in the audit log", async () => {
      await roomForFay();
      bot.clock.set("2030-05-14T15:20:00Z");
      await bot.say("ben", "berlin", "/here");
      expect(await bot.say("fay", "facil", "/attendance present ben cy dee")).toBe(
        ["Attendance for session 1, “First”", "Marked present (2): ben, cy.", "Not in your breakout rooms for this session: dee."].join("\n"),
      );
      expect((await checkIns()).map((row) => [row.member?.displayName, row.present, row.late, row.recordedBy])).toEqual([
        ["ben", true, false, "facilitator"],
        ["cy", true, false, "facilitator"],
      ]);
      await bot.say("fay", "facil", "/attendance absent cy");
      expect(await bot.say("cy", "berlin", "/here")).toBe("A facilitator recorded you as absent from session 1. If you are here, tell them.");
      const audit = await bot.db.prisma.auditEntry.findMany({ where: { action: "participation.corrected" }, orderBy: { id: "asc" } });
      expect(audit.map((entry) => entry.details)).toEqual([
        { sessionId: expect.any(Number), before: { present: true, late: true, recordedBy: "self", checkedInAt: "2030-05-14T15:20:00.000Z" }, after: { present: true, late: false } },
        { sessionId: expect.any(Number), before: null, after: { present: true, late: false } },
        { sessionId: expect.any(Number), before: expect.objectContaining({ present: true, recordedBy: "facilitator" }), after: { present: false, late: false } },
      ]);
    });

    it("is refused to a facilitator without a room in the session and to participants", async () => {
      await facilitatorFay();
      bot.clock.set("2030-05-14T15:20:00Z");
      expect(await bot.say("fay", "facil", "/attendance late ben")).toBe(
        "You don't lead a breakout room in session 1, so there is nobody whose attendance you can correct.",
      );
      expect(await bot.say("ana", "berlin", "/attendance present ben")).toBe("/attendance is for the facilitator role only.");
      expect(await checkIns()).toHaveLength(0);
    });
  });

  describe("/participation", () => {
    async function sessionOneHappened() {
      bot.clock.set(OPENS);
      await bot.say("ana", "berlin", "/here");
      await bot.say("ben", "berlin", "/here");
      await bot.say("ana", "berlin", "/homework submit Done: we charted it");
      bot.clock.set("2030-05-14T15:05:00Z");
      await bot.say("cy", "berlin", "/here");
    }

    it("shows a group its own numbers with the sessions side by side", async () => {
      await sessionOneHappened();
      bot.clock.set("2030-05-21T14:50:00Z");
      await bot.say("dee", "berlin", "/here");
      const view = await bot.say("ben", "berlin", "/participation");
      expect(view).toContain("Participation in Participation Program");
      const lines = view.split("\n");
      const header = lines.find((line) => line.includes("#1"))!;
      expect(header).toMatch(/#1 Tue, May 14\s+#2 Tue, May 21/);
      expect(lines.find((line) => line.startsWith("Berlin Tenants (4)"))).toMatch(/came\s+3\s+75%\s+1\s+25%/);
      expect(lines.find((line) => line.includes("time"))).toMatch(/time\s+2\s+50%\s+1\s+25%/);
      expect(lines.find((line) => line.includes(" hw "))).toMatch(/hw\s+1\s+25%\s+0\s+0%/);
      expect(view).not.toContain("Madrid");
      expect(await bot.say("ben", "berlin", "/participation 1")).not.toContain("#2");
    });

    it("shows facilitators their groups and coordinators all, groups below the threshold first", async () => {
      await sessionOneHappened();
      await facilitatorFay();
      const mine = await bot.say("fay", "facil", "/participation 1");
      expect(mine).toContain("Berlin Tenants (4)");
      expect(mine).not.toContain("Madrid");
      const all = await bot.say("coco", "facil", "/participation 1");
      const names = all.split("\n").filter((line) => /Tenants \(\d\)/.test(line));
      expect(names[0]).toMatch(/^⚠ Madrid Tenants \(1\)\s+came\s+0\s+0%/);
      expect(names[1]).toMatch(/^Berlin Tenants \(4\)/);
      expect(all).toContain("1 group is below 50%: it is listed first.");
      expect(await bot.say("ben", "facil", "/participation")).toBe("/participation is for the facilitator role only.");
    });

    it("tells a coordinator outside any group's channel where the figures are read", async () => {
      expect(await bot.say("coco", "hq", "/participation")).toBe(
        "/participation shows the figures of the groups you look after in a facilitators' channel (a facilitator or coordinator can make one with /bind facilitators), and a group's own figures in its channel.",
      );
    });

    it("exports the same numbers as CSV", async () => {
      await sessionOneHappened();
      const program = (await bot.app.services.programs.active())!;
      const groups = await bot.db.prisma.group.findMany({ orderBy: { name: "asc" } });
      const reports = bot.app.services.participation;
      const csv = participationCsv(await reports.report(program, groups, await reports.sessions(program, bot.clock.now())));
      expect(csv.split("\r\n")).toEqual([
        "\uFEFFgroup,session,session_start_utc,members,attended,attended_share,on_time,on_time_share,homework,homework_share,below_threshold",
        "Madrid Tenants,1,2030-05-14T15:00:00.000Z,1,0,0.00,0,0.00,0,0.00,yes",
        "Berlin Tenants,1,2030-05-14T15:00:00.000Z,4,3,0.75,2,0.50,1,0.25,no",
        "",
      ]);
    });
  });

  describe("charts and structure tests", () => {
    it("records tests against the chart, says whether they reached a supermajority, and keeps corrections", async () => {
      expect(await bot.say("ben", "berlin", '/test "Petition for safe staffing" 87')).toContain("How many people does your unit have?");
      expect(await bot.say("ben", "berlin", "/chart size=120")).toContain("Charted: your unit has 120 people.");
      expect(await bot.say("ben", "berlin", '/test "Petition for safe staffing" 80')).toBe(
        "Recorded “Petition for safe staffing”: 80 of 120 (67%). A supermajority needs 70%.",
      );
      expect(await bot.say("cy", "berlin", "/test Petition for safe staffing 87/120")).toBe(
        "🎉 “Petition for safe staffing”: 87 of 120 (73%), a supermajority (at least 70%).\nThis corrects the earlier figures (80 of 120); they stay in the history.",
      );
      expect(await bot.say("cy", "berlin", '/test "Sticker day" 130/120')).toBe("130 took part, but the unit has only 120 people. Check the numbers.");
      expect(await bot.say("cy", "berlin", "/test just words")).toContain("Write the test's name");
      const chart = await bot.say("dee", "berlin", "/chart");
      expect(chart).toContain("Your unit: 120 people.");
      expect(chart).toContain("“Petition for safe staffing” 87/120 (73%) ✅ supermajority");
      expect(chart).toContain("corrected once");
      const rows = await bot.db.prisma.structureTest.findMany({ orderBy: { id: "asc" } });
      expect(rows.map((row) => [row.participants, row.supersededById === null])).toEqual([[80, false], [87, true]]);
      expect(rows[0]!.supersededById).toBe(rows[1]!.id);
    });

    it("shows coordinators every group's latest test, and refuses that list to participants", async () => {
      await bot.say("ben", "berlin", '/test "Petition" 90/120');
      const overview = await bot.say("coco", "anywhere", "/tests");
      expect(overview).toContain("1 of 2 groups have recorded a test; 1 reached a supermajority.");
      expect(overview).toContain("Berlin Tenants: “Petition” 90/120 (75%) ✅ supermajority");
      expect(overview).toContain("No test yet: Madrid Tenants.");
      expect(await bot.say("ben", "berlin", "/tests")).toBe("/tests is for the facilitator role only.");
    });

    it("reads the test's text: quotes, spaces and a missing unit size", () => {
      expect(parseTestText("“Petition for safe staffing” 87 / 120")).toEqual({ name: "Petition for safe staffing", participants: 87, unitSize: 120 });
      expect(parseTestText("Sticker day 64")).toEqual({ name: "Sticker day", participants: 64 });
      expect(parseTestText("87/120")).toBeUndefined();
    });
  });

  describe("follow-up through the outbox", () => {
    it("nudges groups with members absent once, and flags groups below the threshold to facilitators", async () => {
      await facilitatorFay();
      bot.clock.set(OPENS);
      for (const name of ["ana", "ben", "cy", "dee"]) await bot.say(name, "berlin", "/here");
      await bot.app.dispatcher.drain();
      adapter.reset();
      bot.clock.set("2030-05-14T17:30:00Z");
      expect(await bot.app.planners.participationFollowUp.enqueueEnded()).toBe(2);
      expect(await bot.app.planners.participationFollowUp.enqueueEnded()).toBe(0);
      await bot.app.dispatcher.drain();
      const byChannel = Object.fromEntries(adapter.sent.map((send) => [send.channelId, send.text]));
      expect(Object.keys(byChannel).sort()).toEqual(["facil", "madrid"]);
      expect(byChannel.madrid).toBe(
        [
          "Después de la sesión 1, “First”",
          "Vinieron 0 de 1 miembros.",
          "No pudieron venir: kim.",
          "¿Alguien puede ponerles al día antes de la próxima sesión? Cada sesión cuenta.",
        ].join("\n"),
      );
      expect(byChannel.facil).toBe(["Groups below 50% at session 1, “First”", "• Madrid Tenants: 0 of 1 (0%) — no facilitator yet"].join("\n"));
    });

    it("puts a check-in button on the session's reminder", async () => {
      bot.clock.set("2030-05-14T13:59:00Z");
      await bot.app.planners.reminders.enqueueHorizon();
      bot.clock.set("2030-05-14T14:00:00Z");
      await bot.app.dispatcher.drain();
      const reminder = adapter.sent.find((send) => send.channelId === "berlin")!;
      expect(reminder.message.actions).toEqual([{ kind: "check-in", session: 1, label: "✋ I'm here" }]);
      expect(adapter.sent.find((send) => send.channelId === "madrid")!.message.actions).toEqual([{ kind: "check-in", session: 1, label: "✋ Estoy aquí" }]);
    });
  });

  describe("breakouts", () => {
    it("take everyone registered until people check in, then only those present", async () => {
      const session = await bot.db.prisma.session.findFirstOrThrow({ where: { index: 1 } });
      const names = async () => {
        const people = await checkedInOrRegistered(bot.db.prisma, session, new Set());
        const members = await bot.db.prisma.member.findMany({ where: { id: { in: people.map((person) => person.memberId) } } });
        return members.map((member) => member.displayName).sort();
      };
      expect(await names()).toEqual(["ana", "ben", "cy", "dee", "kim"]);
      bot.clock.set(OPENS);
      await bot.say("ben", "berlin", "/here");
      await bot.say("kim", "madrid", "/here");
      expect(await names()).toEqual(["ben", "kim"]);
    });
  });

  describe("people's data", () => {
    it("puts check-ins and recorded tests in /mydata and keeps them without the person after /forgetme", async () => {
      bot.clock.set(OPENS);
      await bot.say("ben", "berlin", "/here");
      await bot.say("ben", "berlin", '/test "Petition" 90/120');
      const [file] = await bot.app.handle({ platform: "console", channelId: "dm-ben", isPrivateChat: true, userId: "ben", displayName: "ben", name: "mydata", text: "" });
      const data = JSON.parse(new TextDecoder().decode(file!.file!.data));
      expect(data.attendance).toEqual([
        { program: "Participation Program", session: { number: 1, title: "First" }, group: "Berlin Tenants", checkedInAt: "2030-05-14T14:45:00.000Z", present: true, late: false, recordedBy: "self" },
      ]);
      expect(data.structureTestsRecorded).toEqual([
        { group: "Berlin Tenants", name: "Petition", participants: 90, unitSize: 120, recordedAt: "2030-05-14T14:45:00.000Z", corrected: false },
      ]);
      await bot.say("ben", "dm-ben", "/forgetme", { isPrivateChat: true });
      await bot.say("ben", "dm-ben", "/forgetme confirm", { isPrivateChat: true });
      expect(await bot.db.prisma.member.count({ where: { displayName: "ben" } })).toBe(0);
      expect((await checkIns()).map((row) => [row.memberId, row.recorderId])).toEqual([[null, null]]);
      expect((await bot.db.prisma.structureTest.findMany()).map((row) => row.recordedById)).toEqual([null]);
    });
  });
});
