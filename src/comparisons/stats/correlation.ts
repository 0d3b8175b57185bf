import { checkedConfidence, criticalZ, twoSidedPValueT, type ConfidenceOptions } from './inference';
import type { Insufficient } from './insufficient-data';
import { midRanks } from './ranks';

type CorrelationMethod = 'PEARSON' | 'WEIGHTED_PEARSON' | 'SPEARMAN';

export interface Correlation {
  status: 'OK';
  method: CorrelationMethod;
  r: number;
  /** Schools with both values. */
  n: number;
  /** n for unweighted methods; Kish's (Σw)² / Σw² for the weighted one (used for the CI and p). */
  effectiveN: number;
  lower: number;
  upper: number;
  confidence: number;
  pValue: number;
  significant: boolean;
}

export type CorrelationResult = Correlation | Insufficient;

/**
 * Correlation between a school result and a context variable across schools.
 *
 * r is Pearson's (optionally weighted by participants) or Spearman's ρ (Pearson of mid-ranks: robust
 * to one huge school or a skewed variable such as enrolment). Pairs with a missing value are dropped.
 * Inference:
 * - CI by Fisher's z: atanh(r) ± z₀.₉₇₅ · SE, SE = 1/√(n − 3) (Pearson) or √(1.06/(n − 3)) for
 *   Spearman (Fieller, Hartley & Pearson 1957), mapped back with tanh;
 * - p-value from t = r √((n − 2)/(1 − r²)) with n − 2 df (exact for Pearson under normality, the
 *   usual approximation for Spearman);
 * - weighted: n is replaced by Kish's effective size (Σw)²/Σw², because ten schools of which one
 *   carries 90 % of the weight carry barely more information than one school.
 * Fewer than 5 pairs, or no variation in either variable, gives INSUFFICIENT_DATA.
 */

const MIN_CORRELATION_PAIRS = 5;

export function pearsonCorrelation(x: readonly (number | null)[], y: readonly (number | null)[], options: ConfidenceOptions = {}): CorrelationResult {
  return correlate('PEARSON', x, y, null, options);
}

export function weightedPearsonCorrelation(
  x: readonly (number | null)[],
  y: readonly (number | null)[],
  weights: readonly number[],
  options: ConfidenceOptions = {},
): CorrelationResult {
  return correlate('WEIGHTED_PEARSON', x, y, weights, options);
}

export function spearmanCorrelation(x: readonly (number | null)[], y: readonly (number | null)[], options: ConfidenceOptions = {}): CorrelationResult {
  return correlate('SPEARMAN', x, y, null, options);
}

function correlate(
  method: CorrelationMethod,
  x: readonly (number | null)[],
  y: readonly (number | null)[],
  weights: readonly number[] | null,
  options: ConfidenceOptions,
): CorrelationResult {
  const confidence = checkedConfidence(options.confidence);
  if (x.length !== y.length || (weights && weights.length !== x.length)) throw new RangeError('x, y and weights must have equal length');
  const pairs = x
    .map((xi, i) => ({ x: xi, y: y[i], w: weights ? weights[i] : 1 }))
    .filter((p): p is { x: number; y: number; w: number } => isFiniteNumber(p.x) && isFiniteNumber(p.y) && p.w > 0);
  const n = pairs.length;
  if (n < MIN_CORRELATION_PAIRS) return { status: 'INSUFFICIENT_DATA', reason: `${n} schools with both values; at least ${MIN_CORRELATION_PAIRS} are needed` };
  const xs = method === 'SPEARMAN' ? midRanks(pairs.map((p) => p.x)) : pairs.map((p) => p.x);
  const ys = method === 'SPEARMAN' ? midRanks(pairs.map((p) => p.y)) : pairs.map((p) => p.y);
  const w = pairs.map((p) => p.w);
  const r = weightedPearson(xs, ys, w);
  if (r === null) return { status: 'INSUFFICIENT_DATA', reason: 'one of the variables does not vary across these schools' };

  const totalWeight = w.reduce((a, b) => a + b, 0);
  const effectiveN = method === 'WEIGHTED_PEARSON' ? totalWeight ** 2 / w.reduce((a, b) => a + b * b, 0) : n;
  if (!(effectiveN > 3)) return { status: 'INSUFFICIENT_DATA', reason: `effective number of schools ${effectiveN.toFixed(2)} is too small` };
  const fisherSe = Math.sqrt((method === 'SPEARMAN' ? 1.06 : 1) / (effectiveN - 3));
  const centre = Math.atanh(r);
  const halfWidth = criticalZ(confidence) * fisherSe;
  const lower = Math.tanh(centre - halfWidth);
  const upper = Math.tanh(centre + halfWidth);
  const df = effectiveN - 2;
  const pValue = Math.abs(r) >= 1 ? 0 : twoSidedPValueT(r * Math.sqrt(df / (1 - r * r)), df);
  return { status: 'OK', method, r, n, effectiveN, lower, upper, confidence, pValue, significant: pValue < 1 - confidence };
}

/** Weighted Pearson r, or null when either variable has no weighted variance. */
function weightedPearson(x: readonly number[], y: readonly number[], w: readonly number[]): number | null {
  const total = w.reduce((a, b) => a + b, 0);
  const mx = x.reduce((a, v, i) => a + w[i] * v, 0) / total;
  const my = y.reduce((a, v, i) => a + w[i] * v, 0) / total;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += w[i] * (x[i] - mx) * (y[i] - my);
    sxx += w[i] * (x[i] - mx) ** 2;
    syy += w[i] * (y[i] - my) ** 2;
  }
  // Relative to the raw second moments: a constant column leaves only rounding (~1e-32 of them).
  const rawX = x.reduce((a, v, i) => a + w[i] * v * v, 0);
  const rawY = y.reduce((a, v, i) => a + w[i] * v * v, 0);
  if (sxx <= 1e-24 * rawX || syy <= 1e-24 * rawY) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

function isFiniteNumber(value: number | null | undefined): value is number {
  return value != null && Number.isFinite(value);
}
