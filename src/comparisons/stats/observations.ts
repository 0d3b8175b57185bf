import { frequencyWeightedVariance, weightedMean } from '../../stats/weighted';

/** Builders of the two observation kinds every comparison works on, and the metric catalogue. */

/** A count of pupils with some property (mark «2», mark 4+5, below minimum…) out of `trials`. */
export interface ShareObservation {
  kind: 'share';
  successes: number;
  trials: number;
}

/** A mean over `n` pupils with the pupil-level standard deviation `sd` (same unit as the mean). */
export interface MeanObservation {
  kind: 'mean';
  mean: number;
  sd: number;
  n: number;
}

export type MetricObservation = ShareObservation | MeanObservation;

export type ComparisonMetric =
  | 'SHARE_2'
  | 'SHARE_4_5'
  | 'JOURNAL_AGREEMENT'
  | 'BELOW_MINIMUM'
  | 'MEAN_PERCENT'
  | 'MEAN_TEST_SCORE'
  | 'MEAN_MARK'
  | 'SHARE_TEST_80'
  | 'SHARE_TEST_100'
  | 'SHARE_SUM3_220';

/** One school's aggregated result in one assessment (the fields the hub stores; all optional). */
export interface SchoolResultInput {
  participants: number;
  count2?: number | null;
  count3?: number | null;
  count4?: number | null;
  count5?: number | null;
  /** Mean primary score as % of max (0–100). */
  meanPercent?: number | null;
  /** Pupil-level SD of the % of max, when known from individual results. */
  sdPercent?: number | null;
  /** Pupils at each primary score (index = score). Preferred over meanPercent/sdPercent. */
  histogram?: readonly number[] | null;
  maxPrimary?: number | null;
  journalLowered?: number | null;
  journalConfirmed?: number | null;
  journalRaised?: number | null;
  belowMinimum?: number | null;
  meanTestScore?: number | null;
  sdTestScore?: number | null;
  /** ЕГЭ: participants with a test score ≥ 80 and of 100 (school_result.count_test_80 / count_test_100). */
  countTest80?: number | null;
  countTest100?: number | null;
  /** ЕГЭ, a school's total over the procedure (school_exam_total): graduates with ≥ 220 test points over three subjects, of `participants`. */
  countSum3_220?: number | null;
}

export function shareObservation(successes: number, trials: number): ShareObservation {
  if (!Number.isInteger(trials) || trials < 0) throw new RangeError(`trials must be a non-negative integer, got ${trials}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > trials) {
    throw new RangeError(`successes must be an integer within [0, ${trials}], got ${successes}`);
  }
  return { kind: 'share', successes, trials };
}

export function meanObservation(mean: number, sd: number, n: number): MeanObservation {
  if (!Number.isFinite(mean)) throw new RangeError(`mean must be finite, got ${mean}`);
  if (!(sd >= 0) || !Number.isFinite(sd)) throw new RangeError(`sd must be finite and ≥ 0, got ${sd}`);
  if (!(n >= 0)) throw new RangeError(`n must be ≥ 0, got ${n}`);
  return { kind: 'mean', mean, sd, n };
}

/**
 * Mean and pupil-level SD of values given as a frequency table (`counts[i]` pupils at `values[i]`).
 * SD is the unbiased sample SD; with a single pupil it is 0 and `n` = 1 tells callers it is unknown.
 */
export function meanFromFrequencies(values: readonly number[], counts: readonly number[]): MeanObservation {
  const n = counts.reduce((a, b) => a + b, 0);
  if (!(n > 0)) throw new RangeError('frequency table is empty');
  const mean = weightedMean(values, counts);
  const sd = n > 1 ? Math.sqrt(frequencyWeightedVariance(values, counts)) : 0;
  return meanObservation(mean, sd, n);
}

/** Mean % of max and its SD from a primary-score histogram (index = score): 100 · score / max. */
export function percentOfMaxFromHistogram(histogram: readonly number[], maxPrimary: number): MeanObservation {
  if (!(maxPrimary > 0)) throw new RangeError(`maxPrimary must be > 0, got ${maxPrimary}`);
  if (histogram.length > maxPrimary + 1) {
    throw new RangeError(`histogram has scores above the maximum ${maxPrimary}`);
  }
  return meanFromFrequencies(histogram.map((_, score) => (100 * score) / maxPrimary), histogram);
}

/**
 * The observation of one metric in a school result row, or null when the row lacks the data
 * (no counts, no SD for a mean…). A mean needs its pupil-level SD: without individual results or a
 * histogram it cannot carry a standard error, and an SE-free comparison would be misleading.
 */
export function observeMetric(row: SchoolResultInput, metric: ComparisonMetric): MetricObservation | null {
  switch (metric) {
    case 'SHARE_2':
    case 'SHARE_4_5': {
      const counts = markCountsOf(row);
      if (!counts) return null;
      const total = counts.reduce((a, b) => a + b, 0);
      const successes = metric === 'SHARE_2' ? counts[0] : counts[2] + counts[3];
      return shareObservation(successes, total);
    }
    case 'JOURNAL_AGREEMENT': {
      const { journalLowered: lowered, journalConfirmed: confirmed, journalRaised: raised } = row;
      if (lowered == null || confirmed == null || raised == null) return null;
      return shareObservation(confirmed, lowered + confirmed + raised);
    }
    case 'BELOW_MINIMUM':
      return row.belowMinimum == null ? null : shareObservation(row.belowMinimum, row.participants);
    case 'SHARE_TEST_80':
      return row.countTest80 == null ? null : shareObservation(row.countTest80, row.participants);
    case 'SHARE_TEST_100':
      return row.countTest100 == null ? null : shareObservation(row.countTest100, row.participants);
    case 'SHARE_SUM3_220':
      return row.countSum3_220 == null ? null : shareObservation(row.countSum3_220, row.participants);
    case 'MEAN_PERCENT':
      if (row.histogram && row.maxPrimary != null && row.histogram.some((c) => c > 0)) {
        return percentOfMaxFromHistogram(row.histogram, row.maxPrimary);
      }
      return row.meanPercent == null || row.sdPercent == null ? null : meanObservation(row.meanPercent, row.sdPercent, row.participants);
    case 'MEAN_TEST_SCORE':
      return row.meanTestScore == null || row.sdTestScore == null ? null : meanObservation(row.meanTestScore, row.sdTestScore, row.participants);
    case 'MEAN_MARK': {
      const counts = markCountsOf(row);
      if (!counts || counts.every((c) => c === 0)) return null;
      return meanFromFrequencies([2, 3, 4, 5], counts);
    }
  }
}

function markCountsOf(row: SchoolResultInput): [number, number, number, number] | null {
  const { count2, count3, count4, count5 } = row;
  if (count2 == null || count3 == null || count4 == null || count5 == null) return null;
  return [count2, count3, count4, count5];
}
