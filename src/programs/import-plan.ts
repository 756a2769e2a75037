// What importing a program file would change in a program that is already loaded: sessions moved,
// added or removed, the registration deadline. Importing over the active program shows this first
// and needs a confirmation, and moving sessions into the past needs one more: the README's example
// file, imported over the running program, would otherwise put every session back in 2021.
import type { Program, Session } from "../generated/prisma/client.ts";
import { instantToWallClock, wallClockToInstant } from "../time/instants.ts";
import type { ProgramFile } from "./program-file.ts";
import { sessionTitleData } from "./session-titles.ts";

interface SessionAt {
  index: number;
  title: string;
  startsAt: Date;
}

export interface ImportPlan {
  /** The program with the file's slug, if one is loaded. */
  existing: Program | null;
  moved: (SessionAt & { from: Date })[];
  added: SessionAt[];
  removed: SessionAt[];
  deadline?: { from: Date; to: Date };
  /** Moved sessions that were still ahead and would now lie in the past. */
  intoPast: SessionAt[];
}

export function planImport(file: ProgramFile, existing: Program | null, current: readonly Session[], now: Date): ImportPlan {
  const before = new Map(current.map((session) => [session.index, session]));
  const plan: ImportPlan = { existing, moved: [], added: [], removed: [], intoPast: [] };
  file.sessions.forEach((entry, position) => {
    const index = position + 1;
    const startsAt = wallClockToInstant(entry.start, file.timezone);
    const { title } = sessionTitleData(entry.title, file.defaultLanguage);
    const previous = before.get(index);
    if (!previous) {
      if (existing) plan.added.push({ index, title, startsAt });
    } else if (previous.startsAt.getTime() !== startsAt.getTime()) {
      plan.moved.push({ index, title, startsAt, from: previous.startsAt });
      if (previous.startsAt > now && startsAt <= now) plan.intoPast.push({ index, title, startsAt });
    }
  });
  plan.removed = current.filter((session) => session.index > file.sessions.length);
  const deadline = wallClockToInstant(file.registrationDeadline, file.timezone);
  if (existing && existing.registrationDeadline.getTime() !== deadline.getTime()) plan.deadline = { from: existing.registrationDeadline, to: deadline };
  return plan;
}

/** Whether the plan changes when anything happens in the program (not only texts and settings). */
export function changesSchedule(plan: ImportPlan): boolean {
  return plan.moved.length + plan.added.length + plan.removed.length > 0 || plan.deadline !== undefined;
}

/** The plan as lines for the shell, times on the program's clock. */
export function describePlan(plan: ImportPlan, zone: string, now: Date): string[] {
  const at = (instant: Date) => `${instantToWallClock(instant, zone)}${instant <= now ? " (past)" : ""}`;
  return [
    ...plan.moved.map((session) => `  session ${session.index} “${session.title}”: ${at(session.from)} -> ${at(session.startsAt)}`),
    ...plan.added.map((session) => `  new session ${session.index} “${session.title}”: ${at(session.startsAt)}`),
    ...plan.removed.map((session) => `  session ${session.index} “${session.title}” (${at(session.startsAt)}) is removed`),
    ...(plan.deadline ? [`  registration deadline: ${at(plan.deadline.from)} -> ${at(plan.deadline.to)}`] : []),
  ];
}
