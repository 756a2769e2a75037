import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  assignBreakouts,
  BreakoutInputError,
  countBreakoutPairs,
  createPrng,
  defaultMinRoomSize,
  desiredRoomCount,
  roomSizes,
} from "../../src/breakouts/assign.ts";
import type {
  AssignBreakoutsInput,
  BreakoutFacilitator,
  BreakoutHistorySession,
  BreakoutMode,
  BreakoutParticipant,
  BreakoutResult,
  Prng,
} from "../../src/breakouts/assign.ts";

const POOL = ["de", "en", "es", "fr", "it", "ko", "pt"] as const;

// ---------------------------------------------------------------------------
// Generators
//
// "First-choice feasible" input (the precondition of the rule-1/2 guarantee):
//   - every participant has at least one language;
//   - with everybody in their FIRST language, each language L with n_L > 0
//     has n_L >= minRoomSize, and the facilitators (capacity shared across
//     their languages) can lead desiredRoomCount(n_L, target) rooms in every
//     language at the same time.
// The generator guarantees this by construction: every used language gets
// facilitators whose first language it is, with total capacity >= its
// desired rooms, and small languages are topped up with monolingual people.
// Participants' further languages and facilitators' extra languages are
// random (often languages nobody leads in), so they only add options.
// ---------------------------------------------------------------------------

interface Population {
  participants: BreakoutParticipant[];
  facilitators: BreakoutFacilitator[];
  languages: string[];
}

function pick<T>(rng: Prng, items: readonly T[]): T {
  return items[rng.int(items.length)]!;
}

function extraLanguages(rng: Prng, have: readonly string[], max: number): string[] {
  const out = [...have];
  const k = 1 + rng.int(max);
  for (let i = 0; i < k; i++) {
    const l = pick(rng, POOL);
    if (!out.includes(l)) out.push(l);
  }
  return out;
}

interface Shape {
  languageCount: number;
  groupSizes: number[];
  target: number;
  seed: number;
}

function feasiblePopulation(shape: Shape): Population {
  const rng = createPrng(shape.seed);
  const languages = rng.shuffle([...POOL]).slice(0, shape.languageCount);
  const participants: BreakoutParticipant[] = [];
  shape.groupSizes.forEach((size, g) => {
    const lang = pick(rng, languages);
    const country = `C${rng.int(3)}`;
    const organization = `O${rng.int(4)}`;
    for (let k = 0; k < size; k++) {
      const first = rng.next() < 0.9 ? lang : pick(rng, languages);
      const langs = rng.next() < 0.3 ? extraLanguages(rng, [first], 2) : [first];
      participants.push({ id: `p${participants.length}`, groupId: `g${g}`, languages: langs, country, organization });
    }
  });
  const min = defaultMinRoomSize(shape.target);
  const count = (l: string): number => participants.filter((p) => p.languages[0] === l).length;
  for (const l of languages) {
    const n = count(l);
    for (let k = n; n > 0 && k < min; k++) {
      participants.push({ id: `p${participants.length}`, groupId: `solo${participants.length}`, languages: [l] });
    }
  }
  const facilitators: BreakoutFacilitator[] = [];
  for (const l of languages) {
    const need = desiredRoomCount(count(l), shape.target);
    for (let cap = 0; cap < need; ) {
      const capacity = 1 + rng.int(3);
      cap += capacity;
      const langs = rng.next() < 0.3 ? extraLanguages(rng, [l], 2) : [l];
      facilitators.push({ id: `f${facilitators.length}`, languages: langs, capacity });
    }
  }
  for (let k = rng.int(3); k > 0; k--) {
    facilitators.push({ id: `f${facilitators.length}`, languages: extraLanguages(rng, [], 2), capacity: rng.int(3) });
  }
  return { participants, facilitators, languages };
}

const shapeArb: fc.Arbitrary<Shape> = fc.record({
  languageCount: fc.integer({ min: 1, max: 4 }),
  groupSizes: fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 8 }),
  target: fc.integer({ min: 3, max: 12 }),
  seed: fc.integer(),
});
const modeArb = fc.constantFrom<BreakoutMode>("keep", "mix");

// ---------------------------------------------------------------------------
// Invariants
// ---------------------------------------------------------------------------

