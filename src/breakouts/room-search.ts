/**
 * Improving the rooms of one language by swapping people between them; a swap never changes a
 * room's size. Everything here works on the language's own member numbers (0..count-1).
 *
 * The cost of a seating, compared lexicographically:
 *   primary   = same-group pairs (mix: minimise; keep: maximise),
 *   secondary = weights.repeat * earlier shared sessions of each pair
 *               (keep mode: pairs of different groups only)
 *             + (mix only) weights.organization * same-organization pairs
 *             + (mix only) weights.country * same-country pairs.
 * Moves: swap two people of different rooms; in keep mode also swap two equally large parts of
 * different groups between rooms (which never splits a group further). A move is kept when it
 * lowers the cost or leaves it unchanged (sideways moves let the search drift across plateaus).
 * The budget is a number of attempts drawn from a seeded PRNG, so the result never depends on
 * the machine's speed.
 */
import type { Prng } from "./prng.ts";
import type { BreakoutMode, BreakoutWeights } from "./types.ts";

/** A per-member attribute renumbered 0..values-1 within the language; -1 = unknown. */
export interface LocalAttribute {
  readonly of: Int32Array;
  readonly values: number;
}

/** Who already shared a room with whom (member numbers): mates of i are mate[start[i] .. start[i+1]), met times[k] times. */
export interface PastMates {
  readonly start: Int32Array;
  readonly mate: Int32Array;
  readonly times: Int32Array;
}

export interface RoomSearchSetup {
  readonly mode: BreakoutMode;
  readonly weights: BreakoutWeights;
  /** Fixed size of each room. */
  readonly sizes: readonly number[];
  /** The first seating: room of each member (the search changes it in place). */
  readonly roomOf: Int32Array;
  readonly group: LocalAttribute;
  readonly organization: LocalAttribute;
  readonly country: LocalAttribute;
  /** Members per group. */
  readonly groupSize: Int32Array;
  readonly pastMates: PastMates;
  readonly rng: Prng;
}

/** How many people of each value (a group, an organization, a country) each room holds. */
class RoomTally {
  private readonly counts: Int32Array;

  constructor(
    rooms: number,
    private readonly attribute: LocalAttribute,
    roomOf: Int32Array,
  ) {
    this.counts = new Int32Array(rooms * Math.max(attribute.values, 1));
    roomOf.forEach((room, member) => {
      const value = attribute.of[member]!;
      if (value >= 0) this.counts[room * attribute.values + value]!++;
    });
  }

  in(room: number, value: number): number {
    return this.counts[room * this.attribute.values + value]!;
  }

  /** Keeps the counts right when `member` moves between rooms. */
  move(member: number, from: number, to: number): void {
    const value = this.attribute.of[member]!;
    if (value < 0) return;
    this.counts[from * this.attribute.values + value]!--;
    this.counts[to * this.attribute.values + value]!++;
  }

  /** Change in same-value pairs if a (in room A) and b (in room B), of different values, traded rooms. */
  pairChangeOfSwap(a: number, b: number, roomA: number, roomB: number): number {
    const valueA = this.attribute.of[a]!;
    const valueB = this.attribute.of[b]!;
    let change = 0;
    if (valueA >= 0) change += this.in(roomB, valueA) - this.in(roomA, valueA) + 1;
    if (valueB >= 0) change += this.in(roomA, valueB) - this.in(roomB, valueB) + 1;
    return change;
  }

  differ(a: number, b: number): boolean {
    return this.attribute.of[a] !== this.attribute.of[b];
  }
}

/** A person with nothing to improve is passed over 7 times in 8 (mix mode: countries may still improve). */
const CALM_PERSON_SKIPPED = 0.875;
/** keep mode: share of attempts that swap group parts rather than two people. */
const GROUP_PART_SWAPS = 0.5;

export class RoomSearch {
  private readonly members: number;
  private readonly rooms: number;
  private readonly sizes: readonly number[];
  private readonly keep: boolean;
  /** mix: fewer same-group pairs is better (+1); keep: more (-1). */
  private readonly groupSign: number;
  private readonly organizationWeight: number;
  private readonly countryWeight: number;
  private readonly repeatWeight: number;
  private readonly roomOf: Int32Array;
  /** Members of room r live in slots[start[r] .. start[r] + sizes[r]); position[i] is i's slot. */
  private readonly start: Int32Array;
  private readonly slots: Int32Array;
  private readonly position: Int32Array;
  private readonly group: Int32Array;
  private readonly organization: Int32Array;
  private readonly groupSize: Int32Array;
  private readonly groups: RoomTally;
  private readonly organizations: RoomTally;
  private readonly countries: RoomTally;
  private readonly pastMates: PastMates;
  /** Earlier shared sessions of each member with their current room-mates, kept up to date. */
  private readonly repeats: Int32Array;
  private readonly rng: Prng;
  // Scratch lists for group-part swaps (no allocation per attempt).
  private readonly partA: number[] = [];
  private readonly partB: number[] = [];

