/**
 * Pair history: who already shared a room with whom, as compact integer
 * adjacency lists (CSR) over participant indices, plus per-facilitator
 * history for rotation. Independent of the order of sessions, rooms and ids.
 */
import type { BreakoutHistorySession, BreakoutPairStats } from "./types.ts";

export interface PairHistory {
  /** mates of participant i are mate[start[i] .. start[i+1]), ascending, with times[k] shared sessions. */
  readonly start: Int32Array;
  readonly mate: Int32Array;
  readonly times: Int32Array;
  /** Facilitator id -> number of earlier rooms led. */
  readonly facilitatorRooms: ReadonlyMap<string, number>;
  /** Facilitator id -> participant indices they led before. */
  readonly facilitatorMembers: ReadonlyMap<string, ReadonlySet<number>>;
}

function roomMembers(room: BreakoutHistorySession[number]): { ids: readonly string[]; facilitatorId: string | null } {
  if (Array.isArray(room)) return { ids: room as readonly string[], facilitatorId: null };
  const r = room as { readonly memberIds: readonly string[]; readonly facilitatorId?: string | null };
  return { ids: r.memberIds, facilitatorId: r.facilitatorId ?? null };
}

export function buildPairHistory(
  history: readonly BreakoutHistorySession[] | undefined,
  indexOf: ReadonlyMap<string, number>,
  n: number,
): PairHistory {
  // Every co-occurrence of a pair (a < b) as the key a * n + b; sorted, equal keys are one pair met several times.
  let keys = new Float64Array(1024);
  let keyCount = 0;
  const facilitatorRooms = new Map<string, number>();
  const facilitatorMembers = new Map<string, Set<number>>();
  for (const session of history ?? []) {
    for (const room of session) {
      const { ids, facilitatorId } = roomMembers(room);
      const members: number[] = [];
      for (const id of ids) {
        const i = indexOf.get(id);
        if (i !== undefined) members.push(i);
      }
      members.sort((a, b) => a - b);
      let m = 0;
      for (let k = 0; k < members.length; k++) if (k === 0 || members[k] !== members[k - 1]) members[m++] = members[k]!;
      members.length = m;
      const needed = keyCount + (m * (m - 1)) / 2;
      if (needed > keys.length) {
        const grown = new Float64Array(Math.max(needed, keys.length * 2));
        grown.set(keys.subarray(0, keyCount));
        keys = grown;
      }
      for (let x = 0; x < m; x++) {
        const base = members[x]! * n;
        for (let y = x + 1; y < m; y++) keys[keyCount++] = base + members[y]!;
      }
      if (facilitatorId !== null) {
        facilitatorRooms.set(facilitatorId, (facilitatorRooms.get(facilitatorId) ?? 0) + 1);
        let set = facilitatorMembers.get(facilitatorId);
        if (!set) facilitatorMembers.set(facilitatorId, (set = new Set()));
        for (const i of members) set.add(i);
      }
    }
  }
  const sorted = keys.subarray(0, keyCount).sort();
  const degree = new Int32Array(n);
  for (let k = 0; k < keyCount; k++) {
    if (k > 0 && sorted[k] === sorted[k - 1]) continue;
    const key = sorted[k]!;
    const a = Math.floor(key / n);
    degree[a]!++;
    degree[key - a * n]!++;
  }
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i]! + degree[i]!;
  const fill = start.slice(0, n);
  const mate = new Int32Array(start[n]!);
  const times = new Int32Array(start[n]!);
  // Keys ascend by (a, b), so every list fills in ascending mate order: no per-list sort needed.
  for (let k = 0; k < keyCount; ) {
    const key = sorted[k]!;
    let t = 0;
    while (k < keyCount && sorted[k] === key) {
      t++;
      k++;
    }
    const a = Math.floor(key / n);
    const b = key - a * n;
    mate[fill[a]!] = b;
    times[fill[a]!++] = t;
    mate[fill[b]!] = a;
    times[fill[b]!++] = t;
  }
  return { start, mate, times, facilitatorRooms, facilitatorMembers };
}

/** C(k, 2). */
export function pairsOf(k: number): number {
  return (k * (k - 1)) / 2;
}

/**
 * Pair statistics of rooms given as lists of participant indices, with
 * per-participant attribute indices (-1 = unknown, never equal to anything).
 */
export function computePairStats(
  rooms: readonly (readonly number[])[],
  group: Int32Array,
  organization: Int32Array,
  country: Int32Array,
  history: PairHistory,
): BreakoutPairStats {
  const n = group.length;
  const roomOf = new Int32Array(n).fill(-1);
  rooms.forEach((members, r) => {
    for (const i of members) roomOf[i] = r;
  });
  let totalPairs = 0;
  let sameGroupPairs = 0;
  let sameOrganizationPairs = 0;
  let sameCountryPairs = 0;
  const tally = (counts: Map<number, number>): number => {
    let s = 0;
    for (const c of counts.values()) s += pairsOf(c);
    return s;
  };
  for (const members of rooms) {
    totalPairs += pairsOf(members.length);
    const g = new Map<number, number>();
    const o = new Map<number, number>();
    const c = new Map<number, number>();
    for (const i of members) {
      g.set(group[i]!, (g.get(group[i]!) ?? 0) + 1);
      if (organization[i]! >= 0) o.set(organization[i]!, (o.get(organization[i]!) ?? 0) + 1);
      if (country[i]! >= 0) c.set(country[i]!, (c.get(country[i]!) ?? 0) + 1);
    }
    sameGroupPairs += tally(g);
    sameOrganizationPairs += tally(o);
    sameCountryPairs += tally(c);
  }
  let repeatedPairs = 0;
  let repeatedSameGroupPairs = 0;
  for (let a = 0; a < n; a++) {
    const r = roomOf[a]!;
    if (r < 0) continue;
    for (let k = history.start[a]!; k < history.start[a + 1]!; k++) {
      const m = history.mate[k]!;
      if (m > a && roomOf[m] === r) {
        repeatedPairs++;
        if (group[m] === group[a]) repeatedSameGroupPairs++;
      }
    }
  }
  return { totalPairs, sameGroupPairs, repeatedPairs, repeatedSameGroupPairs, sameOrganizationPairs, sameCountryPairs };
}
