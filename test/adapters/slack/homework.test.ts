// Homework through Slack, end to end: members submit with the slash command (text) and by
// mentioning the bot in a message with a file shared (its private URL and name are recorded);
// a facilitator lists, reviews (the feedback reaches the group's channel through the outbox) and
// exports (a CSV uploaded to their direct messages).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Locale } from "../../../src/i18n/i18n.ts";
import { parseProgramText } from "../../../src/programs/program-file.ts";
import { formatDateTime } from "../../../src/time/format.ts";
import { appMentionEvent, sendEvent, type FakeSlackUser } from "../../fakes/slack/index.ts";
import { TEST_PROGRAM } from "../../helpers/bot.ts";
import { ADA, BEA, CHLOE, COORDINATOR, startSlackHarness, visible, type SlackHarness } from "./harness.ts";

/** The test program with homework for session 1, due when session 2 starts. */
const HOMEWORK_PROGRAM = TEST_PROGRAM.replace("duration: 2h }", 'duration: 2h, homework: { en: "Map your building." } }');
const HOUR = 3_600_000;
const GROUP_CHANNEL = "C0BERLIN1";
const FACILITATORS_CHANNEL = "C0PARIS03";
/** A file as Slack describes it in a message event (https://docs.slack.dev/reference/objects/file-object). */
const MAP_FILE = {
  id: "F0MAP00001",
  name: "mapa do prédio.pdf",
  title: "Mapa",
  mimetype: "application/pdf",
  size: 48_213,
  url_private: "https://files.slack.com/files-pri/T0FAKETEAM-F0MAP00001/mapa_do_pr_dio.pdf",
  url_private_download: "https://files.slack.com/files-pri/T0FAKETEAM-F0MAP00001/download/mapa_do_pr_dio.pdf",
};

