/**
 * Weighted least-squares polynomial fit. x is mapped to [−1, 1] before building the design matrix
 * and the system is solved by Householder QR, so degree 6–8 fits on a 0…38 score axis stay well
 * conditioned (the normal equations would not be).
 */

export interface PolynomialFitOptions {
  /** Ridge penalty λ on the non-intercept coefficients (in the scaled basis); 0 = plain WLS. */
  ridge?: number;
}

export interface PolynomialFit {
  degree: number;
  /** Coefficients of 1, u, u², … where u = (x − centre) / halfRange. */
  coefficients: number[];
  centre: number;
  halfRange: number;
  /** Weighted residual sum of squares Σ wᵢ (yᵢ − ŷᵢ)². */
  weightedRss: number;
  evaluate(x: number): number;
}

export function fitWeightedPolynomial(
  x: readonly number[],
  y: readonly number[],
  weights: readonly number[],
  degree: number,
  options: PolynomialFitOptions = {},
): PolynomialFit {
  const n = x.length;
  if (y.length !== n || weights.length !== n) throw new RangeError('x, y and weights must have equal length');
  if (!Number.isInteger(degree) || degree < 0) throw new RangeError(`degree must be a non-negative integer, got ${degree}`);
  const ridge = options.ridge ?? 0;
  if (!(ridge >= 0)) throw new RangeError(`ridge must be ≥ 0, got ${ridge}`);
  const used = x.map((_, i) => i).filter((i) => weights[i] > 0);
  const p = degree + 1;
  if (used.length + (ridge > 0 ? degree : 0) < p) {
    throw new RangeError(`a degree-${degree} fit needs at least ${p} points with positive weight, got ${used.length}`);
  }
  const xs = used.map((i) => x[i]);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const centre = (lo + hi) / 2;
  const halfRange = hi > lo ? (hi - lo) / 2 : 1;

  // Rows √wᵢ·[1, u, u², …] and √wᵢ·yᵢ, plus √λ·eⱼ rows for the ridge (intercept unpenalised).
  const rows: number[][] = [];
  const rhs: number[] = [];
  for (const i of used) {
    const sw = Math.sqrt(weights[i]);
    const u = (x[i] - centre) / halfRange;
    rows.push(powers(u, degree).map((v) => v * sw));
    rhs.push(y[i] * sw);
  }
  if (ridge > 0) {
    for (let j = 1; j < p; j++) {
      const row = new Array<number>(p).fill(0);
      row[j] = Math.sqrt(ridge);
      rows.push(row);
      rhs.push(0);
    }
  }
  const coefficients = solveLeastSquaresQr(rows, rhs);
  const evaluate = (value: number): number => {
    const u = (value - centre) / halfRange;
    let result = 0;
    for (let j = degree; j >= 0; j--) result = result * u + coefficients[j];
    return result;
  };
  let weightedRss = 0;
  for (const i of used) weightedRss += weights[i] * (y[i] - evaluate(x[i])) ** 2;
  return { degree, coefficients, centre, halfRange, weightedRss, evaluate };
}

function powers(u: number, degree: number): number[] {
  const out = [1];
  for (let j = 1; j <= degree; j++) out.push(out[j - 1] * u);
  return out;
}

/** Solves min ‖A b − y‖ by Householder QR. Throws when A is rank deficient. */
export function solveLeastSquaresQr(matrix: readonly (readonly number[])[], rhs: readonly number[]): number[] {
  const m = matrix.length;
  const n = matrix[0]?.length ?? 0;
  if (m < n) throw new RangeError(`least squares needs at least as many rows (${m}) as columns (${n})`);
  const a = matrix.map((row) => [...row]);
  const b = [...rhs];
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += a[i][k] * a[i][k];
    norm = Math.sqrt(norm);
    if (norm === 0) throw new RangeError('least-squares design matrix is rank deficient');
    const alpha = a[k][k] > 0 ? -norm : norm;
    const v = new Array<number>(m).fill(0);
    v[k] = a[k][k] - alpha;
    for (let i = k + 1; i < m; i++) v[i] = a[i][k];
    let vNorm2 = 0;
    for (let i = k; i < m; i++) vNorm2 += v[i] * v[i];
    if (vNorm2 === 0) continue;
    for (let j = k; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i] * a[i][j];
      const factor = (2 * dot) / vNorm2;
      for (let i = k; i < m; i++) a[i][j] -= factor * v[i];
    }
    let dotB = 0;
    for (let i = k; i < m; i++) dotB += v[i] * b[i];
    const factorB = (2 * dotB) / vNorm2;
    for (let i = k; i < m; i++) b[i] -= factorB * v[i];
  }
  const scale = Math.max(...Array.from({ length: n }, (_, k) => Math.abs(a[k][k])));
  const solution = new Array<number>(n).fill(0);
  for (let k = n - 1; k >= 0; k--) {
    if (Math.abs(a[k][k]) <= 1e-12 * scale) throw new RangeError('least-squares design matrix is rank deficient');
    let s = b[k];
    for (let j = k + 1; j < n; j++) s -= a[k][j] * solution[j];
    solution[k] = s / a[k][k];
  }
  return solution;
}
