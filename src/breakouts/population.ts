// What a session's breakouts are made of, read from the database in the shape the assignment
// algorithm takes: who takes part (and in which languages), who can lead rooms, and who already
// shared a room in the program's earlier sessions.
import type { PrismaClient, Session } from "../generated/prisma/client.ts";
import type { BreakoutHistorySession, BreakoutParticipant } from "./assign.ts";
import { leaderOf, type Leader } from "./parallel-rooms.ts";

export interface Participant extends BreakoutParticipant {
  readonly memberId: number;
  /** The group whose channel is told about this person's room. */
  readonly groupRowId: number;
}

/**
 * Who takes part in a session's breakouts: everyone registered in one of the program's active
 * groups (registeredMembers), or, once people have checked in, those present
 * (src/participation/breakout-participants.ts, which the services wire in). BreakoutService takes
 * the source as a parameter.
 */
export type ParticipantSource = (db: PrismaClient, session: Session, leaders: ReadonlySet<number>) => Promise<Participant[]>;

/**
 * A person's languages, most preferred first: their group's language (rooms are formed within a
 * language, and this keeps a group's people in the language it works in), then the language
 * their chat platform reports for them, when we know it and it differs.
 */
export function participantLanguages(groupLocale: string, memberLocale: string | null): string[] {
  return memberLocale && memberLocale !== groupLocale ? [groupLocale, memberLocale] : [groupLocale];
}

/**
 * The registered members of the program's active groups. Facilitators are staff, not
 * participants; a coordinator in a group takes part unless they lead rooms (`leaders`).
 */
export const registeredMembers: ParticipantSource = async (db, session, leaders) => {
  const members = await db.member.findMany({
    where: { role: { not: "facilitator" }, group: { programId: session.programId, status: "active" } },
    select: { id: true, locale: true, group: { select: { id: true, locale: true, organization: true, country: true } } },
  });
  return members
    .filter((member) => !leaders.has(member.id))
    .map((member) => {
      const group = member.group!;
      return {
        id: String(member.id),
        memberId: member.id,
        groupId: String(group.id),
        groupRowId: group.id,
        languages: participantLanguages(group.locale, member.locale),
        organization: group.organization,
        country: group.country,
      };
    });
};

/** Facilitators and coordinators with a profile who can lead at least one room, as many at once as they have links. */
export async function availableLeaders(db: PrismaClient): Promise<Leader[]> {
  const profiles = await db.facilitatorProfile.findMany({
    where: { capacity: { gt: 0 }, member: { role: { in: ["facilitator", "coordinator"] } } },
    orderBy: { memberId: "asc" },
  });
  return profiles.filter((profile) => profile.languages.length > 0).map(leaderOf);
}

/** The published rooms of every earlier session of the program (rule 4: who already met). */
export async function earlierRooms(db: PrismaClient, session: Session): Promise<BreakoutHistorySession[]> {
  const rounds = await db.breakoutRound.findMany({
    where: { status: "published", session: { programId: session.programId, index: { lt: session.index } } },
    select: { rooms: { select: { facilitatorId: true, seats: { select: { memberId: true } } } } },
  });
  return rounds.map((round) =>
    round.rooms.map((room) => ({
      memberIds: room.seats.map((seat) => String(seat.memberId)),
      facilitatorId: room.facilitatorId === null ? null : String(room.facilitatorId),
    })),
  );
}
