/**
 * Breakout assignment benchmark: 3,000 participants in 7 languages, six
 * consecutive sessions (each fed into the history of the next), mix and keep
 * mode, versus a seeded random assignment of the same rooms.
 *
 *   npx tsx bench/breakouts.bench.ts      (or: npm run bench -- breakouts)
 *
 * Scenario "spec": 130 facilitators with capacity 1-2 (as briefed). Note that
 * 3,000 / 8 = 375 rooms but 130 facilitators x capacity 1-2 give at most ~195
 * room slots, so rooms must grow (reported as rule-2 violations).
 * Scenario "cap3-4": the same population with capacity 3-4, enough for rooms of 8.
 * Then the same through the database, as /breakouts generate and publish run them, on PGlite
 * and on PostgreSQL (DATABASE_URL, else the local server).
 */
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { assignBreakouts, countBreakoutPairs, createPrng } from "../src/breakouts/assign.ts";
import { openDatabase, type Database } from "../src/db/database.ts";
import { generateThroughDatabase } from "./breakouts-database.ts";
import { benchPostgres, percentile, table } from "./support.ts";
import type {
  BreakoutFacilitator,
  BreakoutHistorySession,
  BreakoutMode,
  BreakoutParticipant,
  BreakoutResult,
  Prng,
} from "../src/breakouts/assign.ts";

const LANGUAGES: readonly (readonly [string, number, readonly string[]])[] = [
  ["en", 0.35, ["US", "GB", "CA", "AU", "NG", "IN"]],
  ["es", 0.2, ["ES", "MX", "AR", "CO", "CL"]],
  ["pt", 0.12, ["BR", "PT"]],
  ["fr", 0.1, ["FR", "BE", "SN", "CA"]],
  ["de", 0.1, ["DE", "AT", "CH"]],
  ["it", 0.07, ["IT", "CH"]],
  ["ko", 0.06, ["KR"]],
];

function pickWeighted(rng: Prng): number {
  let x = rng.next();
  for (let i = 0; i < LANGUAGES.length; i++) {
    x -= LANGUAGES[i]![1];
    if (x < 0) return i;
  }
  return 0;
}

export interface Population {
  participants: BreakoutParticipant[];
  facilitators: BreakoutFacilitator[];
}

export function makePopulation(opts: {
  participants: number;
  facilitators: number;
  capacity: readonly [number, number];
  bilingualShare: number;
  seed: number;
}): Population {
  const rng = createPrng(opts.seed);
  const participants: BreakoutParticipant[] = [];
  let g = 0;
  while (participants.length < opts.participants) {
    const size = Math.min(5 + rng.int(46), opts.participants - participants.length);
    const li = pickWeighted(rng);
    const [lang, , countries] = LANGUAGES[li]!;
    const country = countries[rng.int(countries.length)]!;
    const groupId = `g${String(g).padStart(4, "0")}`;
    const organization = `org${rng.int(Math.ceil(opts.participants / 40))}`;
    for (let k = 0; k < size; k++) {
      const languages = [lang];
      if (rng.next() < opts.bilingualShare) {
        // Second language: mostly English (or Spanish for English speakers).
        const second = lang === "en" ? (rng.next() < 0.6 ? "es" : LANGUAGES[1 + rng.int(6)]![0]) : rng.next() < 0.8 ? "en" : "es";
        if (second !== lang) languages.push(second);
      }
      participants.push({ id: `p${String(participants.length).padStart(5, "0")}`, groupId, languages, organization, country });
    }
    g++;
  }
  const facilitators: BreakoutFacilitator[] = [];
  for (let f = 0; f < opts.facilitators; f++) {
    const lang = LANGUAGES[f < LANGUAGES.length ? f : pickWeighted(rng)]![0];
    const languages = [lang];
    if (rng.next() < 0.3 && lang !== "en") languages.push("en");
    const [lo, hi] = opts.capacity;
    facilitators.push({ id: `f${String(f).padStart(3, "0")}`, languages, capacity: lo + rng.int(hi - lo + 1) });
  }
  return { participants, facilitators };
}

