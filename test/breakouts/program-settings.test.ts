// The program file's facilitators may give one video link (`link`) or one per room they lead at
// the same time (`links`); a mistake names the field and line, as every program-file problem does.
import { describe, expect, it } from "vitest";
import { parseProgramText, ProgramFileError } from "../../src/programs/program-file.ts";

const PROGRAM = `slug: x-program
title: X
timezone: Europe/Berlin
registrationDeadline: "2021-05-03 23:59"
sessions:
  - { title: A, start: "2021-05-18 17:00" }
breakouts:
  facilitators:
`;

function problems(facilitator: string): string[] {
  try {
    parseProgramText(`${PROGRAM}    - ${facilitator}\n`);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ProgramFileError);
    return (error as ProgramFileError).problems.map((problem) => `${problem.where}: ${problem.message}`);
  }
}

describe("program file: facilitators' video links", () => {
  it("takes one link, or a list of links, one per room led at the same time", () => {
    const read = (facilitator: string) => parseProgramText(`${PROGRAM}    - ${facilitator}\n`).breakouts!.facilitators[0];
    expect(read(`{ user: "slack:U1", languages: [de], capacity: 2, links: ["https://meet.example.org/a", "https://meet.example.org/b"] }`)).toMatchObject({
      capacity: 2,
      links: ["https://meet.example.org/a", "https://meet.example.org/b"],
    });
    expect(read(`{ user: "slack:U1", languages: [de], link: "https://meet.example.org/a" }`)).toMatchObject({ link: "https://meet.example.org/a" });
  });

  it("refuses both forms at once, a link twice, and a link that is not http(s)", () => {
    expect(problems(`{ user: "slack:U1", languages: [de], link: "https://meet.example.org/a", links: ["https://meet.example.org/b"] }`)).toEqual([
      "breakouts.facilitators[0].links (line 9): give either link or links, not both",
    ]);
    expect(problems(`{ user: "slack:U1", languages: [de], links: ["https://meet.example.org/a", "https://meet.example.org/a"] }`)).toEqual([
      "breakouts.facilitators[0].links (line 9): lists a link twice",
    ]);
    expect(problems(`{ user: "slack:U1", languages: [de], links: ["https://meet.example.org/a", "javascript:alert(1)"] }`)).toEqual([
      "breakouts.facilitators[0].links[1] (line 9): must be an http(s) link",
    ]);
  });
});
