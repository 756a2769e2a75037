/**
 * Step 4 of the assignment: the rooms of one language. Room sizes are fixed first (they differ by
 * at most one); the first seating follows the mode (keep: whole groups packed into rooms; mix:
 * each group's people dealt round the rooms); then ./room-search.ts swaps people between rooms to
 * improve the seating without changing a size.
 */
import type { PairHistory } from "./pairs.ts";
import { createPrng, hashString } from "./prng.ts";
import { RoomSearch, type LocalAttribute, type PastMates } from "./room-search.ts";
import type { BreakoutMode, BreakoutWeights } from "./types.ts";

/** Room sizes for n people in R rooms: the first n mod R rooms get one more. */
export function roomSizes(n: number, rooms: number): number[] {
  if (rooms <= 0) return [];
  const base = Math.floor(n / rooms);
  const extra = n - base * rooms;
  return Array.from({ length: rooms }, (_, r) => base + (r < extra ? 1 : 0));
}

export interface LanguageRoomsInput {
  /** Global participant indices placed in this language, ascending. */
  readonly members: readonly number[];
  readonly rooms: number;
  /** Global per-participant attribute indices (-1 = unknown for organization/country). */
  readonly group: Int32Array;
  readonly organization: Int32Array;
  readonly country: Int32Array;
  /** Group index -> group id (for seeded tie-breaks). */
  readonly groupIds: readonly string[];
  readonly history: PairHistory;
  readonly mode: BreakoutMode;
  readonly salt: number;
  readonly weights: BreakoutWeights;
  readonly iterations: number;
  /** Scratch array of length = all participants, filled with -1; restored before returning. */
  readonly localIndex: Int32Array;
}

export interface LanguageRooms {
  /** Member lists (global indices, ascending) per room. */
  readonly rooms: number[][];
  readonly iterations: number;
}

/** An attribute of the members renumbered 0..k-1 in order of first appearance (-1 stays -1). */
function localAttribute(members: readonly number[], global: Int32Array): LocalAttribute {
  const renumbered = new Map<number, number>();
  const of = new Int32Array(members.length);
  members.forEach((participant, i) => {
    const value = global[participant]!;
    if (value < 0) {
      of[i] = -1;
      return;
    }
    let local = renumbered.get(value);
    if (local === undefined) renumbered.set(value, (local = renumbered.size));
    of[i] = local;
  });
  return { of, values: renumbered.size };
}

/** Each group's members (member numbers), larger groups first, ties in an order the seed decides. */
function groupsLargestFirst(input: LanguageRoomsInput, group: LocalAttribute, groupSize: Int32Array): number[][] {
  const membersOf: number[][] = Array.from({ length: group.values }, () => []);
  const groupId = new Array<string>(group.values);
  input.members.forEach((participant, i) => {
    membersOf[group.of[i]!]!.push(i);
    groupId[group.of[i]!] = input.groupIds[input.group[participant]!]!;
  });
  const tieBreak = groupId.map((id) => hashString(id, input.salt));
  return membersOf
    .map((_, g) => g)
    .sort((a, b) => groupSize[b]! - groupSize[a]! || tieBreak[a]! - tieBreak[b]! || a - b)
    .map((g) => membersOf[g]!);
}

/** mix mode: deal the people round the rooms, group after group, so each group is spread as evenly as possible. */
function dealRoundRobin(groups: readonly number[][], rooms: number, roomOf: Int32Array): void {
  let dealt = 0;
  for (const members of groups) for (const member of members) roomOf[member] = dealt++ % rooms;
}

/**
 * keep mode: whole groups (lists of member numbers) packed into rooms of fixed sizes.
 *   1. A group at least as large as an empty room fills it (the largest such room) and goes on
 *      with its rest, until the rest is smaller than every empty room.
 *   2. The rests, largest first, go whole into the fullest room that still holds them (best fit).
 *   3. A rest that fits nowhere is split over the rooms with the most free seats.
 */