/** No loss, no duplicate, sizes differ by <= 1 per language, capacity respected, languages shared. */
function checkStructure(input: AssignBreakoutsInput, result: BreakoutResult): void {
  const byId = new Map(input.participants.map((p) => [p.id, p]));
  const facById = new Map(input.facilitators.map((f) => [f.id, f]));
  const seen = new Set<string>();
  const sizes = new Map<string, number[]>();
  const load = new Map<string, number>();
  result.rooms.forEach((room, index) => {
    expect(room.index).toBe(index);
    expect(room.memberIds.length).toBeGreaterThan(0);
    for (const id of room.memberIds) {
      expect(seen.has(id)).toBe(false);
      seen.add(id);
      expect(byId.get(id)!.languages).toContain(room.language);
    }
    sizes.set(room.language, [...(sizes.get(room.language) ?? []), room.memberIds.length]);
    if (room.facilitatorId !== null) {
      expect(facById.get(room.facilitatorId)!.languages).toContain(room.language);
      load.set(room.facilitatorId, (load.get(room.facilitatorId) ?? 0) + 1);
    }
  });
  for (const id of result.unassignedParticipantIds) {
    expect(seen.has(id)).toBe(false);
    seen.add(id);
  }
  expect(seen.size).toBe(input.participants.length);
  for (const list of sizes.values()) expect(Math.max(...list) - Math.min(...list)).toBeLessThanOrEqual(1);
  for (const [id, used] of load) expect(used).toBeLessThanOrEqual(facById.get(id)!.capacity ?? 1);
  expect(result.needsConfirmation).toBe(result.report.violations.some((v) => v.severity === "error"));
}

/** Rules 1 and 2 hold exactly, for a first-choice feasible input. */
function checkFeasibleOutcome(input: AssignBreakoutsInput, result: BreakoutResult): void {
  checkStructure(input, result);
  const byId = new Map(input.participants.map((p) => [p.id, p]));
  expect(result.report.violations.filter((v) => v.rule !== 3)).toEqual([]);
  expect(result.needsConfirmation).toBe(false);
  expect(result.report.rules.rule1).toBe("met");
  expect(result.report.rules.rule2).toBe("met");
  expect(result.report.participantsNotInFirstLanguage).toBe(0);
  for (const room of result.rooms) {
    expect(room.facilitatorId).not.toBeNull();
    for (const id of room.memberIds) expect(byId.get(id)!.languages[0]).toBe(room.language);
  }
  for (const lang of result.report.languages) {
    expect(lang.rooms).toBe(desiredRoomCount(lang.participants, input.targetRoomSize));
    const expected = roomSizes(lang.participants, lang.rooms);
    expect([lang.minSize, lang.maxSize]).toEqual([Math.min(...expected), Math.max(...expected)]);
  }
}

function groupsPerLanguage(result: BreakoutResult, participants: readonly BreakoutParticipant[]) {
  const groupOf = new Map(participants.map((p) => [p.id, p.groupId]));
  const chunks = new Map<string, { rooms: Set<number>; members: number; maxSize: number; minSize: number }>();
  const sizeRange = new Map<string, [number, number]>();
  for (const room of result.rooms) {
    const [lo, hi] = sizeRange.get(room.language) ?? [Infinity, 0];
    sizeRange.set(room.language, [Math.min(lo, room.memberIds.length), Math.max(hi, room.memberIds.length)]);
  }
  for (const room of result.rooms) {
    for (const id of room.memberIds) {
      const key = `${room.language}|${groupOf.get(id)}`;
      const [minSize, maxSize] = sizeRange.get(room.language)!;
      const c = chunks.get(key) ?? { rooms: new Set<number>(), members: 0, maxSize, minSize };
      c.rooms.add(room.index);
      c.members++;
      chunks.set(key, c);
    }
  }
  return chunks;
}

function shuffledInput(input: AssignBreakoutsInput, rng: Prng): AssignBreakoutsInput {
  return {
    ...input,
    participants: rng.shuffle([...input.participants]),
    facilitators: rng.shuffle([...input.facilitators]),
    history: rng.shuffle(
      (input.history ?? []).map((session) =>
        rng.shuffle(session.map((room) => (Array.isArray(room) ? rng.shuffle([...room]) : room))),
      ),
    ),
  };
}

