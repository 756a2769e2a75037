// Importing a program file over the one that is running: the changes are shown first and need
// --yes, sessions still ahead never move into the past without --allow-past, and groups are told
// of moved sessions as with /session move. Through the CLI's import flow, and the CLI itself.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EXAMPLE_PROGRAM } from "../../src/programs/example.ts";
import { importProgramFile } from "../../src/programs/import-flow.ts";
import { parseProgramText, readProgramFile } from "../../src/programs/program-file.ts";
import { shiftToUpcoming } from "../../src/services/programs.ts";
import { backends } from "../helpers/database.ts";
import { createTestBot, TEST_PROGRAM, type TestBot } from "../helpers/bot.ts";
import { RecordingAdapter } from "../helpers/recording-adapter.ts";

describe.each(backends)("importing over a running program on %s", (backend) => {
  let bot: TestBot;
  let adapter: RecordingAdapter;
  beforeAll(async () => {
    adapter = new RecordingAdapter();
    bot = await createTestBot(backend, { adapters: [adapter] });
  });
  beforeEach(async () => {
    await bot.reset();
    adapter.reset();
    await bot.say("ana", "berlin", "/register Berlin Tenants");
  });
  afterAll(async () => {
    await bot.close();
  });

  const importText = (text: string, options: Parameters<typeof importProgramFile>[3] = {}) =>
    importProgramFile(bot.app.services, bot.clock.now(), parseProgramText(text), options);
  const starts = async () => (await bot.db.prisma.session.findMany({ orderBy: { index: "asc" } })).map((session) => session.startsAt.toISOString());
  const ORIGINAL = ["2030-05-14T15:00:00.000Z", "2030-05-21T15:00:00.000Z"];

  it("shows what would change and changes nothing without --yes; with it, applies and tells the groups", async () => {
    const edited = TEST_PROGRAM.replace("2030-05-14 17:00", "2030-05-15 18:00").replace('"2030-05-12 23:59"', '"2030-05-13 12:00"');
    const shown = await importText(edited);
    expect(shown).toEqual({
      applied: false,
      lines: [
        "“Test Program” (test-program) is the active program. This file changes:",
        "  session 1 “First”: 2030-05-14 17:00 -> 2030-05-15 18:00",
        "  registration deadline: 2030-05-12 23:59 -> 2030-05-13 12:00",
        "Groups are told of each moved session, as with /session move. Nothing changed yet: run again with --yes to apply.",
      ],
    });
    expect(await starts()).toEqual(ORIGINAL);
    const applied = await importText(edited, { yes: true });
    expect(applied).toEqual({ applied: true, lines: ["Updated “Test Program” (test-program): 2 sessions, active; 1 session(s) moved, 1 notice(s) to group channels"] });
    expect(await starts()).toEqual(["2030-05-15T16:00:00.000Z", "2030-05-21T15:00:00.000Z"]);
    await bot.app.dispatcher.drain();
    expect(adapter.sent.map((sent) => [sent.channelId, sent.text.split("\n")[0]])).toEqual([["berlin", "📅 Session 1, “First”, has moved"]]);
  });

  it("imports an unchanged schedule (new texts only) without asking", async () => {
    expect((await importText(TEST_PROGRAM.replace("Test Program", "Test Program, revised"))).applied).toBe(true);
    expect((await bot.db.prisma.program.findFirstOrThrow()).title).toBe("Test Program, revised");
  });

  it("refuses to move the running example back to 2021 (the README's import) unless --allow-past is given", async () => {
    const example = readProgramFile(EXAMPLE_PROGRAM);
    const running = shiftToUpcoming(example, bot.clock.now()).file;
    await bot.app.services.programs.import(running, { activate: true });
    const refused = await importProgramFile(bot.app.services, bot.clock.now(), example, { yes: true });
    expect(refused.applied).toBe(false);
    expect(refused.lines[0]).toBe(`“${example.title}” (${example.slug}) is the active program. This file changes:`);
    expect(refused.lines[1]).toMatch(/^ {2}session 1 “.+”: 2030-05-\d\d 17:00 -> 2021-05-18 17:00 \(past\)$/);
    expect(refused.lines.at(-2)).toBe("Refused: 6 sessions that are still ahead would move into the past, and members would read that they are over. Nothing changed.");
    expect(refused.lines.at(-1)).toBe("If that is really what you want, run again with --yes --allow-past.");
    const program = await bot.db.prisma.program.findUniqueOrThrow({ where: { slug: example.slug }, include: { sessions: true } });
    expect(program.sessions.every((session) => session.startsAt > bot.clock.now())).toBe(true);
    const forced = await importProgramFile(bot.app.services, bot.clock.now(), example, { yes: true, allowPast: true });
    expect(forced.applied).toBe(true);
    // Nobody is told of a session that has already passed.
    await bot.app.dispatcher.drain();
    expect(adapter.sent.filter((sent) => sent.text.includes("has moved"))).toEqual([]);
  });
});

describe("npm run cli -- import", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "bot-import-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const cli = (...args: string[]) => {
    try {
      const stdout = execFileSync(process.execPath, ["--import", "tsx", "src/cli.ts", "import", ...args], {
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", DATA_DIR: dataDir },
        cwd: path.resolve(import.meta.dirname, "../.."),
        stdio: "pipe",
        encoding: "utf8",
      });
      return { code: 0, output: stdout };
    } catch (error) {
      const failed = error as { status: number; stdout: string; stderr: string };
      return { code: failed.status, output: failed.stdout + failed.stderr };
    }
  };

  it("needs --yes to change the active program's schedule, and explains a broken file without a stack trace", () => {
    const file = path.join(dataDir, "program.yaml");
    writeFileSync(file, TEST_PROGRAM);
    expect(cli(file)).toEqual({ code: 0, output: "Loaded “Test Program” (test-program): 2 sessions, active\n" });
    writeFileSync(file, TEST_PROGRAM.replace("2030-05-21 17:00", "2030-05-22 17:00"));
    const asked = cli(file);
    expect(asked.code).toBe(1);
    expect(asked.output).toContain("  session 2 “Second”: 2030-05-21 17:00 -> 2030-05-22 17:00\n");
    expect(asked.output).toContain("run again with --yes to apply");
    expect(cli(file, "--yes")).toEqual({ code: 0, output: "Updated “Test Program” (test-program): 2 sessions, active; 1 session(s) moved, 0 notice(s) to group channels\n" });
    writeFileSync(file, "slug: test-program\ntitle: [unclosed\n");
    const broken = cli(file);
    expect(broken.code).toBe(1);
    expect(broken.output).toMatch(/is not a valid program file:\n {2}line \d+: /);
    expect(broken.output).not.toMatch(/\n\s+at /);
  }, 120_000);
});