describe("Slack homework", () => {
  let slack: SlackHarness;
  beforeAll(async () => {
    slack = await startSlackHarness();
  });
  beforeEach(async () => {
    await slack.reset();
    await slack.app.services.programs.import(parseProgramText(HOMEWORK_PROGRAM), { activate: true });
    await slack.slash("register Tenants of Kreuzberg tz=Berlin language=de", { channel: GROUP_CHANNEL });
    await slack.slash("join", { user: BEA, channel: GROUP_CHANNEL });
  });
  afterAll(async () => {
    await slack?.close();
  });

  const t = (locale: Locale, key: string, params?: Record<string, unknown>) => slack.app.i18n.t(locale, key, params);
  const submissions = () => slack.db.prisma.homeworkSubmission.findMany({ orderBy: { id: "asc" }, include: { member: true } });

  /** "@bot <text>" in a message with files shared, as Slack sends it; resolves with the bot's answers. */
  async function mentionWithFiles(user: FakeSlackUser, text: string, files: object[]) {
    const before = slack.fake.messages.length;
    const event = { ...appMentionEvent({ user: user.id, channel: GROUP_CHANNEL, text: `<@${slack.fake.bot.userId}> ${text}` }), files };
    expect((await sendEvent(slack.target, event)).status).toBe(200);
    return slack.fake.waitFor((fake) => {
      const posted = fake.messages.slice(before);
      return posted.length > 0 ? posted : undefined;
    });
  }

  it("records text from the slash command, then a file shared with a mention, which replaces it, each confirmed only to the member", async () => {
    // Slack sends what was typed with its escapes and links in <…>; the submission is what Beatriz typed.
    const [first] = await slack.slash("homework submit Falamos com 12 pessoas &lt;vizinhas&gt; &amp; anotamos: <https://notes.example.org/map>", { user: BEA, channel: GROUP_CHANNEL });
    expect(first!.visibility).toBe("ephemeral");
    expect(visible(first!)).toBe(t("pt", "homework.submit.done", { name: "Beatriz Souza", index: 1, title: "First" }));
    const [stored] = await submissions();
    expect(stored).toMatchObject({ text: "Falamos com 12 pessoas <vizinhas> & anotamos: https://notes.example.org/map", attachments: [], version: 1, member: { platformUserId: BEA.id } });

    slack.clock.advance(2 * HOUR);
    const [second] = await mentionWithFiles(BEA, "homework submit Nosso mapa", [MAP_FILE]);
    expect(second).toMatchObject({ kind: "ephemeral", channel: GROUP_CHANNEL, user: BEA.id });
    expect(visible(second!)).toBe(
      [
        t("pt", "homework.submit.done", { name: "Beatriz Souza", index: 1, title: "First" }),
        t("pt", "homework.submit.files", { files: MAP_FILE.name }),
        t("pt", "homework.submit.replaced", { when: formatDateTime(stored!.submittedAt, "pt", "Europe/Berlin") }),
      ].join("\n"),
    );
    // The file is kept by the address Slack gave it, its download link, with its name.
    expect(await submissions()).toEqual([
      expect.objectContaining({
        id: stored!.id,
        version: 2,
        text: "Nosso mapa",
        attachments: [{ url: MAP_FILE.url_private_download, fileName: MAP_FILE.name, contentType: "application/pdf", size: MAP_FILE.size }],
      }),
    ]);
    // Nothing about it was posted for the channel to read.
    expect(slack.fake.messagesIn(GROUP_CHANNEL).filter((message) => message.kind === "message")).toEqual([]);
  });

  it("lets a facilitator list, review through the outbox and export to their direct messages", async () => {
    await mentionWithFiles(BEA, "homework submit Nosso mapa", [MAP_FILE]);
    const [submission] = await submissions();
    // A coordinator makes Chloé the group's facilitator; she binds a channel of her own.
    await slack.slash("whoami", { user: CHLOE, channel: FACILITATORS_CHANNEL });
    await slack.slash(`grant <@${CHLOE.id}|chloe> facilitator`, { user: COORDINATOR, channel: FACILITATORS_CHANNEL });
    await slack.slash(`facilitate <@${CHLOE.id}|chloe> Tenants of Kreuzberg`, { user: COORDINATOR, channel: FACILITATORS_CHANNEL });
    const [bound] = await slack.slash("bind facilitators", { user: CHLOE, channel: FACILITATORS_CHANNEL });
    expect(visible(bound!)).toBe(t("fr", "bind.done").replace("/homework", "/o4p homework"));

    const [list] = await slack.slash("homework list", { user: CHLOE, channel: FACILITATORS_CHANNEL });
    expect(list!.visibility).toBe("ephemeral");
    const listed = visible(list!);
    expect(listed).toContain(t("fr", "homework.list.group", { group: "Tenants of Kreuzberg", count: 1, missing: 1 }));
    expect(listed).toMatch(new RegExp(`\`#${submission!.id}\` \\*Beatriz Souza\\* · .*: Nosso mapa 📎 `));
    expect(listed).toContain(t("fr", "homework.list.missingMembers", { names: ADA.displayName }));
    // The file's name links to it in Slack.
    expect(JSON.stringify(list!.blocks)).toContain(`<${MAP_FILE.url_private_download}|${MAP_FILE.name}>`);

    const [reviewed] = await slack.slash(`homework review ${submission!.id} Très belle carte ! &lt;3`, { user: CHLOE, channel: FACILITATORS_CHANNEL });
    expect(visible(reviewed!)).toBe(t("fr", "homework.review.done", { id: submission!.id, name: "Beatriz Souza", group: "Tenants of Kreuzberg" }));
    expect(slack.fake.messagesIn(GROUP_CHANNEL).filter((message) => message.kind === "message")).toEqual([]);
    expect(await slack.app.dispatcher.drain()).toMatchObject({ sent: 1, failed: 0 });
    const [feedback] = slack.fake.messagesIn(GROUP_CHANNEL).filter((message) => message.kind === "message");
    // In the group's language (German), the feedback as Chloé typed it.
    expect(visible(feedback!)).toBe(
      [`*${t("de", "homework.feedback.heading", { index: 1, title: "First" })}*`, t("de", "homework.feedback.byline", { name: "Beatriz Souza", reviewer: "Chloé Martin" }), "Très belle carte ! <3"].join("\n"),
    );

    const [exported] = await slack.slash("homework export", { user: CHLOE, channel: FACILITATORS_CHANNEL });
    expect(exported!.visibility).toBe("ephemeral");
    expect(visible(exported!)).toContain(t("fr", "homework.export.done", { count: 1, index: 1, title: "First" }));
    // Slack can't show a file to one person in a channel: it goes to Chloé's direct messages.
    const csv = await slack.fake.waitFor((fake) => fake.files.find((file) => file.filename === "homework-test-program-session-1.csv"));
    expect(csv.channels).toEqual([slack.fake.dmChannelId(CHLOE.id)]);
    const [, row] = csv.bytes.toString("utf8").split("\r\n");
    expect(row).toContain(`,Beatriz Souza,`);
    expect(row).toContain(`,Nosso mapa,,${MAP_FILE.name} <${MAP_FILE.url_private_download}>,`);
    expect(row).toMatch(/,Chloé Martin,Très belle carte ! <3$/);
    expect(slack.fake.files).toHaveLength(1);
  });

  it("takes homework sent from a direct message with the bot as the member's group's, and tells someone without a group how to join", async () => {
    const [mine] = await slack.slash("homework submit Do meu celular", { user: BEA, channel: slack.fake.dmChannelId(BEA.id) });
    // In a direct message the reader is Beatriz alone, as a member of her group: its language (German).
    expect(visible(mine!)).toBe(t("de", "homework.submit.done", { name: "Beatriz Souza", index: 1, title: "First" }));
    const group = await slack.db.prisma.group.findFirstOrThrow();
    expect(await submissions()).toEqual([expect.objectContaining({ text: "Do meu celular", groupId: group.id })]);

    const [refused] = await slack.slash("homework submit hello", { user: COORDINATOR, channel: slack.fake.dmChannelId(COORDINATOR.id) });
    expect(refused!.visibility).toBe("ephemeral");
    expect(visible(refused!)).toBe(t("en", "homework.noGroup").replace("/join", "/o4p join"));
    expect(await submissions()).toHaveLength(1);
  });
});
