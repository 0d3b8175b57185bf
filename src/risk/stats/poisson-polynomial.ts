import { fitWeightedPolynomial, PolynomialFit } from './polynomial-fit';

/**
 * Poisson log-linear polynomial fit of a histogram: E[countₛ] = exp(offsetₛ + P(s)), P a polynomial,
 * fitted by iteratively reweighted least squares on the bins that are not excluded.
 *
 * Why Poisson on the log scale rather than least squares on raw counts: the fitted histogram stays
 * positive, small schools' zero bins are handled correctly, and with an offset equal to the log of a
 * reference shape the polynomial becomes an exponential tilt of that shape (used to adapt the region's
 * smooth score distribution to one school's level and spread).
 */

export interface PoissonPolynomialOptions {
  degree: number;
  /** Bins (by index) left out of the fit, e.g. the windows around mark boundaries. */
  excluded?: ReadonlySet<number>;
  /** Log of a reference expected count per bin; 0 everywhere when omitted. */
  offset?: readonly number[];
  /** Ridge penalty on the non-intercept coefficients; keeps all-at-the-edge histograms finite. */
  ridge?: number;
  maxIterations?: number;
}

export interface PoissonPolynomialFit {
  /** Fitted expected count for every bin, including the excluded ones (the counterfactual). */
  expected: number[];
  polynomial: PolynomialFit;
  iterations: number;
  converged: boolean;
}

export function fitPoissonPolynomial(counts: readonly number[], options: PoissonPolynomialOptions): PoissonPolynomialFit {
  const bins = counts.length;
  const excluded = options.excluded ?? new Set<number>();
  const offset = options.offset ?? new Array<number>(bins).fill(0);
  if (offset.length !== bins) throw new RangeError('offset must have one entry per histogram bin');
  const maxIterations = options.maxIterations ?? 50;
  const x = counts.map((_, s) => s);
  const included = x.filter((s) => !excluded.has(s));
  const total = included.reduce((acc, s) => acc + counts[s], 0);
  if (total <= 0) throw new RangeError('no counts outside the excluded bins to fit');

  // Start from the reference shape scaled to the observed total (η = offset + log scale).
  const offsetMass = included.reduce((acc, s) => acc + Math.exp(offset[s]), 0);
  let linear = x.map((s) => offset[s] + Math.log(total / offsetMass));
  let polynomial: PolynomialFit | undefined;
  let converged = false;
  let iterations = 0;
  for (iterations = 1; iterations <= maxIterations; iterations++) {
    const mu = linear.map((eta) => Math.exp(eta));
    // Working response z = η − offset + (y − μ)/μ, working weight μ (only on included bins).
    const workingResponse = x.map((s) => linear[s] - offset[s] + (counts[s] - mu[s]) / mu[s]);
    const weights = x.map((s) => (excluded.has(s) ? 0 : mu[s]));
    polynomial = fitWeightedPolynomial(x, workingResponse, weights, options.degree, { ridge: options.ridge });
    const fit = polynomial;
    const next = x.map((s) => clampEta(offset[s] + fit.evaluate(s)));
    const change = Math.max(...next.map((eta, s) => Math.abs(eta - linear[s])));
    linear = next;
    if (change < 1e-9) {
      converged = true;
      break;
    }
  }
  if (!polynomial) throw new Error('unreachable: IRLS ran no iteration');
  return { expected: linear.map((eta) => Math.exp(eta)), polynomial, iterations, converged };
}

/** Keeps exp(η) finite when a far tail extrapolates wildly. */
function clampEta(eta: number): number {
  return Math.max(-700, Math.min(700, eta));
}
