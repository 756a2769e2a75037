// Homework through Discord, end to end: members submit with /homework submit (the answer option,
// the upload option, or both), confirmed ephemerally in their Discord language; a facilitator
// lists, reviews (the feedback reaches the group's channel through the outbox) and exports (a CSV
// attached to an ephemeral reply).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { homeworkCsv } from "../../../src/homework/export.ts";
import type { Locale } from "../../../src/i18n/i18n.ts";
import { parseProgramText } from "../../../src/programs/program-file.ts";
import { formatDateTime } from "../../../src/time/format.ts";
import { startDiscordFake, type DiscordFake, type FakeUserInit, type InteractionHandle } from "../../fakes/discord/index.ts";
import { TEST_PROGRAM } from "../../helpers/bot.ts";
import { answerOf, EPHEMERAL, replyText, startDiscordBot, type DiscordBot } from "./harness.ts";

/** The test program with homework for session 1, due when session 2 starts. */
const HOMEWORK_PROGRAM = TEST_PROGRAM.replace("duration: 2h }", 'duration: 2h, homework: { en: "Map your building." } }');
const START = Date.parse("2030-05-01T10:00:00Z");
const HOUR = 3_600_000;

const LEA: FakeUserInit = { id: "330000000000000001", username: "lea", globalName: "Lea", locale: "de" };
const MIN: FakeUserInit = { id: "330000000000000002", username: "min", globalName: "Min", locale: "ko" };
/** Facilitator; writes in French. */
const FAY: FakeUserInit = { id: "330000000000000003", username: "fay", globalName: "Fay", locale: "fr" };
/** Coordinator by configuration. */
const CORA: FakeUserInit = { id: "330000000000000004", username: "cora", globalName: "Cora", locale: "en-US" };

