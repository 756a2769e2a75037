/**
 * The last step of the assignment: what the rooms achieve, per language and overall, and every
 * quality rule they break, as codes and numbers the caller localizes:
 *   rule 1: everyone placed, every room led by a facilitator who speaks its language;
 *   rule 2: rooms of about the target size, none below the minimum;
 *   rule 3: groups mixed (mix) or kept together where they fit a room (keep; a warning).
 * Violations are listed in that order: unplaced people, rule 1, rule 2, rule 3, each by language.
 */
import type { AssignmentSettings, CanonicalFacilitators, CanonicalParticipants, SpokenLanguages } from "./canonical-input.ts";
import type { LanguagePlan } from "./language-plan.ts";
import { computePairStats, pairsOf, type PairHistory } from "./pairs.ts";
import type { BreakoutLanguageReport, BreakoutMode, BreakoutResult, BreakoutRoom, BreakoutViolation } from "./types.ts";

/** The rooms as the assignment built them. */
export interface PlacedRooms {
  /** Sorted by language, then room. */
  readonly rooms: BreakoutRoom[];
  /** Participant indices of each room, in the order of `rooms`. */
  readonly members: number[][];
  /** Per language: the participants placed in it, ascending. */
  readonly membersOfLanguage: number[][];
  /** Per language: the indices of its rooms in `rooms`. */
  readonly roomsOfLanguage: number[][];
  readonly searchIterations: number;
}

/** What the assignment knows before it builds the rooms: the canonical input, the language plan and the history. */
export interface AssignmentContext {
  readonly mode: BreakoutMode;
  readonly settings: AssignmentSettings;
  readonly people: CanonicalParticipants;
  readonly spoken: SpokenLanguages;
  readonly leaders: CanonicalFacilitators;
  readonly plan: LanguagePlan;
  readonly history: PairHistory;
}

export interface ReportInput extends AssignmentContext {
  readonly placed: PlacedRooms;
}

/** Per language: how many facilitators with capacity speak it, and their total capacity. */
function facilitatorSupply(leaders: CanonicalFacilitators, languageCount: number) {
  const speakers = new Array<number>(languageCount).fill(0);
  const capacity = new Array<number>(languageCount).fill(0);
  leaders.languages.forEach((languages, f) => {
    if (leaders.capacity[f]! <= 0) return;
    for (const language of languages) {
      speakers[language]!++;
      capacity[language]! += leaders.capacity[f]!;
    }
  });
  return { speakers, capacity };
}

/** Rule 1 for a language that got no facilitator at all: nobody speaks it, or those who do are needed elsewhere. */
function unledLanguage(input: ReportInput, language: number, supply: ReturnType<typeof facilitatorSupply>): BreakoutViolation {
  const members = input.placed.membersOfLanguage[language]!;
  const roomIndexes = input.placed.roomsOfLanguage[language]!;
  const details = { participants: members.length, rooms: roomIndexes.length, roomIndexes };
  const name = input.spoken.names[language]!;
  const participantIds = idsOf(input, members);
  if (supply.speakers[language] === 0) {
    return { rule: 1, code: "language-without-facilitator", severity: "error", language: name, participantIds, details };
  }
  return {
    rule: 1,
    code: "language-facilitators-unavailable",
    severity: "error",
    language: name,
    participantIds,
    details: { ...details, facilitatorsSpeakingLanguage: supply.speakers[language]!, capacitySpeakingLanguage: supply.capacity[language]! },
  };
}

function idsOf(input: ReportInput, members: readonly number[]): string[] {
  return members.map((i) => input.people.participants[i]!.id);
}

interface GroupSpread {
  /** Same-group pairs if each group of the language were spread evenly over its rooms. */
  minimumSameGroupPairs: number;
  /** keep mode: groups in more rooms than their size needs. */
  splits: BreakoutViolation[];
}

/** How a language's groups are spread over its rooms. */
function groupSpread(input: ReportInput, language: number, maxSize: number): GroupSpread {
  const { people, placed } = input;
  const roomIndexes = placed.roomsOfLanguage[language]!;
  const membersOfGroup = new Map<number, number[]>();
  for (const i of placed.membersOfLanguage[language]!) {
    const list = membersOfGroup.get(people.group[i]!);
    if (list) list.push(i);
    else membersOfGroup.set(people.group[i]!, [i]);
  }
  const roomOfMember = new Map<number, number>();
  for (const room of roomIndexes) for (const i of placed.members[room]!) roomOfMember.set(i, room);
  const rooms = roomIndexes.length;
  const spread: GroupSpread = { minimumSameGroupPairs: 0, splits: [] };
  for (const group of [...membersOfGroup.keys()].sort((a, b) => a - b)) {
    const members = membersOfGroup.get(group)!;
    const evenShare = Math.floor(members.length / rooms);
    const roomsWithOneMore = members.length - evenShare * rooms;
    spread.minimumSameGroupPairs += roomsWithOneMore * pairsOf(evenShare + 1) + (rooms - roomsWithOneMore) * pairsOf(evenShare);
    if (input.mode !== "keep") continue;
    const used = [...new Set(members.map((i) => roomOfMember.get(i)!))].sort((a, b) => a - b);
    const minimumRooms = Math.ceil(members.length / maxSize);
    if (used.length > minimumRooms) {
      spread.splits.push({
        rule: 3,
        code: "group-split",
        severity: "warning",
        language: input.spoken.names[language]!,
        participantIds: idsOf(input, members),
        details: { groupId: people.groupIds[group]!, groupMembers: members.length, rooms: used.length, minimumRooms, roomIndexes: used },
      });
    }
  }
  return spread;
}

