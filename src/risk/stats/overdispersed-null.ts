import { MAD_TO_SD, median } from '../../stats/robust';

/**
 * The null distribution of a school-level effect when honest schools differ (an overdispersed funnel plot,
 * Spiegelhalter 2005, with a random effect): an honest school's effect d_i, measured with sampling variance v_i,
 * is d_i ~ N(μ + β·x_i + γ·x_i², τ² + κ·v_i), where x_i is an optional covariate (the school's overall result:
 * schools like it, the line allowed to bend for the strongest and weakest), τ² the spread of honest schools' true effects and κ ≥ 1 a design factor for sampling variances that
 * theory understates (points of one pupil are not independent). Everything is estimated from the region's schools
 * robustly (Huber weights for the line, medians of absolute residuals by size band for τ² and κ).
 *
 * Assumes: most schools (well over half) are honest; honest departures are roughly normal and symmetric around
 * the line; the sampling variances are right up to the common factor κ. Breaks when a large share of the region
 * departs the same way (a territory-wide pile-up — judged on the territory's own histogram instead), or with too
 * few schools to estimate τ² (below `MIN_SCHOOLS` the fit says so and nothing is judged).
 */
export interface OverdispersedNull {
  /** Schools the fit used. */
  schools: number;
  intercept: number;
  slope: number;
  /** Coefficient of the covariate's square: the line may bend (schools at the top are not like the middle). */
  curvature: number;
  /** Between-school variance of honest effects. */
  tau2: number;
  /** Multiplier of the stated sampling variances (≥ 1). */
  kappa: number;
}

const MIN_SCHOOLS = 12;
const HUBER = 2;
const BANDS = 5;
const ITERATIONS = 4;

/** Fits the null; null when fewer than `MIN_SCHOOLS` schools have a finite effect and a positive variance. */
export function fitOverdispersedNull(effects: ArrayLike<number>, variances: ArrayLike<number>, covariate?: ArrayLike<number>): OverdispersedNull | null {
  const d: number[] = [];
  const v: number[] = [];
  const x: number[] = [];
  for (let i = 0; i < effects.length; i++) {
    const e = effects[i];
    const s = variances[i];
    const c = covariate ? covariate[i] : 0;
    if (Number.isFinite(e) && Number.isFinite(s) && s > 0 && Number.isFinite(c)) {
      d.push(e);
      v.push(s);
      x.push(c);
    }
  }
  const n = d.length;
  if (n < MIN_SCHOOLS) return null;
  const columns = covariate !== undefined && spread(x) > 1e-9 ? 3 : 1;
  let beta = [median(d), 0, 0];
  let tau2 = 0;
  let kappa = 1;
  const residuals = new Float64Array(n);
  const line = (i: number) => beta[0] + beta[1] * x[i] + beta[2] * x[i] * x[i];
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    for (let i = 0; i < n; i++) residuals[i] = d[i] - line(i);
    ({ tau2, kappa } = varianceModel(residuals, v));
    // Weighted least squares with Huber weights: a manipulated school pulls the line as little as possible.
    const xtx = Array.from({ length: columns }, () => new Array<number>(columns).fill(0));
    const xty = new Array<number>(columns).fill(0);
    for (let i = 0; i < n; i++) {
      const sd = Math.sqrt(tau2 + kappa * v[i]);
      const u = Math.abs(residuals[i]) / sd;
      const w = (u <= HUBER ? 1 : HUBER / u) / (sd * sd);
      const row = [1, x[i], x[i] * x[i]];
      for (let j = 0; j < columns; j++) {
        xty[j] += w * row[j] * d[i];
        for (let k = 0; k < columns; k++) xtx[j][k] += w * row[j] * row[k];
      }
    }
    const solved = solveSymmetric(xtx, xty);
    beta = solved ? [solved[0], solved[1] ?? 0, solved[2] ?? 0] : [xty[0] / xtx[0][0], 0, 0];
  }
  for (let i = 0; i < n; i++) residuals[i] = d[i] - line(i);
  ({ tau2, kappa } = varianceModel(residuals, v));
  return { schools: n, intercept: beta[0], slope: beta[1], curvature: beta[2], tau2, kappa };
}

/** Gaussian elimination with partial pivoting for a small system; null when singular. */
function solveSymmetric(matrix: number[][], rhs: number[]): number[] | null {
  const n = rhs.length;
  const a = matrix.map((row, i) => [...row, rhs[i]]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) pivot = r;
    if (Math.abs(a[pivot][c]) < 1e-12 * Math.max(1, Math.abs(a[0][0]))) return null;
    [a[c], a[pivot]] = [a[pivot], a[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let k = c; k <= n; k++) a[r][k] -= f * a[c][k];
    }
  }
  return a.map((row, i) => row[n] / row[i]);
}

/** The school's standardised departure from honest schools like it (positive: above the line). */
export function overdispersedZ(fit: OverdispersedNull, effect: number, variance: number, covariate = 0): number {
  return (effect - fit.intercept - fit.slope * covariate - fit.curvature * covariate * covariate) / Math.sqrt(fit.tau2 + fit.kappa * variance);
}

/**
 * τ² and κ from residuals: schools are cut into size bands by their sampling variance; in each band the robust
 * variance of residuals (scaled MAD²) estimates τ² + κ·(the band's median variance); a line through the bands,
 * kept to τ² ≥ 0 and κ ≥ 1, gives both.
 */
function varianceModel(residuals: Float64Array, variances: readonly number[]): { tau2: number; kappa: number } {
  const n = residuals.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => variances[a] - variances[b]);
  const bands = Math.max(1, Math.min(BANDS, Math.floor(n / 12)));
  const points: { v: number; s2: number; w: number }[] = [];
  for (let b = 0; b < bands; b++) {
    const members = order.slice(Math.floor((b * n) / bands), Math.floor(((b + 1) * n) / bands));
    if (members.length < 3) continue;
    const r = members.map((i) => residuals[i]);
    const centre = median(r);
    const mad = MAD_TO_SD * median(r.map((value) => Math.abs(value - centre)));
    points.push({ v: median(members.map((i) => variances[i])), s2: mad * mad, w: members.length });
  }
  if (points.length === 0) return { tau2: 0, kappa: 1 };
  // Weighted least squares of s2 on v, then the constraints.
  let sw = 0;
  let sv = 0;
  let ss = 0;
  let svv = 0;
  let svs = 0;
  for (const p of points) {
    sw += p.w;
    sv += p.w * p.v;
    ss += p.w * p.s2;
    svv += p.w * p.v * p.v;
    svs += p.w * p.v * p.s2;
  }
  const det = sw * svv - sv * sv;
  let kappa = det > 1e-18 * sw * svv ? (sw * svs - sv * ss) / det : 1;
  let tau2 = (ss - kappa * sv) / sw;
  if (kappa < 1 || !Number.isFinite(kappa)) {
    kappa = 1;
    tau2 = (ss - sv) / sw;
  }
  if (tau2 < 0) {
    tau2 = 0;
    // κ alone: the weighted ratio of robust variances to stated ones, at least 1.
    kappa = Math.max(1, ss / sv);
  }
  return { tau2, kappa };
}

function spread(values: readonly number[]): number {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return max - min;
}
