// When homework is due. The assignment given at session N is due when session N+1 starts, so a
// moved session moves the deadline with it; the last session's is due a whole number of days
// after it starts (Program.homeworkLastDueDays, default 7), counted on the program's wall clock.
import { DateTime } from "luxon";
import type { HomeworkAssignment, Program, Session } from "../generated/prisma/client.ts";

export interface ScheduledAssignment {
  assignment: HomeworkAssignment;
  session: Session;
  dueAt: Date;
}

export type SessionWithHomework = Session & { homework: HomeworkAssignment | null };

/** The program's assignments in session order, each with its due time. */
export function scheduleAssignments(program: Pick<Program, "timezone" | "homeworkLastDueDays">, sessions: readonly SessionWithHomework[]): ScheduledAssignment[] {
  const ordered = [...sessions].sort((left, right) => left.index - right.index);
  return ordered.flatMap((session, position) => {
    if (!session.homework) return [];
    const next = ordered[position + 1];
    const dueAt = next
      ? next.startsAt
      : DateTime.fromJSDate(session.startsAt, { zone: program.timezone }).plus({ days: program.homeworkLastDueDays }).toJSDate();
    return [{ assignment: session.homework, session, dueAt }];
  });
}

/** The assignment whose due time comes next; when all are past, the latest one. */
export function currentAssignment(scheduled: readonly ScheduledAssignment[], now: Date): ScheduledAssignment | undefined {
  return scheduled.find((entry) => entry.dueAt > now) ?? scheduled.at(-1);
}
