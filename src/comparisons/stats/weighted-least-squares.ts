import { checkedConfidence, criticalT, statisticRatio, twoSidedPValueT, type ConfidenceOptions } from './inference';
import type { Insufficient } from './insufficient-data';

export interface DesignColumn {
  name: string;
  values: readonly number[];
  /** The column of ones; never reported as CONSTANT. */
  isIntercept?: boolean;
}

export interface DroppedColumn {
  name: string;
  /** CONSTANT: no variation among the fitted rows; COLLINEAR: a combination of earlier columns. */
  reason: 'CONSTANT' | 'COLLINEAR';
}

export interface CoefficientEstimate {
  name: string;
  estimate: number;
  standardError: number;
  tValue: number;
  pValue: number;
  lower: number;
  upper: number;
}

export interface WeightedLeastSquaresOptions extends ConfidenceOptions {
  /** Relative norm below which a column counts as collinear with earlier ones; 1e-8 by default. */
  collinearityTolerance?: number;
}

export interface WeightedLeastSquaresFit {
  status: 'OK';
  /** Rows with positive weight that entered the fit. */
  n: number;
  /** Kept columns (= rank of the design). */
  parameters: number;
  residualDf: number;
  coefficients: CoefficientEstimate[];
  dropped: DroppedColumn[];
  /** Weighted R²; null when the response does not vary. */
  rSquared: number | null;
  adjustedRSquared: number | null;
  /** Residual SD for a row of average weight (weights are rescaled to mean 1). */
  residualSd: number;
  /** Per input row; null for rows with weight 0 (not fitted). */
  fitted: (number | null)[];
  leverage: (number | null)[];
  /** Internally studentized residual eᵢ√wᵢ / (σ̂ √(1 − hᵢ)); null when σ̂ = 0 or hᵢ ≈ 1. */
  standardizedResiduals: (number | null)[];
}

export type WeightedLeastSquaresResult = WeightedLeastSquaresFit | Insufficient;

/**
 * Weighted least squares β̂ = argmin Σ wᵢ (yᵢ − xᵢβ)² with standard errors, for designs that may be
 * rank deficient (a dummy equal to another, a variable constant in the region).
 *
 * Method: the columns of √W·X are orthogonalised one by one (modified Gram–Schmidt, applied twice
 * for stability). A column that is constant among the fitted rows is dropped as CONSTANT; one whose
 * remainder after projection on the kept columns is below `tolerance` × its own norm is dropped as
 * COLLINEAR. The kept columns give √W·X = Q·R with R invertible, so β̂ = R⁻¹Qᵀ√W·y and
 * Cov(β̂) = σ̂²(XᵀWX)⁻¹ = σ̂² R⁻¹R⁻ᵀ. (The colleague's `solveLeastSquaresQr` solves the same problem
 * but throws on rank deficiency and returns no covariance, which this needs.)
 *
 * Weights are rescaled to mean 1 first: β̂, R² and the SEs do not change, and σ̂ becomes the residual
 * SD of a row of average weight, a number an analyst can read. Leverage hᵢ = Σₖ Qᵢₖ²; the
 * standardized residual eᵢ√wᵢ / (σ̂√(1 − hᵢ)) is N(0, 1)-like under the model. R² is the weighted
 * R² around the weighted mean (designs here always carry an intercept).
 */
