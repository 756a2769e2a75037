// Programs and their sessions: loading a program file, finding the active program.
import { DateTime } from "luxon";
import { breakoutProgramData, importFacilitators } from "../breakouts/program-settings.ts";
import type { PrismaClient, Program, Session } from "../generated/prisma/client.ts";
import { homeworkProgramData, importAssignment } from "../homework/program-settings.ts";
import { privacyProgramData } from "../privacy/program-settings.ts";
import { participationProgramData } from "../participation/program-settings.ts";
import type { ProgramFile } from "../programs/program-file.ts";
import { sessionTitleData } from "../programs/session-titles.ts";
import { addWeeksLocal, wallClockToInstant } from "../time/instants.ts";

export interface ImportResult {
  program: Program;
  created: boolean;
  sessions: Session[];
  /** Sessions whose start instant changed, with their former start (reminders and groups must follow). */
  moved: { session: Session; from: Date }[];
  /** Facilitators listed in the file's breakouts section. */
  facilitators: number;
}

export class ProgramService {
  constructor(private readonly db: PrismaClient) {}

  active(): Promise<Program | null> {
    return this.db.program.findFirst({ where: { active: true }, orderBy: { id: "desc" } });
  }

  bySlug(slug: string): Promise<Program | null> {
    return this.db.program.findUnique({ where: { slug } });
  }

  sessions(programId: number): Promise<Session[]> {
    return this.db.session.findMany({ where: { programId }, orderBy: { index: "asc" } });
  }

  async isEmpty(): Promise<boolean> {
    return (await this.db.program.count()) === 0;
  }

  /** Creates or updates the program with the file's slug; sessions are matched by position. */
  async import(file: ProgramFile, options: { activate?: boolean } = {}): Promise<ImportResult> {
    return this.db.$transaction(async (tx) => {
      const data = {
        title: file.title,
        timezone: file.timezone,
        defaultLocale: file.defaultLanguage,
        registrationDeadline: wallClockToInstant(file.registrationDeadline, file.timezone),
        reminderOffsets: [...new Set(file.reminders)].sort((a, b) => b - a),
        joinUrl: file.joinUrl ?? null,
        ...homeworkProgramData(file.homework),
        ...breakoutProgramData(file.breakouts),
        ...privacyProgramData(file.privacy),
        ...participationProgramData(file.participation),
      };
      const existing = await tx.program.findUnique({ where: { slug: file.slug } });
      const activate = options.activate ?? !(await tx.program.findFirst({ where: { active: true } }));
      if (activate) await tx.program.updateMany({ where: { active: true }, data: { active: false } });
      const program = existing
        ? await tx.program.update({ where: { id: existing.id }, data: { ...data, ...(activate ? { active: true } : {}) } })
        : await tx.program.create({ data: { ...data, slug: file.slug, active: activate } });
      const before = new Map((await tx.session.findMany({ where: { programId: program.id } })).map((session) => [session.index, session]));
      const sessions: Session[] = [];
      const moved: ImportResult["moved"] = [];
      for (const [position, entry] of file.sessions.entries()) {
        const index = position + 1;
        const startsAt = wallClockToInstant(entry.start, file.timezone);
        const titles = sessionTitleData(entry.title, file.defaultLanguage);
        const session = await tx.session.upsert({
          where: { programId_index: { programId: program.id, index } },
          create: { programId: program.id, index, ...titles, startsAt, durationMinutes: entry.duration },
          update: { ...titles, startsAt, durationMinutes: entry.duration },
        });
        const previous = before.get(index);
        if (previous && previous.startsAt.getTime() !== startsAt.getTime()) moved.push({ session, from: previous.startsAt });
        await importAssignment(tx, session.id, entry.homework);
        sessions.push(session);
      }
      await tx.session.deleteMany({ where: { programId: program.id, index: { gt: file.sessions.length } } });
      const facilitators = await importFacilitators(tx, program.id, file.breakouts);
      return { program, created: !existing, sessions, moved, facilitators };
    });
  }
}

/**
 * The example program happened in 2021. For a first start we move it by whole weeks (same
 * weekday and local time) so its first session falls within the coming 1 to 8 days, and keep
 * registration open until that first session starts.
 */
export function shiftToUpcoming(file: ProgramFile, now: Date): { file: ProgramFile; weeks: number } {
  const first = DateTime.fromJSDate(wallClockToInstant(file.sessions[0]!.start, file.timezone));
  const target = DateTime.fromJSDate(now).plus({ days: 1 });
  const weeks = Math.max(0, Math.ceil(target.diff(first, "weeks").weeks));
  const sessions = file.sessions.map((session) => ({ ...session, start: addWeeksLocal(session.start, file.timezone, weeks) }));
  const shiftedDeadline = addWeeksLocal(file.registrationDeadline, file.timezone, weeks);
  const deadlineOpen = wallClockToInstant(shiftedDeadline, file.timezone) > now;
  return {
    weeks,
    file: { ...file, sessions, registrationDeadline: deadlineOpen ? shiftedDeadline : sessions[0]!.start },
  };
}
