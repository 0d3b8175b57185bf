import { chiSquareUpperTail } from './chi-square';
import { checkedConfidence, criticalZ, statisticRatio, twoSidedPValueZ, type ConfidenceOptions } from './inference';
import type { MeanObservation, MetricObservation, ShareObservation } from './observations';
import type { Insufficient } from './insufficient-data';

export interface TrendPoint {
  year: number;
  observation: MetricObservation;
}

interface TrendFittedPoint {
  year: number;
  participants: number;
  observed: number;
  fitted: number;
}

export interface TrendFit {
  status: 'OK';
  kind: MetricObservation['kind'];
  years: number;
  participants: number;
  /** Change of the metric per year (share units or mean units). */
  slopePerYear: number;
  standardError: number;
  lower: number;
  upper: number;
  confidence: number;
  z: number;
  pValue: number;
  significant: boolean;
  /** Pupil-level variance used for the SE: p̄(1 − p̄) for shares, pooled within-year SD² for means. */
  pupilVariance: number;
  points: TrendFittedPoint[];
  /**
   * χ² of the yearly values around the line in units of their sampling variance (df = years − 2):
   * a small p-value says the years jump about more than pupil sampling explains.
   */
  lackOfFit: { chiSquare: number; degreesOfFreedom: number; pValue: number };
}

export type TrendResult = TrendFit | Insufficient;

/**
 * Linear trend of a school's metric over 3+ years: weighted least-squares slope with weights
 * nₜ (participants), b = Σ nₜ(xₜ − x̄)(yₜ − ȳ) / Sxx, Sxx = Σ nₜ(xₜ − x̄)², x̄ and ȳ weighted.
 *
 * Standard error from pupil sampling, not from the residuals: with three years a residual SE has
 * one degree of freedom and is useless. Each yearly value has variance σ²/nₜ with one pupil-level
 * variance σ² (so the nₜ weights are the efficient ones), hence Var(b) = σ² / Sxx, with
 * σ² = p̄(1 − p̄) for shares (p̄ pooled over years; the z is then exactly the Cochran–Armitage trend
 * test) and the pooled within-year variance Σ(nₜ − 1)sₜ² / Σ(nₜ − 1) for means.
 *
 * What "significant" means: the change is larger than the turnover of pupils alone would produce.
 * Different cohorts differ for real reasons too; the lack-of-fit χ² (df = years − 2) shows when the
 * years scatter around the line more than sampling explains (a jump rather than a drift).
 */
export function fitTrend(points: readonly TrendPoint[], options: ConfidenceOptions = {}): TrendResult {
  const confidence = checkedConfidence(options.confidence);
  const kinds = new Set(points.map((p) => p.observation.kind));
  if (kinds.size > 1) throw new TypeError('a trend mixes shares and means');
  const years = points.map((p) => p.year);
  if (new Set(years).size !== years.length) throw new RangeError('a trend has two values for one year');
  const used = points.filter((p) => sizeOf(p) > 0);
  if (used.length < 3) return { status: 'INSUFFICIENT_DATA', reason: `a trend needs at least 3 years with participants, got ${used.length}` };

  const kind = used[0].observation.kind;
  const n = used.map(sizeOf);
  const x = used.map((p) => p.year);
  const y = used.map(valueOf);
  const totalN = sum(n);
  const meanX = sum(x.map((xi, t) => n[t] * xi)) / totalN;
  const meanY = sum(y.map((yi, t) => n[t] * yi)) / totalN;
  const sxx = sum(x.map((xi, t) => n[t] * (xi - meanX) ** 2));
  const slope = sum(x.map((xi, t) => n[t] * (xi - meanX) * (y[t] - meanY))) / sxx;
  const pupilVariance = kind === 'share' ? meanY * (1 - meanY) : pooledWithinVariance(used.map((p) => p.observation).filter(isMean));

  const standardError = Math.sqrt(pupilVariance / sxx);
  const z = statisticRatio(slope, standardError);
  const halfWidth = criticalZ(confidence) * standardError;
  const fitted = x.map((xi) => meanY + slope * (xi - meanX));
  const lackOfFitChiSquare = sum(y.map((yi, t) => n[t] * (yi - fitted[t]) ** 2)) / pupilVariance;
  const chiSquare = Number.isNaN(lackOfFitChiSquare) ? 0 : lackOfFitChiSquare; // 0/0: every pupil alike every year
  const degreesOfFreedom = used.length - 2;
  return {
    status: 'OK',
    kind,
    years: used.length,
    participants: totalN,
    slopePerYear: slope,
    standardError,
    lower: slope - halfWidth,
    upper: slope + halfWidth,
    confidence,
    z,
    pValue: twoSidedPValueZ(z),
    significant: slope - halfWidth > 0 || slope + halfWidth < 0,
    pupilVariance,
    points: x.map((year, t) => ({ year, participants: n[t], observed: y[t], fitted: fitted[t] })),
    lackOfFit: { chiSquare, degreesOfFreedom, pValue: chiSquareUpperTail(chiSquare, degreesOfFreedom) },
  };
}

function sizeOf(point: TrendPoint): number {
  return point.observation.kind === 'share' ? point.observation.trials : point.observation.n;
}

function valueOf(point: TrendPoint): number {
  const o: ShareObservation | MeanObservation = point.observation;
  return o.kind === 'share' ? o.successes / o.trials : o.mean;
}

function isMean(observation: ShareObservation | MeanObservation): observation is MeanObservation {
  return observation.kind === 'mean';
}

function pooledWithinVariance(years: readonly MeanObservation[]): number {
  const df = sum(years.map((o) => Math.max(0, o.n - 1)));
  if (df === 0) throw new RangeError('a trend of means needs some year with at least 2 participants');
  return sum(years.map((o) => Math.max(0, o.n - 1) * o.sd * o.sd)) / df;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
