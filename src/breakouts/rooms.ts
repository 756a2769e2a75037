/**
 * Rooms within one language: fixed room sizes (differing by at most one), an
 * initial assignment (keep: group packing; mix: round-robin dealing by group),
 * then a local search of member swaps between rooms, which never changes sizes.
 *
 * Swap cost, lexicographic:
 *   primary   = same-group pairs (mix: minimise; keep: maximise),
 *   secondary = weights.repeat * earlier shared sessions of each pair
 *               (keep mode: pairs of different groups only)
 *             + (mix only) weights.organization * same-organization pairs
 *             + (mix only) weights.country * same-country pairs.
 * Moves: swap two people of different rooms; in keep mode also swap two
 * equally large parts of different groups between rooms (never splits a group
 * further). A move is accepted when it lowers the cost or leaves it unchanged
 * (sideways moves let the search drift across plateaus). The budget is a number of swap
 * attempts drawn from a seeded PRNG, so the result never depends on machine speed.
 */
import type { PairHistory } from "./pairs.ts";
import { createPrng, hashString } from "./prng.ts";
import type { BreakoutMode, BreakoutWeights } from "./types.ts";

/** Room sizes for n people in R rooms: the first n mod R rooms get one more. */
export function roomSizes(n: number, rooms: number): number[] {
  if (rooms <= 0) return [];
  const base = Math.floor(n / rooms);
  const extra = n - base * rooms;
  return Array.from({ length: rooms }, (_, r) => base + (r < extra ? 1 : 0));
}

export interface LanguageRoomsInput {
  /** Global participant indices placed in this language, ascending. */
  readonly members: readonly number[];
  readonly rooms: number;
  /** Global per-participant attribute indices (-1 = unknown for organization/country). */
  readonly group: Int32Array;
  readonly organization: Int32Array;
  readonly country: Int32Array;
  /** Group index -> group id (for seeded tie-breaks). */
  readonly groupIds: readonly string[];
  readonly history: PairHistory;
  readonly mode: BreakoutMode;
  readonly salt: number;
  readonly weights: BreakoutWeights;
  readonly iterations: number;
  /** Scratch array of length = all participants, filled with -1; restored before returning. */
  readonly localIndex: Int32Array;
}

export interface LanguageRooms {
  /** Member lists (global indices, ascending) per room. */
  readonly rooms: number[][];
  readonly iterations: number;
}

/** Compresses attribute values of the members to 0..k-1 (-1 stays -1); order of first appearance. */
function compress(members: readonly number[], attr: Int32Array): { local: Int32Array; count: number } {
  const map = new Map<number, number>();
  const local = new Int32Array(members.length);
  members.forEach((g, i) => {
    const v = attr[g]!;
    if (v < 0) {
      local[i] = -1;
      return;
    }
    let k = map.get(v);
    if (k === undefined) map.set(v, (k = map.size));
    local[i] = k;
  });
  return { local, count: map.size };
}

/**
 * keep mode: groups (chunks of local indices) are packed into rooms of fixed capacity.
 * 1. Large groups first fill whole empty rooms (largest capacity that fits) until the rest is smaller than any empty room.
 * 2. Remaining chunks, largest first, go whole into the fullest room that still holds them (best fit).
 * 3. Chunks that fit nowhere are split over the rooms with the most free space.
 */
function packKeep(chunks: readonly number[][], capacities: readonly number[], roomOf: Int32Array): void {
  const R = capacities.length;
  const free = capacities.slice();
  const empty = new Array<boolean>(R).fill(true);
  const put = (members: readonly number[], r: number): void => {
    for (const i of members) roomOf[i] = r;
    free[r]! -= members.length;
    empty[r] = false;
  };
  const residuals: number[][] = [];
  for (const chunk of chunks) {
    let rest = chunk;
    for (;;) {
      let best = -1;
      for (let r = 0; r < R; r++) {
        if (empty[r] && free[r]! <= rest.length && (best < 0 || free[r]! > free[best]!)) best = r;
      }
      if (best < 0) break;
      put(rest.slice(0, free[best]!), best);
      rest = rest.slice(capacities[best]!);
      if (rest.length === 0) break;
    }
    if (rest.length > 0) residuals.push(rest);
  }
  residuals.sort((a, b) => b.length - a.length);
  const leftovers: number[][] = [];
  for (const chunk of residuals) {
    let best = -1;
    for (let r = 0; r < R; r++) {
      if (free[r]! >= chunk.length && (best < 0 || free[r]! < free[best]!)) best = r;
    }
    if (best >= 0) put(chunk, best);
    else leftovers.push(chunk);
  }
  for (const chunk of leftovers) {
    let rest = chunk;
    while (rest.length > 0) {
      let best = 0;
      for (let r = 1; r < R; r++) if (free[r]! > free[best]!) best = r;
      const take = Math.min(free[best]!, rest.length);
      put(rest.slice(0, take), best);
      rest = rest.slice(take);
    }
  }
}