  constructor(setup: RoomSearchSetup) {
    const { mode, weights, sizes, roomOf } = setup;
    this.members = roomOf.length;
    this.rooms = sizes.length;
    this.sizes = sizes;
    this.keep = mode === "keep";
    this.groupSign = this.keep ? -1 : 1;
    this.organizationWeight = this.keep ? 0 : weights.organization;
    this.countryWeight = this.keep ? 0 : weights.country;
    this.repeatWeight = weights.repeat;
    this.roomOf = roomOf;
    this.start = new Int32Array(this.rooms + 1);
    for (let r = 0; r < this.rooms; r++) this.start[r + 1] = this.start[r]! + sizes[r]!;
    this.slots = new Int32Array(this.members);
    this.position = new Int32Array(this.members);
    const nextFree = this.start.slice(0, this.rooms);
    for (let i = 0; i < this.members; i++) {
      const room = roomOf[i]!;
      this.position[i] = nextFree[room]!;
      this.slots[nextFree[room]!++] = i;
    }
    this.group = setup.group.of;
    this.organization = setup.organization.of;
    this.groupSize = setup.groupSize;
    this.groups = new RoomTally(this.rooms, setup.group, roomOf);
    this.organizations = new RoomTally(this.rooms, setup.organization, roomOf);
    this.countries = new RoomTally(this.rooms, setup.country, roomOf);
    this.pastMates = setup.pastMates;
    this.repeats = new Int32Array(this.members);
    for (let i = 0; i < this.members; i++) this.repeats[i] = this.timesWithMatesIn(i, roomOf[i]!);
    this.rng = setup.rng;
  }