/** Random assignment of the same rooms: each language's members shuffled into the same room sizes. */
export function randomLike(result: BreakoutResult, rng: Prng): { memberIds: string[] }[] {
  const byLanguage = new Map<string, string[]>();
  for (const room of result.rooms) byLanguage.set(room.language, [...(byLanguage.get(room.language) ?? []), ...room.memberIds]);
  for (const ids of byLanguage.values()) rng.shuffle(ids);
  const offset = new Map<string, number>();
  return result.rooms.map((room) => {
    const ids = byLanguage.get(room.language)!;
    const at = offset.get(room.language) ?? 0;
    offset.set(room.language, at + room.memberIds.length);
    return { memberIds: ids.slice(at, at + room.memberIds.length) };
  });
}

export interface ScenarioFigures {
  scenario: string;
  mode: BreakoutMode;
  msPerSession: number[];
  p50: number;
  max: number;
  rooms: number;
  sizeRange: string;
  rule1Violations: number;
  rule2Violations: number;
  sameGroupPairs: number;
  minimumSameGroupPairs: number;
  /** Session 6: repeated pairs / pairs. */
  repeatShareLast: number;
  randomRepeatShareLast: number;
  /** Sessions 2-6 together. */
  repeatShareAll: number;
  randomRepeatShareAll: number;
  /** Sessions 2-6, pairs of different groups only (keep mode keeps groups together on purpose). */
  crossGroupRepeatShareAll: number;
  randomCrossGroupRepeatShareAll: number;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function runScenario(scenario: string, population: Population, mode: BreakoutMode, sessions = 6): ScenarioFigures {
  const history: BreakoutHistorySession[] = [];
  const randomHistory: BreakoutHistorySession[] = [];
  const rng = createPrng(4242);
  const ms: number[] = [];
  let last: BreakoutResult | undefined;
  let repeated = 0;
  let pairs = 0;
  let randomRepeated = 0;
  let randomLast = 0;
  let cross = 0;
  let crossPairs = 0;
  let randomCross = 0;
  let randomCrossPairs = 0;
  for (let s = 0; s < sessions; s++) {
    const t0 = performance.now();
    const result = assignBreakouts({
      participants: population.participants,
      facilitators: population.facilitators,
      targetRoomSize: 8,
      mode,
      seed: 1000 + s,
      history,
    });
    ms.push(performance.now() - t0);
    const random = randomLike(result, rng);
    const randomStats = countBreakoutPairs(random, population.participants, randomHistory);
    if (s > 0) {
      repeated += result.report.repeatedPairs;
      pairs += result.report.totalPairs;
      randomRepeated += randomStats.repeatedPairs;
      cross += result.report.repeatedPairs - result.report.repeatedSameGroupPairs;
      crossPairs += result.report.totalPairs - result.report.sameGroupPairs;
      randomCross += randomStats.repeatedPairs - randomStats.repeatedSameGroupPairs;
      randomCrossPairs += randomStats.totalPairs - randomStats.sameGroupPairs;
    }
    randomLast = randomStats.repeatedPairs / randomStats.totalPairs;
    history.push(result.rooms);
    randomHistory.push(random);
    last = result;
  }
  const r = last!;
  const sizes = r.rooms.map((room) => room.memberIds.length);
  return {
    scenario,
    mode,
    msPerSession: ms,
    p50: median(ms),
    max: Math.max(...ms),
    rooms: r.rooms.length,
    sizeRange: `${Math.min(...sizes)}-${Math.max(...sizes)}`,
    rule1Violations: r.report.violations.filter((v) => v.rule === 1).length,
    rule2Violations: r.report.violations.filter((v) => v.rule === 2).length,
    sameGroupPairs: r.report.sameGroupPairs,
    minimumSameGroupPairs: r.report.minimumSameGroupPairs,
    repeatShareLast: r.report.repeatedPairs / r.report.totalPairs,
    randomRepeatShareLast: randomLast,
    repeatShareAll: repeated / pairs,
    randomRepeatShareAll: randomRepeated / pairs,
    crossGroupRepeatShareAll: cross / crossPairs,
    randomCrossGroupRepeatShareAll: randomCross / randomCrossPairs,
  };
}

export async function main(): Promise<ScenarioFigures[]> {
  const base = { participants: 3000, facilitators: 130, bilingualShare: 0.15, seed: 7 } as const;
  const populations: [string, Population][] = [
    ["spec cap1-2", makePopulation({ ...base, capacity: [1, 2] })],
    ["cap3-4", makePopulation({ ...base, capacity: [3, 4] })],
  ];
  // Warm-up (JIT) so the first timed session is representative.
  runScenario("warmup", populations[1]![1], "mix", 1);
  const figures: ScenarioFigures[] = [];
  for (const [name, population] of populations) {
    for (const mode of ["mix", "keep"] as const) figures.push(runScenario(name, population, mode));
  }
  const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
  const rows: string[][] = [
    ["scenario", "mode", "ms s1..s6", "p50", "max", "rooms", "sizes", "r1/r2", "grp(min)", "rep s6 our/rnd", "rep s2-6 our/rnd", "x-grp s2-6 our/rnd"],
    ...figures.map((f) => [
      f.scenario,
      f.mode,
      f.msPerSession.map((x) => x.toFixed(0)).join(" "),
      f.p50.toFixed(1),
      f.max.toFixed(1),
      String(f.rooms),
      f.sizeRange,
      `${f.rule1Violations}/${f.rule2Violations}`,
      `${f.sameGroupPairs}(${f.minimumSameGroupPairs})`,
      `${pct(f.repeatShareLast)}/${pct(f.randomRepeatShareLast)}`,
      `${pct(f.repeatShareAll)}/${pct(f.randomRepeatShareAll)}`,
      `${pct(f.crossGroupRepeatShareAll)}/${pct(f.randomCrossGroupRepeatShareAll)}`,
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  console.log("breakouts: 3000 participants, 7 languages, 130 facilitators, rooms of 8, 6 sessions (history grows)");
  for (const [name, population] of populations) {
    const slots = population.facilitators.reduce((sum, f) => sum + (f.capacity ?? 1), 0);
    console.log(`  ${name}: ${slots} facilitator room slots for ~${Math.round(3000 / 8)} rooms of 8`);
  }
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join("  ").trimEnd());
  console.log("rep = repeated pairs / pairs; x-grp = same, pairs of different groups only; rnd = same rooms shuffled at random");
  await databaseFigures(populations);
  return figures;
}

/** /breakouts generate and publish as the bot runs them: read, assign, store, enqueue. */
async function databaseFigures(populations: [string, Population][]): Promise<void> {
  const databases: [string, () => Promise<Database>][] = [
    ["PGlite", async () => {
      const db = await openDatabase({ dataDir: "memory" });
      await db.migrate();
      return db;
    }],
    ["PostgreSQL", () => benchPostgres()],
  ];
  const rows: Record<string, string | number>[] = [];
  for (const [database, open] of databases) {
    for (const [name, population] of populations) {
      const db = await open();
      try {
        const result = await generateThroughDatabase(db, population);
        const sorted = [...result.generateMs].sort((a, b) => a - b);
        rows.push({
          database,
          scenario: name,
          "generate ms s1..s6": result.generateMs.map((ms) => ms.toFixed(0)).join(" "),
          "generate p50": percentile(sorted, 50).toFixed(0),
          "generate max": sorted.at(-1)!.toFixed(0),
          "publish ms s1..s6": result.publishMs.map((ms) => ms.toFixed(0)).join(" "),
          rooms: result.rooms,
        });
      } finally {
        await db.close();
      }
    }
  }
  console.log("\nthrough the database (mix, rooms of 8; generate = load people, facilitators and history, assign, store 3,000 seats):");
  table(rows);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
