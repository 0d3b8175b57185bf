/**
 * Benjamini–Hochberg adjusted p-values (q-values): q_(i) = min_{j ≥ i} (m / j) · p_(j), capped at 1,
 * returned in the input order. Rejecting q ≤ α controls the false discovery rate at α across the
 * region's schools, which is what matters when hundreds of schools are tested at once.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  return benjaminiHochbergWith(pValues, []);
}

/**
 * Benjamini–Hochberg q-values of `pValues` when they are corrected together with `otherPValues` (tests of
 * the same family decided elsewhere, e.g. the other schools of a region in a single-school recompute): the
 * same q-values `benjaminiHochberg([...pValues, ...otherPValues])` gives for the first entries, without
 * building the q-values nobody asked for.
 */
export function benjaminiHochbergWith(pValues: readonly number[], otherPValues: readonly number[]): number[] {
  const m = pValues.length + otherPValues.length;
  const sorted = new Float64Array(m);
  let i = 0;
  for (const list of [pValues, otherPValues]) {
    for (const p of list) {
      if (!(p >= 0 && p <= 1)) throw new RangeError(`p-values must be in [0, 1], got ${p}`);
      sorted[i++] = p;
    }
  }
  // A numeric sort of a typed array (no comparator), then q for each sorted position from the top down.
  sorted.sort();
  const qSorted = new Float64Array(m);
  let runningMin = 1;
  for (let rank = m; rank >= 1; rank--) {
    runningMin = Math.min(runningMin, (sorted[rank - 1] * m) / rank);
    qSorted[rank - 1] = runningMin;
  }
  // Tied p-values share the q of their last position (the minimum over j ≥ i reaches it).
  return pValues.map((p) => qSorted[upperBound(sorted, p) - 1]);
}

/** First index whose value is greater than `value` in an ascending array. */
function upperBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
