// Attendance: members check in to a session while its check-in window is open (from
// Program.checkInOpensMinutes before its start to its end); after the start it counts as late.
// One row per (session, member), inserted with ON CONFLICT DO NOTHING, so a double tap or two
// processes answering the same press record it once. A lead checks in people who joined on one
// screen; a facilitator corrects attendance for the people in the breakout rooms they lead, and
// each correction leaves an audit entry with what it was before.
import { DateTime } from "luxon";
import type { Clock } from "../clock.ts";
import { UserError } from "../core/errors.ts";
import type { CheckIn, Group, Member, PrismaClient, Program, Session } from "../generated/prisma/client.ts";
import type { CheckInSource, Role } from "../generated/prisma/enums.ts";
import { audit } from "../services/audit.ts";

export type Attendance = "present" | "late" | "absent";

export interface CheckInOutcome {
  checkIn: CheckIn;
  /** False when the member had already been checked in (the earlier record stands). */
  created: boolean;
}

export interface CheckInWindow {
  opensAt: Date;
  startsAt: Date;
  closesAt: Date;
}

export function checkInWindow(session: Pick<Session, "startsAt" | "durationMinutes">, program: Pick<Program, "checkInOpensMinutes">): CheckInWindow {
  const start = DateTime.fromJSDate(session.startsAt, { zone: "utc" });
  return {
    opensAt: start.minus({ minutes: program.checkInOpensMinutes }).toJSDate(),
    startsAt: session.startsAt,
    closesAt: start.plus({ minutes: session.durationMinutes }).toJSDate(),
  };
}

/** Which members a lead's or facilitator's "ana @ben 'Cy D'" means, by handle or display name. */
export function matchMembers(names: readonly string[], candidates: readonly Member[]): { found: Member[]; unknown: string[] } {
  const found = new Map<number, Member>();
  const unknown: string[] = [];
  for (const raw of names) {
    const wanted = raw.replace(/^@/, "").normalize("NFKC").toLocaleLowerCase("und");
    const matches = candidates.filter(
      (member) => member.username?.toLocaleLowerCase("und") === wanted || member.displayName.normalize("NFKC").toLocaleLowerCase("und") === wanted,
    );
    const byFirstName = matches.length > 0 ? matches : candidates.filter((member) => member.displayName.normalize("NFKC").toLocaleLowerCase("und").split(/\s+/)[0] === wanted);
    if (byFirstName.length === 1) found.set(byFirstName[0]!.id, byFirstName[0]!);
    else unknown.push(raw);
  }
  return { found: [...found.values()], unknown };
}