export function assignmentResult(input: ReportInput): BreakoutResult {
  const { mode, settings, people, spoken, leaders, plan, placed } = input;
  const { targetRoomSize, minRoomSize } = settings;
  const participantCount = people.participants.length;
  const languageCount = spoken.names.length;
  const violations: BreakoutViolation[] = [];
  const unassigned = people.participants.filter((_, i) => plan.languageOf[i] === -1).map((participant) => participant.id);
  if (unassigned.length) {
    violations.push({
      rule: 1,
      code: "participant-without-language",
      severity: "error",
      participantIds: unassigned,
      details: { participants: unassigned.length },
    });
  }
  const supply = facilitatorSupply(leaders, languageCount);
  const firstChoice = new Array<number>(languageCount).fill(0);
  for (const languages of spoken.ofParticipant) if (languages.length) firstChoice[languages[0]!]!++;

  const languageReports: BreakoutLanguageReport[] = [];
  const rule2: BreakoutViolation[] = [];
  const rule3: BreakoutViolation[] = [];
  let minimumSameGroupPairs = 0;
  for (let l = 0; l < languageCount; l++) {
    const members = placed.membersOfLanguage[l]!;
    if (members.length === 0 && firstChoice[l] === 0) continue;
    const roomIndexes = placed.roomsOfLanguage[l]!;
    const sizes = roomIndexes.map((room) => placed.members[room]!.length);
    const minSize = sizes.length ? Math.min(...sizes) : 0;
    const maxSize = sizes.length ? Math.max(...sizes) : 0;
    const leading = new Set(roomIndexes.map((room) => placed.rooms[room]!.facilitatorId).filter((id): id is string => id !== null));
    languageReports.push({
      language: spoken.names[l]!,
      participants: members.length,
      firstChoice: firstChoice[l]!,
      placedAsAlternative: members.filter((i) => spoken.ofParticipant[i]![0] !== l).length,
      desiredRooms: plan.desired[l]!,
      rooms: roomIndexes.length,
      minSize,
      maxSize,
      facilitatorsAvailable: supply.speakers[l]!,
      facilitatorCapacity: supply.capacity[l]!,
      facilitatorsUsed: leading.size,
      roomsWithoutFacilitator: roomIndexes.filter((room) => placed.rooms[room]!.facilitatorId === null).length,
    });
    if (members.length === 0) continue;
    const language = spoken.names[l]!;
    if (plan.allocated[l] === 0) violations.push(unledLanguage(input, l, supply));
    else if (plan.allocated[l]! < plan.desired[l]!) {
      rule2.push({
        rule: 2,
        code: "insufficient-facilitator-capacity",
        severity: "error",
        language,
        details: {
          participants: members.length,
          targetRoomSize,
          desiredRooms: plan.desired[l]!,
          rooms: roomIndexes.length,
          missingRooms: plan.desired[l]! - plan.allocated[l]!,
          minSize,
          maxSize,
          roomIndexes,
        },
      });
    }
    if (members.length < minRoomSize) {
      rule2.push({
        rule: 2,
        code: "language-below-min-room-size",
        severity: "error",
        language,
        roomIndex: roomIndexes[0]!,
        participantIds: idsOf(input, members),
        details: { participants: members.length, minRoomSize },
      });
    }
    const spread = groupSpread(input, l, maxSize);
    minimumSameGroupPairs += spread.minimumSameGroupPairs;
    rule3.push(...spread.splits);
  }
  violations.push(...rule2, ...rule3);

  const stats = computePairStats(placed.members, people.group, people.organization, people.country, input.history);
  const load = new Map<string, number>();
  for (const room of placed.rooms) if (room.facilitatorId !== null) load.set(room.facilitatorId, (load.get(room.facilitatorId) ?? 0) + 1);
  const breaks = (rule: number): boolean => violations.some((violation) => violation.rule === rule);
  const rule3Broken = mode === "keep" ? breaks(3) : stats.sameGroupPairs > minimumSameGroupPairs;

  return {
    rooms: placed.rooms,
    unassignedParticipantIds: unassigned,
    needsConfirmation: violations.some((violation) => violation.severity === "error"),
    report: {
      mode,
      targetRoomSize,
      minRoomSize,
      participants: participantCount,
      assignedParticipants: participantCount - unassigned.length,
      rooms: placed.rooms.length,
      rules: {
        rule1: breaks(1) ? "violated" : "met",
        rule2: breaks(2) ? "violated" : "met",
        rule3: rule3Broken ? "violated" : "met",
      },
      languages: languageReports,
      violations,
      ...stats,
      minimumSameGroupPairs,
      participantsNotInFirstLanguage: people.participants.filter((_, i) => {
        const language = plan.languageOf[i]!;
        return language >= 0 && spoken.ofParticipant[i]![0] !== language;
      }).length,
      facilitatorsUsed: load.size,
      maxFacilitatorLoad: Math.max(0, ...load.values()),
      searchIterations: placed.searchIterations,
    },
  };
}
