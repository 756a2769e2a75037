// Fuzzy matching for "did you mean ...?" suggestions (languages, time zones, group names).

/** Lower case, no accents, spaces/underscores/hyphens collapsed: "São_Paulo" -> "sao paulo". */
export function foldForMatching(value: string): string {
  return value
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[\s_\-.]+/g, " ")
    .trim();
}

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidates closest to the query, best first: those whose key starts with or contains
 * the query, then those within a small edit distance. Each candidate may have several keys.
 */
export function closestMatches<T>(query: string, candidates: readonly { value: T; keys: readonly string[] }[], limit = 3): T[] {
  const folded = foldForMatching(query);
  if (!folded) return [];
  const scored: { value: T; score: number }[] = [];
  for (const candidate of candidates) {
    let best = Number.POSITIVE_INFINITY;
    for (const key of candidate.keys) {
      const foldedKey = foldForMatching(key);
      if (foldedKey.startsWith(folded)) best = Math.min(best, 0);
      else if (foldedKey.includes(folded) && folded.length >= 3) best = Math.min(best, 1);
      else {
        const distance = levenshtein(folded, foldedKey);
        const allowed = Math.max(1, Math.floor(Math.max(folded.length, foldedKey.length) / 3));
        if (distance <= allowed) best = Math.min(best, 1 + distance);
      }
    }
    if (best !== Number.POSITIVE_INFINITY) scored.push({ value: candidate.value, score: best });
  }
  const seen = new Set<T>();
  return scored
    .sort((left, right) => left.score - right.score)
    .filter((entry) => (seen.has(entry.value) ? false : (seen.add(entry.value), true)))
    .slice(0, limit)
    .map((entry) => entry.value);
}
