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

/** People with the same ordered list of languages: the search moves them between those languages as counts. */
interface LanguageProfile {
  readonly languages: readonly number[];
  /** Participant indices, ordered by (group, participant) so moves keep groups together. */
  readonly people: number[];
  /** How many of them are placed at each position of `languages`. */
  readonly placed: number[];
}

/** Everyone with a language, grouped into profiles (in a fixed order), all placed in their first language. */
function languageProfiles(input: LanguagePlanInput): LanguageProfile[] {
  const byLanguages = new Map<string, LanguageProfile>();
  input.participantLanguages.forEach((languages, i) => {
    if (languages.length === 0) return;
    const key = languages.join(",");
    let profile = byLanguages.get(key);
    if (!profile) byLanguages.set(key, (profile = { languages, people: [], placed: new Array<number>(languages.length).fill(0) }));
    profile.people.push(i);
  });
  const profiles = [...byLanguages.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, profile]) => profile);
  const group = input.participantGroup;
  for (const profile of profiles) {
    profile.people.sort((a, b) => group[a]! - group[b]! || a - b);
    profile.placed[0] = profile.people.length;
  }
  return profiles;
}

interface PlacementCost {
  readonly penalty: number;
  readonly desired: number[];
  readonly allocated: number[];
}

/** A local search over how many people of each profile go to each of its languages. */
class LanguageSearch {
  /** People per language as placed now. */
  readonly count: number[];
  /** Sum over people of the position of their language in their list (0 = first choice). */
  private preference = 0;
  evaluations = 0;
  state: PlacementCost;

  constructor(
    private readonly input: LanguagePlanInput,
    readonly profiles: readonly LanguageProfile[],
  ) {
    this.count = new Array<number>(input.languageCount).fill(0);
    for (const profile of profiles) this.count[profile.languages[0]!]! += profile.people.length;
    this.state = this.evaluate();
  }

  get moved(): boolean {
    return this.preference > 0;
  }

  /** The penalty of the current counts (see the top of this file) and the room counts they imply. */
  private evaluate(): PlacementCost {
    this.evaluations++;
    const { targetRoomSize, minRoomSize } = this.input;
    const desired = this.count.map((people) => desiredRoomCount(people, targetRoomSize));
    const allocated = allocateCapacity(desired, this.input.facilitatorTypes, this.count);
    let penalty = 0;
    this.count.forEach((people, l) => {
      if (people === 0) return;
      const slots = allocated[l]!;
      if (slots === 0) penalty += UNSERVED * people;
      else if (slots < desired[l]!) {
        const overflow = people - slots * targetRoomSize;
        // Linear: people beyond capacity. Convex: spread the overflow so no language's rooms grow much more than another's.
        penalty += SHORT * overflow + (SPREAD * overflow * overflow) / slots;
      }
      if (people < minRoomSize) penalty += SHORT * (minRoomSize - people);
    });
    return { penalty, desired, allocated };
  }

  private cost(): number {
    return this.state.penalty + this.preference;
  }

  private get exhausted(): boolean {
    return this.evaluations >= MAX_EVALUATIONS;
  }

  /** Language l has people but no facilitator, too few facilitators, or too few people. */
  isProblem(l: number): boolean {
    const people = this.count[l]!;
    if (people === 0) return false;
    return this.state.allocated[l] === 0 || this.state.allocated[l]! < this.state.desired[l]! || people < this.input.minRoomSize;
  }

  /** Moves `amount` people of a profile from its language at position `from` to the one at `to`, if that lowers the cost. */
  tryMove(profile: LanguageProfile, from: number, to: number, amount: number): boolean {
    if (amount <= 0 || amount > profile.placed[from]! || this.exhausted) return false;
    const source = profile.languages[from]!;
    const target = profile.languages[to]!;
    this.count[source]! -= amount;
    this.count[target]! += amount;
    const next = this.evaluate();
    const nextPreference = this.preference + amount * (to - from);
    if (next.penalty + nextPreference < this.cost()) {
      this.state = next;
      this.preference = nextPreference;
      profile.placed[from]! -= amount;
      profile.placed[to]! += amount;
      return true;
    }
    this.count[source]! += amount;
    this.count[target]! -= amount;
    return false;
  }

