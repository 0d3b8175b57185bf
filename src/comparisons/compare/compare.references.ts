import { GIA_PROCEDURES, Procedure } from '../../assessments/enums';
import { BenchmarkLevel } from '../../territory/enums';
import { meanObservation, shareObservation, type AnyReference, type MarkDistributionReference, type MetricObservation } from '../stats';
import { ComparisonMetric } from '../shared/metrics';
import type { BenchmarkRow } from './compare.sql';

/**
 * Reference values as the statistics want them. Russia's values (and any without a participant count) are
 * published values, known exactly. Region and municipality values with a participant count are samples that
 * contain the school's own pupils, so the statistics remove them before comparing (`includesSchool`).
 * Benchmarks keep shares in percent; counts are recovered as share × participants.
 */

export interface MetricReference {
  /** The reference's own value of the metric (share 0–1 or mean). */
  value: number;
  reference: AnyReference;
}

const isSample = (b: BenchmarkRow): b is BenchmarkRow & { participants: number } =>
  b.level !== BenchmarkLevel.RUSSIA && b.participants != null && b.participants > 0;

function markShares(b: BenchmarkRow): [number, number, number, number] | null {
  const { percent2, percent3, percent4, percent5 } = b;
  if (percent2 == null || percent3 == null || percent4 == null || percent5 == null) return null;
  const total = percent2 + percent3 + percent4 + percent5;
  if (!(total > 0)) return null;
  return [percent2 / total, percent3 / total, percent4 / total, percent5 / total];
}

function shareReference(b: BenchmarkRow, share: number, counts?: { successes: number; trials: number }): MetricReference {
  if (!isSample(b)) return { value: share, reference: { kind: 'population', value: share } };
  const observed = counts ?? { successes: Math.round(share * b.participants), trials: b.participants };
  return { value: share, reference: { kind: 'sample', observation: shareObservation(observed.successes, observed.trials), includesSchool: true } };
}

/** A share the benchmark keeps in percent of its participants, or null when it does not carry it. */
function percentReference(b: BenchmarkRow, percent: number | null): MetricReference | null {
  return percent == null ? null : shareReference(b, percent / 100);
}

function meanReference(b: BenchmarkRow, mean: number): MetricReference {
  if (!isSample(b)) return { value: mean, reference: { kind: 'population', value: mean } };
  return { value: mean, reference: { kind: 'sampledMean', mean, n: b.participants, sd: null, includesSchool: true } };
}

/** Mean mark and its pupil SD from the mark shares (the SD is known here, unlike for % of max). */
function meanMarkReference(b: BenchmarkRow, shares: [number, number, number, number]): MetricReference {
  const mean = shares.reduce((sum, p, k) => sum + p * (k + 2), 0);
  if (!isSample(b)) return { value: mean, reference: { kind: 'population', value: mean } };
  const n = b.participants;
  const variance = n > 1 ? (shares.reduce((sum, p, k) => sum + p * (k + 2 - mean) ** 2, 0) * n) / (n - 1) : 0;
  return { value: mean, reference: { kind: 'sample', observation: meanObservation(mean, Math.sqrt(variance), n), includesSchool: true } };
}

/** The benchmark's reference for one metric, or null when the benchmark does not carry it. */
export function metricReference(metric: ComparisonMetric, b: BenchmarkRow, procedure: Procedure): MetricReference | null {
  const shares = markShares(b);
  switch (metric) {
    case ComparisonMetric.SHARE_2:
      return shares && shareReference(b, shares[0]);
    case ComparisonMetric.SHARE_4_5:
      return shares && shareReference(b, shares[2] + shares[3]);
    case ComparisonMetric.BELOW_MINIMUM:
      // The benchmark's own share when it carries one (ЕГЭ's is a test-score threshold, published or computed);
      // otherwise below the minimum is the «2» of ОГЭ and ГВЭ.
      if (b.percent_below_minimum != null) return percentReference(b, b.percent_below_minimum);
      return shares && GIA_PROCEDURES.includes(procedure) && procedure !== Procedure.EGE ? shareReference(b, shares[0]) : null;
    case ComparisonMetric.SHARE_TEST_80:
      return percentReference(b, b.percent_test_80);
    case ComparisonMetric.SHARE_TEST_100:
      return percentReference(b, b.percent_test_100);
    case ComparisonMetric.SHARE_SUM3_220:
      return percentReference(b, b.percent_sum3_220);
    case ComparisonMetric.JOURNAL_AGREEMENT: {
      const { journal_lowered: lowered, journal_confirmed: confirmed, journal_raised: raised } = b;
      if (lowered == null || confirmed == null || raised == null || lowered + confirmed + raised === 0) return null;
      const trials = lowered + confirmed + raised;
      return shareReference(b, confirmed / trials, { successes: confirmed, trials });
    }
    case ComparisonMetric.MEAN_PERCENT:
      return b.mean_percent == null ? null : meanReference(b, b.mean_percent);
    case ComparisonMetric.MEAN_TEST_SCORE:
      return b.mean_test_score == null ? null : meanReference(b, b.mean_test_score);
    case ComparisonMetric.MEAN_MARK:
      return shares && meanMarkReference(b, shares);
  }
}

/** The reference for the whole mark distribution, or null when the benchmark has no mark shares. */
export function markDistributionReference(b: BenchmarkRow): MarkDistributionReference | null {
  const shares = markShares(b);
  if (!shares) return null;
  if (!isSample(b)) return { kind: 'population', shares: { share2: shares[0], share3: shares[1], share4: shares[2], share5: shares[3] } };
  const [count2, count3, count4, count5] = shares.map((p) => Math.round(p * b.participants));
  return { kind: 'sample', counts: { count2, count3, count4, count5 }, includesSchool: true };
}

/** The value the school is compared on, for display. */
export function observedValue(observation: MetricObservation): { value: number; base: number; standardDeviation: number | null } {
  return observation.kind === 'share'
    ? { value: observation.trials > 0 ? observation.successes / observation.trials : NaN, base: observation.trials, standardDeviation: null }
    : { value: observation.mean, base: observation.n, standardDeviation: observation.sd };
}
