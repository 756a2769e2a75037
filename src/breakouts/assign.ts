/**
 * Breakout-room assignment: pure, platform-free and database-free.
 *
 * The steps, each in its own module:
 *   1. check the input and make it canonical: sorted by id, languages, groups, organizations and
 *      countries as indices (./canonical-input.ts);
 *   2. choose a language per participant and share facilitator capacity between the languages
 *      (./language-plan.ts);
 *   3. decide each language's room count: with n participants and target size t,
 *        desired D = desiredRoomCount(n, t): the R >= 1 whose average size n/R is closest to t
 *                    (floor or ceil of n/t, ties: more rooms);
 *        allocated K = facilitator room slots given to the language (<= D);
 *        rooms R = K if K >= 1 (K < D => rooms grow beyond the target: rule-2 violation
 *                  'insufficient-facilitator-capacity'),
 *                  D if K = 0 (rooms without facilitator: rule-1 violation);
 *        sizes: floor(n/R) or floor(n/R) + 1;
 *      and which facilitator leads how many rooms of which language (./facilitators.ts);
 *   4. fill each language's rooms and improve them by swaps (./rooms.ts, ./room-search.ts);
 *   5. match the language's facilitators to its rooms (./facilitators.ts);
 *   6. report what the rooms achieve and which rules they break (./report.ts).
 * Deterministic: the same input (in any order) and seed give an identical result.
 */
import { canonicalFacilitators, canonicalParticipants, checkSettings, facilitatorTypes, spokenLanguages } from "./canonical-input.ts";
import { assignFacilitatorSlots, matchFacilitatorsToRooms } from "./facilitators.ts";
import { planLanguages, type LanguagePlan } from "./language-plan.ts";
import { buildPairHistory, computePairStats } from "./pairs.ts";
import { hashString } from "./prng.ts";
import { assignmentResult, type AssignmentContext, type PlacedRooms } from "./report.ts";
import { buildLanguageRooms } from "./rooms.ts";
import type { AssignBreakoutsInput, BreakoutHistorySession, BreakoutPairStats, BreakoutParticipant, BreakoutResult, BreakoutRoom } from "./types.ts";

export type * from "./types.ts";
export { BreakoutInputError, DEFAULT_BREAKOUT_WEIGHTS, DEFAULT_ITERATIONS_PER_PARTICIPANT } from "./canonical-input.ts";
export type { BreakoutInputErrorCode } from "./canonical-input.ts";
export { defaultMinRoomSize, desiredRoomCount } from "./language-plan.ts";
export { roomSizes } from "./rooms.ts";
export { createPrng, hashString } from "./prng.ts";
export type { Prng } from "./prng.ts";

/**
 * Pair statistics of any set of rooms (e.g. a manually edited assignment, or
 * a random baseline) against the same history.
 */
export function countBreakoutPairs(
  rooms: readonly { readonly memberIds: readonly string[] }[],
  participants: readonly BreakoutParticipant[],
  history?: readonly BreakoutHistorySession[],
): BreakoutPairStats {
  const people = canonicalParticipants(participants);
  const pairHistory = buildPairHistory(history, people.indexOf, people.participants.length);
  const members = rooms.map((room) => room.memberIds.map((id) => people.indexOf.get(id)).filter((i): i is number => i !== undefined));
  return computePairStats(members, people.group, people.organization, people.country, pairHistory);
}

export function assignBreakouts(input: AssignBreakoutsInput): BreakoutResult {
  const settings = checkSettings(input);
  const people = canonicalParticipants(input.participants);
  const spoken = spokenLanguages(people.participants);
  const leaders = canonicalFacilitators(input.facilitators, spoken);
  const plan = planLanguages({
    languageCount: spoken.names.length,
    participantLanguages: spoken.ofParticipant,
    participantGroup: people.group,
    facilitatorTypes: facilitatorTypes(leaders),
    targetRoomSize: settings.targetRoomSize,
    minRoomSize: settings.minRoomSize,
  });
  const history = buildPairHistory(input.history, people.indexOf, people.participants.length);
  const context: AssignmentContext = { mode: input.mode, settings, people, spoken, leaders, plan, history };
  return assignmentResult({ ...context, placed: placeRooms(context) });
}

/** A language with people gets its allocated facilitator slots as rooms, or, with none, its desired count (unled). */
function roomCount(plan: LanguagePlan, language: number): number {
  if (plan.count[language] === 0) return 0;
  return plan.allocated[language]! > 0 ? plan.allocated[language]! : plan.desired[language]!;
}

/** Steps 3-5: per language, who leads how many rooms, the rooms themselves, and who leads which. */
function placeRooms({ mode, settings, people, spoken, leaders, plan, history }: AssignmentContext): PlacedRooms {
  const rotation = settings.rotateFacilitators;
  const slotsPerLanguage = assignFacilitatorSlots({
    facilitatorIds: leaders.ids,
    facilitatorLanguages: leaders.languages,
    facilitatorLanguageRanks: leaders.languageRanks,
    capacity: leaders.capacity,
    slots: plan.allocated,
    pastRooms: leaders.ids.map((id) => (rotation ? (history.facilitatorRooms.get(id) ?? 0) : 0)),
    salt: settings.seed,
  });
  const pastMembers = leaders.ids.map((id) => (rotation ? history.facilitatorMembers.get(id) : undefined));

  const languageCount = spoken.names.length;
  const membersOfLanguage: number[][] = Array.from({ length: languageCount }, () => []);
  plan.languageOf.forEach((language, i) => {
    if (language >= 0) membersOfLanguage[language]!.push(i);
  });
  const placed = { rooms: [] as BreakoutRoom[], members: [] as number[][], membersOfLanguage, roomsOfLanguage: [] as number[][], searchIterations: 0 };
  const localIndex = new Int32Array(people.participants.length).fill(-1);
  for (let l = 0; l < languageCount; l++) {
    placed.roomsOfLanguage.push([]);
    const members = membersOfLanguage[l]!;
    if (members.length === 0) continue;
    const built = buildLanguageRooms({
      members,
      rooms: roomCount(plan, l),
      group: people.group,
      organization: people.organization,
      country: people.country,
      groupIds: people.groupIds,
      history,
      mode,
      salt: hashString(spoken.names[l]!, settings.seed),
      weights: settings.weights,
      iterations: Math.round(settings.iterationsPerParticipant * members.length),
      localIndex,
    });
    placed.searchIterations += built.iterations;
    const slots = slotsPerLanguage[l]!;
    const leaderOfRoom = slots.length > 0 ? matchFacilitatorsToRooms(built.rooms, slots, pastMembers) : [];
    built.rooms.forEach((roomMembers, r) => {
      const leader = leaderOfRoom[r];
      placed.roomsOfLanguage[l]!.push(placed.rooms.length);
      placed.rooms.push({
        index: placed.rooms.length,
        language: spoken.names[l]!,
        facilitatorId: leader === undefined ? null : leaders.ids[leader]!,
        memberIds: roomMembers.map((i) => people.participants[i]!.id),
      });
      placed.members.push(roomMembers);
    });
  }
  return placed;
}