  /** Moves every multilingual person out of language l (each to their most preferred other language), if that lowers the cost. */
  tryEvacuate(l: number): boolean {
    const moves: { profile: LanguageProfile; from: number; to: number; amount: number }[] = [];
    for (const profile of this.profiles) {
      const from = profile.languages.indexOf(l);
      if (from < 0 || profile.placed[from] === 0 || profile.languages.length < 2) continue;
      moves.push({ profile, from, to: from === 0 ? 1 : 0, amount: profile.placed[from]! });
    }
    if (moves.length === 0 || this.exhausted) return false;
    let preferenceChange = 0;
    for (const move of moves) {
      this.count[move.profile.languages[move.from]!]! -= move.amount;
      this.count[move.profile.languages[move.to]!]! += move.amount;
      preferenceChange += move.amount * (move.to - move.from);
    }
    const next = this.evaluate();
    if (next.penalty + this.preference + preferenceChange < this.cost()) {
      this.state = next;
      this.preference += preferenceChange;
      for (const move of moves) {
        move.profile.placed[move.from]! -= move.amount;
        move.profile.placed[move.to]! += move.amount;
      }
      return true;
    }
    for (const move of moves) {
      this.count[move.profile.languages[move.from]!]! += move.amount;
      this.count[move.profile.languages[move.to]!]! -= move.amount;
    }
    return false;
  }

  /** One pass: empty problem languages, then move people of each profile towards a fix. Whether anything moved. */
  improveOnce(): boolean {
    const { minRoomSize } = this.input;
    let improved = false;
    for (let l = 0; l < this.input.languageCount; l++) if (this.isProblem(l) && this.tryEvacuate(l)) improved = true;
    for (const profile of this.profiles) {
      const positions = profile.languages.length;
      if (positions < 2) continue;
      for (let from = 0; from < positions; from++) {
        for (let to = 0; to < positions; to++) {
          if (from === to || profile.placed[from] === 0) continue;
          const target = profile.languages[to]!;
          // Only moves out of a problem language, or into one that is too small, can help.
          if (!this.isProblem(profile.languages[from]!) && !(this.count[target]! < minRoomSize)) continue;
          for (const amount of [1, minRoomSize - this.count[target]!, profile.placed[from]!]) {
            if (this.tryMove(profile, from, to, amount)) {
              improved = true;
              while (profile.placed[from]! > 0 && this.tryMove(profile, from, to, 1)) {
                // keep moving single people while it helps
              }
              break;
            }
          }
        }
      }
    }
    return improved;
  }

  /** Takes back moves no longer needed (e.g. after later moves freed capacity): people return towards their preference. */
  undoUnneededMoves(): void {
    for (const profile of this.profiles) {
      for (let from = profile.languages.length - 1; from > 0; from--) {
        for (let to = 0; to < from; to++) {
          while (profile.placed[from]! > 0 && this.tryMove(profile, from, to, 1)) {
            // each accepted move lowers the preference cost without adding penalty
          }
        }
      }
    }
  }
}

const MAX_PASSES = 50;

export function planLanguages(input: LanguagePlanInput): LanguagePlan {
  const search = new LanguageSearch(input, languageProfiles(input));
  for (let pass = 0; pass < MAX_PASSES && search.state.penalty > 0; pass++) {
    if (!search.improveOnce() || search.evaluations >= MAX_EVALUATIONS) break;
  }
  if (search.moved) search.undoUnneededMoves();

  const languageOf = new Int32Array(input.participantLanguages.length).fill(-1);
  for (const profile of search.profiles) {
    let next = 0;
    profile.placed.forEach((people, position) => {
      for (let k = 0; k < people; k++) languageOf[profile.people[next++]!] = profile.languages[position]!;
    });
  }
  return { languageOf, count: search.count, desired: search.state.desired, allocated: search.state.allocated, evaluations: search.evaluations };
}
