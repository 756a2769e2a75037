// The rooms of one session run at the same time, and a person is in one video room at a time.
// So a facilitator leads at most one room per session, unless they have a video link of their own
// for each room they lead at once (`/facilitator link <url> <url>`): their capacity counts only
// up to the number of their distinct links (one room without any link). Each room they lead then
// gets another of their links, so nobody is ever in two rooms of a session with the same link.
import type { BreakoutFacilitator, BreakoutRoom } from "./types.ts";

/** What a facilitator declared (with /facilitator or in the program file). */
export interface LeaderProfile {
  readonly memberId: number;
  readonly languages: readonly string[];
  /** Rooms they offer to lead in one session. */
  readonly capacity: number;
  readonly meetingUrls: readonly string[];
}

/** A facilitator as the assignment sees them: `capacity` is what they can lead at once. */
export interface Leader extends BreakoutFacilitator {
  readonly memberId: number;
  readonly capacity: number;
  /** Rooms they offered, before the limit of one room per link. */
  readonly offered: number;
  /** Distinct, in their order: the k-th room they lead gets the k-th link. */
  readonly meetingUrls: readonly string[];
}

/** A facilitator who offered more rooms than they have links for. */
export interface LinkLimit {
  readonly facilitatorId: string;
  readonly offered: number;
  readonly leadable: number;
}

/** Rooms a facilitator can lead at the same time: what they offer, at most one per distinct link (one without a link). */
export function leadableRooms(offered: number, meetingUrls: readonly string[]): number {
  return Math.min(offered, Math.max(1, new Set(meetingUrls).size));
}

export function leaderOf(profile: LeaderProfile): Leader {
  const meetingUrls = [...new Set(profile.meetingUrls)];
  return {
    id: String(profile.memberId),
    memberId: profile.memberId,
    languages: profile.languages,
    capacity: leadableRooms(profile.capacity, meetingUrls),
    offered: profile.capacity,
    meetingUrls,
  };
}

/** The facilitators whose offer was cut to their links, for the coordinator's summary. */
export function linkLimits(leaders: readonly Leader[]): LinkLimit[] {
  return leaders
    .filter((leader) => leader.capacity < leader.offered)
    .map((leader) => ({ facilitatorId: leader.id, offered: leader.offered, leadable: leader.capacity }));
}

/** The video link of each room (by index): its facilitator's first link for their first room, the second for their second... */
export function roomLinks(rooms: readonly BreakoutRoom[], leaders: readonly Leader[]): (string | null)[] {
  const linksOf = new Map(leaders.map((leader) => [leader.id, leader.meetingUrls]));
  const roomsLed = new Map<string, number>();
  return rooms.map((room) => {
    if (room.facilitatorId === null) return null;
    const k = roomsLed.get(room.facilitatorId) ?? 0;
    roomsLed.set(room.facilitatorId, k + 1);
    return linksOf.get(room.facilitatorId)?.[k] ?? null;
  });
}
