import type { DifferenceResult, MeanReference } from './difference';
import { checkedConfidence, criticalT, statisticRatio, twoSidedPValueT, type ConfidenceOptions } from './inference';
import { meanObservation, type MeanObservation } from './observations';

/**
 * A school's mean (% of max, test score, mean mark) against a reference.
 *
 * - Fixed reference μ₀: one-sample t, SE = s/√n, df = n − 1, CI = d ± t₀.₉₇₅,df · SE. A t rather
 *   than a z because many schools test 8–20 pupils.
 * - Sampled reference: Welch t (`compareTwoMeans`). When the reference's SD is unknown (benchmark
 *   tables rarely publish it), the school's SD stands in for it: pupil spread is similar across
 *   schools, and for a region-sized N the reference term is negligible anyway.
 */
export function compareMeanWithReference(
  school: MeanObservation,
  reference: MeanReference,
  options: ConfidenceOptions = {},
): DifferenceResult {
  const confidence = checkedConfidence(options.confidence);
  if (school.n < 2) return { status: 'INSUFFICIENT_DATA', reason: 'a mean needs at least 2 participants for a standard error' };
  if (reference.kind !== 'population') {
    const given =
      reference.kind === 'sample' ? reference.observation : meanObservation(reference.mean, reference.sd ?? school.sd, reference.n);
    const other = reference.includesSchool ? withoutSchool(given, school) : given;
    return compareTwoMeans(school, other, options);
  }
  const difference = school.mean - reference.value;
  const standardError = school.sd / Math.sqrt(school.n);
  const df = school.n - 1;
  const halfWidth = criticalT(confidence, df) * standardError;
  const t = statisticRatio(difference, standardError);
  return {
    status: 'OK',
    method: 'ONE_SAMPLE_T',
    estimate: school.mean,
    reference: reference.value,
    difference,
    standardError,
    lower: difference - halfWidth,
    upper: difference + halfWidth,
    confidence,
    statistic: t,
    degreesOfFreedom: df,
    pValue: twoSidedPValueT(t, df),
    significant: difference - halfWidth > 0 || difference + halfWidth < 0,
  };
}

/**
 * Welch's two-sample t for independent means: SE = √(s₁²/n₁ + s₂²/n₂),
 * df = SE⁴ / ((s₁²/n₁)²/(n₁−1) + (s₂²/n₂)²/(n₂−1)) (Satterthwaite). Welch rather than the pooled t
 * because a small rural class and a municipality rarely share one variance.
 */
export function compareTwoMeans(first: MeanObservation, second: MeanObservation, options: ConfidenceOptions = {}): DifferenceResult {
  const confidence = checkedConfidence(options.confidence);
  if (first.n < 2 || second.n < 2) {
    return { status: 'INSUFFICIENT_DATA', reason: 'each group needs at least 2 participants for a standard error' };
  }
  const v1 = (first.sd * first.sd) / first.n;
  const v2 = (second.sd * second.sd) / second.n;
  const standardError = Math.sqrt(v1 + v2);
  const difference = first.mean - second.mean;
  // With no spread in either group the df formula is 0/0; any df gives the same degenerate answer.
  const df = v1 + v2 > 0 ? (v1 + v2) ** 2 / ((v1 * v1) / (first.n - 1) + (v2 * v2) / (second.n - 1)) : first.n + second.n - 2;
  const halfWidth = criticalT(confidence, df) * standardError;
  const t = statisticRatio(difference, standardError);
  return {
    status: 'OK',
    method: 'WELCH_T',
    estimate: first.mean,
    reference: second.mean,
    difference,
    standardError,
    lower: difference - halfWidth,
    upper: difference + halfWidth,
    confidence,
    statistic: t,
    degreesOfFreedom: df,
    pValue: twoSidedPValueT(t, df),
    significant: difference - halfWidth > 0 || difference + halfWidth < 0,
  };
}

/**
 * Mean and SD of the reference's pupils other than the school's, from the totals:
 * Σx = n·m and Σx² = (n − 1)s² + n·m² are additive, so the complement's moments follow by subtraction.
 */
function withoutSchool(reference: MeanObservation, school: MeanObservation): MeanObservation {
  const n = reference.n - school.n;
  if (n < 0) throw new RangeError('the reference is said to include the school but is smaller than it');
  if (n === 0) return meanObservation(reference.mean, 0, 0);
  const sum = reference.n * reference.mean - school.n * school.mean;
  const sumSquares =
    (reference.n - 1) * reference.sd ** 2 + reference.n * reference.mean ** 2 - ((school.n - 1) * school.sd ** 2 + school.n * school.mean ** 2);
  const mean = sum / n;
  const variance = n > 1 ? Math.max(0, (sumSquares - n * mean * mean) / (n - 1)) : 0;
  return meanObservation(mean, Math.sqrt(variance), n);
}
