import { describe, expect, it } from "vitest";
import { currentAssignment, scheduleAssignments, type SessionWithHomework } from "../../src/homework/due.ts";
import { wallClockToInstant } from "../../src/time/instants.ts";

const ZONE = "Europe/Berlin";

function session(index: number, local: string, homework: boolean): SessionWithHomework {
  const id = index * 10;
  return {
    id,
    programId: 1,
    index,
    title: `S${index}`,
    titleTranslations: {},
    startsAt: wallClockToInstant(local, ZONE),
    durationMinutes: 120,
    homework: homework ? { id: index, sessionId: id, texts: { en: "x" }, updatedAt: new Date(0) } : null,
  };
}

describe("homework due times", () => {
  // Spring 2030: clocks go forward on Sunday 31 March in Berlin.
  const sessions = [session(3, "2030-03-26 17:00", true), session(1, "2030-03-12 17:00", true), session(2, "2030-03-19 17:00", false)];
  const scheduled = scheduleAssignments({ timezone: ZONE, homeworkLastDueDays: 7 }, sessions);

  it("is when the next session starts, whether or not that session has homework", () => {
    expect(scheduled.map((entry) => [entry.session.index, entry.dueAt.toISOString()])).toEqual([
      [1, "2030-03-19T16:00:00.000Z"],
      // The last one: seven days later on the program's wall clock, 17:00 summer time.
      [3, "2030-04-02T15:00:00.000Z"],
    ]);
  });

  it("the current one is the next to fall due; after the last, the last", () => {
    expect(currentAssignment(scheduled, new Date("2030-03-01T00:00:00Z"))?.session.index).toBe(1);
    expect(currentAssignment(scheduled, new Date("2030-03-19T16:00:00Z"))?.session.index).toBe(3);
    expect(currentAssignment(scheduled, new Date("2030-05-01T00:00:00Z"))?.session.index).toBe(3);
    expect(currentAssignment([], new Date())).toBeUndefined();
  });
});
