/**
 * Language choice and facilitator-capacity sharing.
 *
 * Each participant is placed in exactly one of their languages. Everyone starts
 * in their first language; when that leaves a language without facilitator,
 * short of facilitator capacity, or below the minimum room size, multilingual
 * people are moved (a count-level local search over "profiles" = identical
 * ordered language lists) to reduce, lexicographically:
 *   1. people in a language with no facilitator capacity at all,
 *   2. people beyond what the allocated capacity holds at target size, plus
 *      the shortfall of languages below the minimum room size; then the
 *      squared overflow per room (so that, when capacity is short, rooms
 *      grow evenly across languages rather than in one language only),
 *   3. the sum of preference ranks (0 = first language).
 * Facilitator capacity is shared between languages with a max-flow over
 * facilitator "types" (same language set), filled in phases (first one room
 * per language, then 25/50/75/100% of each language's desired rooms) so that
 * scarce capacity is spread proportionally rather than arbitrarily.
 */
import { FlowNetwork } from "./flow.ts";

/**
 * Room-count policy, part 1: the number of rooms R >= 1 whose average size
 * n / R is closest to the target, i.e. R in {max(1, floor(n/t)), ceil(n/t)};
 * ties go to more (smaller) rooms. 0 for n = 0.
 */
export function desiredRoomCount(participants: number, targetRoomSize: number): number {
  if (participants <= 0) return 0;
  const lo = Math.max(1, Math.floor(participants / targetRoomSize));
  const hi = Math.max(1, Math.ceil(participants / targetRoomSize));
  if (lo === hi) return lo;
  const dLo = Math.abs(participants / lo - targetRoomSize);
  const dHi = Math.abs(participants / hi - targetRoomSize);
  return dHi <= dLo ? hi : lo;
}

/** Default minimum room size: max(2, ceil(target / 2)), never above the target. */
export function defaultMinRoomSize(targetRoomSize: number): number {
  return Math.min(targetRoomSize, Math.max(2, Math.ceil(targetRoomSize / 2)));
}

export interface FacilitatorType {
  /** Language indices (sorted, unique). */
  readonly languages: readonly number[];
  readonly capacity: number;
}

/**
 * Shares facilitator capacity among languages. Returns allocated room slots
 * per language, each at most desired[l]; the total is maximal.
 * Phase 0 gives one slot to as many languages as possible, larger languages
 * (by `priority`, e.g. participant counts) first; later phases raise every
 * language to 25%, 50%, 75% and 100% of its desired rooms. Slots given in an
 * earlier phase are never taken back (augmenting paths end at the sink).
 */
export function allocateCapacity(
  desired: readonly number[],
  types: readonly FacilitatorType[],
  priority: readonly number[] = desired,
): number[] {
  const L = desired.length;
  const T = types.length;
  const source = 0;
  const sink = 1 + T + L;
  const net = new FlowNetwork(sink + 1);
  types.forEach((type, t) => {
    net.addEdge(source, 1 + t, type.capacity);
    for (const l of type.languages) if (desired[l]! > 0) net.addEdge(1 + t, 1 + T + l, type.capacity);
  });
  const sinkEdges = desired.map((_, l) => net.addEdge(1 + T + l, sink, 0));
  const current = new Array<number>(L).fill(0);
  // Phase 0, one language at a time: a greedy on a transversal matroid, so it
  // maximises the number of covered languages and prefers the larger ones.
  const order = desired.map((_, l) => l).sort((a, b) => priority[b]! - priority[a]! || a - b);
  for (const l of order) {
    if (desired[l]! <= 0) continue;
    net.raiseCapacity(sinkEdges[l]!, 1);
    current[l] = 1;
    net.maxFlow(source, sink);
  }
  for (const phase of [0.25, 0.5, 0.75, 1]) {
    for (let l = 0; l < L; l++) {
      const d = desired[l]!;
      const cap = Math.ceil(d * phase);
      if (cap > current[l]!) {
        net.raiseCapacity(sinkEdges[l]!, cap - current[l]!);
        current[l] = cap;
      }
    }
    net.maxFlow(source, sink);
  }
  return sinkEdges.map((e) => net.flow(e));
}

export interface LanguagePlanInput {
  readonly languageCount: number;
  /** Per participant (canonical order): language indices, most preferred first; empty = cannot be placed. */
  readonly participantLanguages: readonly (readonly number[])[];
  /** Per participant: group index (groups in canonical order); used to keep groups together when moving people. */
  readonly participantGroup: Int32Array;
  readonly facilitatorTypes: readonly FacilitatorType[];
  readonly targetRoomSize: number;
  readonly minRoomSize: number;
}

export interface LanguagePlan {
  /** Language index per participant, -1 if the participant has no language. */
  readonly languageOf: Int32Array;
  readonly count: number[];
  readonly desired: number[];
  /** Facilitator room slots allocated per language (<= desired). */
  readonly allocated: number[];
  /** Local-search moves evaluated. */
  readonly evaluations: number;
}

const UNSERVED = 1e10; // per person in a language with no facilitator
const SHORT = 1e6; // per person beyond capacity, and per missing person below the minimum room size
const SPREAD = 1e3; // per room, times the square of its overflow beyond the target
/** Deterministic bound on the language search (each evaluation is a small max-flow). */
const MAX_EVALUATIONS = 4000;

interface Profile {
  readonly languages: readonly number[];
  /** Participant indices, ordered by (group, participant) so moves keep groups together. */
  readonly people: number[];
  readonly x: number[]; // count placed at each position of `languages`
}

