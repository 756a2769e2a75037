// What the dashboard reads, always within the viewer's scope: a coordinator sees every group of
// the active program, a facilitator only the groups they look after (/facilitate).
import { DateTime } from "luxon";
import type { Clock } from "../clock.ts";
import type { Prisma, PrismaClient, Program, Session } from "../generated/prisma/client.ts";
import type { Viewer } from "./access.ts";

export interface Scope {
  program: Program;
  viewer: Viewer;
  /** The groups the viewer may see. */
  groupWhere: Prisma.GroupWhereInput;
}

export async function scopeFor(db: PrismaClient, viewer: Viewer): Promise<Scope | undefined> {
  const program = await db.program.findFirst({ where: { active: true } });
  if (!program) return undefined;
  const groupWhere: Prisma.GroupWhereInput =
    viewer.role === "coordinator" ? { programId: program.id } : { programId: program.id, facilitators: { some: { memberId: viewer.member.id } } };
  return { program, viewer, groupWhere };
}

export interface GroupRow {
  id: number;
  name: string;
  organization: string | null;
  /** The platform of the group's chat; null until a channel is bound. */
  platform: string | null;
  language: string;
  timezone: string;
  country: string | null;
  members: number;
  lead: string | null;
  /** The bot can post in the group's chat (bound, and no platform told us otherwise). */
  reachable: boolean;
  unreachableReason: string | null;
  withdrawn: boolean;
}

export async function groupRows(db: PrismaClient, scope: Scope): Promise<GroupRow[]> {
  const groups = await db.group.findMany({
    where: scope.groupWhere,
    include: {
      channels: { where: { purpose: "group" }, orderBy: { id: "asc" } },
      members: { where: { isLead: true }, select: { displayName: true }, take: 1 },
      _count: { select: { members: true } },
    },
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
  return groups.map((group) => {
    const unreachable = group.channels.find((channel) => channel.unreachableAt !== null);
    return {
      id: group.id,
      name: group.name,
      organization: group.organization,
      platform: group.channels[0]?.platform ?? null,
      language: group.locale,
      timezone: group.timezone,
      country: group.country,
      members: group._count.members,
      lead: group.members[0]?.displayName ?? null,
      reachable: group.channels.length > 0 && !unreachable,
      unreachableReason: unreachable?.unreachableReason ?? null,
      withdrawn: group.status === "withdrawn",
    };
  });
}

export interface Overview {
  groups: number;
  members: number;
  unreachable: number;
  byPlatform: Map<string, number>;
  byLanguage: Map<string, number>;
  byCountry: Map<string, number>;
  next: { session: Session; running: boolean; days: number } | undefined;
}

export async function overview(db: PrismaClient, scope: Scope, clock: Clock, rows?: GroupRow[]): Promise<Overview> {
  const groups = (rows ?? (await groupRows(db, scope))).filter((group) => !group.withdrawn);
  const count = (key: (group: GroupRow) => string) => {
    const counts = new Map<string, number>();
    for (const group of groups) counts.set(key(group), (counts.get(key(group)) ?? 0) + 1);
    return new Map([...counts].sort(([leftKey, left], [rightKey, right]) => right - left || leftKey.localeCompare(rightKey)));
  };
  const now = clock.now();
  const sessions = await db.session.findMany({ where: { programId: scope.program.id }, orderBy: { startsAt: "asc" } });
  const current = sessions.find((session) => session.startsAt.getTime() + session.durationMinutes * 60_000 > now.getTime());
  return {
    groups: groups.length,
    members: groups.reduce((sum, group) => sum + group.members, 0),
    unreachable: groups.filter((group) => !group.reachable).length,
    byPlatform: count((group) => group.platform ?? ""),
    byLanguage: count((group) => group.language),
    byCountry: count((group) => group.country ?? ""),
    next: current && {
      session: current,
      running: current.startsAt <= now,
      days: calendarDaysBetween(now, current.startsAt, scope.viewer.timezone),
    },
  };
}

export function sessionsOf(db: PrismaClient, scope: Scope): Promise<Session[]> {
  return db.session.findMany({ where: { programId: scope.program.id }, orderBy: { index: "asc" } });
}

export interface BreakoutRoomRow {
  number: number;
  language: string;
  facilitator: string | null;
  meetingUrl: string | null;
  /** People seated, and the groups they come from. */
  seats: number;
  groups: string[];
}

/** A session's breakout rooms as they hold (the latest published version, else the proposal). */
export async function breakoutRooms(
  db: PrismaClient,
  scope: Scope,
  session: Session,
): Promise<{ status: "published" | "proposal" | "none"; version: number | null; rooms: BreakoutRoomRow[] }> {
  const round =
    (await db.breakoutRound.findFirst({ where: { sessionId: session.id, status: "published" }, orderBy: { version: "desc" } })) ??
    (await db.breakoutRound.findFirst({ where: { sessionId: session.id, status: "proposal" } }));
  if (!round) return { status: "none", version: null, rooms: [] };
  const rooms = await db.breakoutRoom.findMany({
    where: {
      roundId: round.id,
      ...(scope.viewer.role === "coordinator"
        ? {}
        : { OR: [{ facilitatorId: scope.viewer.member.id }, { seats: { some: { group: scope.groupWhere } } }] }),
    },
    include: { facilitator: { select: { displayName: true } }, seats: { include: { group: { select: { name: true } } } } },
    orderBy: { number: "asc" },
  });
  return {
    status: round.status === "published" ? "published" : "proposal",
    version: round.version,
    rooms: rooms.map((room) => ({
      number: room.number,
      language: room.language,
      facilitator: room.facilitator?.displayName ?? null,
      meetingUrl: room.meetingUrl,
      seats: room.seats.length,
      groups: [...new Set(room.seats.map((seat) => seat.group.name))].sort((left, right) => left.localeCompare(right)),
    })),
  };
}

/** Days from one date to another on the viewer's calendar: Monday evening to Tuesday is 1. */
function calendarDaysBetween(from: Date, to: Date, zone: string): number {
  const day = (instant: Date) => DateTime.fromJSDate(instant, { zone }).startOf("day");
  return Math.max(0, Math.round(day(to).diff(day(from), "days").days));
}