/** The same rooms (languages and sizes), members shuffled at random within each language. */
function randomLike(result: BreakoutResult, rng: Prng): string[][] {
  const pool = new Map<string, string[]>();
  for (const room of result.rooms) pool.set(room.language, [...(pool.get(room.language) ?? []), ...room.memberIds]);
  for (const ids of pool.values()) rng.shuffle(ids);
  return result.rooms.map((room) => pool.get(room.language)!.splice(0, room.memberIds.length));
}

// BREAKOUTS_FC_RUNS=500 npx vitest run test/breakouts  for a longer soak.
const RUNS = { numRuns: Number(process.env.BREAKOUTS_FC_RUNS ?? 40) };

// ---------------------------------------------------------------------------

describe("breakouts: room-count policy", () => {
  it("desiredRoomCount picks the room count whose average size is closest to the target", () => {
    expect(desiredRoomCount(0, 8)).toBe(0);
    expect(desiredRoomCount(3, 8)).toBe(1);
    expect(desiredRoomCount(11, 8)).toBe(2); // 5.5 is closer to 8 than 11
    expect(desiredRoomCount(10, 8)).toBe(1); // 10 is closer than 5
    expect(desiredRoomCount(40, 8)).toBe(5);
    expect(desiredRoomCount(36, 8)).toBe(5); // 7.2 vs 9
    expect(desiredRoomCount(4, 3)).toBe(2); // tie 4 vs 2 -> more rooms
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 2, max: 20 }), (n, t) => {
        const r = desiredRoomCount(n, t);
        expect(r).toBeGreaterThanOrEqual(1);
        for (const other of [r - 1, r + 1]) {
          if (other >= 1) expect(Math.abs(n / r - t)).toBeLessThanOrEqual(Math.abs(n / other - t));
        }
      }),
    );
  });
});

describe("breakouts: feasible inputs (property-based)", () => {
  it("rules 1 and 2 always hold, nobody is lost or duplicated, capacity is respected", () => {
    fc.assert(
      fc.property(shapeArb, modeArb, fc.integer(), (shape, mode, seed) => {
        const pop = feasiblePopulation(shape);
        const input: AssignBreakoutsInput = { ...pop, targetRoomSize: shape.target, mode, seed };
        checkFeasibleOutcome(input, assignBreakouts(input));
      }),
      RUNS,
    );
  });

  it("is deterministic: same input and seed, and shuffled input order with the same seed, give identical output", () => {
    fc.assert(
      fc.property(shapeArb, modeArb, fc.integer(), fc.integer(), (shape, mode, seed, shuffleSeed) => {
        const pop = feasiblePopulation(shape);
        const rng = createPrng(shuffleSeed);
        const earlier = assignBreakouts({ ...pop, targetRoomSize: shape.target, mode, seed: seed ^ 1 });
        const history: BreakoutHistorySession[] = [
          earlier.rooms,
          randomLike(earlier, rng), // plain id lists are accepted too
        ];
        const input: AssignBreakoutsInput = { ...pop, targetRoomSize: shape.target, mode, seed, history };
        const a = assignBreakouts(input);
        expect(assignBreakouts(input)).toEqual(a);
        expect(assignBreakouts(shuffledInput(input, rng))).toEqual(a);
      }),
      { numRuns: Math.ceil(RUNS.numRuns / 2) },
    );
  });

  it("mix mode reaches the minimum of same-group pairs; keep mode keeps groups together and reports splits exactly", () => {
    let smallChunks = 0;
    let smallChunksWhole = 0;
    fc.assert(
      fc.property(shapeArb, fc.integer(), (shape, seed) => {
        const pop = feasiblePopulation(shape);
        const mix = assignBreakouts({ ...pop, targetRoomSize: shape.target, mode: "mix", seed });
        const keep = assignBreakouts({ ...pop, targetRoomSize: shape.target, mode: "keep", seed });
        expect(mix.report.sameGroupPairs).toBe(mix.report.minimumSameGroupPairs);
        expect(mix.report.rules.rule3).toBe("met");
        expect(keep.report.sameGroupPairs).toBeGreaterThanOrEqual(mix.report.sameGroupPairs);
        // Same rooms per language in both modes (modes only differ in who sits where).
        expect(keep.report.languages.map((l) => [l.language, l.rooms])).toEqual(
          mix.report.languages.map((l) => [l.language, l.rooms]),
        );
        const splits = new Map(
          keep.report.violations
            .filter((v) => v.code === "group-split")
            .map((v) => [`${v.language}|${v.details.groupId}`, v.details]),
        );
        for (const [key, chunk] of groupsPerLanguage(keep, pop.participants)) {
          const minimumRooms = Math.ceil(chunk.members / chunk.maxSize);
          const split = splits.get(key);
          if (chunk.rooms.size > minimumRooms) {
            expect(split).toMatchObject({ groupMembers: chunk.members, rooms: chunk.rooms.size, minimumRooms });
          } else expect(split).toBeUndefined();
          if (chunk.members <= chunk.minSize) {
            smallChunks++;
            if (chunk.rooms.size === 1) smallChunksWhole++;
          }
        }
      }),
      RUNS,
    );
    // Groups that fit in a room are kept whole in the vast majority of cases (bin packing
    // with exactly full rooms cannot always keep every group whole).
    expect(smallChunks).toBeGreaterThan(0);
    expect(smallChunksWhole / smallChunks).toBeGreaterThan(0.85);
  });
});

