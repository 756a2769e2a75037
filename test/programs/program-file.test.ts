import { describe, expect, it } from "vitest";
import { EXAMPLE_PROGRAM } from "../../src/programs/example.ts";
import { parseProgramText, ProgramFileError, readProgramFile } from "../../src/programs/program-file.ts";
import { shiftToUpcoming } from "../../src/services/programs.ts";
import { instantToWallClock, wallClockToInstant } from "../../src/time/instants.ts";

function problems(text: string): { where: string; message: string }[] {
  try {
    parseProgramText(text);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ProgramFileError);
    return (error as ProgramFileError).problems;
  }
}

describe("program files", () => {
  it("reads the bundled example: six Tuesday sessions at 17:00 Berlin, 18 May to 22 June 2021", () => {
    const program = readProgramFile(EXAMPLE_PROGRAM);
    expect(program.title).toBe("Organizing for Power – Workers Rising Everywhere");
    expect(program.sessions).toHaveLength(6);
    expect(program.sessions[0]!.start).toBe("2021-05-18 17:00");
    expect(program.sessions[5]!.start).toBe("2021-06-22 17:00");
    expect(program.registrationDeadline).toBe("2021-05-03 23:59");
    expect(program.reminders).toEqual([1440, 60]);
    expect(program.sessions.every((session) => session.duration === 120)).toBe(true);
  });

  it("fills in the default reminders (24 h and 1 h) and duration (2 h) as minutes", () => {
    const program = parseProgramText(`slug: x-program
title: X
timezone: Europe/Berlin
registrationDeadline: "2021-05-03 23:59"
sessions:
  - { title: A, start: "2021-05-18 17:00" }
`);
    expect(program.reminders).toEqual([1440, 60]);
    expect(program.sessions[0]!.duration).toBe(120);
  });

  it("takes a session title as one string or one per language, and refuses an empty or unknown-language one", () => {
    const example = readProgramFile(EXAMPLE_PROGRAM);
    expect(example.sessions[0]!.title).toMatchObject({ en: "Power and the organizing approach", de: "Macht und der Organizing-Ansatz" });
    expect(example.sessions[1]!.title).toBe("Power structure analysis");
    const file = (title: string) => `slug: x-program
title: X
timezone: Europe/Berlin
registrationDeadline: "2021-05-03 23:59"
sessions:
  - { title: ${title}, start: "2021-05-18 17:00" }
`;
    expect(parseProgramText(file("{ de: Erste, es: Primera }")).sessions[0]!.title).toEqual({ de: "Erste", es: "Primera" });
    expect(problems(file("{}"))[0]!.where).toMatch(/^sessions\[0\]\.title/);
    expect(problems(file("{ xx: Nope }"))[0]!.where).toMatch(/^sessions\[0\]\.title/);
  });

  it("names the field and line of a bad value", () => {
    const found = problems(`slug: x-program
title: X
timezone: Europe/Berlim
registrationDeadline: "2021-05-03 23:59"
sessions:
  - { title: A, start: "2021-05-18 17:00" }
`);
    expect(found).toEqual([expect.objectContaining({ where: "timezone (line 3)" })]);
  });

  it("points at the parent of a missing field", () => {
    const found = problems(`slug: x-program
title: X
timezone: Europe/Berlin
registrationDeadline: "2021-05-03 23:59"
sessions:
  - { title: A }
`);
    expect(found[0]!.where).toMatch(/^sessions\[0\]\.start \(line 6\)$/);
  });

  it.each([
    ["an empty file", "", [["(top level)", "the file is empty; a program needs at least slug, title, timezone, registrationDeadline and sessions"]]],
    ["a bare word", "just a string\n", [["(top level) (line 1)", "must be a set of fields (name: value), not the text “just a string”"]]],
    ["no sessions", `slug: x-program\ntitle: X\ntimezone: Europe/Berlin\nregistrationDeadline: "2021-05-03 23:59"\nsessions: []\n`, [["sessions (line 5)", "must have at least 1 entry"]]],
    [
      "wrong kinds of values",
      `slug: x-program\ntitle: ""\ntimezone: Europe/Berlin\ndefaultLanguage: klingon\nregistrationDeadline: "2021-05-03 23:59"\nsessions:\n  - { start: "2021-05-18 17:00", homework: 12 }\n  - { title: [A], start: "2021-05-25 17:00" }\n`,
      [
        ["title (line 2)", "must not be empty"],
        ["defaultLanguage (line 4)", "must be one of en, es, pt, fr, de, it, ko"],
        ["sessions[0].title (line 7)", "is missing"],
        ["sessions[0].homework (line 7)", "must be a set of fields (name: value), not the number 12"],
        ["sessions[1].title (line 8)", "must be text or one text per language like { en: \"…\", de: \"…\" }, not a list"],
      ],
    ],
  ])("explains %s in plain words, naming the field and line", (_case, text, expected) => {
    expect(problems(text).map((problem) => [problem.where, problem.message])).toEqual(expected);
  });

  it("says plainly when the file cannot be read", () => {
    expect(() => readProgramFile("/nonexistent/program.yaml")).toThrow("/nonexistent/program.yaml is not a valid program file:\n  file: cannot be read: there is no such file");
  });

  it("reports YAML syntax errors with their line", () => {
    expect(problems("title: [unclosed\nslug: x")[0]!.where).toMatch(/^line \d+$/);
  });

  it("refuses a session at a wall-clock time skipped by daylight saving", () => {
    const found = problems(`slug: x-program
title: X
timezone: Europe/Berlin
registrationDeadline: "2021-03-01 23:59"
sessions:
  - { title: A, start: "2021-03-28 02:30" }
`);
    expect(found[0]!.message).toMatch(/does not exist/);
  });

  it("shifts the example by whole weeks: same weekday and local time, first session within 8 days, registration open", () => {
    const now = new Date("2026-11-29T12:00:00Z");
    const { file } = shiftToUpcoming(readProgramFile(EXAMPLE_PROGRAM), now);
    const first = wallClockToInstant(file.sessions[0]!.start, file.timezone);
    const days = (first.getTime() - now.getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(1);
    expect(days).toBeLessThanOrEqual(8);
    for (const session of file.sessions) {
      expect(instantToWallClock(wallClockToInstant(session.start, file.timezone), file.timezone)).toMatch(/ 17:00$/);
      expect(new Date(session.start.replace(" ", "T")).getDay()).toBe(2); // Tuesday
    }
    expect(wallClockToInstant(file.registrationDeadline, file.timezone).getTime()).toBeGreaterThan(now.getTime());
  });
});

// The breakouts section (src/breakouts/program-settings.ts).
const BREAKOUTS_BASE = `slug: x-program
title: X
timezone: Europe/Berlin
registrationDeadline: "2021-05-03 23:59"
sessions:
  - { title: A, start: "2021-05-18 17:00" }
`;

describe("program file: breakouts", () => {
  it("is optional; given, it fills in defaults and normalizes language codes", () => {
    expect(parseProgramText(BREAKOUTS_BASE).breakouts).toBeUndefined();
    const file = parseProgramText(`${BREAKOUTS_BASE}breakouts:
  facilitators:
    - { user: "telegram:123456789", languages: [DE, en] }
`);
    expect(file.breakouts).toEqual({
      roomSize: 8,
      mode: "mix",
      showRoommates: false,
      facilitators: [{ user: "telegram:123456789", languages: ["de", "en"], capacity: 1 }],
    });
  });

  it("names the field and line of each bad value", () => {
    const found = problems(`${BREAKOUTS_BASE}breakouts:
  roomSize: 1
  mode: shuffle
  facilitators:
    - { user: "123456789", languages: [de] }
    - { user: "slack:U1", languages: [xx] }
    - { user: "slack:U2", languages: [de], link: "javascript:alert(1)" }
    - { user: "slack:U3", languages: [de], capacity: -1 }
`);
    expect(found.map((problem) => problem.where)).toEqual([
      "breakouts.roomSize (line 8)",
      "breakouts.mode (line 9)",
      "breakouts.facilitators[0].user (line 11)",
      "breakouts.facilitators[1].languages[0] (line 12)",
      "breakouts.facilitators[2].link (line 13)",
      "breakouts.facilitators[3].capacity (line 14)",
    ]);
    expect(found[2]!.message).toMatch(/platform:userId/);
    expect(found[3]!.message).toMatch(/must be one of en, es, pt, fr, de, it, ko/);
  });

  it("refuses someone listed twice and unknown keys", () => {
    expect(problems(`${BREAKOUTS_BASE}breakouts:
  facilitators:
    - { user: "slack:U1", languages: [de] }
    - { user: "slack:U1", languages: [en] }
`)[0]).toMatchObject({ where: expect.stringMatching(/^breakouts\.facilitators/), message: "lists someone twice" });
    expect(problems(`${BREAKOUTS_BASE}breakouts:
  roomsize: 6
`)[0]!.message).toMatch(/roomsize/);
  });
});
