// Inputs whose exact assignment is recorded in fixtures/characterization.json, so a change to how
// the algorithm is written can be checked not to change a single room (characterization.test.ts).
// Everything is generated from fixed seeds; record-characterization.ts writes the fixture.
import { assignBreakouts, createPrng, type Prng } from "../../src/breakouts/assign.ts";
import type {
  AssignBreakoutsInput,
  BreakoutFacilitator,
  BreakoutHistorySession,
  BreakoutMode,
  BreakoutParticipant,
  BreakoutResult,
} from "../../src/breakouts/assign.ts";

export interface CharacterizationCase {
  readonly name: string;
  /** The rounds of the case in order (a program's sessions feed the history of the next). */
  run(): BreakoutResult[];
}

const LANGUAGES = ["de", "en", "es", "fr", "it", "ko", "pt"] as const;

function pick<T>(rng: Prng, items: readonly T[]): T {
  return items[rng.int(items.length)]!;
}

/** Groups of 1-`maxGroup` people, mostly of one language, some bilingual, with organizations and countries. */
function population(seed: number, options: { people: number; languages: readonly string[]; maxGroup: number; bilingual: number }): BreakoutParticipant[] {
  const rng = createPrng(seed);
  const participants: BreakoutParticipant[] = [];
  for (let group = 0; participants.length < options.people; group++) {
    const size = Math.min(1 + rng.int(options.maxGroup), options.people - participants.length);
    const language = pick(rng, options.languages);
    const organization = rng.next() < 0.1 ? null : `org${rng.int(Math.ceil(options.people / 25))}`;
    const country = rng.next() < 0.1 ? undefined : `C${rng.int(6)}`;
    for (let k = 0; k < size; k++) {
      const languages = [language];
      if (rng.next() < options.bilingual) languages.push(pick(rng, options.languages));
      participants.push({ id: `p${String(participants.length).padStart(4, "0")}`, groupId: `g${group}`, languages, organization, country });
    }
  }
  return participants;
}

function facilitators(seed: number, count: number, languages: readonly string[], capacity: readonly [number, number]): BreakoutFacilitator[] {
  const rng = createPrng(seed);
  return Array.from({ length: count }, (_, f) => {
    const first = f < languages.length ? languages[f]! : pick(rng, languages);
    const spoken = rng.next() < 0.3 ? [first, pick(rng, LANGUAGES)] : [first];
    return { id: `f${String(f).padStart(3, "0")}`, languages: spoken, capacity: capacity[0] + rng.int(capacity[1] - capacity[0] + 1) };
  });
}

/** Earlier sessions drawn at random: rooms of 3-9 people, some with a facilitator, some as plain id lists. */
function randomHistory(seed: number, participants: readonly BreakoutParticipant[], leaders: readonly BreakoutFacilitator[], sessions: number): BreakoutHistorySession[] {
  const rng = createPrng(seed);
  return Array.from({ length: sessions }, () => {
    const ids = rng.shuffle(participants.map((p) => p.id));
    const rooms: BreakoutHistorySession[number][] = [];
    while (ids.length > 0) {
      const memberIds = ids.splice(0, 3 + rng.int(7));
      rooms.push(rng.next() < 0.3 ? memberIds : { memberIds, facilitatorId: leaders.length && rng.next() < 0.8 ? pick(rng, leaders).id : null });
    }
    return rooms;
  });
}

function single(name: string, input: () => AssignBreakoutsInput): CharacterizationCase {
  return { name, run: () => [assignBreakouts(input())] };
}

/** Consecutive sessions of one program, each result becoming history for the next. */
function program(name: string, base: () => Omit<AssignBreakoutsInput, "seed" | "history">, seeds: readonly number[]): CharacterizationCase {
  return {
    name,
    run() {
      const input = base();
      const history: BreakoutHistorySession[] = [];
      return seeds.map((seed) => {
        const result = assignBreakouts({ ...input, seed, history: [...history] });
        history.push(result.rooms);
        return result;
      });
    },
  };
}

