import { wilsonInterval } from '../../stats/wilson';
import type { DifferenceResult, Reference } from './difference';
import { checkedConfidence, statisticRatio, twoSidedPValueZ, type ConfidenceOptions } from './inference';
import { shareObservation, type ShareObservation } from './observations';

/**
 * A school's share (of «2», of 4+5, of journal agreement, below minimum…) against a reference.
 *
 * - Fixed reference p₀ (a published Russia/region share): CI = Wilson interval of p minus p₀;
 *   z = (p̂ − p₀) / √(p₀(1 − p₀)/n), the score test. The Wilson interval is exactly the set of p₀ the
 *   score test does not reject, so the flag and the p-value never disagree; unlike the Wald interval
 *   it keeps its coverage in classes of 5–25 pupils and near 0 % or 100 %.
 * - Sampled reference (municipality, region with N): see `compareTwoShares`.
 *
 * `standardError` is the Wald SE √(p̂(1 − p̂)/n) [+ reference term], reported for the analyst; the
 * interval itself is the score interval.
 */
export function compareShareWithReference(
  school: ShareObservation,
  reference: Reference<ShareObservation>,
  options: ConfidenceOptions = {},
): DifferenceResult {
  const confidence = checkedConfidence(options.confidence);
  if (school.trials === 0) return { status: 'INSUFFICIENT_DATA', reason: 'the school has no participants for this share' };
  if (reference.kind === 'sample') {
    const other = reference.includesSchool ? withoutSchool(reference.observation, school) : reference.observation;
    return compareTwoShares(school, other, options);
  }
  const p0 = reference.value;
  if (!(p0 >= 0 && p0 <= 1)) throw new RangeError(`a reference share must be in [0, 1], got ${p0}`);
  const { successes, trials } = school;
  const p = successes / trials;
  const interval = wilsonInterval(successes, trials, confidence);
  const z = statisticRatio(p - p0, Math.sqrt((p0 * (1 - p0)) / trials));
  const lower = interval.lower - p0;
  const upper = interval.upper - p0;
  return {
    status: 'OK',
    method: 'WILSON_SCORE_VS_FIXED',
    estimate: p,
    reference: p0,
    difference: p - p0,
    standardError: Math.sqrt((p * (1 - p)) / trials),
    lower,
    upper,
    confidence,
    statistic: z,
    degreesOfFreedom: null,
    pValue: twoSidedPValueZ(z),
    significant: lower > 0 || upper < 0,
  };
}

/**
 * Difference p₁ − p₂ of two independent shares (school vs a sampled reference, or a year vs the
 * previous one). CI: Newcombe's hybrid score interval (method 10, Newcombe 1998), built from the
 * two Wilson intervals (l, u): [d − √((p₁−l₁)² + (u₂−p₂)²), d + √((u₁−p₁)² + (p₂−l₂)²)]; it keeps
 * near-nominal coverage for small groups where the Wald interval collapses. Test: pooled z. The
 * `significant` flag follows the interval (in rare borderline cases the pooled p may sit on the
 * other side of α).
 */
export function compareTwoShares(first: ShareObservation, second: ShareObservation, options: ConfidenceOptions = {}): DifferenceResult {
  const confidence = checkedConfidence(options.confidence);
  if (first.trials === 0 || second.trials === 0) {
    return { status: 'INSUFFICIENT_DATA', reason: 'one of the two groups has no participants' };
  }
  const p1 = first.successes / first.trials;
  const p2 = second.successes / second.trials;
  const w1 = wilsonInterval(first.successes, first.trials, confidence);
  const w2 = wilsonInterval(second.successes, second.trials, confidence);
  const difference = p1 - p2;
  const lower = difference - Math.hypot(p1 - w1.lower, w2.upper - p2);
  const upper = difference + Math.hypot(w1.upper - p1, p2 - w2.lower);
  const pooled = (first.successes + second.successes) / (first.trials + second.trials);
  const z = statisticRatio(difference, Math.sqrt(pooled * (1 - pooled) * (1 / first.trials + 1 / second.trials)));
  return {
    status: 'OK',
    method: 'NEWCOMBE_HYBRID_SCORE',
    estimate: p1,
    reference: p2,
    difference,
    standardError: Math.sqrt((p1 * (1 - p1)) / first.trials + (p2 * (1 - p2)) / second.trials),
    lower,
    upper,
    confidence,
    statistic: z,
    degreesOfFreedom: null,
    pValue: twoSidedPValueZ(z),
    significant: lower > 0 || upper < 0,
  };
}

/** The reference's pupils other than the school's: a school cannot be compared with itself. */
function withoutSchool(reference: ShareObservation, school: ShareObservation): ShareObservation {
  const successes = reference.successes - school.successes;
  const trials = reference.trials - school.trials;
  if (trials < 0 || successes < 0 || successes > trials) {
    throw new RangeError('the reference is said to include the school but is smaller than it');
  }
  return shareObservation(successes, trials);
}
