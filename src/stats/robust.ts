/** Robust location and scale: median and the normal-consistent median absolute deviation. */

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = Float64Array.from(values).sort();
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** 1.4826 makes the MAD estimate the standard deviation when the data are normal. */
export const MAD_TO_SD = 1.4826;

/** Median absolute deviation scaled to a standard deviation (1.4826 · MAD). */
export function scaledMad(values: readonly number[]): number {
  const centre = median(values);
  return MAD_TO_SD * median(values.map((x) => Math.abs(x - centre)));
}

/** The q-quantile of values sorted ascending, interpolated linearly between neighbours. */
function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of an empty list');
  const at = Math.min(1, Math.max(0, q)) * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/** The lower quantile `lowerHalfSd` reads: far enough from the centre to be stable, inside the honest half. */
const LOWER_QUANTILE = 0.1;
const Z_LOWER_QUANTILE = 1.2815515655446004;

/**
 * A normal-consistent SD read from the lower half alone: (median − lower tenth) / 1.2816. Where contamination can
 * only move values up (manipulated schools above the honest ones), it does not widen this as it widens the MAD.
 * Noisier than the MAD on clean data (about 1.4× its sampling SD), so use it where such contamination is expected.
 */
export function lowerHalfSd(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  return (quantileOfSorted(sorted, 0.5) - quantileOfSorted(sorted, LOWER_QUANTILE)) / Z_LOWER_QUANTILE;
}
