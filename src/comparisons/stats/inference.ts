import { normalQuantile, normalUpperTail } from '../../stats/normal';
import { studentTUpperTail } from '../../stats/student-t';
import { studentTQuantile } from './student-t-quantile';

/** Shared pieces of two-sided inference: critical values, p-values, guarded ratios. */

export interface ConfidenceOptions {
  /** Two-sided confidence level; 0.95 by default. */
  confidence?: number;
}

const DEFAULT_CONFIDENCE = 0.95;

export function checkedConfidence(confidence: number | undefined): number {
  const level = confidence ?? DEFAULT_CONFIDENCE;
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence must be in (0, 1), got ${level}`);
  return level;
}

/** z with P(|Z| ≤ z) = confidence (1.959964 for 95 %). */
export function criticalZ(confidence: number): number {
  return normalQuantile(1 - (1 - confidence) / 2);
}

/** t with P(|T| ≤ t) = confidence for `df` degrees of freedom. */
export function criticalT(confidence: number, df: number): number {
  return studentTQuantile((1 - confidence) / 2, df);
}

/** 2 · P(Z > |z|), capped at 1 (0 for an infinite z, which the erfc fraction cannot evaluate). */
export function twoSidedPValueZ(z: number): number {
  if (Math.abs(z) === Infinity) return 0;
  return Math.min(1, 2 * normalUpperTail(Math.abs(z)));
}

/** 2 · P(T > |t|), capped at 1. */
export function twoSidedPValueT(t: number, df: number): number {
  return Math.min(1, 2 * studentTUpperTail(Math.abs(t), df));
}

/**
 * numerator / denominator for test statistics whose denominator can be 0 (all pupils alike):
 * 0 when nothing differs, ±∞ when something differs with no noise at all.
 */
export function statisticRatio(numerator: number, denominator: number): number {
  if (denominator > 0) return numerator / denominator;
  if (numerator === 0) return 0;
  return numerator > 0 ? Infinity : -Infinity;
}
