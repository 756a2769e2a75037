// The program file's breakouts section: defaults, and bad entries named by field and line.
import { describe, expect, it } from "vitest";
import { parseProgramText, ProgramFileError } from "../../src/programs/program-file.ts";

const BASE = `slug: x-program
title: X
timezone: Europe/Berlin
registrationDeadline: "2021-05-03 23:59"
sessions:
  - { title: A, start: "2021-05-18 17:00" }
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

describe("program file: breakouts", () => {
  it("is optional; given, it fills in defaults and normalizes language codes", () => {
    expect(parseProgramText(BASE).breakouts).toBeUndefined();
    const file = parseProgramText(`${BASE}breakouts:
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
    const found = problems(`${BASE}breakouts:
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
    expect(problems(`${BASE}breakouts:
  facilitators:
    - { user: "slack:U1", languages: [de] }
    - { user: "slack:U1", languages: [en] }
`)[0]).toMatchObject({ where: expect.stringMatching(/^breakouts\.facilitators/), message: "lists someone twice" });
    expect(problems(`${BASE}breakouts:
  roomsize: 6
`)[0]!.message).toMatch(/roomsize/);
  });
});
