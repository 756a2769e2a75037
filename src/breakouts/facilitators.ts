/**
 * Which facilitator leads which room.
 *
 * Step 1 (per language, how many rooms each facilitator leads) is a min-cost
 * flow over individual facilitators, with room slots per language fixed by the
 * capacity plan. Costs, from most to least important:
 *   - load spreading: a facilitator's k-th room (k = 0, 1, ...) costs k * LOAD,
 *     so nobody leads a second room while someone able is idle;
 *   - language preference: RANK * position of the language in their list
 *     (0 = their first language);
 *   - rotation (optional): HISTORY * rooms they led in the history, so those
 *     who led less get their turn;
 *   - a seeded tie-break.
 * Step 2 (which room of that language) greedily gives each room the
 * facilitator who has led the fewest of its members before (rotation).
 */
import { FlowNetwork } from "./flow.ts";
import { hashString } from "./prng.ts";

const LOAD = 1e9;
const RANK = 1e6;
const HISTORY = 1e3;

export interface FacilitatorSlotsInput {
  /** Canonical facilitator order; language indices by preference; capacity already clamped. */
  readonly facilitatorIds: readonly string[];
  readonly facilitatorLanguages: readonly (readonly number[])[];
  /** Position of each of those languages in the facilitator's own list (0 = first language). */
  readonly facilitatorLanguageRanks: readonly (readonly number[])[];
  readonly capacity: readonly number[];
  /** Room slots to fill per language. */
  readonly slots: readonly number[];
  /** Earlier rooms led, per facilitator (0 when rotation is off). */
  readonly pastRooms: readonly number[];
  readonly salt: number;
}

/** Per language: facilitator indices, one entry per room slot (a facilitator leading 2 rooms appears twice). */
export function assignFacilitatorSlots(input: FacilitatorSlotsInput): number[][] {
  const F = input.facilitatorIds.length;
  const L = input.slots.length;
  const source = 0;
  const sink = 1 + F + L;
  const net = new FlowNetwork(sink + 1);
  const langEdges: { f: number; l: number; e: number }[] = [];
  for (let f = 0; f < F; f++) {
    const langs = input.facilitatorLanguages[f]!;
    let reachable = 0;
    for (const l of langs) reachable += input.slots[l]!;
    const units = Math.min(input.capacity[f]!, reachable);
    if (units <= 0) continue;
    for (let u = 0; u < units; u++) net.addEdge(source, 1 + f, 1, u * LOAD);
    const personal = Math.min(input.pastRooms[f]!, 999) * HISTORY + (hashString(input.facilitatorIds[f]!, input.salt) % 1000);
    const ranks = input.facilitatorLanguageRanks[f]!;
    langs.forEach((l, k) => {
      const cost = Math.min(ranks[k]!, 99) * RANK + personal;
      if (input.slots[l]! > 0) langEdges.push({ f, l, e: net.addEdge(1 + f, 1 + F + l, units, cost) });
    });
  }
  let total = 0;
  for (let l = 0; l < L; l++) {
    if (input.slots[l]! > 0) net.addEdge(1 + F + l, sink, input.slots[l]!);
    total += input.slots[l]!;
  }
  const { flow } = net.minCostFlow(source, sink, total);
  if (flow !== total) throw new Error(`breakouts: internal error, facilitator slots ${flow} of ${total}`);
  const result: number[][] = Array.from({ length: L }, () => []);
  for (const { f, l, e } of langEdges) for (let k = net.flow(e); k > 0; k--) result[l]!.push(f);
  for (const list of result) list.sort((a, b) => a - b);
  return result;
}

/**
 * Matches a language's facilitator slots to its rooms: each room in turn takes
 * the remaining slot whose facilitator led the fewest of its members before
 * (ties: first slot). Returns the facilitator index per room.
 */
export function matchFacilitatorsToRooms(
  rooms: readonly (readonly number[])[],
  slotFacilitators: readonly number[],
  pastMembers: readonly (ReadonlySet<number> | undefined)[],
): number[] {
  const used = new Array<boolean>(slotFacilitators.length).fill(false);
  return rooms.map((members) => {
    let best = -1;
    let bestOverlap = Infinity;
    slotFacilitators.forEach((f, s) => {
      if (used[s]) return;
      const past = pastMembers[f];
      let overlap = 0;
      if (past) for (const m of members) if (past.has(m)) overlap++;
      if (overlap < bestOverlap) {
        bestOverlap = overlap;
        best = s;
      }
    });
    used[best] = true;
    return slotFacilitators[best]!;
  });
}
