/**
 * Benjamini–Hochberg adjusted p-values (q-values): q_(i) = min_{j ≥ i} (m / j) · p_(j), capped at 1,
 * returned in the input order. Rejecting q ≤ α controls the false discovery rate at α across the
 * region's schools, which is what matters when hundreds of schools are tested at once.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  for (const p of pValues) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`p-values must be in [0, 1], got ${p}`);
  }
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m);
  let runningMin = 1;
  for (let rank = m; rank >= 1; rank--) {
    const { p, index } = order[rank - 1];
    runningMin = Math.min(runningMin, (p * m) / rank);
    adjusted[index] = runningMin;
  }
  return adjusted;
}
