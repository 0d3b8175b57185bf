/**
 * Exponential tilt of a reference shape to a histogram when some bins are only known in *groups*:
 * E[countₛ] = exp(offsetₛ + P(s)), P a polynomial of `degree` in u = (s − centre) / halfRange, fitted by
 * Poisson maximum likelihood where each group of bins contributes one observation — the group's total —
 * with expectation Σ_{s ∈ group} E[countₛ]. Singleton groups are ordinary bins.
 *
 * Why groups: manipulation at a mark boundary moves works from just below the boundary to it, i.e. *within*
 * the block around the boundary. The block's total is therefore the same with and without manipulation
 * (the "integration constraint" of the bunching literature, Chetty et al. 2011), while its inner shape is
 * not. Fitting the tilt to block totals uses the information the block still carries about the school's
 * level (on a short ВПР Maths scale the blocks cover most of the scale, and dropping them would leave the
 * tilt to the tails) without letting the manipulation pull the counterfactual towards itself.
 *
 * Fisher scoring with a ridge penalty λ·Σ_{j ≥ 1} θⱼ² on the non-intercept coefficients (keeps a school at
 * the edge of the scale finite; the intercept is free so the fitted total always matches the observed one).
 */

export interface GroupedTiltOptions {
  degree: number;
  /** Log of the reference expected count per bin (the shape being tilted). */
  offset: readonly number[];
  /** Partition of the bins into groups (each bin in exactly one group). Bins in no group are ignored. */
  groups: readonly (readonly number[])[];
  ridge?: number;
  maxIterations?: number;
}

export interface GroupedTiltFit {
  /** Fitted expected count for every bin (shape × tilt, scaled to the observed total of the used groups). */
  expected: number[];
  /** Coefficients of 1, u, u², … */
  coefficients: number[];
  iterations: number;
  converged: boolean;
}

const { exp, log, abs, max, min } = Math;

export function fitGroupedPoissonTilt(counts: readonly number[], options: GroupedTiltOptions): GroupedTiltFit {
  const bins = counts.length;
  const { degree, offset, groups } = options;
  if (offset.length !== bins) throw new RangeError('offset must have one entry per histogram bin');
  if (!Number.isInteger(degree) || degree < 0) throw new RangeError(`degree must be a non-negative integer, got ${degree}`);
  const ridge = options.ridge ?? 0;
  const maxIterations = options.maxIterations ?? 50;
  const p = degree + 1;
  const centre = (bins - 1) / 2;
  const halfRange = max(centre, 1);
  const design: number[][] = [];
  for (let s = 0; s < bins; s++) {
    const u = (s - centre) / halfRange;
    const row = [1];
    for (let j = 1; j < p; j++) row.push(row[j - 1] * u);
    design.push(row);
  }
  const observed = groups.map((g) => g.reduce((acc, s) => acc + counts[s], 0));
  const total = observed.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new RangeError('no counts in the groups to fit');
  const referenceMass = groups.reduce((acc, g) => acc + g.reduce((a, s) => a + exp(offset[s]), 0), 0);
  const theta = new Array<number>(p).fill(0);
  theta[0] = log(total / referenceMass);

  const mu = new Array<number>(bins).fill(0);
  const evaluate = () => {
    for (let s = 0; s < bins; s++) {
      let eta = offset[s];
      for (let j = 0; j < p; j++) eta += theta[j] * design[s][j];
      mu[s] = exp(max(-700, min(700, eta)));
    }
  };
  let converged = false;
  let iterations = 0;
  for (iterations = 1; iterations <= maxIterations; iterations++) {
    evaluate();
    const gradient = new Array<number>(p).fill(0);
    const information: number[][] = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    for (let g = 0; g < groups.length; g++) {
      let groupMu = 0;
      const moments = new Array<number>(p).fill(0);
      for (const s of groups[g]) {
        groupMu += mu[s];
        for (let j = 0; j < p; j++) moments[j] += mu[s] * design[s][j];
      }
      if (groupMu <= 0) continue;
      const residual = observed[g] / groupMu - 1;
      for (let j = 0; j < p; j++) {
        gradient[j] += residual * moments[j];
        for (let k = 0; k < p; k++) information[j][k] += (moments[j] * moments[k]) / groupMu;
      }
    }
    for (let j = 1; j < p; j++) {
      gradient[j] -= 2 * ridge * theta[j];
      information[j][j] += 2 * ridge;
    }
    const step = solveSymmetric(information, gradient);
    let change = 0;
    for (let j = 0; j < p; j++) {
      theta[j] += step[j];
      change = max(change, abs(step[j]));
    }
    if (change < 1e-10) {
      converged = true;
      break;
    }
  }
  evaluate();
  return { expected: [...mu], coefficients: [...theta], iterations, converged };
}

/** Solves A x = b for a small symmetric positive (semi)definite A by Gaussian elimination with pivoting. */
function solveSymmetric(matrix: readonly (readonly number[])[], rhs: readonly number[]): number[] {
  const n = rhs.length;
  const a = matrix.map((row, i) => [...row, rhs[i]]);
  for (let k = 0; k < n; k++) {
    let pivot = k;
    for (let i = k + 1; i < n; i++) if (abs(a[i][k]) > abs(a[pivot][k])) pivot = i;
    [a[k], a[pivot]] = [a[pivot], a[k]];
    if (abs(a[k][k]) < 1e-300) return new Array<number>(n).fill(0);
    for (let i = k + 1; i < n; i++) {
      const factor = a[i][k] / a[k][k];
      for (let j = k; j <= n; j++) a[i][j] -= factor * a[k][j];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let k = n - 1; k >= 0; k--) {
    let s = a[k][n];
    for (let j = k + 1; j < n; j++) s -= a[k][j] * x[j];
    x[k] = s / a[k][k];
  }
  return x;
}
