/**
 * Method-of-moments empirical-Bayes shrinkage of school estimates (normal–normal model).
 *
 * Each school i reports an estimate yᵢ with a known sampling variance vᵢ (within-school variance / n).
 * True school values θᵢ ~ N(μ, τ²). τ² is the between-school variance estimated by the
 * DerSimonian–Laird method of moments; the posterior mean pulls yᵢ towards μ by Bᵢ = τ² / (τ² + vᵢ),
 * so a class of 6 with a lucky day is pulled most of the way back while a school of 120 keeps its value.
 */

export interface SchoolEstimate {
  /** The school's observed value (e.g. mean share of max, share of «4»+«5»). */
  estimate: number;
  /** Sampling variance of the estimate (within-school variance / participants). Must be > 0. */
  samplingVariance: number;
}

export interface EmpiricalBayesFit {
  /** Precision-weighted mean of the schools under the random-effects weights 1/(τ² + vᵢ). */
  grandMean: number;
  /** Between-school variance τ² (≥ 0). */
  tau2: number;
  /** Cochran's Q, kept for the evidence trail. */
  cochranQ: number;
  schools: number;
}

export interface ShrunkenEstimate {
  /** Shrinkage factor Bᵢ = τ² / (τ² + vᵢ): share of the school's deviation that is kept. */
  shrinkageFactor: number;
  /** Posterior mean μ + Bᵢ (yᵢ − μ). */
  shrunkenEstimate: number;
  /**
   * (shrunken − μ) / τ: how many between-school standard deviations the school's *credible* value
   * lies above the region. Zero when τ² = 0 (no real differences between schools to speak of).
   */
  shrunkenZ: number;
  /** (yᵢ − μ) / √(τ² + vᵢ): the funnel-plot z of the raw value against the marginal distribution. */
  marginalZ: number;
}

/** DerSimonian–Laird estimate of μ and τ². Needs at least two schools. */
export function fitEmpiricalBayes(schools: readonly SchoolEstimate[]): EmpiricalBayesFit {
  const k = schools.length;
  if (k < 2) throw new RangeError(`empirical Bayes needs at least 2 schools, got ${k}`);
  for (const s of schools) {
    if (!Number.isFinite(s.estimate)) throw new RangeError(`school estimate must be finite, got ${s.estimate}`);
    if (!(s.samplingVariance > 0)) throw new RangeError(`sampling variance must be > 0, got ${s.samplingVariance}`);
  }
  const fixedWeights = schools.map((s) => 1 / s.samplingVariance);
  const sumW = sum(fixedWeights);
  const fixedMean = sum(schools.map((s, i) => fixedWeights[i] * s.estimate)) / sumW;
  const cochranQ = sum(schools.map((s, i) => fixedWeights[i] * (s.estimate - fixedMean) ** 2));
  const denominator = sumW - sum(fixedWeights.map((w) => w * w)) / sumW;
  const tau2 = Math.max(0, (cochranQ - (k - 1)) / denominator);
  const randomWeights = schools.map((s) => 1 / (tau2 + s.samplingVariance));
  const grandMean = sum(schools.map((s, i) => randomWeights[i] * s.estimate)) / sum(randomWeights);
  return { grandMean, tau2, cochranQ, schools: k };
}

/** Shrinks one school's estimate with a fitted model. */
export function shrinkEstimate(school: SchoolEstimate, fit: EmpiricalBayesFit): ShrunkenEstimate {
  const { grandMean, tau2 } = fit;
  const shrinkageFactor = tau2 / (tau2 + school.samplingVariance);
  const shrunkenEstimate = grandMean + shrinkageFactor * (school.estimate - grandMean);
  const shrunkenZ = tau2 > 0 ? (shrunkenEstimate - grandMean) / Math.sqrt(tau2) : 0;
  const marginalZ = (school.estimate - grandMean) / Math.sqrt(tau2 + school.samplingVariance);
  return { shrinkageFactor, shrunkenEstimate, shrunkenZ, marginalZ };
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
