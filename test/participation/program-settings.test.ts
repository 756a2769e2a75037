// The program file's participation section: defaults when absent, durations or minutes for the
// check-in window, shares between 0 and 1, and the optional follow-up.
import { describe, expect, it } from "vitest";
import { participationProgramData } from "../../src/participation/program-settings.ts";
import { parseProgramText, ProgramFileError } from "../../src/programs/program-file.ts";

const BASE = `slug: x-program
title: X
timezone: Europe/Berlin
registrationDeadline: "2030-05-12 23:59"
sessions: [{ title: First, start: "2030-05-14 17:00" }]
`;

function problems(text: string): string[] {
  try {
    parseProgramText(text);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ProgramFileError);
    return (error as ProgramFileError).problems.map((problem) => `${problem.where}: ${problem.message}`);
  }
}

describe("program file: participation", () => {
  it("defaults to check-in 15 minutes ahead, 50% threshold, 70% supermajority and no follow-up", () => {
    expect(participationProgramData(parseProgramText(BASE).participation)).toEqual({
      checkInOpensMinutes: 15,
      participationThreshold: 0.5,
      supermajority: 0.7,
      absentNudge: false,
      flagBelow: null,
    });
  });

  it("reads a duration or minutes, shares and the follow-up", () => {
    const file = parseProgramText(`${BASE}participation:
  checkInOpensMinutesBefore: 30m
  threshold: 0.6
  supermajority: 0.75
  followUp: { absentNudge: true, flagBelow: 0.4 }
`);
    expect(participationProgramData(file.participation)).toEqual({
      checkInOpensMinutes: 30,
      participationThreshold: 0.6,
      supermajority: 0.75,
      absentNudge: true,
      flagBelow: 0.4,
    });
    expect(participationProgramData(parseProgramText(`${BASE}participation: { checkInOpensMinutesBefore: 10 }\n`).participation).checkInOpensMinutes).toBe(10);
  });

  it("names the field of a share out of range, a bad duration and an unknown key", () => {
    expect(problems(`${BASE}participation: { supermajority: 70 }\n`)).toEqual([expect.stringMatching(/^participation\.supermajority \(line \d+\): must be a share between 0 and 1/)]);
    expect(problems(`${BASE}participation: { checkInOpensMinutesBefore: soon }\n`)).toEqual([expect.stringMatching(/^participation\.checkInOpensMinutesBefore.*must be minutes/)]);
    expect(problems(`${BASE}participation: { followUp: { nudge: true } }\n`)).toHaveLength(1);
  });
});
