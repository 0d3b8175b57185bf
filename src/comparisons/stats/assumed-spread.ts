import type { MeanObservation } from './observations';

/**
 * The pupil spread of a mean published without one — a school's ЕГЭ mean test score from open data, which has no
 * pupil rows and so no SD — so that it can be compared at all, with the assumption said beside the answer.
 *
 * Benchmark tables carry no SD either, so the spread comes from the region's own pupils when enough are known (the
 * region's primary-score histogram, summed over its schools with pupil rows or score distributions, read through
 * the year's test scale), else from a conservative default. The region's pupils spread over between-school
 * differences as well as within schools, so their SD is, if anything, wider than a school's own: either way the
 * interval is wider than the true one and the comparison errs towards «no difference».
 */

type AssumedSpreadBasis = 'REGION_PUPILS' | 'DEFAULT';

export interface AssumedSpread {
  /** The pupil SD to compare with, in the mean's units. */
  sd: number;
  basis: AssumedSpreadBasis;
  /** Pupils the SD was estimated from (REGION_PUPILS); null for the default. */
  pupils: number | null;
}

/** Fewer pupils than this give too rough an SD to stand in for a school's: the default is taken instead. */
export const MIN_PUPILS_FOR_SPREAD = 30;

/**
 * ЕГЭ test points when nothing better is known: a quarter of the 100-point scale, wider than the pupil spread of an
 * ЕГЭ subject, whose scores crowd between the minimum and 100.
 */
export const DEFAULT_TEST_SCORE_SD = 25;

/**
 * Assumption: the school's pupils spread as the region's pupils in the same assessment do (their SD, from at least
 * MIN_PUPILS_FOR_SPREAD of them), else as widely as `defaultSd`.
 */
export function assumedSpread(regionPupils: MeanObservation | null, defaultSd: number): AssumedSpread {
  if (!(defaultSd > 0) || !Number.isFinite(defaultSd)) throw new RangeError(`defaultSd must be finite and > 0, got ${defaultSd}`);
  if (regionPupils && regionPupils.n >= MIN_PUPILS_FOR_SPREAD && regionPupils.sd > 0) {
    return { sd: regionPupils.sd, basis: 'REGION_PUPILS', pupils: regionPupils.n };
  }
  return { sd: defaultSd, basis: 'DEFAULT', pupils: null };
}