const three = ["de", "en", "es"] as const;
const medium = () => population(11, { people: 140, languages: three, maxGroup: 12, bilingual: 0.25 });
const mediumLeaders = () => facilitators(12, 14, three, [1, 3]);

const cases: CharacterizationCase[] = [];
for (const mode of ["mix", "keep"] as const satisfies readonly BreakoutMode[]) {
  for (const seed of [1, 2, -7, 2 ** 40 + 3]) {
    cases.push(
      single(`three languages, random history, ${mode}, seed ${seed}`, () => {
        const participants = medium();
        const leaders = mediumLeaders();
        return { participants, facilitators: leaders, targetRoomSize: 6, mode, seed, history: randomHistory(13, participants, leaders, 2) };
      }),
    );
  }
  cases.push(
    program(
      `seven languages, too few facilitators, four sessions, ${mode}`,
      () => ({
        participants: population(21, { people: 600, languages: LANGUAGES, maxGroup: 40, bilingual: 0.15 }),
        facilitators: facilitators(22, 40, LANGUAGES, [1, 2]),
        targetRoomSize: 8,
        mode,
      }),
      [100, 101, 102, 103],
    ),
  );
  cases.push(
    single(`infeasible: a language nobody leads, a busy shared facilitator, a tiny language, someone without language, ${mode}`, () => ({
      participants: [
        ...population(31, { people: 50, languages: ["en", "de"], maxGroup: 8, bilingual: 0.2 }),
        ...population(32, { people: 9, languages: ["ko"], maxGroup: 4, bilingual: 0 }).map((p) => ({ ...p, id: `ko${p.id}`, groupId: `ko${p.groupId}` })),
        ...population(33, { people: 2, languages: ["it"], maxGroup: 2, bilingual: 0 }).map((p) => ({ ...p, id: `it${p.id}`, groupId: `it${p.groupId}` })),
        ...population(34, { people: 7, languages: ["fr"], maxGroup: 7, bilingual: 0 }).map((p) => ({ ...p, id: `fr${p.id}`, groupId: `fr${p.groupId}` })),
        { id: "nobody", groupId: "lost", languages: [] },
      ],
      facilitators: [
        // Nobody leads Korean; the one French speaker is needed for German.
        { id: "shared", languages: ["fr", "de"], capacity: 1 },
        { id: "it1", languages: ["it"] },
        { id: "en1", languages: ["en"], capacity: 2 },
        { id: "idle", languages: ["pt"], capacity: 3 },
        { id: "paused", languages: ["en"], capacity: 0 },
        { id: "nan", languages: ["en"], capacity: Number.NaN },
        { id: "unbounded", languages: ["en"], capacity: Number.POSITIVE_INFINITY },
      ],
      targetRoomSize: 5,
      mode,
      seed: 5,
    })),
  );
  cases.push(
    single(`options: minimum room size, small budget, no rotation, own weights, ${mode}`, () => {
      const participants = medium();
      const leaders = mediumLeaders();
      return {
        participants,
        facilitators: leaders,
        targetRoomSize: 7,
        mode,
        seed: 9,
        history: randomHistory(14, participants, leaders, 3),
        options: { minRoomSize: 2, iterationsPerParticipant: 7, rotateFacilitators: false, weights: { organization: 1, repeat: 50, country: 20 } },
      };
    }),
  );
}
cases.push(single("nobody to place", () => ({ participants: [], facilitators: mediumLeaders(), targetRoomSize: 8, mode: "mix", seed: 0 })));
cases.push(single("one group larger than every room, keep", () => ({
  participants: population(41, { people: 45, languages: ["es"], maxGroup: 1, bilingual: 0 }).map((p) => ({ ...p, groupId: "big" })),
  facilitators: facilitators(42, 3, ["es"], [2, 2]),
  targetRoomSize: 8,
  mode: "keep",
  seed: 3,
})));

export const CHARACTERIZATION_CASES: readonly CharacterizationCase[] = cases;
