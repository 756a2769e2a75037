/**
 * Step 1 of the assignment: check the input and bring it into a canonical form that does not
 * depend on the order it came in. Participants and facilitators are sorted by id, and languages,
 * groups, organizations and countries become indices into their sorted values, so the later steps
 * work on small integers and the same people in any order give the same rooms.
 */
import { defaultMinRoomSize, type FacilitatorType } from "./language-plan.ts";
import { compareStrings, seedToUint32 } from "./prng.ts";
import type { AssignBreakoutsInput, BreakoutFacilitator, BreakoutParticipant, BreakoutWeights } from "./types.ts";

export type BreakoutInputErrorCode =
  | "invalid-target-room-size"
  | "invalid-seed"
  | "invalid-mode"
  | "invalid-option"
  | "duplicate-participant-id"
  | "duplicate-facilitator-id";

/** Thrown for programming errors in the input (not for infeasible trainings, which are reported). */
export class BreakoutInputError extends Error {
  constructor(
    readonly code: BreakoutInputErrorCode,
    readonly ids: readonly string[] = [],
  ) {
    super(`breakouts: ${code}${ids.length ? `: ${ids.slice(0, 10).join(", ")}` : ""}`);
    this.name = "BreakoutInputError";
  }
}

export const DEFAULT_BREAKOUT_WEIGHTS: Readonly<BreakoutWeights> = Object.freeze({
  organization: 100,
  repeat: 10,
  country: 3,
});
export const DEFAULT_ITERATIONS_PER_PARTICIPANT = 100;

/** The input's numbers and options, checked, with defaults filled in. */
export interface AssignmentSettings {
  readonly targetRoomSize: number;
  readonly minRoomSize: number;
  /** The caller's seed folded into 32 bits. */
  readonly seed: number;
  readonly iterationsPerParticipant: number;
  readonly weights: BreakoutWeights;
  readonly rotateFacilitators: boolean;
}

export function checkSettings(input: AssignBreakoutsInput): AssignmentSettings {
  const targetRoomSize = input.targetRoomSize;
  if (!Number.isSafeInteger(targetRoomSize) || targetRoomSize < 2) throw new BreakoutInputError("invalid-target-room-size");
  if (input.mode !== "keep" && input.mode !== "mix") throw new BreakoutInputError("invalid-mode");
  if (!Number.isSafeInteger(input.seed)) throw new BreakoutInputError("invalid-seed");
  const options = input.options ?? {};
  const minRoomSize = Math.min(targetRoomSize, options.minRoomSize ?? defaultMinRoomSize(targetRoomSize));
  if (!Number.isSafeInteger(minRoomSize) || minRoomSize < 1) throw new BreakoutInputError("invalid-option", ["minRoomSize"]);
  const iterationsPerParticipant = options.iterationsPerParticipant ?? DEFAULT_ITERATIONS_PER_PARTICIPANT;
  if (!(iterationsPerParticipant >= 0) || !Number.isFinite(iterationsPerParticipant)) {
    throw new BreakoutInputError("invalid-option", ["iterationsPerParticipant"]);
  }
  return {
    targetRoomSize,
    minRoomSize,
    seed: seedToUint32(input.seed),
    iterationsPerParticipant,
    weights: { ...DEFAULT_BREAKOUT_WEIGHTS, ...options.weights },
    rotateFacilitators: options.rotateFacilitators ?? true,
  };
}

export function uniqueInOrder(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const unique: string[] = [];
  for (const value of values) {
    if (!seen.has(value)) {
      seen.add(value);
      unique.push(value);
    }
  }
  return unique;
}

/** Ids that occur more than once in a sorted list. */
function repeatedIds(sortedIds: readonly string[]): string[] {
  const repeated: string[] = [];
  for (let i = 1; i < sortedIds.length; i++) if (sortedIds[i] === sortedIds[i - 1]) repeated.push(sortedIds[i]!);
  return uniqueInOrder(repeated);
}

/** Sorted distinct values -> their index; null and undefined have none (-1 where they are looked up). */
function indexValues(values: readonly (string | null | undefined)[]): Map<string, number> {
  const sorted = uniqueInOrder(values.filter((value): value is string => typeof value === "string")).sort(compareStrings);
  return new Map(sorted.map((value, index) => [value, index]));
}

/** Participants sorted by id, with group, organization and country as indices (-1 = unknown). */
export interface CanonicalParticipants {
  readonly participants: BreakoutParticipant[];
  readonly indexOf: Map<string, number>;
  readonly group: Int32Array;
  readonly organization: Int32Array;
  readonly country: Int32Array;
  /** Group index -> group id. */
  readonly groupIds: string[];
}

