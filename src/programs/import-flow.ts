// `npm run cli -- import <file>`: loads a program file, but over the active program it first shows
// what would change and waits for --yes, and it never moves sessions still ahead into the past
// unless --allow-past says so. Groups hear of moved sessions as with /session move.
import type { Services } from "../services/index.ts";
import { changesSchedule, describePlan, planImport } from "./import-plan.ts";
import type { ProgramFile } from "./program-file.ts";

export interface ImportOptions {
  activate?: boolean;
  /** Confirms changes to the active program's schedule. */
  yes?: boolean;
  /** Lets sessions still ahead move into the past. */
  allowPast?: boolean;
}

export interface ImportOutcome {
  applied: boolean;
  lines: string[];
}

export async function importProgramFile(services: Pick<Services, "programs" | "schedule">, now: Date, file: ProgramFile, options: ImportOptions = {}): Promise<ImportOutcome> {
  const existing = await services.programs.bySlug(file.slug);
  const plan = planImport(file, existing, existing ? await services.programs.sessions(existing.id) : [], now);
  if (existing && changesSchedule(plan)) {
    const heading = `“${existing.title}” (${existing.slug}) is ${existing.active ? "the active program" : "already loaded"}. This file changes:`;
    const changes = [heading, ...describePlan(plan, file.timezone, now)];
    if (plan.intoPast.length > 0 && !options.allowPast) {
      const count = plan.intoPast.length === 1 ? "1 session that is still ahead" : `${plan.intoPast.length} sessions that are still ahead`;
      return {
        applied: false,
        lines: [...changes, `Refused: ${count} would move into the past, and members would read that they are over. Nothing changed.`, "If that is really what you want, run again with --yes --allow-past."],
      };
    }
    if (existing.active && !options.yes) {
      return { applied: false, lines: [...changes, "Groups are told of each moved session, as with /session move. Nothing changed yet: run again with --yes to apply."] };
    }
  }
  const result = await services.programs.import(file, options.activate ? { activate: true } : {});
  const notices = await services.schedule.sessionsMoved(result.program, result.moved);
  return {
    applied: true,
    lines: [
      `${result.created ? "Loaded" : "Updated"} “${result.program.title}” (${result.program.slug}): ${result.sessions.length} sessions` +
        (result.program.active ? ", active" : "") +
        (result.moved.length ? `; ${result.moved.length} session(s) moved, ${notices} notice(s) to group channels` : "") +
        (result.facilitators ? `; ${result.facilitators} facilitator(s) set from the file` : ""),
    ],
  };
}