describe("breakouts: infeasible inputs (property-based)", () => {
  it("a language without facilitator: its people move if they can, otherwise rooms without facilitator are reported", () => {
    fc.assert(
      fc.property(shapeArb, modeArb, fc.integer(), fc.nat(), (shape, mode, seed, which) => {
        const pop = feasiblePopulation(shape);
        const dropped = pop.languages[which % pop.languages.length]!;
        const facilitators = pop.facilitators.filter((f) => !f.languages.includes(dropped));
        const input: AssignBreakoutsInput = { ...pop, facilitators, targetRoomSize: shape.target, mode, seed };
        const result = assignBreakouts(input);
        checkStructure(input, result);
        const byId = new Map(pop.participants.map((p) => [p.id, p]));
        const led = new Set(facilitators.filter((f) => (f.capacity ?? 1) > 0).flatMap((f) => f.languages));
        const ledRooms = new Set(result.rooms.filter((r) => r.facilitatorId !== null).map((r) => r.language));
        const inNullRooms = result.rooms.filter((r) => r.facilitatorId === null).flatMap((r) => r.memberIds);
        // Nobody who speaks no led language can be led; nobody without a leader speaks a language that has led rooms.
        for (const p of pop.participants) if (!p.languages.some((l) => led.has(l))) expect(inNullRooms).toContain(p.id);
        for (const id of inNullRooms) expect(byId.get(id)!.languages.some((l) => ledRooms.has(l))).toBe(false);
        const reported = result.report.violations.filter(
          (v) => v.code === "language-without-facilitator" || v.code === "language-facilitators-unavailable",
        );
        expect(reported.flatMap((v) => v.participantIds).sort()).toEqual([...inNullRooms].sort());
        for (const v of reported) {
          expect(v.rule).toBe(1);
          expect(v.code === "language-without-facilitator").toBe(!led.has(v.language));
          for (const r of v.details.roomIndexes) expect(result.rooms[r]!.language).toBe(v.language);
        }
        expect(result.needsConfirmation).toBe(result.report.violations.some((v) => v.rule !== 3));
        if (inNullRooms.length > 0) {
          expect(result.needsConfirmation).toBe(true);
          expect(result.report.rules.rule1).toBe("violated");
        }
      }),
      RUNS,
    );
  });

  it("too little capacity: fewer, larger rooms, every one led, reported with the right numbers", () => {
    fc.assert(
      fc.property(shapeArb, modeArb, fc.integer(), fc.integer({ min: 2, max: 4 }), (shape, mode, seed, divisor) => {
        const pop = feasiblePopulation(shape);
        // Every facilitator leads at most one room, and only every `divisor`-th one is available
        // (but each language keeps at least one facilitator whose first language it is).
        const facilitators = pop.facilitators
          .filter((f, i) => i % divisor === 0 || pop.facilitators.findIndex((g) => g.languages[0] === f.languages[0]) === i)
          .map((f) => ({ ...f, capacity: Math.min(1, f.capacity ?? 1) }));
        const input: AssignBreakoutsInput = { ...pop, facilitators, targetRoomSize: shape.target, mode, seed };
        const result = assignBreakouts(input);
        checkStructure(input, result);
        expect(result.rooms.every((r) => r.facilitatorId !== null)).toBe(true);
        for (const lang of result.report.languages) {
          if (lang.participants === 0) continue;
          const v = result.report.violations.find(
            (x) => x.code === "insufficient-facilitator-capacity" && x.language === lang.language,
          );
          if (lang.rooms < lang.desiredRooms) {
            expect(v?.details).toMatchObject({
              desiredRooms: lang.desiredRooms,
              rooms: lang.rooms,
              missingRooms: lang.desiredRooms - lang.rooms,
              participants: lang.participants,
              maxSize: lang.maxSize,
            });
            expect(lang.maxSize).toBeGreaterThan(shape.target);
            expect(result.needsConfirmation).toBe(true);
          } else {
            expect(v).toBeUndefined();
            expect(lang.rooms).toBe(lang.desiredRooms);
          }
        }
        // Multilingual people may be moved to languages with spare capacity, but never beyond what is led.
        const slots = facilitators.reduce((sum, f) => sum + (f.capacity ?? 1), 0);
        expect(result.rooms.length).toBeLessThanOrEqual(slots);
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------
// Examples
// ---------------------------------------------------------------------------

function people(n: number, languages: string[], prefix: string, groupSize = 1): BreakoutParticipant[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}${String(i).padStart(3, "0")}`,
    groupId: `${prefix}-g${Math.floor(i / groupSize)}`,
    languages,
  }));
}

function leaders(n: number, languages: string[], prefix: string, capacity = 1): BreakoutFacilitator[] {
  return Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, languages, capacity }));
}

describe("breakouts: examples", () => {
  it("moves bilingual people out of a language without facilitator; reports monolingual ones", () => {
    const participants = [...people(16, ["en"], "en"), ...people(6, ["ko", "en"], "kb"), ...people(5, ["ko"], "ko")];
    const result = assignBreakouts({
      participants,
      facilitators: leaders(4, ["en"], "fen"),
      targetRoomSize: 8,
      mode: "mix",
      seed: 1,
    });
    const ko = result.rooms.filter((r) => r.language === "ko");
    expect(ko).toHaveLength(1);
    expect(ko[0]!.facilitatorId).toBeNull();
    expect(ko[0]!.memberIds).toEqual(participants.filter((p) => p.id.startsWith("ko")).map((p) => p.id));
    expect(result.rooms.filter((r) => r.language === "en").flatMap((r) => r.memberIds)).toHaveLength(22);
    expect(result.needsConfirmation).toBe(true);
    expect(result.report.violations).toEqual([
      {
        rule: 1,
        code: "language-without-facilitator",
        severity: "error",
        language: "ko",
        participantIds: ko[0]!.memberIds,
        details: { participants: 5, rooms: 1, roomIndexes: [ko[0]!.index] },
      },
    ]);
    expect(result.report.participantsNotInFirstLanguage).toBe(6);
  });

  it("a shared facilitator goes to the larger language; the other is reported as unavailable", () => {
    const result = assignBreakouts({
      participants: [...people(8, ["en"], "en"), ...people(5, ["ko"], "ko")],
      facilitators: [{ id: "f", languages: ["ko", "en"], capacity: 1 }],
      targetRoomSize: 8,
      mode: "keep",
      seed: 3,
    });
    expect(result.rooms.map((r) => [r.language, r.facilitatorId])).toEqual([
      ["en", "f"],
      ["ko", null],
    ]);
    expect(result.report.violations[0]).toMatchObject({
      rule: 1,
      code: "language-facilitators-unavailable",
      language: "ko",
      details: { participants: 5, facilitatorsSpeakingLanguage: 1, capacitySpeakingLanguage: 1 },
    });
  });

  it("too few facilitators: rooms grow beyond the target and the shortfall is reported", () => {
    const result = assignBreakouts({
      participants: people(40, ["en"], "p", 5),
      facilitators: leaders(3, ["en"], "f"),
      targetRoomSize: 8,
      mode: "mix",
      seed: 9,
    });
    expect(result.rooms.map((r) => r.memberIds.length)).toEqual([14, 13, 13]);
    expect(new Set(result.rooms.map((r) => r.facilitatorId)).size).toBe(3);
    expect(result.report.violations).toEqual([
      {
        rule: 2,
        code: "insufficient-facilitator-capacity",
        severity: "error",
        language: "en",
        details: {
          participants: 40,
          targetRoomSize: 8,
          desiredRooms: 5,
          rooms: 3,
          missingRooms: 2,
          minSize: 13,
          maxSize: 14,
          roomIndexes: [0, 1, 2],
        },
      },
    ]);
    expect(result.report.rules).toEqual({ rule1: "met", rule2: "violated", rule3: "met" });
  });

  it("uses multilingual people to avoid a tiny room, and reports a tiny room that cannot be avoided", () => {
    const base = { facilitators: [...leaders(3, ["en"], "fen"), ...leaders(1, ["it"], "fit")], targetRoomSize: 8, mode: "mix" as const, seed: 5 };
    const movable = assignBreakouts({ ...base, participants: [...people(20, ["en"], "en"), ...people(2, ["it", "en"], "it")] });
    expect(movable.rooms.every((r) => r.language === "en")).toBe(true);
    expect(movable.needsConfirmation).toBe(false);

    // Two Italians only speak Italian: the room is filled up with bilingual people who also speak Italian.
    const filled = assignBreakouts({
      ...base,
      participants: [...people(20, ["en"], "en"), ...people(2, ["it"], "it"), ...people(5, ["en", "it"], "bi")],
    });
    const itRoom = filled.rooms.find((r) => r.language === "it")!;
    expect(itRoom.memberIds.length).toBe(defaultMinRoomSize(8));
    expect(filled.needsConfirmation).toBe(false);

    const stuck = assignBreakouts({ ...base, participants: [...people(20, ["en"], "en"), ...people(2, ["it"], "it")] });
    expect(stuck.report.violations).toEqual([
      {
        rule: 2,
        code: "language-below-min-room-size",
        severity: "error",
        language: "it",
        roomIndex: 3,
        participantIds: ["it000", "it001"],
        details: { participants: 2, minRoomSize: 4 },
      },
    ]);
  });

  it("keep mode: a group larger than a room uses as few rooms as possible; fitting groups stay whole", () => {
    const participants = [...people(20, ["en"], "big", 20), ...people(20, ["en"], "s", 4)];
    const result = assignBreakouts({ participants, facilitators: leaders(5, ["en"], "f"), targetRoomSize: 8, mode: "keep", seed: 2 });
    const roomsOf = (prefix: string) =>
      new Set(result.rooms.filter((r) => r.memberIds.some((id) => id.startsWith(prefix))).map((r) => r.index));
    expect(roomsOf("big").size).toBe(3);
    for (let g = 0; g < 5; g++) {
      const members = participants.filter((p) => p.groupId === `s-g${g}`).map((p) => p.id);
      expect(result.rooms.filter((r) => r.memberIds.some((id) => members.includes(id)))).toHaveLength(1);
    }
    expect(result.report.violations).toEqual([]);
    const mixed = assignBreakouts({ participants, facilitators: leaders(5, ["en"], "f"), targetRoomSize: 8, mode: "mix", seed: 2 });
    expect(mixed.report.sameGroupPairs).toBeLessThan(result.report.sameGroupPairs);
  });

  it("facilitators: spread load first, then prefer their first language, then rotate who leads", () => {
    const participants = people(16, ["en"], "p");
    const facilitators: BreakoutFacilitator[] = [
      { id: "a", languages: ["en"], capacity: 2 },
      { id: "b", languages: ["es", "en"], capacity: 1 },
      { id: "c", languages: ["en"], capacity: 1 },
    ];
    const first = assignBreakouts({ participants, facilitators, targetRoomSize: 8, mode: "mix", seed: 4 });
    expect(first.rooms.map((r) => r.facilitatorId).sort()).toEqual(["a", "c"]);
    expect(first.report.maxFacilitatorLoad).toBe(1);

    const many = leaders(4, ["en"], "f");
    const history: BreakoutHistorySession[] = [[{ memberIds: ["p000"], facilitatorId: "f0" }], [{ memberIds: ["p001"], facilitatorId: "f1" }]];
    const rotated = assignBreakouts({ participants, facilitators: many, targetRoomSize: 8, mode: "mix", seed: 4, history });
    expect(rotated.rooms.map((r) => r.facilitatorId).sort()).toEqual(["f2", "f3"]);
  });

  it("reports participants without language and rejects malformed input", () => {
    const result = assignBreakouts({
      participants: [...people(8, ["en"], "p"), { id: "x", groupId: "g", languages: [] }],
      facilitators: leaders(1, ["en"], "f"),
      targetRoomSize: 8,
      mode: "mix",
      seed: 0,
    });
    expect(result.unassignedParticipantIds).toEqual(["x"]);
    expect(result.report.violations[0]).toMatchObject({ rule: 1, code: "participant-without-language", participantIds: ["x"] });
    const ok: AssignBreakoutsInput = { participants: people(8, ["en"], "p"), facilitators: [], targetRoomSize: 8, mode: "mix", seed: 0 };
    expect(() => assignBreakouts({ ...ok, participants: [...ok.participants, ok.participants[0]!] })).toThrow(BreakoutInputError);
    expect(() => assignBreakouts({ ...ok, targetRoomSize: 1 })).toThrow(BreakoutInputError);
    expect(() => assignBreakouts({ ...ok, seed: 0.5 })).toThrow(BreakoutInputError);
  });
});

describe("breakouts: repeat minimisation over a program", () => {
  // 96 people in groups of 1-6, 12 rooms of 8, six sessions, each result fed into the history.
  // The baseline shuffles the same rooms at random and keeps its own history.
  function program(mode: BreakoutMode) {
    const rng = createPrng(2024);
    const participants: BreakoutParticipant[] = [];
    for (let g = 0; participants.length < 96; g++) {
      const size = Math.min(1 + rng.int(6), 96 - participants.length);
      for (let k = 0; k < size; k++) {
        participants.push({ id: `p${participants.length}`, groupId: `g${g}`, languages: ["en"], country: `C${g % 4}` });
      }
    }
    const facilitators = leaders(12, ["en"], "f");
    const history: BreakoutHistorySession[] = [];
    const randomHistory: BreakoutHistorySession[] = [];
    const ours = { all: 0, crossGroup: 0 };
    const random = { all: 0, crossGroup: 0 };
    for (let session = 0; session < 6; session++) {
      const input: AssignBreakoutsInput = { participants, facilitators, targetRoomSize: 8, mode, seed: session, history };
      const result = assignBreakouts(input);
      checkFeasibleOutcome(input, result);
      const baseline = randomLike(result, rng).map((memberIds) => ({ memberIds }));
      const stats = countBreakoutPairs(baseline, participants, randomHistory);
      expect(countBreakoutPairs(result.rooms, participants, history)).toMatchObject({
        repeatedPairs: result.report.repeatedPairs,
        totalPairs: result.report.totalPairs,
        sameGroupPairs: result.report.sameGroupPairs,
      });
      ours.all += result.report.repeatedPairs;
      ours.crossGroup += result.report.repeatedPairs - result.report.repeatedSameGroupPairs;
      random.all += stats.repeatedPairs;
      random.crossGroup += stats.repeatedPairs - stats.repeatedSameGroupPairs;
      history.push(result.rooms);
      randomHistory.push(baseline);
    }
    return { ours, random };
  }

  it("mix mode: six consecutive sessions repeat far fewer pairs than a random assignment of the same rooms", () => {
    const { ours, random } = program("mix");
    expect(random.all).toBeGreaterThan(100);
    expect(ours.all).toBeLessThan(random.all / 2);
  });

  it("keep mode: groups stay together, and people of different groups rarely meet again", () => {
    const { ours, random } = program("keep");
    expect(random.crossGroup).toBeGreaterThan(100);
    expect(ours.crossGroup).toBeLessThan(random.crossGroup / 2);
  });
});
