// The group's language, from the first reply on: a group registered with language=de is welcomed
// in German, /language answers in the new language, and session titles the program file gives per
// language are shown in each reader's language (else the program's own title) in /schedule, /next,
// reminders and homework. On PGlite and PostgreSQL.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { backends } from "../helpers/database.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";
import { RecordingAdapter } from "../helpers/recording-adapter.ts";

const PROGRAM = `
slug: translated-program
title: Test Program
timezone: Europe/Berlin
defaultLanguage: en
registrationDeadline: "2030-05-12 23:59"
sessions:
  - title: { en: "The organizing conversation", de: "Das Organizing-Gespräch", ko: "조직 대화" }
    start: "2030-05-14 17:00"
    homework: { en: "Talk to one coworker." }
  - { title: "Second", start: "2030-05-21 17:00" }
`;

// Session 1: Tuesday 2030-05-14 17:00 Berlin (15:00 UTC).
const SESSION_1 = Date.parse("2030-05-14T15:00:00Z");
const HOUR = 3_600_000;

describe.each(backends)("the group's language on %s", (backend) => {
  let bot: TestBot;
  const adapter = new RecordingAdapter();
  beforeAll(async () => {
    bot = await createTestBot(backend, { program: PROGRAM, adapters: [adapter] });
  });
  beforeEach(async () => {
    await bot.reset();
    adapter.reset();
  });
  afterAll(async () => {
    await bot.close();
  });

  it("welcomes a group registered with language=de in German, even a lead whose app is in English", async () => {
    const welcome = await bot.say("ana", "berlin", "/register Mieter Kreuzberg language=de", { userLocale: "en" });
    expect(welcome).toContain("Willkommen! Die Gruppe „Mieter Kreuzberg“ ist für Test Program registriert");
    expect(welcome).toContain("Nachrichten an die Gruppe kommen auf Deutsch");
    expect(welcome).not.toMatch(/Welcome|registered/);
  });

  it("answers /language in the new language", async () => {
    await bot.say("ana", "madrid", "/register Inquilinas Madrid");
    expect(await bot.say("ana", "madrid", "/language es")).toBe("A partir de ahora, “Inquilinas Madrid” recibe sus mensajes en español.");
    expect(await bot.say("ana", "madrid", "/language Deutsch")).toMatch(/^„Inquilinas Madrid“ bekommt/);
  });

  it("shows each group the session title in its language, else the program's own", async () => {
    await bot.say("ana", "berlin", "/register Mieter Kreuzberg language=de");
    await bot.say("kim", "madrid", "/register Inquilinas Madrid language=es");
    await bot.say("joe", "boston", "/register Boston Nurses");
    expect(await bot.say("ana", "berlin", "/schedule")).toContain("1. Das Organizing-Gespräch");
    expect(await bot.say("ana", "berlin", "/next")).toContain("„Das Organizing-Gespräch“");
    expect(await bot.say("kim", "madrid", "/schedule")).toContain("1. The organizing conversation");
    expect(await bot.say("joe", "boston", "/next")).toContain("“The organizing conversation”");
    // A reader whose own app language has a title reads that one, in any group.
    expect(await bot.say("min", "boston", "/schedule", { userLocale: "ko" })).toContain("1. 조직 대화");
    expect(await bot.say("ana", "berlin", "/homework")).toContain("„Das Organizing-Gespräch“");
    // A plain string title is the same in every language.
    expect(await bot.say("ana", "berlin", "/schedule")).toContain("2. Second");
  });

  it("sends reminders with the title in the group's language", async () => {
    await bot.say("ana", "berlin", "/register Mieter Kreuzberg language=de");
    await bot.say("joe", "boston", "/register Boston Nurses");
    bot.clock.set(SESSION_1 - 24 * HOUR);
    await bot.app.planners.reminders.enqueueHorizon();
    await bot.app.dispatcher.drain();
    expect(adapter.to("berlin")[0]!.text).toContain("Sitzung 1, „Das Organizing-Gespräch“");
    expect(adapter.to("boston")[0]!.text).toContain("Session 1, “The organizing conversation”");
  });

  it("stores the program's own title and the translations", async () => {
    const session = await bot.db.prisma.session.findFirstOrThrow({ where: { index: 1 } });
    expect(session.title).toBe("The organizing conversation");
    expect(session.titleTranslations).toEqual({ en: "The organizing conversation", de: "Das Organizing-Gespräch", ko: "조직 대화" });
  });
});
