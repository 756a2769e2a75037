// Participation per session and group, behind one small source function. Today it is built from
// homework (who submitted, who submitted on time); attendance stays null until check-ins are
// recorded, and a source that reads them fills `attended` and sets `attendanceRecorded`.
import type { Clock } from "../clock.ts";
import type { PrismaClient, Session } from "../generated/prisma/client.ts";
import type { Scope } from "./data.ts";

export interface Participation {
  members: number;
  /** Members who submitted the session's homework, and those who did before it was due. */
  submitted: number;
  onTime: number;
  /** Members present at the session; null while no check-ins exist. */
  attended: number | null;
}

export interface SessionParticipation {
  session: Session;
  overall: Participation;
  groups: { id: number; name: string; figures: Participation }[];
}

export interface ParticipationReport {
  sessions: SessionParticipation[];
  attendanceRecorded: boolean;
}

export type ParticipationSource = (db: PrismaClient, scope: Scope, clock: Clock) => Promise<ParticipationReport>;

/** Sessions that have begun (their homework has been given), with the homework figures. */
export const homeworkParticipation: ParticipationSource = async (db, scope, clock) => {
  const [sessions, groups] = await Promise.all([
    db.session.findMany({
      where: { programId: scope.program.id, startsAt: { lte: clock.now() } },
      include: { homework: { select: { id: true } } },
      orderBy: { index: "asc" },
    }),
    db.group.findMany({
      where: { ...scope.groupWhere, status: "active" },
      select: { id: true, name: true, _count: { select: { members: true } } },
      orderBy: [{ name: "asc" }, { id: "asc" }],
    }),
  ]);
  const assignmentIds = sessions.flatMap((session) => (session.homework ? [session.homework.id] : []));
  const counts = await db.homeworkSubmission.groupBy({
    by: ["assignmentId", "groupId", "late"],
    where: { assignmentId: { in: assignmentIds }, groupId: { in: groups.map((group) => group.id) } },
    _count: { _all: true },
  });
  const countOf = (assignmentId: number | undefined, groupId: number, late?: boolean) =>
    counts
      .filter((row) => row.assignmentId === assignmentId && row.groupId === groupId && (late === undefined || row.late === late))
      .reduce((sum, row) => sum + row._count._all, 0);
  return {
    attendanceRecorded: false,
    sessions: sessions.map(({ homework, ...session }) => {
      const rows = groups.map((group) => {
        const members = group._count.members;
        // Someone who left after submitting still counts for the group, but never above 100 %.
        const submitted = Math.min(members, countOf(homework?.id, group.id));
        return { id: group.id, name: group.name, figures: { members, submitted, onTime: Math.min(submitted, countOf(homework?.id, group.id, false)), attended: null } };
      });
      const overall = rows.reduce<Participation>(
        (sum, row) => ({ members: sum.members + row.figures.members, submitted: sum.submitted + row.figures.submitted, onTime: sum.onTime + row.figures.onTime, attended: null }),
        { members: 0, submitted: 0, onTime: 0, attended: null },
      );
      return { session, overall, groups: rows };
    }),
  };
};

/** A share as a whole percentage; 0 when there is nobody to count. */
export function percent(part: number | null, whole: number): number | null {
  if (part === null) return null;
  return whole === 0 ? 0 : Math.round((part / whole) * 100);
}