export function canonicalParticipants(input: readonly BreakoutParticipant[]): CanonicalParticipants {
  const participants = [...input].sort((a, b) => compareStrings(a.id, b.id));
  const repeated = repeatedIds(participants.map((participant) => participant.id));
  if (repeated.length) throw new BreakoutInputError("duplicate-participant-id", repeated);
  const groups = indexValues(participants.map((participant) => participant.groupId));
  const organizations = indexValues(participants.map((participant) => participant.organization));
  const countries = indexValues(participants.map((participant) => participant.country));
  const count = participants.length;
  const group = new Int32Array(count);
  const organization = new Int32Array(count);
  const country = new Int32Array(count);
  participants.forEach((participant, i) => {
    group[i] = groups.get(participant.groupId)!;
    organization[i] = participant.organization == null ? -1 : organizations.get(participant.organization)!;
    country[i] = participant.country == null ? -1 : countries.get(participant.country)!;
  });
  return {
    participants,
    indexOf: new Map(participants.map((participant, i) => [participant.id, i])),
    group,
    organization,
    country,
    groupIds: [...groups.keys()],
  };
}

/** The languages participants speak, sorted, and each participant's as indices, most preferred first. */
export interface SpokenLanguages {
  readonly names: string[];
  readonly indexOf: Map<string, number>;
  readonly ofParticipant: number[][];
}

export function spokenLanguages(participants: readonly BreakoutParticipant[]): SpokenLanguages {
  const ownLists = participants.map((participant) => uniqueInOrder(participant.languages));
  const names = uniqueInOrder(ownLists.flat()).sort(compareStrings);
  const indexOf = new Map(names.map((name, index) => [name, index]));
  return { names, indexOf, ofParticipant: ownLists.map((list) => list.map((name) => indexOf.get(name)!)) };
}

/** Facilitators sorted by id, with the spoken languages they can lead in and their capacity. */
export interface CanonicalFacilitators {
  readonly ids: string[];
  /** Per facilitator: indices of the languages they lead in that some participant speaks, in their own order. */
  readonly languages: number[][];
  /** The position of each of those languages in the facilitator's own list (0 = their first language). */
  readonly languageRanks: number[][];
  /** Rooms per session, a whole number >= 0. */
  readonly capacity: number[];
}

/** Default 1; floored; negative or NaN counts as 0, Infinity as unlimited. */
function roomsPerSession(capacity: number | undefined): number {
  if (capacity === undefined) return 1;
  if (!Number.isFinite(capacity)) return capacity === Infinity ? Number.MAX_SAFE_INTEGER : 0;
  return Math.max(0, Math.floor(capacity));
}

export function canonicalFacilitators(input: readonly BreakoutFacilitator[], spoken: SpokenLanguages): CanonicalFacilitators {
  const facilitators = [...input].sort((a, b) => compareStrings(a.id, b.id));
  const repeated = repeatedIds(facilitators.map((facilitator) => facilitator.id));
  if (repeated.length) throw new BreakoutInputError("duplicate-facilitator-id", repeated);
  const languages: number[][] = [];
  const languageRanks: number[][] = [];
  for (const facilitator of facilitators) {
    const led: number[] = [];
    const ranks: number[] = [];
    uniqueInOrder(facilitator.languages).forEach((name, rank) => {
      const language = spoken.indexOf.get(name);
      if (language === undefined) return; // nobody in this session speaks it
      led.push(language);
      ranks.push(rank);
    });
    languages.push(led);
    languageRanks.push(ranks);
  }
  return {
    ids: facilitators.map((facilitator) => facilitator.id),
    languages,
    languageRanks,
    capacity: facilitators.map((facilitator) => roomsPerSession(facilitator.capacity)),
  };
}

/**
 * Facilitators who lead in the same set of languages pooled into one "type" with their total
 * capacity: sharing capacity between languages only needs to know the types.
 */
export function facilitatorTypes(facilitators: CanonicalFacilitators): FacilitatorType[] {
  const byLanguageSet = new Map<string, { languages: number[]; capacity: number }>();
  facilitators.languages.forEach((languages, f) => {
    const capacity = facilitators.capacity[f]!;
    if (capacity <= 0 || languages.length === 0) return;
    const set = [...languages].sort((a, b) => a - b);
    const key = set.join(",");
    const type = byLanguageSet.get(key);
    if (type) type.capacity += capacity;
    else byLanguageSet.set(key, { languages: set, capacity });
  });
  return [...byLanguageSet.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([, type]) => type);
}
