/**
 * Breakout-room assignment: pure, platform-free and database-free.
 *
 * Pipeline (details in the sibling modules):
 *   1. canonicalise the input (sort by id, index languages/groups/orgs/countries);
 *   2. choose a language per participant and share facilitator capacity
 *      between languages (./language-plan.ts);
 *   3. room-count policy per language with n participants and target t:
 *        desired D = desiredRoomCount(n, t): the R >= 1 whose average size n/R
 *                    is closest to t (floor or ceil of n/t, ties: more rooms);
 *        allocated K = facilitator room slots given to the language (<= D);
 *        rooms R = K if K >= 1 (K < D => rooms grow beyond the target: rule-2
 *                  violation 'insufficient-facilitator-capacity'),
 *                  D if K = 0 (rooms without facilitator: rule-1 violation);
 *        sizes: floor(n/R) or floor(n/R) + 1;
 *   4. fill the rooms of each language and improve them by swaps (./rooms.ts);
 *   5. give rooms their facilitators (./facilitators.ts);
 *   6. report.
 * Deterministic: same input (in any order) and seed => identical result.
 */
import { assignFacilitatorSlots, matchFacilitatorsToRooms } from "./facilitators.ts";
import { defaultMinRoomSize, planLanguages } from "./language-plan.ts";
import type { FacilitatorType } from "./language-plan.ts";
import { buildPairHistory, computePairStats, pairsOf } from "./pairs.ts";
import { compareStrings, hashString, seedToUint32 } from "./prng.ts";
import { buildLanguageRooms } from "./rooms.ts";
import type {
  AssignBreakoutsInput,
  BreakoutHistorySession,
  BreakoutLanguageReport,
  BreakoutPairStats,
  BreakoutParticipant,
  BreakoutResult,
  BreakoutRoom,
  BreakoutViolation,
  BreakoutWeights,
} from "./types.ts";

export type * from "./types.ts";
export { defaultMinRoomSize, desiredRoomCount } from "./language-plan.ts";
export { roomSizes } from "./rooms.ts";
export { createPrng, hashString } from "./prng.ts";
export type { Prng } from "./prng.ts";

export const DEFAULT_BREAKOUT_WEIGHTS: Readonly<BreakoutWeights> = Object.freeze({
  organization: 100,
  repeat: 10,
  country: 3,
});
export const DEFAULT_ITERATIONS_PER_PARTICIPANT = 100;

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

function uniqueInOrder(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    if (!seen.has(v)) {
      seen.add(v);
      out.push(v);
    }
  }
  return out;
}

function duplicates(sortedIds: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < sortedIds.length; i++) if (sortedIds[i] === sortedIds[i - 1]) out.push(sortedIds[i]!);
  return uniqueInOrder(out);
}

/** Sorted unique values -> index map; null/undefined map to -1 at lookup. */
function indexValues(values: readonly (string | null | undefined)[]): Map<string, number> {
  const sorted = uniqueInOrder(values.filter((v): v is string => typeof v === "string")).sort(compareStrings);
  return new Map(sorted.map((v, i) => [v, i]));
}

function clampCapacity(capacity: number | undefined): number {
  if (capacity === undefined) return 1;
  if (!Number.isFinite(capacity)) return capacity === Infinity ? Number.MAX_SAFE_INTEGER : 0;
  return Math.max(0, Math.floor(capacity));
}

interface Canonical {
  participants: BreakoutParticipant[];
  indexOf: Map<string, number>;
  group: Int32Array;
  organization: Int32Array;
  country: Int32Array;
  groupIds: string[];
}

function canonicalParticipants(input: readonly BreakoutParticipant[]): Canonical {
  const participants = [...input].sort((a, b) => compareStrings(a.id, b.id));
  const dups = duplicates(participants.map((p) => p.id));
  if (dups.length) throw new BreakoutInputError("duplicate-participant-id", dups);
  const groups = indexValues(participants.map((p) => p.groupId));
  const orgs = indexValues(participants.map((p) => p.organization));
  const countries = indexValues(participants.map((p) => p.country));
  const n = participants.length;
  const group = new Int32Array(n);
  const organization = new Int32Array(n);
  const country = new Int32Array(n);
  participants.forEach((p, i) => {
    group[i] = groups.get(p.groupId)!;
    organization[i] = p.organization == null ? -1 : orgs.get(p.organization)!;
    country[i] = p.country == null ? -1 : countries.get(p.country)!;
  });
  return {
    participants,
    indexOf: new Map(participants.map((p, i) => [p.id, i])),
    group,
    organization,
    country,
    groupIds: [...groups.keys()],
  };
}