function packGroups(groups: readonly number[][], sizes: readonly number[], roomOf: Int32Array): void {
  const free = sizes.slice();
  const empty = new Array<boolean>(sizes.length).fill(true);
  const seat = (members: readonly number[], room: number): void => {
    for (const member of members) roomOf[member] = room;
    free[room]! -= members.length;
    empty[room] = false;
  };
  const rests: number[][] = [];
  for (const members of groups) {
    let rest = members;
    for (;;) {
      const room = largestRoom(sizes.length, (r) => empty[r]! && free[r]! <= rest.length, free);
      if (room < 0) break;
      seat(rest.slice(0, free[room]!), room);
      rest = rest.slice(sizes[room]!);
      if (rest.length === 0) break;
    }
    if (rest.length > 0) rests.push(rest);
  }
  rests.sort((a, b) => b.length - a.length);
  const fitNowhere: number[][] = [];
  for (const rest of rests) {
    let fullest = -1;
    for (let r = 0; r < sizes.length; r++) {
      if (free[r]! >= rest.length && (fullest < 0 || free[r]! < free[fullest]!)) fullest = r;
    }
    if (fullest >= 0) seat(rest, fullest);
    else fitNowhere.push(rest);
  }
  for (const members of fitNowhere) {
    let rest = members;
    while (rest.length > 0) {
      const room = largestRoom(sizes.length, () => true, free);
      const taken = Math.min(free[room]!, rest.length);
      seat(rest.slice(0, taken), room);
      rest = rest.slice(taken);
    }
  }
}

/** The first room with the most free seats among those `allowed`, or -1. */
function largestRoom(rooms: number, allowed: (room: number) => boolean, free: readonly number[]): number {
  let best = -1;
  for (let r = 0; r < rooms; r++) if (allowed(r) && (best < 0 || free[r]! > free[best]!)) best = r;
  return best;
}

/** Who already shared a room with whom, within this language; in keep mode only across groups (groups stay together by design). */
function pastMatesInLanguage(input: LanguageRoomsInput, group: LocalAttribute): PastMates {
  const { members, history, localIndex } = input;
  const start = new Int32Array(members.length + 1);
  const mates: number[] = [];
  const times: number[] = [];
  members.forEach((participant, i) => {
    for (let k = history.start[participant]!; k < history.start[participant + 1]!; k++) {
      const mate = localIndex[history.mate[k]!]!;
      if (mate >= 0 && (input.mode === "mix" || group.of[mate] !== group.of[i])) {
        mates.push(mate);
        times.push(history.times[k]!);
      }
    }
    start[i + 1] = mates.length;
  });
  return { start, mate: Int32Array.from(mates), times: Int32Array.from(times) };
}

export function buildLanguageRooms(input: LanguageRoomsInput): LanguageRooms {
  const { members, localIndex } = input;
  const sizes = roomSizes(members.length, input.rooms);
  members.forEach((participant, i) => (localIndex[participant] = i));

  const group = localAttribute(members, input.group);
  const groupSize = new Int32Array(group.values);
  for (const g of group.of) groupSize[g]!++;
  const groups = groupsLargestFirst(input, group, groupSize);
  const roomOf = new Int32Array(members.length);
  if (input.mode === "mix") dealRoundRobin(groups, input.rooms, roomOf);
  else packGroups(groups, sizes, roomOf);

  const search = new RoomSearch({
    mode: input.mode,
    weights: input.weights,
    sizes,
    roomOf,
    group,
    organization: localAttribute(members, input.organization),
    country: localAttribute(members, input.country),
    groupSize,
    pastMates: pastMatesInLanguage(input, group),
    rng: createPrng(input.salt),
  });
  const iterations = search.run(input.iterations);
  const rooms = search.roomMembers().map((room) => room.map((i) => members[i]!).sort((a, b) => a - b));
  for (const participant of members) localIndex[participant] = -1;
  return { rooms, iterations };
}
