// Homework through Telegram, end to end: members submit text and documents (a document whose
// caption is the command, or one answered with it), facilitators list, review (the feedback
// reaches the group's chat through the outbox) and export (a CSV by sendDocument, in private).
// Each chat gets at most three answers per test: more would wait for the adapter's pacing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Locale } from "../../../src/i18n/i18n.ts";
import { parseProgramText } from "../../../src/programs/program-file.ts";
import { formatDateTime } from "../../../src/time/format.ts";
import { TEST_PROGRAM } from "../../helpers/bot.ts";
import { ALICE, BOB, CARLA, COORDINATOR, startTelegramHarness, type TelegramHarness } from "./harness.ts";

/** The test program with homework for session 1, due when session 2 starts. */
const HOMEWORK_PROGRAM = TEST_PROGRAM.replace('duration: 2h }', 'duration: 2h, homework: { en: "Map your building." } }');
/** Looks after the group's homework; writes in Italian. */
const FRIDA = { id: 1010, first_name: "Frida", username: "frida", language_code: "it" };
const START = Date.parse("2030-05-01T10:00:00Z");
const HOUR = 3_600_000;

describe("Telegram homework", () => {
  let h: TelegramHarness;
  beforeAll(async () => {
    h = await startTelegramHarness({ fake: { rateLimits: "off" } });
  });
  afterAll(async () => {
    await h?.close();
  });
  let GROUP: ReturnType<TelegramHarness["newGroup"]>;
  beforeEach(async () => {
    await h.reset();
    h.clock.set(START);
    await h.app.services.programs.import(parseProgramText(HOMEWORK_PROGRAM), { activate: true });
    GROUP = h.newGroup();
  });

  const t = (locale: Locale, key: string, params?: Record<string, unknown>) => h.app.i18n.t(locale, key, params);
  const submissions = () => h.db.prisma.homeworkSubmission.findMany({ orderBy: { id: "asc" }, include: { member: true } });
  const inBerlin = (instant: Date, locale: Locale) => formatDateTime(instant, locale, "Europe/Berlin");
  /** The file_id Telegram gave the last document sent in `chatId`. */
  const lastDocumentId = (chatId: number) => h.telegram.chatMessages(chatId).findLast((stored) => stored.document)!.document!.file_id;

  it("records text sent in a private chat, then a document captioned with the command in the group, which replaces it", async () => {
    // A German-speaking group: in his private chat Bob reads in his group's language.
    await h.ask(ALICE, "/register Tenants of Kreuzberg tz=Berlin language=de", GROUP);
    await h.ask(BOB, "/join", GROUP);

    // In his private chat with the bot (bound to no group) the homework is his group's.
    const text = "Wir haben 12 Leute <gefragt> & notiert: https://notes.example.org/map";
    const first = await h.ask(BOB, `/homework submit ${text}`);
    expect(first.chatId).toBe(BOB.id);
    expect(first.message.text).toBe(t("de", "homework.submit.done", { name: "Bob", index: 1, title: "First" }));
    const [stored] = await submissions();
    expect(stored).toMatchObject({ text, attachments: [], version: 1, late: false, member: { platformUserId: String(BOB.id) } });

    h.clock.advance(2 * HOUR);
    const second = await h.ask(BOB, "/homework submit Unsere Karte", GROUP, { document: { fileName: "karte.pdf", content: "%PDF-1.4 map" } });
    // Telegram has no message only one member sees: the confirmation answers Bob's own message, in German.
    expect(second.message.reply_to_message?.from?.id).toBe(BOB.id);
    expect(second.message.text).toBe(
      [
        t("de", "homework.submit.done", { name: "Bob", index: 1, title: "First" }),
        t("de", "homework.submit.files", { files: "karte.pdf" }),
        t("de", "homework.submit.replaced", { when: inBerlin(stored!.submittedAt, "de") }),
      ].join("\n"),
    );
    // One submission per person: the document replaced the text, kept by its lasting Telegram reference.
    expect(await submissions()).toEqual([
      expect.objectContaining({
        id: stored!.id,
        version: 2,
        text: "Unsere Karte",
        attachments: [{ url: `telegram-file:${lastDocumentId(GROUP.id)}`, fileName: "karte.pdf", contentType: "application/pdf", size: 12 }],
      }),
    ]);
  });

  it("takes a document answered with /homework submit, and a bare document in a private chat", async () => {
    await h.ask(ALICE, "/register Tenants of Kreuzberg tz=Berlin language=es", GROUP);
    await h.ask(CARLA, "/join", GROUP);
    // Carla sends her file first, then answers her own message with the command.
    const file = h.telegram.injectMessage({ from: CARLA, chat: GROUP.id, document: { fileName: "mapa.png", content: "PNG", mimeType: "image/png" } });
    const command = h.telegram.injectMessage({ from: CARLA, chat: GROUP.id, text: "/homework submit", replyToMessageId: file.message!.message_id });
    const confirmed = await h.telegram.waitFor((sent) => sent.message.reply_to_message?.message_id === command.message!.message_id);
    expect(confirmed.message.text).toBe(
      [t("es", "homework.submit.done", { name: "Carla", index: 1, title: "First" }), t("es", "homework.submit.files", { files: "mapa.png" })].join("\n"),
    );
    const [first] = await submissions();
    expect(first).toMatchObject({ text: "", attachments: [{ url: `telegram-file:${lastDocumentId(GROUP.id)}`, fileName: "mapa.png", contentType: "image/png", size: 3 }] });

    h.clock.advance(HOUR);
    const inPrivate = await h.ask(CARLA, "/homework submit", undefined, { document: { fileName: "notas.txt", content: "notas" } });
    expect(inPrivate.chatId).toBe(CARLA.id);
    expect(inPrivate.message.text).toBe(
      [
        t("es", "homework.submit.done", { name: "Carla", index: 1, title: "First" }),
        t("es", "homework.submit.files", { files: "notas.txt" }),
        t("es", "homework.submit.replaced", { when: inBerlin(first!.submittedAt, "es") }),
      ].join("\n"),
    );
    expect((await submissions()).map((row) => row.attachments)).toEqual([[{ url: `telegram-file:${lastDocumentId(CARLA.id)}`, fileName: "notas.txt", contentType: "text/plain", size: 5 }]]);
  });

  describe("facilitators", () => {
    let FACILITATORS: ReturnType<TelegramHarness["newGroup"]>;
    let submission: Awaited<ReturnType<typeof submissions>>[number];
    let fileId: string;
    beforeEach(async () => {
      await h.ask(ALICE, "/register Tenants of Kreuzberg tz=Berlin language=de", GROUP);
      await h.ask(BOB, "/join", GROUP);
      await h.ask(BOB, "/homework submit Unsere Karte", GROUP, { document: { fileName: "karte.pdf", content: "%PDF-1.4 map" } });
      fileId = lastDocumentId(GROUP.id);
      submission = (await submissions())[0]!;
      // A coordinator makes Frida the group's facilitator in the staff chat; she binds her own.
      const STAFF = h.newGroup("Staff");
      await h.ask(FRIDA, "/whoami", STAFF);
      await h.ask(COORDINATOR, "/grant @frida facilitator", STAFF);
      await h.ask(COORDINATOR, "/facilitate @frida Tenants of Kreuzberg", STAFF);
      FACILITATORS = h.newGroup("Facilitators");
      expect((await h.ask(FRIDA, "/bind facilitators", FACILITATORS)).message.text).toBe(t("it", "bind.done"));
    });

    it("lists the group's submissions and sends a review to the group's chat through the outbox", async () => {
      const list = await h.ask(FRIDA, "/homework list", FACILITATORS);
      const listed = list.message.text!;
      expect(listed).toContain(t("it", "homework.list.group", { group: "Tenants of Kreuzberg", count: 1, missing: 1 }));
      expect(listed).toMatch(new RegExp(`#${submission.id} Bob · .*: Unsere Karte 📎 karte\\.pdf\\n`));
      expect(listed).toContain(t("it", "homework.list.missingMembers", { names: "Alice Lee" }));
      // A file without a web link is named, not linked.
      expect(list.message.entities!.filter((entity) => entity.type === "text_link")).toEqual([]);

      const reviewed = await h.ask(FRIDA, `/homework review ${submission.id} Ottima mappa! <b>Avanti</b>`, FACILITATORS);
      expect(reviewed.message.text).toBe(t("it", "homework.review.done", { id: submission.id, name: "Bob", group: "Tenants of Kreuzberg" }));
      // Not an answer: the outbox posts it, headed in the group's language, the feedback as typed.
      const posted = () => h.telegram.messages.filter((sent) => sent.chatId === GROUP.id && sent.message.reply_to_message === undefined);
      expect(posted()).toEqual([]);
      expect((await h.app.dispatcher.drain()).sent).toBe(1);
      expect(posted().map((sent) => sent.message.text)).toEqual([
        [t("de", "homework.feedback.heading", { index: 1, title: "First" }), t("de", "homework.feedback.byline", { name: "Bob", reviewer: "Frida" }), "Ottima mappa! <b>Avanti</b>"].join("\n"),
      ]);
      expect(await submissions()).toEqual([expect.objectContaining({ feedback: "Ottima mappa! <b>Avanti</b>", reviewedAt: h.clock.now() })]);
    });

    it("exports a CSV with sendDocument to the facilitator's private chat", async () => {
      h.telegram.addChat({ id: FRIDA.id, type: "private", first_name: FRIDA.first_name });
      const exported = await h.ask(FRIDA, "/homework export", FACILITATORS);
      // It holds people's work: the facilitators' chat only hears where it went.
      expect(exported.message.text).toBe(t("it", "telegram.sentPrivately"));
      expect(h.telegram.documents).toHaveLength(1);
      const [csv] = h.telegram.documents;
      expect(csv).toMatchObject({ chatId: FRIDA.id, source: "upload", fileName: "homework-test-program-session-1.csv" });
      expect(csv!.caption).toContain(t("it", "homework.export.done", { count: 1, index: 1, title: "First" }));
      const [header, row, end] = csv!.content!.toString("utf8").split("\r\n");
      expect(header!.startsWith(`\uFEFF${t("it", "homework.export.columns.id")},${t("it", "homework.export.columns.session")},`)).toBe(true);
      expect(row).toMatch(new RegExp(`^${submission.id},1,Tenants of Kreuzberg,,,Bob,2030-05-01 10:00:00,${t("it", "homework.export.no")},1,Unsere Karte,,karte\\.pdf <telegram-file:${fileId}>,,,$`));
      expect(end).toBe("");
    });
  });
});
