// Participation per session and group, behind one small source function: attendance and arriving
// on time from the check-ins (through ParticipationReports, the figures /participation shows),
// homework submitted and on time from the submissions. A session nobody checked in to keeps its
// attendance null, so the page says so instead of charting a 0 %. Also each group's latest
// structure test against the program's supermajority.
import type { Clock } from "../clock.ts";
import type { PrismaClient, Session, StructureTest } from "../generated/prisma/client.ts";
import { ParticipationReports } from "../participation/report.ts";
import { reachesSupermajority, type StructureTestService } from "../participation/structure-tests.ts";
import type { Scope } from "./data.ts";

export interface Participation {
  members: number;
  /** Members who submitted the session's homework, and those who did before it was due. */
  submitted: number;
  onTime: number;
  /** Members present at the session, and those who checked in before it started; null while it has no check-ins. */
  attended: number | null;
  arrivedOnTime: number | null;
}

export interface SessionParticipation {
  session: Session;
  /** Anyone checked in to the session (in any group): without that, attendance is unknown, not zero. */
  attendanceRecorded: boolean;
  overall: Participation;
  groups: { id: number; name: string; figures: Participation }[];
}

export interface ParticipationReport {
  sessions: SessionParticipation[];
}

export type ParticipationSource = (db: PrismaClient, scope: Scope, clock: Clock) => Promise<ParticipationReport>;

/** Sessions that have begun, with check-in and homework figures for the groups in scope. */
export const checkInParticipation: ParticipationSource = async (db, scope, clock) => {
  const [sessions, groups] = await Promise.all([
    db.session.findMany({
      where: { programId: scope.program.id, startsAt: { lte: clock.now() } },
      include: { homework: { select: { id: true } } },
      orderBy: { index: "asc" },
    }),
    db.group.findMany({ where: { ...scope.groupWhere, status: "active" }, orderBy: [{ name: "asc" }, { id: "asc" }] }),
  ]);
  const assignmentIds = sessions.flatMap((session) => (session.homework ? [session.homework.id] : []));
  const [report, onTimeHomework, checkedIn] = await Promise.all([
    new ParticipationReports(db).report(scope.program, groups, sessions),
    db.homeworkSubmission.groupBy({
      by: ["assignmentId", "groupId"],
      where: { assignmentId: { in: assignmentIds }, groupId: { in: groups.map((group) => group.id) }, late: false },
      _count: { _all: true },
    }),
    db.checkIn.groupBy({ by: ["sessionId"], where: { sessionId: { in: sessions.map((session) => session.id) } }, _count: { _all: true } }),
  ]);
  const recorded = new Set(checkedIn.map((row) => row.sessionId));
  const reportOf = new Map(report.groups.map((row) => [row.group.id, row]));
  const onTimeCounts = new Map(onTimeHomework.map((row) => [`${row.assignmentId}:${row.groupId}`, row._count._all]));
  const onTimeOf = (assignmentId: number | undefined, groupId: number) => onTimeCounts.get(`${assignmentId}:${groupId}`) ?? 0;
  return {
    sessions: sessions.map(({ homework, ...session }, position) => {
      const attendanceRecorded = recorded.has(session.id);
      const rows = groups.map((group) => {
        const row = reportOf.get(group.id)!;
        const figures = row.sessions[position]!;
        const members = row.members;
        // Someone who left after submitting or checking in still counts for the group, but never above 100 %.
        const submitted = Math.min(members, figures.homework);
        const attended = Math.min(members, figures.attended);
        return {
          id: group.id,
          name: group.name,
          figures: {
            members,
            submitted,
            onTime: Math.min(submitted, onTimeOf(homework?.id, group.id)),
            attended: attendanceRecorded ? attended : null,
            arrivedOnTime: attendanceRecorded ? Math.min(attended, figures.onTime) : null,
          },
        };
      });
      const add = (left: number | null, right: number | null) => (left === null || right === null ? null : left + right);
      const overall = rows.reduce<Participation>(
        (sum, { figures }) => ({
          members: sum.members + figures.members,
          submitted: sum.submitted + figures.submitted,
          onTime: sum.onTime + figures.onTime,
          attended: add(sum.attended, figures.attended),
          arrivedOnTime: add(sum.arrivedOnTime, figures.arrivedOnTime),
        }),
        { members: 0, submitted: 0, onTime: 0, attended: attendanceRecorded ? 0 : null, arrivedOnTime: attendanceRecorded ? 0 : null },
      );
      return { session, attendanceRecorded, overall, groups: rows };
    }),
  };
};

export interface StructureTestStatus {
  id: number;
  name: string;
  /** The group's most recent current test; null before its first. */
  test: StructureTest | null;
  reached: boolean;
}

/** Each active group in scope with its latest structure test and whether it reached the program's supermajority. */
export async function structureTestStatus(db: PrismaClient, structureTests: StructureTestService, scope: Scope): Promise<StructureTestStatus[]> {
  const groups = await db.group.findMany({ where: { ...scope.groupWhere, status: "active" }, select: { id: true, name: true }, orderBy: [{ name: "asc" }, { id: "asc" }] });
  const latest = await structureTests.latestPerGroup(groups.map((group) => group.id));
  return groups.map((group) => {
    const test = latest.get(group.id) ?? null;
    return { ...group, test, reached: test !== null && reachesSupermajority(test, scope.program.supermajority) };
  });
}

/** A share as a whole percentage; 0 when there is nobody to count. */
export function percent(part: number | null, whole: number): number | null {
  if (part === null) return null;
  return whole === 0 ? 0 : Math.round((part / whole) * 100);
}