export class CheckInService {
  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
  ) {}

  /**
   * The session whose check-in is open now (or the one named by its number, as a reminder's
   * button does). A UserError says when the next one opens, or that the named one is over.
   */
  async openSession(program: Program, index?: number): Promise<Session> {
    const now = this.clock.now();
    const sessions = await this.db.session.findMany({ where: { programId: program.id }, orderBy: { startsAt: "asc" } });
    const isOpen = (session: Session) => {
      const window = checkInWindow(session, program);
      return window.opensAt <= now && now <= window.closesAt;
    };
    if (index !== undefined) {
      const named = sessions.find((session) => session.index === index);
      if (!named) throw new UserError("participation.unknownSession", { index });
      if (isOpen(named)) return named;
      const window = checkInWindow(named, program);
      if (now < window.opensAt) throw new UserError("participation.here.notYet", { index: named.index, opensAt: window.opensAt });
      throw new UserError("participation.here.closed", { index: named.index });
    }
    const open = sessions.filter(isOpen);
    if (open.length > 0) return open[open.length - 1]!;
    const next = sessions.find((session) => session.startsAt > now);
    if (next) throw new UserError("participation.here.notYet", { index: next.index, opensAt: checkInWindow(next, program).opensAt });
    throw new UserError("participation.here.noSession");
  }

  /** Records that `member` is here; late after the start. Idempotent per (session, member). */
  async checkIn(request: { session: Session; group: Group; member: Member; source: CheckInSource; recorder: Member }): Promise<CheckInOutcome> {
    const now = this.clock.now();
    const late = now > request.session.startsAt;
    const inserted = await this.db.$queryRaw<CheckIn[]>`
      INSERT INTO "CheckIn" ("sessionId", "memberId", "groupId", "checkedInAt", late, "recordedBy", "recorderId")
      VALUES (${request.session.id}, ${request.member.id}, ${request.group.id}, ${now}, ${late}, ${request.source}::"CheckInSource", ${request.recorder.id})
      ON CONFLICT ("sessionId", "memberId") DO NOTHING
      RETURNING *`;
    if (inserted[0]) return { checkIn: inserted[0], created: true };
    const existing = await this.db.checkIn.findFirstOrThrow({ where: { sessionId: request.session.id, memberId: request.member.id } });
    return { checkIn: existing, created: false };
  }

  /** The group's current members (facilitators are staff, not counted). */
  groupMembers(groupId: number): Promise<Member[]> {
    return this.db.member.findMany({ where: { groupId, role: { not: "facilitator" } }, orderBy: { id: "asc" } });
  }

  /**
   * The people whose attendance this caller may correct for a session: a coordinator, everyone in
   * the program's active groups; a facilitator, the people seated in the rooms they lead in the
   * session's published breakouts.
   */
  async correctable(session: Session, caller: Member, role: Role): Promise<Member[]> {
    if (role === "coordinator") {
      return this.db.member.findMany({ where: { role: { not: "facilitator" }, group: { programId: session.programId, status: "active" } }, orderBy: { id: "asc" } });
    }
    const round = await this.db.breakoutRound.findFirst({ where: { sessionId: session.id, status: "published" }, orderBy: { version: "desc" } });
    if (!round) return [];
    const seats = await this.db.breakoutSeat.findMany({
      where: { room: { roundId: round.id, facilitatorId: caller.id }, member: { groupId: { not: null } } },
      include: { member: true },
      orderBy: { memberId: "asc" },
    });
    return seats.map((seat) => seat.member);
  }

  /** A facilitator's correction: the row becomes what they say; the audit entry keeps what it was. */
  async correct(session: Session, member: Member, attendance: Attendance, facilitator: Member): Promise<void> {
    if (member.groupId === null) throw new UserError("participation.attendance.noGroup", { name: member.displayName });
    const groupId = member.groupId;
    const now = this.clock.now();
    await this.db.$transaction(async (tx) => {
      const before = await tx.checkIn.findFirst({ where: { sessionId: session.id, memberId: member.id } });
      const after = { present: attendance !== "absent", late: attendance === "late", recordedBy: "facilitator" as const, recorderId: facilitator.id };
      if (before) await tx.checkIn.update({ where: { id: before.id }, data: after });
      else await tx.checkIn.create({ data: { sessionId: session.id, memberId: member.id, groupId, checkedInAt: now, ...after } });
      await audit(tx, {
        actorMemberId: facilitator.id,
        action: "participation.corrected",
        targetMemberId: member.id,
        details: {
          sessionId: session.id,
          before: before ? { present: before.present, late: before.late, recordedBy: before.recordedBy, checkedInAt: before.checkedInAt.toISOString() } : null,
          after: { present: after.present, late: after.late },
        },
      });
    });
  }

  /** The session a correction is about: the one named, else the latest that has started. */
  async sessionForCorrection(program: Program, index: number | undefined): Promise<Session> {
    const now = this.clock.now();
    const session = index !== undefined
      ? await this.db.session.findUnique({ where: { programId_index: { programId: program.id, index } } })
      : await this.db.session.findFirst({ where: { programId: program.id, startsAt: { lte: checkInOpenBound(now, program) } }, orderBy: { startsAt: "desc" } });
    if (!session) throw new UserError(index !== undefined ? "participation.unknownSession" : "participation.noSessionYet", { index });
    return session;
  }
}

/** Sessions whose check-in has opened by `now` have started before this instant. */
function checkInOpenBound(now: Date, program: Pick<Program, "checkInOpensMinutes">): Date {
  return DateTime.fromJSDate(now, { zone: "utc" }).plus({ minutes: program.checkInOpensMinutes }).toJSDate();
}