  /** Makes `budget` attempts (none with fewer than two rooms); returns how many were made. */
  run(budget: number): number {
    const { rng, roomOf } = this;
    const attempts = this.rooms >= 2 ? budget : 0;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const person = rng.int(this.members);
      if (!this.hasSomethingToImprove(person) && rng.next() < CALM_PERSON_SKIPPED) continue;
      const from = roomOf[person]!;
      let to = rng.int(this.rooms - 1);
      if (to >= from) to++;
      if (this.keep && rng.next() < GROUP_PART_SWAPS) this.tryGroupPartSwap(person, from, to);
      else this.tryPersonSwap(person, from, to);
    }
    return attempts;
  }

  /** Member numbers per room, in slot order. */
  roomMembers(): number[][] {
    return Array.from({ length: this.rooms }, (_, r) => Array.from(this.slots.subarray(this.start[r]!, this.start[r + 1]!)));
  }

  private hasSomethingToImprove(person: number): boolean {
    if (this.repeatWeight !== 0 && this.repeats[person]! > 0) return true;
    const room = this.roomOf[person]!;
    const group = this.group[person]!;
    if (this.keep) return this.groups.in(room, group) < this.groupSize[group]!;
    if (this.groups.in(room, group) > 1) return true;
    const organization = this.organization[person]!;
    return organization >= 0 && this.organizations.in(room, organization) > 1;
  }

  /** Earlier shared sessions of `person` with the people now in `room`. */
  private timesWithMatesIn(person: number, room: number): number {
    const { start, mate, times } = this.pastMates;
    let total = 0;
    for (let k = start[person]!; k < start[person + 1]!; k++) if (this.roomOf[mate[k]!] === room) total += times[k]!;
    return total;
  }

  /**
   * Change in repeated meetings if `person` went from room `from` to room `to` while `partner`
   * went the other way (the partner is no longer in `to` then).
   */
  private repeatChangeOfMove(person: number, from: number, to: number, partner: number): number {
    const { start, mate, times } = this.pastMates;
    let change = 0;
    for (let k = start[person]!; k < start[person + 1]!; k++) {
      const other = mate[k]!;
      const room = this.roomOf[other]!;
      if (room === to && other !== partner) change += times[k]!;
      else if (room === from) change -= times[k]!;
    }
    return change;
  }

  /** Move 1: swap `a` with a random person of room `roomB`, if that does not make the seating worse. */
  private tryPersonSwap(a: number, roomA: number, roomB: number): void {
    const b = this.slots[this.start[roomB]! + this.rng.int(this.sizes[roomB]!)]!;
    const primary = this.groups.differ(a, b) ? this.groupSign * this.groups.pairChangeOfSwap(a, b, roomA, roomB) : 0;
    if (primary > 0) return;
    let secondary = 0;
    if (this.organizationWeight !== 0 && this.organizations.differ(a, b)) {
      secondary += this.organizationWeight * this.organizations.pairChangeOfSwap(a, b, roomA, roomB);
    }
    if (this.countryWeight !== 0 && this.countries.differ(a, b)) {
      secondary += this.countryWeight * this.countries.pairChangeOfSwap(a, b, roomA, roomB);
    }
    if (this.repeatWeight !== 0) {
      const repeats = this.repeatChangeOfMove(a, roomA, roomB, b) + this.repeatChangeOfMove(b, roomB, roomA, a);
      secondary += this.repeatWeight * repeats;
    }
    if (primary === 0 && secondary > 0) return;
    this.swap(a, b);
  }

  /**
   * Move 2 (keep mode): swap a's whole group part in room A with an equally large part of another
   * group in room B. Groups never get more split by this; it lets the search reduce repeats
   * without breaking groups up.
   */
  private tryGroupPartSwap(a: number, roomA: number, roomB: number): void {
    const { slots, start, group, groups } = this;
    const groupA = group[a]!;
    const partSize = groups.in(roomA, groupA);
    const sizeB = this.sizes[roomB]!;
    const offset = this.rng.int(sizeB);
    let b = -1;
    for (let s = 0; s < sizeB; s++) {
      const candidate = slots[start[roomB]! + ((offset + s) % sizeB)]!;
      const candidateGroup = group[candidate]!;
      if (candidateGroup !== groupA && groups.in(roomB, candidateGroup) === partSize) {
        b = candidate;
        break;
      }
    }
    // No partner, or just two whole rooms trading places.
    if (b < 0 || (partSize === this.sizes[roomA] && partSize === sizeB)) return;
    const groupB = group[b]!;
    // Same-group pairs gained: A's part joins its group's members already in B, and B's part those in A.
    const primary = this.groupSign * partSize * (groups.in(roomB, groupA) + groups.in(roomA, groupB));
    if (primary > 0) return;
    const partA = this.collectPart(this.partA, roomA, groupA);
    const partB = this.collectPart(this.partB, roomB, groupB);
    const repeats = this.repeatChangeOfPartMove(partA, roomA, roomB, groupB) + this.repeatChangeOfPartMove(partB, roomB, roomA, groupA);
    if (primary === 0 && this.repeatWeight * repeats > 0) return;
    for (let i = 0; i < partSize; i++) this.swap(partA[i]!, partB[i]!);
  }

  /** The members of `group` in `room`, in slot order, into `into`. */
  private collectPart(into: number[], room: number, group: number): number[] {
    into.length = 0;
    for (let s = this.start[room]!; s < this.start[room + 1]!; s++) if (this.group[this.slots[s]!] === group) into.push(this.slots[s]!);
    return into;
  }

  /**
   * Change in repeated meetings across groups if `part` went from room `from` to room `to` while
   * the part of group `partnerGroup` went the other way.
   */
  private repeatChangeOfPartMove(part: readonly number[], from: number, to: number, partnerGroup: number): number {
    const { start, mate, times } = this.pastMates;
    const ownGroup = this.group[part[0]!]!;
    let change = 0;
    for (const person of part) {
      for (let k = start[person]!; k < start[person + 1]!; k++) {
        const other = mate[k]!;
        const room = this.roomOf[other]!;
        if (room === to && this.group[other] !== partnerGroup) change += times[k]!;
        else if (room === from && this.group[other] !== ownGroup) change -= times[k]!;
      }
    }
    return change;
  }

  /** Seats a in b's room and b in a's, keeping slots, tallies and repeat counts right. */
  private swap(a: number, b: number): void {
    const roomA = this.roomOf[a]!;
    const roomB = this.roomOf[b]!;
    this.leave(a, roomA);
    this.leave(b, roomB);
    const slotA = this.position[a]!;
    const slotB = this.position[b]!;
    this.slots[slotA] = b;
    this.slots[slotB] = a;
    this.position[a] = slotB;
    this.position[b] = slotA;
    this.roomOf[a] = roomB;
    this.roomOf[b] = roomA;
    this.repeats[a] = this.join(a, roomB);
    this.repeats[b] = this.join(b, roomA);
    this.groups.move(a, roomA, roomB);
    this.groups.move(b, roomB, roomA);
    this.organizations.move(a, roomA, roomB);
    this.organizations.move(b, roomB, roomA);
    this.countries.move(a, roomA, roomB);
    this.countries.move(b, roomB, roomA);
  }

  /** `person`'s past mates in `room` lose a repeat. */
  private leave(person: number, room: number): void {
    const { start, mate, times } = this.pastMates;
    for (let k = start[person]!; k < start[person + 1]!; k++) if (this.roomOf[mate[k]!] === room) this.repeats[mate[k]!]! -= times[k]!;
  }

  /** `person`'s past mates in `room` gain a repeat; returns `person`'s own repeats there. */
  private join(person: number, room: number): number {
    const { start, mate, times } = this.pastMates;
    let total = 0;
    for (let k = start[person]!; k < start[person + 1]!; k++) {
      if (this.roomOf[mate[k]!] === room) {
        this.repeats[mate[k]!]! += times[k]!;
        total += times[k]!;
      }
    }
    return total;
  }
}
