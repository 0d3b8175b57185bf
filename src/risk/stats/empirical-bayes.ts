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
  const estimates = new Float64Array(schools.length);
  const variances = new Float64Array(schools.length);
  schools.forEach((s, i) => {
    estimates[i] = s.estimate;
    variances[i] = s.samplingVariance;
  });
  return fitEmpiricalBayesArrays(estimates, variances);
}

/**
 * The same fit from parallel arrays of estimates and sampling variances (no object per school: a region
 * recompute fits it for every assessment).
 */
export function fitEmpiricalBayesArrays(estimates: ArrayLike<number>, variances: ArrayLike<number>): EmpiricalBayesFit {
  const k = estimates.length;
  if (k < 2) throw new RangeError(`empirical Bayes needs at least 2 schools, got ${k}`);
  if (variances.length !== k) throw new RangeError('estimates and variances must have equal length');
  let sumW = 0;
  let sumW2 = 0;
  let sumWy = 0;
  for (let i = 0; i < k; i++) {
    if (!Number.isFinite(estimates[i])) throw new RangeError(`school estimate must be finite, got ${estimates[i]}`);
    if (!(variances[i] > 0)) throw new RangeError(`sampling variance must be > 0, got ${variances[i]}`);
    const w = 1 / variances[i];
    sumW += w;
    sumW2 += w * w;
    sumWy += w * estimates[i];
  }
  const fixedMean = sumWy / sumW;
  let cochranQ = 0;
  for (let i = 0; i < k; i++) cochranQ += ((estimates[i] - fixedMean) ** 2) / variances[i];
  const denominator = sumW - sumW2 / sumW;
  const tau2 = Math.max(0, (cochranQ - (k - 1)) / denominator);
  let randomW = 0;
  let randomWy = 0;
  for (let i = 0; i < k; i++) {
    const w = 1 / (tau2 + variances[i]);
    randomW += w;
    randomWy += w * estimates[i];
  }
  return { grandMean: randomWy / randomW, tau2, cochranQ, schools: k };
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
