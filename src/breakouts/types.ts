/**
 * Public types of the breakout-room assignment algorithm (see ./assign.ts).
 * Pure data, no platform or database types. Nothing here is user-facing text:
 * violations are codes plus parameters that the caller localizes.
 */

export type BreakoutMode = "keep" | "mix";

export interface BreakoutParticipant {
  readonly id: string;
  /** Registered group (5-50 people of one organization and country, but any size works). */
  readonly groupId: string;
  /** Languages the participant can take part in, most preferred first. Compared as exact strings. */
  readonly languages: readonly string[];
  readonly organization?: string | null;
  readonly country?: string | null;
}

export interface BreakoutFacilitator {
  readonly id: string;
  /** Languages the facilitator can lead a room in; the first one is their first language. */
  readonly languages: readonly string[];
  /** Maximum rooms led in one session. Default 1; floored; negative or NaN counts as 0. */
  readonly capacity?: number;
}

/** A room of an earlier session: its member ids, or an object (a {@link BreakoutRoom} fits). */
export type BreakoutHistoryRoom =
  | readonly string[]
  | { readonly memberIds: readonly string[]; readonly facilitatorId?: string | null };

/** All rooms of one earlier session. Order of sessions, rooms and members does not matter. */
export type BreakoutHistorySession = readonly BreakoutHistoryRoom[];

/**
 * Weights of the secondary cost (the primary cost, same-group pairs, always
 * dominates lexicographically). Per pair of people sharing a room:
 * `organization` if same organization (mix mode only), `country` if same
 * country (mix mode only), and `repeat` times the number of earlier sessions
 * in which the two already shared a room (both modes; in keep mode only for
 * people of different groups, since groups stay together by design).
 */
export interface BreakoutWeights {
  organization: number;
  repeat: number;
  country: number;
}

export interface BreakoutOptions {
  /** A language with fewer participants than this is reported (rule 2). Default max(2, ceil(target / 2)), at most target. */
  minRoomSize?: number;
  /** Local-search budget: swap attempts per participant (deterministic, not wall time). Default 100. */
  iterationsPerParticipant?: number;
  /** Prefer giving facilitators rooms of people they have not led before and rotating who leads. Default true. */
  rotateFacilitators?: boolean;
  weights?: Partial<BreakoutWeights>;
}

export interface AssignBreakoutsInput {
  readonly participants: readonly BreakoutParticipant[];
  readonly facilitators: readonly BreakoutFacilitator[];
  /** Target room size, an integer >= 2. */
  readonly targetRoomSize: number;
  readonly mode: BreakoutMode;
  /** Any safe integer. */
  readonly seed: number;
  /** Rooms of earlier sessions of this program. */
  readonly history?: readonly BreakoutHistorySession[];
  readonly options?: BreakoutOptions;
}

export interface BreakoutRoom {
  /** Position in {@link BreakoutResult.rooms}; violations refer to it. */
  index: number;
  language: string;
  /** null only when no facilitator could be given to this language (a rule-1 violation is reported). */
  facilitatorId: string | null;
  /** Sorted ids. */
  memberIds: string[];
}

export type BreakoutViolation =
  | {
      rule: 1;
      code: "participant-without-language";
      severity: "error";
      participantIds: string[];
      details: { participants: number };
    }
  | {
      /** No facilitator with capacity speaks this language at all. */
      rule: 1;
      code: "language-without-facilitator";
      severity: "error";
      language: string;
      participantIds: string[];
      details: { participants: number; rooms: number; roomIndexes: number[] };
    }
  | {
      /** Facilitators speak this language but all their capacity is needed by other languages. */
      rule: 1;
      code: "language-facilitators-unavailable";
      severity: "error";
      language: string;
      participantIds: string[];
      details: {
        participants: number;
        rooms: number;
        roomIndexes: number[];
        facilitatorsSpeakingLanguage: number;
        capacitySpeakingLanguage: number;
      };
    }
  | {
      /** Fewer facilitator slots than desired rooms: rooms are larger than the target. */
      rule: 2;
      code: "insufficient-facilitator-capacity";
      severity: "error";
      language: string;
      details: {
        participants: number;
        targetRoomSize: number;
        desiredRooms: number;
        rooms: number;
        missingRooms: number;
        minSize: number;
        maxSize: number;
        roomIndexes: number[];
      };
    }
  | {
      /** Too few people in this language for a proper room (and none could be moved). */
      rule: 2;
      code: "language-below-min-room-size";
      severity: "error";
      language: string;
      roomIndex: number;
      participantIds: string[];
      details: { participants: number; minRoomSize: number };
    }
  | {
      /** keep mode: a group occupies more rooms of a language than necessary. */
      rule: 3;
      code: "group-split";
      severity: "warning";
      language: string;
      participantIds: string[];
      details: { groupId: string; groupMembers: number; rooms: number; minimumRooms: number; roomIndexes: number[] };
    };

export type BreakoutViolationCode = BreakoutViolation["code"];

export interface BreakoutLanguageReport {
  language: string;
  /** People placed in this language. */
  participants: number;
  /** People whose first language this is (before balancing). */
  firstChoice: number;
  /** People placed here although it is not their first language. */
  placedAsAlternative: number;
  /** Room count the size policy asks for (see desiredRoomCount). */
  desiredRooms: number;
  rooms: number;
  minSize: number;
  maxSize: number;
  /** Facilitators with capacity >= 1 who speak the language (they may be shared with other languages). */
  facilitatorsAvailable: number;
  /** Total capacity of those facilitators. */
  facilitatorCapacity: number;
  facilitatorsUsed: number;
  roomsWithoutFacilitator: number;
}

export type BreakoutRuleStatus = "met" | "violated";

export interface BreakoutPairStats {
  /** Pairs of people sharing a room. */
  totalPairs: number;
  sameGroupPairs: number;
  /** Pairs who already shared a room in the history. */
  repeatedPairs: number;
  /** Of those, pairs of the same group (expected in keep mode). */
  repeatedSameGroupPairs: number;
  sameOrganizationPairs: number;
  sameCountryPairs: number;
}

export interface BreakoutReport extends BreakoutPairStats {
  mode: BreakoutMode;
  targetRoomSize: number;
  minRoomSize: number;
  participants: number;
  assignedParticipants: number;
  rooms: number;
  /** Status of quality rules 1-3 (rule 4 is the repeatedPairs count, rule 5 always holds). */
  rules: { rule1: BreakoutRuleStatus; rule2: BreakoutRuleStatus; rule3: BreakoutRuleStatus };
  languages: BreakoutLanguageReport[];
  violations: BreakoutViolation[];
  /** Lower bound on sameGroupPairs for these rooms (each group spread evenly); mix mode reaches it. */
  minimumSameGroupPairs: number;
  participantsNotInFirstLanguage: number;
  facilitatorsUsed: number;
  maxFacilitatorLoad: number;
  /** Local-search swap attempts performed (deterministic). */
  searchIterations: number;
}

export interface BreakoutResult {
  /** Sorted by language, then room. */
  rooms: BreakoutRoom[];
  /** Participants that could not be placed at all (no language given). */
  unassignedParticipantIds: string[];
  /** True iff there is a rule-1 or rule-2 violation (severity 'error'). */
  needsConfirmation: boolean;
  report: BreakoutReport;
}
