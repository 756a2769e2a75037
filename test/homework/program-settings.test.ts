// The program file's homework: each session's text per language, and the program's settings.
import { describe, expect, it } from "vitest";
import { EXAMPLE_PROGRAM } from "../../src/programs/example.ts";
import { homeworkProgramData } from "../../src/homework/program-settings.ts";
import { parseProgramText, ProgramFileError, readProgramFile } from "../../src/programs/program-file.ts";

const HEAD = `slug: x-program
title: X
timezone: Europe/Berlin
registrationDeadline: "2030-05-01 23:59"
`;

function problems(text: string): { where: string; message: string }[] {
  try {
    parseProgramText(text);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ProgramFileError);
    return (error as ProgramFileError).problems;
  }
}

describe("homework in program files", () => {
  it("reads each session's assignment per language, and defaults to 24-hour nudges and 7 days for the last one", () => {
    const file = parseProgramText(`${HEAD}sessions:
  - title: A
    start: "2030-05-14 17:00"
    homework: { en: "  Talk to one coworker.  ", ko: "동료 한 명과 이야기해 보세요." }
  - { title: B, start: "2030-05-21 17:00" }
`);
    expect(file.sessions.map((session) => session.homework)).toEqual([{ en: "Talk to one coworker.", ko: "동료 한 명과 이야기해 보세요." }, undefined]);
    expect(file.sessions[1]!.duration).toBe(120);
    expect(homeworkProgramData(file.homework)).toEqual({ homeworkNudgeMinutes: 1440, homeworkLastDueDays: 7 });
  });

  it("takes the nudge time and the last due time, or nudges off", () => {
    const settings = (section: string) => homeworkProgramData(parseProgramText(`${HEAD}homework: ${section}\nsessions:\n  - { title: A, start: "2030-05-14 17:00" }\n`).homework);
    expect(settings("{ nudgeBefore: 2d, lastDueAfter: 14d }")).toEqual({ homeworkNudgeMinutes: 2880, homeworkLastDueDays: 14 });
    expect(settings("{ nudgeBefore: 90m, lastDueAfter: 3 }")).toEqual({ homeworkNudgeMinutes: 90, homeworkLastDueDays: 3 });
    expect(settings("{ nudgeBefore: off }")).toEqual({ homeworkNudgeMinutes: null, homeworkLastDueDays: 7 });
    expect(settings("{ nudgeBefore: false }")).toEqual({ homeworkNudgeMinutes: null, homeworkLastDueDays: 7 });
  });

  it("names the field and line of a bad homework value", () => {
    expect(
      problems(`${HEAD}homework:
  nudgeBefore: soon
  lastDueAfter: 36h
  nudges: yes
sessions:
  - title: A
    start: "2030-05-14 17:00"
    homework: { xx: "Talk", en: "" }
  - title: B
    start: "2030-05-21 17:00"
    homework: {}
`).map((problem) => problem.where),
    ).toEqual([
      "homework.nudgeBefore (line 6)",
      "homework.lastDueAfter (line 7)",
      "homework (line 6)", // the unknown "nudges"
      "sessions[0].homework.en (line 12)",
      "sessions[0].homework (line 12)", // the unknown language "xx"
      "sessions[1].homework (line 15)",
    ]);
  });

  it("gives every session of the bundled example its homework in all seven languages", () => {
    const file = readProgramFile(EXAMPLE_PROGRAM);
    for (const session of file.sessions) expect(Object.keys(session.homework ?? {}).sort()).toEqual(["de", "en", "es", "fr", "it", "ko", "pt"]);
  });
});
