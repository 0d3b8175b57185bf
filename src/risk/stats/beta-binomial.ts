import { logChoose, logGamma } from '../../stats/special-functions';

/**
 * The beta-binomial distribution of total scores 0…n (Lord's strong true-score model with a beta true score): honest
 * test scores of a population are smooth and unimodal, their spread wider than binomial. Two parameters, so it can be
 * fitted on the few scores a short scale leaves outside the windows at its mark boundaries, where a polynomial
 * through them would bend anywhere. Assumes one population (no mixture of very different schools' score ranges);
 * a territory whose histogram is bimodal is not described by it, which the caller checks.
 */
export function betaBinomialPmf(n: number, alpha: number, beta: number): number[] {
  const logB = (a: number, b: number) => logGamma(a) + logGamma(b) - logGamma(a + b);
  const base = logB(alpha, beta);
  return Array.from({ length: n + 1 }, (_, k) => Math.exp(logChoose(n, k) + logB(k + alpha, n - k + beta) - base));
}

export interface BetaBinomialFit {
  alpha: number;
  beta: number;
  /** Probability of each score 0…n under the fit. */
  pmf: number[];
}

/**
 * Maximum likelihood of the beta-binomial on the works at the `allowed` scores only (the likelihood conditioned on
 * being allowed), by a pattern search over log α and log β from the moment estimates of the whole histogram.
 * Null when fewer than three allowed scores hold works.
 */
export function fitBetaBinomialOutside(histogram: readonly number[], allowed: readonly number[]): BetaBinomialFit | null {
  const n = histogram.length - 1;
  if (allowed.filter((s) => histogram[s] > 0).length < 3) return null;
  const total = histogram.reduce((a, c) => a + c, 0);
  const mean = histogram.reduce((a, c, s) => a + c * s, 0) / total;
  const variance = histogram.reduce((a, c, s) => a + c * (s - mean) ** 2, 0) / total;
  const p = Math.min(0.99, Math.max(0.01, mean / n));
  // Moment estimate of α + β from the overdispersion: var = n p (1 − p) (α + β + n) / (α + β + 1).
  const ratio = variance / (n * p * (1 - p));
  const sum = ratio > 1 && ratio < n ? (n - ratio) / (ratio - 1) : 20;
  let x = [Math.log(p * sum), Math.log((1 - p) * sum)];
  const logLikelihood = ([la, lb]: number[]) => {
    const pmf = betaBinomialPmf(n, Math.exp(la), Math.exp(lb));
    const mass = allowed.reduce((a, s) => a + pmf[s], 0);
    if (!(mass > 0)) return -Infinity;
    return allowed.reduce((a, s) => a + (histogram[s] > 0 ? histogram[s] * Math.log(Math.max(pmf[s] / mass, 1e-300)) : 0), 0);
  };
  let best = logLikelihood(x);
  for (let step = 0.5; step > 1e-4; ) {
    let improved = false;
    for (const [dx, dy] of [[step, 0], [-step, 0], [0, step], [0, -step], [step, step], [-step, -step]]) {
      const candidate = [x[0] + dx, x[1] + dy];
      const value = logLikelihood(candidate);
      if (value > best) {
        best = value;
        x = candidate;
        improved = true;
      }
    }
    if (!improved) step /= 2;
  }
  const alpha = Math.exp(x[0]);
  const beta = Math.exp(x[1]);
  return { alpha, beta, pmf: betaBinomialPmf(n, alpha, beta) };
}
