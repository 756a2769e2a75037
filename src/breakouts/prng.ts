/**
 * Small deterministic helpers: string hashing and a seeded PRNG.
 *
 * Nothing in the breakout algorithm uses Math.random or wall-clock time, so
 * the same input and seed always give the same result on every machine.
 */

/** Canonical string order (UTF-16 code units), independent of locale/ICU. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** murmur3 finaliser: spreads the bits of a 32-bit integer. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units, salted and finalised; returns an unsigned 32-bit integer. */
export function hashString(s: string, salt = 0): number {
  let h = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** Folds any safe integer (negative or above 2^32 included) into an unsigned 32-bit seed. */
export function seedToUint32(seed: number): number {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  const hi = Math.floor(seed / 0x1_0000_0000);
  const lo = seed - hi * 0x1_0000_0000;
  return mix32((lo >>> 0) ^ mix32((hi | 0) + 0x9e3779b9));
}

export interface Prng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n), n >= 1. */
  int(n: number): number;
  /** Fisher-Yates shuffle in place; returns the array. */
  shuffle<T>(items: T[]): T[];
}

/** mulberry32: tiny, fast, good enough for search moves and test data. */
export function createPrng(seed: number): Prng {
  let state = seedToUint32(seed);
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    shuffle<T>(items: T[]): T[] {
      for (let i = items.length - 1; i > 0; i--) {
        const j = int(i + 1);
        const tmp = items[i] as T;
        items[i] = items[j] as T;
        items[j] = tmp;
      }
      return items;
    },
  };
}