/**
 * Pair statistics of any set of rooms (e.g. a manually edited assignment, or
 * a random baseline) against the same history.
 */
export function countBreakoutPairs(
  rooms: readonly { readonly memberIds: readonly string[] }[],
  participants: readonly BreakoutParticipant[],
  history?: readonly BreakoutHistorySession[],
): BreakoutPairStats {
  const c = canonicalParticipants(participants);
  const pairHistory = buildPairHistory(history, c.indexOf, c.participants.length);
  const lists = rooms.map((r) => r.memberIds.map((id) => c.indexOf.get(id)).filter((i): i is number => i !== undefined));
  return computePairStats(lists, c.group, c.organization, c.country, pairHistory);
}

export function assignBreakouts(input: AssignBreakoutsInput): BreakoutResult {
  const t = input.targetRoomSize;
  if (!Number.isSafeInteger(t) || t < 2) throw new BreakoutInputError("invalid-target-room-size");
  if (input.mode !== "keep" && input.mode !== "mix") throw new BreakoutInputError("invalid-mode");
  if (!Number.isSafeInteger(input.seed)) throw new BreakoutInputError("invalid-seed");
  const seed = seedToUint32(input.seed);
  const options = input.options ?? {};
  const minRoomSize = Math.min(t, options.minRoomSize ?? defaultMinRoomSize(t));
  if (!Number.isSafeInteger(minRoomSize) || minRoomSize < 1) throw new BreakoutInputError("invalid-option", ["minRoomSize"]);
  const perParticipant = options.iterationsPerParticipant ?? DEFAULT_ITERATIONS_PER_PARTICIPANT;
  if (!(perParticipant >= 0) || !Number.isFinite(perParticipant)) {
    throw new BreakoutInputError("invalid-option", ["iterationsPerParticipant"]);
  }
  const weights: BreakoutWeights = { ...DEFAULT_BREAKOUT_WEIGHTS, ...options.weights };
  const rotate = options.rotateFacilitators ?? true;

  // 1. Canonical input.
  const c = canonicalParticipants(input.participants);
  const { participants, group, organization, country } = c;
  const n = participants.length;
  const participantLangNames = participants.map((p) => uniqueInOrder(p.languages));
  const languages = uniqueInOrder(participantLangNames.flat()).sort(compareStrings);
  const langIndex = new Map(languages.map((l, i) => [l, i]));
  const L = languages.length;
  const participantLanguages = participantLangNames.map((ls) => ls.map((l) => langIndex.get(l)!));

  const facilitators = [...input.facilitators].sort((a, b) => compareStrings(a.id, b.id));
  const facDups = duplicates(facilitators.map((f) => f.id));
  if (facDups.length) throw new BreakoutInputError("duplicate-facilitator-id", facDups);
  const facilitatorIds = facilitators.map((f) => f.id);
  // Languages nobody in this session speaks are dropped; ranks keep the facilitator's own order (0 = first language).
  const facilitatorLanguages: number[][] = [];
  const facilitatorLanguageRanks: number[][] = [];
  for (const f of facilitators) {
    const langs: number[] = [];
    const ranks: number[] = [];
    uniqueInOrder(f.languages).forEach((name, rank) => {
      const l = langIndex.get(name);
      if (l === undefined) return;
      langs.push(l);
      ranks.push(rank);
    });
    facilitatorLanguages.push(langs);
    facilitatorLanguageRanks.push(ranks);
  }
  const capacity = facilitators.map((f) => clampCapacity(f.capacity));
  const typeMap = new Map<string, { languages: number[]; capacity: number }>();
  facilitatorLanguages.forEach((langs, f) => {
    if (capacity[f]! <= 0 || langs.length === 0) return;
    const set = [...langs].sort((a, b) => a - b);
    const key = set.join(",");
    const entry = typeMap.get(key);
    if (entry) entry.capacity += capacity[f]!;
    else typeMap.set(key, { languages: set, capacity: capacity[f]! });
  });
  const facilitatorTypes: FacilitatorType[] = [...typeMap.entries()]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([, v]) => v);

  // 2. Language plan and capacity.
  const plan = planLanguages({
    languageCount: L,
    participantLanguages,
    participantGroup: group,
    facilitatorTypes,
    targetRoomSize: t,
    minRoomSize,
  });
  const roomCount = plan.count.map((cnt, l) => (cnt === 0 ? 0 : plan.allocated[l]! > 0 ? plan.allocated[l]! : plan.desired[l]!));

  // 3. Facilitator slots per language.
  const history = buildPairHistory(input.history, c.indexOf, n);
  const slotsPerLanguage = assignFacilitatorSlots({
    facilitatorIds,
    facilitatorLanguages,
    facilitatorLanguageRanks,
    capacity,
    slots: plan.allocated,
    pastRooms: facilitatorIds.map((id) => (rotate ? (history.facilitatorRooms.get(id) ?? 0) : 0)),
    salt: seed,
  });
  const pastMembers = facilitatorIds.map((id) => (rotate ? history.facilitatorMembers.get(id) : undefined));

  // 4-5. Rooms per language.
  const membersOf: number[][] = Array.from({ length: L }, () => []);
  for (let i = 0; i < n; i++) {
    const l = plan.languageOf[i]!;
    if (l >= 0) membersOf[l]!.push(i);
  }
  const localIndex = new Int32Array(n).fill(-1);
  const rooms: BreakoutRoom[] = [];
  const roomMembers: number[][] = [];
  const roomIndexesOf: number[][] = Array.from({ length: L }, () => []);
  let searchIterations = 0;
  for (let l = 0; l < L; l++) {
    const members = membersOf[l]!;
    if (members.length === 0) continue;
    const built = buildLanguageRooms({
      members,
      rooms: roomCount[l]!,
      group,
      organization,
      country,
      groupIds: c.groupIds,
      history,
      mode: input.mode,
      salt: hashString(languages[l]!, seed),
      weights,
      iterations: Math.round(perParticipant * members.length),
      localIndex,
    });
    searchIterations += built.iterations;
    const slots = slotsPerLanguage[l]!;
    const leaders = slots.length > 0 ? matchFacilitatorsToRooms(built.rooms, slots, pastMembers) : [];
    built.rooms.forEach((list, r) => {
      const f = leaders[r];
      roomIndexesOf[l]!.push(rooms.length);
      rooms.push({
        index: rooms.length,
        language: languages[l]!,
        facilitatorId: f === undefined ? null : facilitatorIds[f]!,
        memberIds: list.map((i) => participants[i]!.id),
      });
      roomMembers.push(list);
    });
  }

  // 6. Report.
  const idsOf = (list: readonly number[]): string[] => list.map((i) => participants[i]!.id);
  const violations: BreakoutViolation[] = [];
  const unassigned = participants.filter((_, i) => plan.languageOf[i] === -1).map((p) => p.id);
  if (unassigned.length) {
    violations.push({
      rule: 1,
      code: "participant-without-language",
      severity: "error",
      participantIds: unassigned,
      details: { participants: unassigned.length },
    });
  }
  const speakers = new Array<number>(L).fill(0);
  const speakerCapacity = new Array<number>(L).fill(0);
  facilitatorLanguages.forEach((langs, f) => {
    if (capacity[f]! <= 0) return;
    for (const l of langs) {
      speakers[l]!++;
      speakerCapacity[l]! += capacity[f]!;
    }
  });
  const firstChoice = new Array<number>(L).fill(0);
  for (const langs of participantLanguages) if (langs.length) firstChoice[langs[0]!]!++;

  const languageReports: BreakoutLanguageReport[] = [];
  const rule2: BreakoutViolation[] = [];
  const rule3: BreakoutViolation[] = [];
  let minimumSameGroupPairs = 0;
  for (let l = 0; l < L; l++) {
    const members = membersOf[l]!;
    const cnt = members.length;
    if (cnt === 0 && firstChoice[l] === 0) continue;
    const idx = roomIndexesOf[l]!;
    const sizes = idx.map((r) => roomMembers[r]!.length);
    const minSize = sizes.length ? Math.min(...sizes) : 0;
    const maxSize = sizes.length ? Math.max(...sizes) : 0;
    const used = new Set(idx.map((r) => rooms[r]!.facilitatorId).filter((f): f is string => f !== null));
    languageReports.push({
      language: languages[l]!,
      participants: cnt,
      firstChoice: firstChoice[l]!,
      placedAsAlternative: members.filter((i) => participantLanguages[i]![0] !== l).length,
      desiredRooms: plan.desired[l]!,
      rooms: idx.length,
      minSize,
      maxSize,
      facilitatorsAvailable: speakers[l]!,
      facilitatorCapacity: speakerCapacity[l]!,
      facilitatorsUsed: used.size,
      roomsWithoutFacilitator: idx.filter((r) => rooms[r]!.facilitatorId === null).length,
    });
    if (cnt === 0) continue;
    const language = languages[l]!;
    if (plan.allocated[l] === 0) {
      const base = { participants: cnt, rooms: idx.length, roomIndexes: idx };
      violations.push(
        speakers[l] === 0
          ? { rule: 1, code: "language-without-facilitator", severity: "error", language, participantIds: idsOf(members), details: base }
          : {
              rule: 1,
              code: "language-facilitators-unavailable",
              severity: "error",
              language,
              participantIds: idsOf(members),
              details: { ...base, facilitatorsSpeakingLanguage: speakers[l]!, capacitySpeakingLanguage: speakerCapacity[l]! },
            },
      );
    } else if (plan.allocated[l]! < plan.desired[l]!) {
      rule2.push({
        rule: 2,
        code: "insufficient-facilitator-capacity",
        severity: "error",
        language,
        details: {
          participants: cnt,
          targetRoomSize: t,
          desiredRooms: plan.desired[l]!,
          rooms: idx.length,
          missingRooms: plan.desired[l]! - plan.allocated[l]!,
          minSize,
          maxSize,
          roomIndexes: idx,
        },
      });
    }
    if (cnt < minRoomSize) {
      rule2.push({
        rule: 2,
        code: "language-below-min-room-size",
        severity: "error",
        language,
        roomIndex: idx[0]!,
        participantIds: idsOf(members),
        details: { participants: cnt, minRoomSize },
      });
    }
    // Groups within this language: lower bound of same-group pairs, and keep-mode splits.
    const byGroup = new Map<number, number[]>();
    for (const i of members) {
      const list = byGroup.get(group[i]!);
      if (list) list.push(i);
      else byGroup.set(group[i]!, [i]);
    }
    const R = idx.length;
    const roomOfMember = new Map<number, number>();
    for (const r of idx) for (const i of roomMembers[r]!) roomOfMember.set(i, r);
    for (const g of [...byGroup.keys()].sort((a, b) => a - b)) {
      const list = byGroup.get(g)!;
      const q = Math.floor(list.length / R);
      const extra = list.length - q * R;
      minimumSameGroupPairs += extra * pairsOf(q + 1) + (R - extra) * pairsOf(q);
      if (input.mode !== "keep") continue;
      const used = [...new Set(list.map((i) => roomOfMember.get(i)!))].sort((a, b) => a - b);
      const minimumRooms = Math.ceil(list.length / maxSize);
      if (used.length > minimumRooms) {
        rule3.push({
          rule: 3,
          code: "group-split",
          severity: "warning",
          language,
          participantIds: idsOf(list),
          details: { groupId: c.groupIds[g]!, groupMembers: list.length, rooms: used.length, minimumRooms, roomIndexes: used },
        });
      }
    }
  }
  violations.push(...rule2, ...rule3);

  const stats = computePairStats(roomMembers, group, organization, country, history);
  const load = new Map<string, number>();
  for (const room of rooms) if (room.facilitatorId !== null) load.set(room.facilitatorId, (load.get(room.facilitatorId) ?? 0) + 1);
  const has = (rule: number): boolean => violations.some((v) => v.rule === rule);
  const rule3Violated = input.mode === "keep" ? has(3) : stats.sameGroupPairs > minimumSameGroupPairs;
  const needsConfirmation = violations.some((v) => v.severity === "error");

  return {
    rooms,
    unassignedParticipantIds: unassigned,
    needsConfirmation,
    report: {
      mode: input.mode,
      targetRoomSize: t,
      minRoomSize,
      participants: n,
      assignedParticipants: n - unassigned.length,
      rooms: rooms.length,
      rules: {
        rule1: has(1) ? "violated" : "met",
        rule2: has(2) ? "violated" : "met",
        rule3: rule3Violated ? "violated" : "met",
      },
      languages: languageReports,
      violations,
      ...stats,
      minimumSameGroupPairs,
      participantsNotInFirstLanguage: participants.filter((_, i) => {
        const l = plan.languageOf[i]!;
        return l >= 0 && participantLanguages[i]![0] !== l;
      }).length,
      facilitatorsUsed: load.size,
      maxFacilitatorLoad: Math.max(0, ...load.values()),
      searchIterations,
    },
  };
}