export function planLanguages(input: LanguagePlanInput): LanguagePlan {
  const { languageCount: L, targetRoomSize: t, minRoomSize, facilitatorTypes } = input;
  const byKey = new Map<string, Profile>();
  input.participantLanguages.forEach((langs, i) => {
    if (langs.length === 0) return;
    const key = langs.join(",");
    let p = byKey.get(key);
    if (!p) byKey.set(key, (p = { languages: langs, people: [], x: new Array<number>(langs.length).fill(0) }));
    p.people.push(i);
  });
  const profiles = [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, p]) => p);
  const group = input.participantGroup;
  for (const p of profiles) {
    p.people.sort((a, b) => group[a]! - group[b]! || a - b);
    p.x[0] = p.people.length;
  }

  const n = new Array<number>(L).fill(0);
  for (const p of profiles) n[p.languages[0]!]! += p.people.length;
  let pref = 0;
  let evaluations = 0;

  const evaluate = (counts: readonly number[]): { penalty: number; desired: number[]; allocated: number[] } => {
    evaluations++;
    const desired = counts.map((c) => desiredRoomCount(c, t));
    const allocated = allocateCapacity(desired, facilitatorTypes, counts);
    let penalty = 0;
    for (let l = 0; l < L; l++) {
      const c = counts[l]!;
      if (c === 0) continue;
      const k = allocated[l]!;
      if (k === 0) penalty += UNSERVED * c;
      else if (k < desired[l]!) {
        const overflow = c - k * t;
        // Linear: people beyond capacity. Convex: spread the overflow so no language's rooms grow much more than another's.
        penalty += SHORT * overflow + (SPREAD * overflow * overflow) / k;
      }
      if (c < minRoomSize) penalty += SHORT * (minRoomSize - c);
    }
    return { penalty, desired, allocated };
  };

  let state = evaluate(n);
  const cost = (): number => state.penalty + pref;

  // Tries to move `amount` people of profile p from position i to position j; keeps the move if it lowers the cost.
  const tryMove = (p: Profile, i: number, j: number, amount: number): boolean => {
    if (amount <= 0 || amount > p.x[i]! || evaluations >= MAX_EVALUATIONS) return false;
    const from = p.languages[i]!;
    const to = p.languages[j]!;
    n[from]! -= amount;
    n[to]! += amount;
    const next = evaluate(n);
    const nextPref = pref + amount * (j - i);
    if (next.penalty + nextPref < cost()) {
      state = next;
      pref = nextPref;
      p.x[i]! -= amount;
      p.x[j]! += amount;
      return true;
    }
    n[from]! += amount;
    n[to]! -= amount;
    return false;
  };

  // Moves every multilingual person out of language l (each to their most preferred other language).
  const tryEvacuate = (l: number): boolean => {
    const moves: { p: Profile; i: number; j: number; amount: number }[] = [];
    for (const p of profiles) {
      const i = p.languages.indexOf(l);
      if (i < 0 || p.x[i] === 0 || p.languages.length < 2) continue;
      const j = i === 0 ? 1 : 0;
      moves.push({ p, i, j, amount: p.x[i]! });
    }
    if (moves.length === 0 || evaluations >= MAX_EVALUATIONS) return false;
    let dPref = 0;
    for (const m of moves) {
      n[m.p.languages[m.i]!]! -= m.amount;
      n[m.p.languages[m.j]!]! += m.amount;
      dPref += m.amount * (m.j - m.i);
    }
    const next = evaluate(n);
    if (next.penalty + pref + dPref < cost()) {
      state = next;
      pref += dPref;
      for (const m of moves) {
        m.p.x[m.i]! -= m.amount;
        m.p.x[m.j]! += m.amount;
      }
      return true;
    }
    for (const m of moves) {
      n[m.p.languages[m.i]!]! += m.amount;
      n[m.p.languages[m.j]!]! -= m.amount;
    }
    return false;
  };

  const isProblem = (l: number): boolean => {
    const c = n[l]!;
    if (c === 0) return false;
    return state.allocated[l] === 0 || state.allocated[l]! < state.desired[l]! || c < minRoomSize;
  };

  const MAX_PASSES = 50;
  for (let pass = 0; pass < MAX_PASSES && state.penalty > 0; pass++) {
    let improved = false;
    for (let l = 0; l < L; l++) if (isProblem(l) && tryEvacuate(l)) improved = true;
    for (const p of profiles) {
      const k = p.languages.length;
      if (k < 2) continue;
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          if (i === j || p.x[i] === 0) continue;
          const from = p.languages[i]!;
          const to = p.languages[j]!;
          if (!isProblem(from) && !(n[to]! < minRoomSize)) continue;
          const amounts = [1, minRoomSize - n[to]!, p.x[i]!];
          for (const amount of amounts) {
            if (tryMove(p, i, j, amount)) {
              improved = true;
              while (p.x[i]! > 0 && tryMove(p, i, j, 1)) {
                // keep moving single people while it helps
              }
              break;
            }
          }
        }
      }
    }
    if (!improved || evaluations >= MAX_EVALUATIONS) break;
  }

  // Undo moves that are no longer needed (e.g. after later moves freed capacity): back towards preference.
  if (pref > 0) {
    for (const p of profiles) {
      for (let i = p.languages.length - 1; i > 0; i--) {
        for (let j = 0; j < i; j++) {
          while (p.x[i]! > 0 && tryMove(p, i, j, 1)) {
            // each accepted move lowers the preference cost without adding penalty
          }
        }
      }
    }
  }

  const languageOf = new Int32Array(input.participantLanguages.length).fill(-1);
  for (const p of profiles) {
    let pos = 0;
    p.x.forEach((count, k) => {
      for (let c = 0; c < count; c++) languageOf[p.people[pos++]!] = p.languages[k]!;
    });
  }
  return { languageOf, count: n, desired: state.desired, allocated: state.allocated, evaluations };
}