export function fitWeightedLeastSquares(
  response: readonly number[],
  weights: readonly number[],
  columns: readonly DesignColumn[],
  options: WeightedLeastSquaresOptions = {},
): WeightedLeastSquaresResult {
  const confidence = checkedConfidence(options.confidence);
  const tolerance = options.collinearityTolerance ?? 1e-8;
  const rows = response.length;
  if (weights.length !== rows || columns.some((c) => c.values.length !== rows)) {
    throw new RangeError('response, weights and every column must have one entry per row');
  }
  const used = weights.map((_, i) => i).filter((i) => weights[i] > 0);
  for (const i of used) {
    if (!Number.isFinite(response[i]) || columns.some((c) => !Number.isFinite(c.values[i]))) {
      throw new RangeError(`row ${i} has a non-finite value`);
    }
  }
  if (weights.some((w) => !(w >= 0))) throw new RangeError('weights must be non-negative');
  const n = used.length;
  if (n === 0) return { status: 'INSUFFICIENT_DATA', reason: 'no rows with positive weight' };
  const meanWeight = used.reduce((a, i) => a + weights[i], 0) / n;
  const w = used.map((i) => weights[i] / meanWeight);
  const sqrtW = w.map(Math.sqrt);

  const { kept, dropped, q, r } = orthogonalise(columns, used, sqrtW, tolerance);
  const p = kept.length;
  if (n - p < 1) return { status: 'INSUFFICIENT_DATA', reason: `${n} rows for ${p} parameters leave no residual degrees of freedom` };

  const scaledY = used.map((i, row) => sqrtW[row] * response[i]);
  const qty = q.map((column) => dot(column, scaledY));
  const rInverse = invertUpperTriangular(r);
  const beta = rInverse.map((row) => dot(row, qty));
  const fittedUsed = used.map((i) => kept.reduce((acc, column, k) => acc + beta[k] * column.values[i], 0));
  const residuals = used.map((i, row) => response[i] - fittedUsed[row]);
  const weightedRss = residuals.reduce((acc, e, row) => acc + w[row] * e * e, 0);
  const residualDf = n - p;
  const sigma = Math.sqrt(weightedRss / residualDf);

  const meanY = used.reduce((acc, i, row) => acc + w[row] * response[i], 0) / n;
  const totalSs = used.reduce((acc, i, row) => acc + w[row] * (response[i] - meanY) ** 2, 0);
  // A response constant up to rounding has no variance to explain (relative to Σ w y², not to 0).
  const rawSs = used.reduce((acc, i, row) => acc + w[row] * response[i] ** 2, 0);
  const rSquared = totalSs > 1e-20 * rawSs ? Math.max(0, 1 - weightedRss / totalSs) : null;
  const adjustedRSquared = rSquared === null || n - 1 === 0 ? null : 1 - ((1 - rSquared) * (n - 1)) / residualDf;

  const tCritical = criticalT(confidence, residualDf);
  const coefficients = kept.map((column, k) => {
    // (R⁻¹R⁻ᵀ)ₖₖ is the squared norm of row k of R⁻¹.
    const standardError = sigma * Math.sqrt(dot(rInverse[k], rInverse[k]));
    const tValue = statisticRatio(beta[k], standardError);
    return {
      name: column.name,
      estimate: beta[k],
      standardError,
      tValue,
      pValue: twoSidedPValueT(tValue, residualDf),
      lower: beta[k] - tCritical * standardError,
      upper: beta[k] + tCritical * standardError,
    };
  });

  const fitted = new Array<number | null>(rows).fill(null);
  const leverage = new Array<number | null>(rows).fill(null);
  const standardizedResiduals = new Array<number | null>(rows).fill(null);
  used.forEach((i, row) => {
    const h = q.reduce((acc, column) => acc + column[row] ** 2, 0);
    fitted[i] = fittedUsed[row];
    leverage[i] = h;
    const scale = sigma * Math.sqrt(1 - h);
    standardizedResiduals[i] = scale > 1e-12 * Math.max(1, Math.abs(meanY)) && h < 1 - 1e-9 ? (residuals[row] * sqrtW[row]) / scale : null;
  });
  return { status: 'OK', n, parameters: p, residualDf, coefficients, dropped, rSquared, adjustedRSquared, residualSd: sigma, fitted, leverage, standardizedResiduals };
}

interface Orthogonalised {
  kept: DesignColumn[];
  dropped: DroppedColumn[];
  /** Orthonormal columns over the used rows. */
  q: number[][];
  /** Upper-triangular R (kept × kept). */
  r: number[][];
}

function orthogonalise(columns: readonly DesignColumn[], used: readonly number[], sqrtW: readonly number[], tolerance: number): Orthogonalised {
  const kept: DesignColumn[] = [];
  const dropped: DroppedColumn[] = [];
  const q: number[][] = [];
  const rColumns: number[][] = [];
  for (const column of columns) {
    const raw = used.map((i) => column.values[i]);
    if (!column.isIntercept && isConstant(raw)) {
      dropped.push({ name: column.name, reason: 'CONSTANT' });
      continue;
    }
    const v = raw.map((value, row) => value * sqrtW[row]);
    const originalNorm = Math.sqrt(dot(v, v));
    const projections = new Array<number>(q.length).fill(0);
    for (let pass = 0; pass < 2; pass++) {
      q.forEach((basis, k) => {
        const coefficient = dot(basis, v);
        projections[k] += coefficient;
        for (let row = 0; row < v.length; row++) v[row] -= coefficient * basis[row];
      });
    }
    const remainder = Math.sqrt(dot(v, v));
    if (!(remainder > tolerance * originalNorm)) {
      dropped.push({ name: column.name, reason: 'COLLINEAR' });
      continue;
    }
    kept.push(column);
    q.push(v.map((value) => value / remainder));
    rColumns.push([...projections, remainder]);
  }
  const p = kept.length;
  const r = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => (i <= j ? rColumns[j][i] : 0)));
  return { kept, dropped, q, r };
}

/** R⁻¹ of an invertible upper-triangular matrix, column by column by back substitution. */
function invertUpperTriangular(r: readonly (readonly number[])[]): number[][] {
  const p = r.length;
  const inverse = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let j = 0; j < p; j++) {
    inverse[j][j] = 1 / r[j][j];
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += r[i][k] * inverse[k][j];
      inverse[i][j] = -s / r[i][i];
    }
  }
  return inverse;
}

function isConstant(values: readonly number[]): boolean {
  const min = Math.min(...values);
  const max = Math.max(...values);
  return max - min <= 1e-12 * Math.max(1, Math.abs(max), Math.abs(min));
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
