// Suggestions for a mistyped name: exact but for case and punctuation, a small edit, or a prefix;
// and the edit distance behind them, shared by every "did you mean" (data, mappings, the KPI catalog).

/** `; did you mean "x"?` when a close candidate exists. */
export function suggest(name: string, candidates: readonly string[]): string {
  const best = closest(name, candidates);
  return best === undefined ? '' : `; did you mean "${best}"?`;
}

export function closest(name: string, candidates: readonly string[]): string | undefined {
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const squashed = squash(name);
  const same = candidates.find((c) => squash(c) === squashed);
  if (same !== undefined) return same;
  const target = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(target.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(target, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  // "Close Date" for "Closed": one name begins with the other.
  return (
    best ??
    candidates.find((c) => {
      const other = squash(c);
      return (
        Math.min(other.length, squashed.length) >= 4 &&
        (other.startsWith(squashed) || squashed.startsWith(other))
      );
    })
  );
}

/** The candidates at most `maxDistance` edits from `name`, nearest first (ties keep their order). */
export function withinDistance(name: string, candidates: readonly string[], maxDistance: number): string[] {
  return candidates
    .map((candidate) => ({ candidate, distance: editDistance(candidate, name) }))
    .filter((c) => c.distance <= maxDistance)
    .sort((a, b) => a.distance - b.distance)
    .map((c) => c.candidate);
}

/** Levenshtein distance: the fewest single-character insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