describe("Discord homework", () => {
  let fake: DiscordFake;
  let bot: DiscordBot;
  let channels = 0;
  beforeAll(async () => {
    fake = await startDiscordFake({ heartbeatIntervalMs: 1000, guilds: [{ name: "Organizing Hub" }] });
    bot = await startDiscordBot(fake, { guildId: fake.defaultGuildId, coordinators: `discord:${CORA.id}` });
  });
  afterAll(async () => {
    await bot?.close();
    await fake?.close();
  });

  let groupChannel: string;
  beforeEach(async () => {
    await bot.db.reset();
    await bot.app.services.members.bootstrapCoordinators();
    bot.clock.set(START);
    await bot.app.services.programs.import(parseProgramText(HOMEWORK_PROGRAM), { activate: true });
    groupChannel = newChannel();
    await answerOf(fake, fake.interact({ commandName: "register", channelId: groupChannel, user: LEA, options: { name: "Tenants of Kreuzberg", timezone: "Europe/Berlin" } }));
    await answerOf(fake, fake.interact({ commandName: "join", channelId: groupChannel, user: MIN }));
  });

  /** A fresh channel: its own rate-limit bucket. */
  function newChannel(): string {
    return fake.addChannel(fake.defaultGuildId, { name: `homework-${++channels}` });
  }

  const t = (locale: Locale, key: string, params?: Record<string, unknown>) => bot.app.i18n.t(locale, key, params);
  const submissions = () => bot.db.prisma.homeworkSubmission.findMany({ orderBy: { id: "asc" }, include: { member: true } });
  /** Where Discord says the file uploaded with an interaction is. */
  const uploadedUrl = (handle: InteractionHandle) => {
    const resolved = (handle.payload as { data: { resolved: { attachments: Record<string, { url: string }> } } }).data.resolved;
    return Object.values(resolved.attachments)[0]!.url;
  };
  /** `/homework <subcommand>` as `user` in `channelId`. */
  const homework = (subcommand: string, user: FakeUserInit, channelId: string, options: Record<string, string | number> = {}) =>
    fake.interact({ commandName: "homework", subcommand, channelId, user, options });

  it("records the answer option, then an upload with the answer, which replaces it, each confirmed ephemerally", async () => {
    const first = homework("submit", MIN, groupChannel, { answer: "우리 건물 지도를 그렸어요: https://notes.example.org/map" });
    const [confirmed] = await answerOf(fake, first);
    expect(confirmed!.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(confirmed!.content).toBe(t("ko", "homework.submit.done", { name: "Min", index: 1, title: "First" }));
    const [stored] = await submissions();
    expect(stored).toMatchObject({ text: "우리 건물 지도를 그렸어요: https://notes.example.org/map", attachments: [], version: 1, member: { platformUserId: MIN.id } });

    bot.clock.advance(2 * HOUR);
    const second = homework("submit", MIN, groupChannel, { answer: "지도", file: "building map.pdf" });
    const [replaced] = await answerOf(fake, second);
    expect(replaced!.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(replaced!.content).toBe(
      [
        t("ko", "homework.submit.done", { name: "Min", index: 1, title: "First" }),
        t("ko", "homework.submit.files", { files: "building map.pdf" }),
        t("ko", "homework.submit.replaced", { when: formatDateTime(stored!.submittedAt, "ko", "Europe/Berlin") }),
      ].join("\n"),
    );
    // The upload is kept by the address Discord gave it, with its name.
    expect(await submissions()).toEqual([
      expect.objectContaining({
        id: stored!.id,
        version: 2,
        text: "지도",
        attachments: [{ url: uploadedUrl(second), fileName: "building map.pdf", contentType: "application/pdf", size: expect.any(Number) }],
      }),
    ]);
    // Nothing about it was posted for the channel to read.
    expect(fake.messages(groupChannel).filter((message) => message.source === "channel")).toEqual([]);
  });

  it("takes a file alone, and tells someone outside the group that this is not their channel", async () => {
    const upload = homework("submit", LEA, groupChannel, { file: "karte.png" });
    expect(await replyText(fake, upload)).toBe(
      [t("de", "homework.submit.done", { name: "Lea", index: 1, title: "First" }), t("de", "homework.submit.files", { files: "karte.png" })].join("\n"),
    );
    expect(await submissions()).toEqual([expect.objectContaining({ text: "", attachments: [expect.objectContaining({ url: uploadedUrl(upload), fileName: "karte.png" })] })]);

    const outsider = homework("submit", FAY, groupChannel, { answer: "Pas mon groupe" });
    const [refused] = await answerOf(fake, outsider);
    expect(refused!.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(refused!.content).toBe(t("fr", "errors.notMember", { command: "/homework submit" }));
    expect(await submissions()).toHaveLength(1);
  });

  it("lets a facilitator list, review through the outbox and export a CSV attached to a private reply", async () => {
    await answerOf(fake, homework("submit", MIN, groupChannel, { answer: "지도", file: "building map.pdf" }));
    const [submission] = await submissions();
    // A coordinator makes Fay the group's facilitator; she binds a channel of her own.
    const facilitators = newChannel();
    await answerOf(fake, fake.interact({ commandName: "whoami", channelId: facilitators, user: FAY }));
    expect(await replyText(fake, fake.interact({ commandName: "grant", channelId: facilitators, user: CORA, options: { user: `<@${FAY.id}>`, role: "facilitator" } }))).toBe(
      "Fay is now a facilitator.",
    );
    await answerOf(fake, fake.interact({ commandName: "facilitate", channelId: facilitators, user: CORA, options: { user: `<@${FAY.id}>`, group: "Tenants of Kreuzberg" } }));
    expect(await replyText(fake, fake.interact({ commandName: "bind", channelId: facilitators, user: FAY, options: { purpose: "facilitators" } }))).toBe(t("fr", "bind.done"));

    const [list] = await answerOf(fake, homework("list", FAY, facilitators));
    expect(list!.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(list!.content).toContain(t("fr", "homework.list.group", { group: "Tenants of Kreuzberg", count: 1, missing: 1 }));
    // The file's name links to it (Discord markdown, without an embed).
    expect(list!.content).toContain(`\`#${submission!.id}\` **Min** · `);
    expect(list!.content).toContain(`: 지도 📎 [building map.pdf](<${(submission!.attachments as { url: string }[])[0]!.url}>)`);

    const review = homework("review", FAY, facilitators, { id: submission!.id, feedback: "Très belle carte ! @everyone *bravo*" });
    expect(await replyText(fake, review)).toBe(t("fr", "homework.review.done", { id: submission!.id, name: "Min", group: "Tenants of Kreuzberg" }));
    expect(fake.messages(groupChannel).filter((message) => message.source === "channel")).toEqual([]);
    expect(await bot.app.dispatcher.drain()).toMatchObject({ sent: 1, failed: 0 });
    const [feedback] = fake.messages(groupChannel).filter((message) => message.source === "channel");
    // In the group's language (its lead's, German), the feedback as Fay typed it, pinging nobody.
    expect(feedback!.content).toBe(
      [`**${t("de", "homework.feedback.heading", { index: 1, title: "First" })}**`, t("de", "homework.feedback.byline", { name: "Min", reviewer: "Fay" }), "Très belle carte ! @\u200Beveryone \\*bravo\\*"].join("\n"),
    );
    expect(feedback!.allowedMentions).toEqual({ parse: [] });

    const exported = homework("export", FAY, facilitators);
    const [reply] = await answerOf(fake, exported);
    expect(reply!.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply!.content).toContain(t("fr", "homework.export.done", { count: 1, index: 1, title: "First" }));
    // The file is exactly the export: computed here from what is stored, in Fay's language.
    const program = await bot.db.prisma.program.findFirstOrThrow({ where: { slug: "test-program" } });
    const scheduled = await bot.app.services.homework.assignment(program, 1);
    const group = await bot.db.prisma.group.findFirstOrThrow();
    const csv = homeworkCsv(program, scheduled, await bot.app.services.homework.submissionsOf(scheduled.assignment.id, [group]), bot.app.i18n.translator("fr"));
    expect(reply!.attachments).toMatchObject([{ filename: "homework-test-program-session-1.csv", size: csv.data.byteLength }]);
    expect(new TextDecoder().decode(csv.data)).toContain(`,지도,,building map.pdf <${(submission!.attachments as { url: string }[])[0]!.url}>,`);
  });
});
