// The participation numbers: per group and session, how many members the group has, how many
// attended, how many were on time and how many submitted the session's homework. One query per
// figure for all groups and sessions at once, so a coordinator's view of every group stays cheap.
import type { Group, PrismaClient, Program, Session } from "../generated/prisma/client.ts";

export interface SessionFigures {
  attended: number;
  onTime: number;
  homework: number;
}

export interface GroupParticipation {
  group: Group;
  members: number;
  /** In the order of `sessions`. */
  sessions: SessionFigures[];
  /** Attended over members × sessions; null with no members or no sessions. */
  rate: number | null;
  /** Below the program's threshold. */
  low: boolean;
}

export interface ParticipationReport {
  sessions: Session[];
  groups: GroupParticipation[];
}

/** A share as a whole percentage ("83%"); none of nothing shows as "–". */
export function percent(count: number, of: number): string {
  return of > 0 ? `${Math.round((count / of) * 100)}%` : "–";
}

export class ParticipationReports {
  constructor(private readonly db: PrismaClient) {}

  /** The sessions a report covers: the one asked for, else every session whose check-in has opened. */
  async sessions(program: Program, now: Date, index?: number): Promise<Session[]> {
    const sessions = await this.db.session.findMany({ where: { programId: program.id }, orderBy: { index: "asc" } });
    if (index !== undefined) return sessions.filter((session) => session.index === index);
    return sessions.filter((session) => session.startsAt.getTime() - program.checkInOpensMinutes * 60_000 <= now.getTime());
  }

  /** Groups below the threshold first (lowest first), then the others by name. */
  async report(program: Program, groups: readonly Group[], sessions: readonly Session[]): Promise<ParticipationReport> {
    const groupIds = groups.map((group) => group.id);
    const sessionIds = sessions.map((session) => session.id);
    const [members, checkIns, submissions] = await Promise.all([
      this.db.member.groupBy({ by: ["groupId"], where: { groupId: { in: groupIds }, role: { not: "facilitator" } }, _count: { _all: true } }),
      this.db.checkIn.groupBy({ by: ["groupId", "sessionId", "late"], where: { groupId: { in: groupIds }, sessionId: { in: sessionIds }, present: true }, _count: { _all: true } }),
      this.db.homeworkSubmission.groupBy({
        by: ["groupId", "assignmentId"],
        where: { groupId: { in: groupIds }, assignment: { sessionId: { in: sessionIds } } },
        _count: { _all: true },
      }),
    ]);
    const assignments = await this.db.homeworkAssignment.findMany({ where: { sessionId: { in: sessionIds } }, select: { id: true, sessionId: true } });
    const sessionOfAssignment = new Map(assignments.map((assignment) => [assignment.id, assignment.sessionId]));
    const memberCount = new Map(members.map((row) => [row.groupId, row._count._all]));
    const figures = new Map<string, SessionFigures>();
    const figure = (groupId: number, sessionId: number) => {
      const key = `${groupId}:${sessionId}`;
      let entry = figures.get(key);
      if (!entry) figures.set(key, (entry = { attended: 0, onTime: 0, homework: 0 }));
      return entry;
    };
    for (const row of checkIns) {
      const entry = figure(row.groupId, row.sessionId);
      entry.attended += row._count._all;
      if (!row.late) entry.onTime += row._count._all;
    }
    for (const row of submissions) figure(row.groupId, sessionOfAssignment.get(row.assignmentId)!).homework += row._count._all;
    const rows = groups.map((group): GroupParticipation => {
      const count = memberCount.get(group.id) ?? 0;
      const perSession = sessions.map((session) => figures.get(`${group.id}:${session.id}`) ?? { attended: 0, onTime: 0, homework: 0 });
      const possible = count * sessions.length;
      const rate = possible > 0 ? perSession.reduce((sum, entry) => sum + entry.attended, 0) / possible : null;
      return { group, members: count, sessions: perSession, rate, low: rate !== null && rate < program.participationThreshold };
    });
    rows.sort((a, b) => Number(b.low) - Number(a.low) || (a.low ? a.rate! - b.rate! : 0) || a.group.name.localeCompare(b.group.name));
    return { sessions: [...sessions], groups: rows };
  }
}
