/**
 * Benjamini–Hochberg adjusted p-values (q-values): q_(i) = min_{j ≥ i} (m / j) · p_(j), capped at 1,
 * returned in the input order. Rejecting q ≤ α controls the false discovery rate at α across the
 * region's schools, which is what matters when hundreds of schools are tested at once.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  return benjaminiHochbergWith(pValues, []);
}

/**
 * P-values already checked and sorted ascending (the other schools' stored p-values a single-school recompute
 * keeps sorted between recomputes): Benjamini–Hochberg merges the few new p-values into them instead of
 * copying and sorting the whole family again.
 */
export class SortedPValues {
  private constructor(readonly values: Float64Array) {}

  /** Checks and sorts `values` (any order). */
  static of(values: ArrayLike<number>): SortedPValues {
    const sorted = Float64Array.from(values);
    for (const p of sorted) checkP(p);
    return new SortedPValues(sorted.sort());
  }

  /** Takes `values` as they are: the caller vouches that they are checked and ascending. */
  static trusted(values: Float64Array): SortedPValues {
    return new SortedPValues(values);
  }

  get length(): number {
    return this.values.length;
  }
}

/**
 * Benjamini–Hochberg q-values of `pValues` when they are corrected together with `otherPValues` (tests of
 * the same family decided elsewhere, e.g. the other schools of a region in a single-school recompute): the
 * same q-values `benjaminiHochberg([...pValues, ...otherPValues])` gives for the first entries, without
 * building the q-values nobody asked for.
 */
export function benjaminiHochbergWith(pValues: readonly number[], otherPValues: readonly number[] | SortedPValues): number[] {
  const m = pValues.length + otherPValues.length;
  const sorted = new Float64Array(m);
  let i = 0;
  for (const p of pValues) sorted[i++] = checkP(p);
  if (otherPValues instanceof SortedPValues) {
    // Sorted already: sort the new ones and merge. The merged array is the sorted family, whichever way it was built.
    const fresh = sorted.subarray(0, i).sort().slice();
    mergeSorted(fresh, otherPValues.values, sorted);
  } else {
    for (const p of otherPValues) sorted[i++] = checkP(p);
    // A numeric sort of a typed array (no comparator), then q for each sorted position from the top down.
    sorted.sort();
  }
  const qSorted = new Float64Array(m);
  let runningMin = 1;
  for (let rank = m; rank >= 1; rank--) {
    runningMin = Math.min(runningMin, (sorted[rank - 1] * m) / rank);
    qSorted[rank - 1] = runningMin;
  }
  // Tied p-values share the q of their last position (the minimum over j ≥ i reaches it).
  return pValues.map((p) => qSorted[upperBound(sorted, p) - 1]);
}

function checkP(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p-values must be in [0, 1], got ${p}`);
  return p;
}

/** Merges two ascending arrays into `out` (of their joint length). */
function mergeSorted(a: Float64Array, b: Float64Array, out: Float64Array): void {
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i] <= b[j] ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
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
