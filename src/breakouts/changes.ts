// Which groups' rooms differ between two versions of a session's breakouts: only their channels
// get a correction. A group sees each of its people with their room (number, language,
// facilitator, link); who else sits in a room is not part of what its notice shows.

export interface SeatView {
  readonly memberId: number;
  readonly groupId: number;
}

export interface RoomView {
  readonly number: number;
  readonly language: string;
  readonly facilitatorId: number | null;
  readonly meetingUrl: string | null;
  readonly seats: readonly SeatView[];
}

/** Per group: each of its people -> where they sit. */
function placements(rooms: readonly RoomView[]): Map<number, Map<number, string>> {
  const byGroup = new Map<number, Map<number, string>>();
  for (const room of rooms) {
    const where = `${room.number}|${room.language}|${room.facilitatorId ?? ""}|${room.meetingUrl ?? ""}`;
    for (const seat of room.seats) {
      const group = byGroup.get(seat.groupId) ?? new Map<number, string>();
      group.set(seat.memberId, where);
      byGroup.set(seat.groupId, group);
    }
  }
  return byGroup;
}

/** People whose place differs between two placements of one group (new and gone included). */
function differences(before: ReadonlyMap<number, string> | undefined, after: ReadonlyMap<number, string> | undefined): number[] {
  const ids = new Set([...(before?.keys() ?? []), ...(after?.keys() ?? [])]);
  return [...ids].filter((id) => before?.get(id) !== after?.get(id));
}

/** Groups whose people's rooms differ, including groups in only one of the versions; ascending. */
export function changedGroups(before: readonly RoomView[], after: readonly RoomView[]): number[] {
  const old = placements(before);
  const now = placements(after);
  const groups = new Set([...old.keys(), ...now.keys()]);
  return [...groups].filter((id) => differences(old.get(id), now.get(id)).length > 0).sort((a, b) => a - b);
}

/** The members of one group whose room differs between two versions. */
export function changedMembers(before: readonly RoomView[], after: readonly RoomView[], groupId: number): Set<number> {
  return new Set(differences(placements(before).get(groupId), placements(after).get(groupId)));
}