export function buildLanguageRooms(input: LanguageRoomsInput): LanguageRooms {
  const { members, history, mode, weights, localIndex } = input;
  const n = members.length;
  const R = input.rooms;
  const sizes = roomSizes(n, R);
  members.forEach((g, i) => (localIndex[g] = i));

  const { local: grp, count: G } = compress(members, input.group);
  const { local: org, count: O } = compress(members, input.organization);
  const { local: cty, count: C } = compress(members, input.country);
  const groupSize = new Int32Array(G);
  for (let i = 0; i < n; i++) groupSize[grp[i]!]!++;

  // Group chunks in a seeded order: larger groups first, ties by seeded hash of the group id.
  const chunkOf: number[][] = Array.from({ length: G }, () => []);
  const groupKey = new Array<string>(G);
  for (let i = 0; i < n; i++) {
    chunkOf[grp[i]!]!.push(i);
    groupKey[grp[i]!] = input.groupIds[input.group[members[i]!]!]!;
  }
  const tie = groupKey.map((k) => hashString(k, input.salt));
  const chunkOrder = Array.from({ length: G }, (_, g) => g).sort(
    (a, b) => groupSize[b]! - groupSize[a]! || tie[a]! - tie[b]! || a - b,
  );

  const roomOf = new Int32Array(n);
  if (mode === "mix") {
    // Deal members round-robin, group after group: each group is spread as evenly as possible,
    // and room r receives exactly sizes[r] people.
    let k = 0;
    for (const g of chunkOrder) for (const i of chunkOf[g]!) roomOf[i] = k++ % R;
  } else {
    packKeep(
      chunkOrder.map((g) => chunkOf[g]!),
      sizes,
      roomOf,
    );
  }

  // Slots: members of room r live in slots[start[r] .. start[r] + sizes[r]).
  const start = new Int32Array(R + 1);
  for (let r = 0; r < R; r++) start[r + 1] = start[r]! + sizes[r]!;
  const slots = new Int32Array(n);
  const pos = new Int32Array(n);
  const fill = start.slice(0, R);
  for (let i = 0; i < n; i++) {
    const r = roomOf[i]!;
    pos[i] = fill[r]!;
    slots[fill[r]!++] = i;
  }

  // Per-room attribute counts.
  const gc = new Int32Array(R * G);
  const oc = new Int32Array(R * Math.max(O, 1));
  const cc = new Int32Array(R * Math.max(C, 1));
  for (let i = 0; i < n; i++) {
    const r = roomOf[i]!;
    gc[r * G + grp[i]!]!++;
    if (org[i]! >= 0) oc[r * O + org[i]!]!++;
    if (cty[i]! >= 0) cc[r * C + cty[i]!]!++;
  }

  // Past room-mates within this language (local indices). In keep mode, members of the same group
  // are together by design, so only repeats across groups count.
  const mStart = new Int32Array(n + 1);
  const mList: number[] = [];
  const mTimes: number[] = [];
  for (let i = 0; i < n; i++) {
    const g = members[i]!;
    for (let k = history.start[g]!; k < history.start[g + 1]!; k++) {
      const j = localIndex[history.mate[k]!]!;
      if (j >= 0 && (mode === "mix" || grp[j] !== grp[i])) {
        mList.push(j);
        mTimes.push(history.times[k]!);
      }
    }
    mStart[i + 1] = mList.length;
  }
  const mate = Int32Array.from(mList);
  const times = Int32Array.from(mTimes);

  const sign = mode === "mix" ? 1 : -1;
  const wO = mode === "mix" ? weights.organization : 0;
  const wC = mode === "mix" ? weights.country : 0;
  const wR = weights.repeat;
  const budget = R >= 2 ? input.iterations : 0;
  const rng = createPrng(input.salt);

  // rep[i] = earlier shared sessions of i with its current room-mates (kept up to date on swaps).
  const rep = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = mStart[i]!; k < mStart[i + 1]!; k++) if (roomOf[mate[k]!] === roomOf[i]) s += times[k]!;
    rep[i] = s;
  }
  // People with something to fix are always tried; others only 1 time in 8 (mix: for country mixing).
  const hasIssue = (a: number): boolean => {
    if (wR !== 0 && rep[a]! > 0) return true;
    const A = roomOf[a]!;
    const g = grp[a]!;
    if (mode === "keep") return gc[A * G + g]! < groupSize[g]!;
    if (gc[A * G + g]! > 1) return true;
    const o = org[a]!;
    return o >= 0 && oc[A * O + o]! > 1;
  };

  const applySwap = (a: number, b: number): void => {
    const A = roomOf[a]!;
    const B = roomOf[b]!;
    for (let k = mStart[a]!; k < mStart[a + 1]!; k++) if (roomOf[mate[k]!] === A) rep[mate[k]!]! -= times[k]!;
    for (let k = mStart[b]!; k < mStart[b + 1]!; k++) if (roomOf[mate[k]!] === B) rep[mate[k]!]! -= times[k]!;
    const pa = pos[a]!;
    const pb = pos[b]!;
    slots[pa] = b;
    slots[pb] = a;
    pos[a] = pb;
    pos[b] = pa;
    roomOf[a] = B;
    roomOf[b] = A;
    let repA = 0;
    for (let k = mStart[a]!; k < mStart[a + 1]!; k++) {
      if (roomOf[mate[k]!] === B) {
        rep[mate[k]!]! += times[k]!;
        repA += times[k]!;
      }
    }
    let repB = 0;
    for (let k = mStart[b]!; k < mStart[b + 1]!; k++) {
      if (roomOf[mate[k]!] === A) {
        rep[mate[k]!]! += times[k]!;
        repB += times[k]!;
      }
    }
    rep[a] = repA;
    rep[b] = repB;
    const ga = grp[a]!;
    const gb = grp[b]!;
    gc[A * G + ga]!--;
    gc[B * G + ga]!++;
    gc[B * G + gb]!--;
    gc[A * G + gb]!++;
    const oa = org[a]!;
    const ob = org[b]!;
    if (oa >= 0) {
      oc[A * O + oa]!--;
      oc[B * O + oa]!++;
    }
    if (ob >= 0) {
      oc[B * O + ob]!--;
      oc[A * O + ob]!++;
    }
    const ca = cty[a]!;
    const cb = cty[b]!;
    if (ca >= 0) {
      cc[A * C + ca]!--;
      cc[B * C + ca]!++;
    }
    if (cb >= 0) {
      cc[B * C + cb]!--;
      cc[A * C + cb]!++;
    }
  };

  // Move 1: swap two people a (room A) and b (room B).
  const trySwap = (a: number, A: number, B: number): void => {
    const b = slots[start[B]! + rng.int(sizes[B]!)]!;
    const ga = grp[a]!;
    const gb = grp[b]!;
    let primary = 0;
    if (ga !== gb) {
      primary = gc[B * G + ga]! - gc[A * G + ga]! + 1 + (gc[A * G + gb]! - gc[B * G + gb]! + 1);
      primary *= sign;
    }
    if (primary > 0) return;
    let secondary = 0;
    if (wO !== 0) {
      const oa = org[a]!;
      const ob = org[b]!;
      if (oa !== ob) {
        let d = 0;
        if (oa >= 0) d += oc[B * O + oa]! - oc[A * O + oa]! + 1;
        if (ob >= 0) d += oc[A * O + ob]! - oc[B * O + ob]! + 1;
        secondary += wO * d;
      }
    }
    if (wC !== 0) {
      const ca = cty[a]!;
      const cb = cty[b]!;
      if (ca !== cb) {
        let d = 0;
        if (ca >= 0) d += cc[B * C + ca]! - cc[A * C + ca]! + 1;
        if (cb >= 0) d += cc[A * C + cb]! - cc[B * C + cb]! + 1;
        secondary += wC * d;
      }
    }
    if (wR !== 0) {
      let d = 0;
      for (let k = mStart[a]!; k < mStart[a + 1]!; k++) {
        const m = mate[k]!;
        const r = roomOf[m]!;
        if (r === B && m !== b) d += times[k]!;
        else if (r === A) d -= times[k]!;
      }
      for (let k = mStart[b]!; k < mStart[b + 1]!; k++) {
        const m = mate[k]!;
        const r = roomOf[m]!;
        if (r === A && m !== a) d += times[k]!;
        else if (r === B) d -= times[k]!;
      }
      secondary += wR * d;
    }
    if (primary === 0 && secondary > 0) return;
    applySwap(a, b);
  };

  // Move 2 (keep mode): swap a's whole group part in room A with an equally large group part in room B.
  // Groups never get more split by this; it lets the search reduce repeats without breaking groups.
  const chunkX: number[] = [];
  const chunkY: number[] = [];
  const tryChunkSwap = (a: number, A: number, B: number): void => {
    const g = grp[a]!;
    const k = gc[A * G + g]!;
    const sizeB = sizes[B]!;
    const offset = rng.int(sizeB);
    let b = -1;
    for (let s = 0; s < sizeB; s++) {
      const cand = slots[start[B]! + ((offset + s) % sizeB)]!;
      const h = grp[cand]!;
      if (h !== g && gc[B * G + h] === k) {
        b = cand;
        break;
      }
    }
    if (b < 0 || (k === sizes[A] && k === sizeB)) return; // no partner, or just two whole rooms trading places
    const h = grp[b]!;
    // Same-group pairs gained: g's part joins g's members already in B, h's part joins h's members in A.
    const primary = sign * k * (gc[B * G + g]! + gc[A * G + h]!);
    if (primary > 0) return;
    chunkX.length = 0;
    chunkY.length = 0;
    for (let s = start[A]!; s < start[A + 1]!; s++) if (grp[slots[s]!] === g) chunkX.push(slots[s]!);
    for (let s = start[B]!; s < start[B + 1]!; s++) if (grp[slots[s]!] === h) chunkY.push(slots[s]!);
    let d = 0;
    for (const x of chunkX) {
      for (let q = mStart[x]!; q < mStart[x + 1]!; q++) {
        const m = mate[q]!;
        const r = roomOf[m]!;
        if (r === B && grp[m] !== h) d += times[q]!;
        else if (r === A && grp[m] !== g) d -= times[q]!;
      }
    }
    for (const y of chunkY) {
      for (let q = mStart[y]!; q < mStart[y + 1]!; q++) {
        const m = mate[q]!;
        const r = roomOf[m]!;
        if (r === A && grp[m] !== g) d += times[q]!;
        else if (r === B && grp[m] !== h) d -= times[q]!;
      }
    }
    if (primary === 0 && wR * d > 0) return;
    for (let i = 0; i < k; i++) applySwap(chunkX[i]!, chunkY[i]!);
  };

  let it = 0;
  for (; it < budget; it++) {
    const a = rng.int(n);
    if (!hasIssue(a) && rng.next() < 0.875) continue;
    const A = roomOf[a]!;
    let B = rng.int(R - 1);
    if (B >= A) B++;
    if (mode === "keep" && rng.next() < 0.5) tryChunkSwap(a, A, B);
    else trySwap(a, A, B);
  }

  const rooms: number[][] = Array.from({ length: R }, (_, r) => {
    const list: number[] = [];
    for (let s = start[r]!; s < start[r + 1]!; s++) list.push(members[slots[s]!]!);
    return list.sort((x, y) => x - y);
  });
  for (const g of members) localIndex[g] = -1;
  return { rooms, iterations: it };
}
