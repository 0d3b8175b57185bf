import { normalQuantile, normalUpperTail } from '../../stats/normal';
import { createRandom } from './random';
import { lowerHalfSd, median } from '../../stats/robust';

/**
 * Combining weak signals into one statistic (as test-security forensics does, Cizek & Wollack 2017) and judging it
 * against an empirical null (Efron 2004).
 */

/** Stouffer's z of independent one-sided z-scores: Σz / √k. Assumes the scores are independent under the null. */
export function stoufferZ(zs: readonly number[]): number {
  if (zs.length === 0) throw new RangeError('Stouffer of no scores');
  let sum = 0;
  for (const z of zs) sum += z;
  return sum / Math.sqrt(zs.length);
}

/**
 * Fisher's combination of independent one-sided p-values: X = −2 Σ ln p ~ χ²(2k) under the null; returns the
 * upper tail, in closed form for even degrees of freedom. Sensitive to one strong signal as well as to several
 * moderate ones. Assumes the p-values are independent and uniform under the null.
 */
function fisherCombinedP(pValues: readonly number[]): number {
  if (pValues.length === 0) throw new RangeError('Fisher of no p-values');
  let x = 0;
  for (const p of pValues) x += -2 * Math.log(Math.max(p, 1e-300));
  const half = x / 2;
  // P(χ²(2k) > x) = e^{−x/2} Σ_{i<k} (x/2)^i / i!
  let term = 1;
  let sum = 1;
  for (let i = 1; i < pValues.length; i++) {
    term *= half / i;
    sum += term;
  }
  return Math.min(1, Math.exp(-half) * sum);
}

/**
 * The omnibus p of independent one-sided p-values for alternatives where one sign or several may move: the
 * statistic is the smaller of Fisher's combination (several moderate signs) and Šidák's minimum (one strong sign,
 * which Fisher dilutes among the silent ones); its null distribution — not uniform, the minimum of two p-values —
 * is simulated once per number of signs (independent uniform p-values, a fixed seed) and the statistic is read
 * against it, so the result is again a uniform p under the null. Assumes independence under the null, as both
 * parts do.
 */
export function omnibusP(pValues: readonly number[]): number {
  if (pValues.length === 0) throw new RangeError('omnibus of no p-values');
  if (pValues.length === 1) return pValues[0];
  const statistic = omnibusStatistic(pValues);
  const table = omnibusNull(pValues.length);
  // Share of null statistics at or below this one (the table is sorted), never 0.
  let lo = 0;
  let hi = table.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (table[mid] <= statistic) lo = mid + 1;
    else hi = mid;
  }
  // Beyond the table's resolution the statistic's own scale is used (both parts are valid p-values there).
  return lo === 0 ? Math.min(statistic * 2, 1 / OMNIBUS_DRAWS) : lo / table.length;
}

function omnibusStatistic(pValues: readonly number[]): number {
  const smallest = Math.min(...pValues);
  const sidak = -Math.expm1(pValues.length * Math.log1p(-Math.min(smallest, 1 - 1e-16)));
  return Math.min(fisherCombinedP(pValues), sidak);
}

const OMNIBUS_DRAWS = 20_000;
const omnibusTables = new Map<number, Float64Array>();

function omnibusNull(k: number): Float64Array {
  let table = omnibusTables.get(k);
  if (!table) {
    const random = createRandom(20261207 + k);
    table = new Float64Array(OMNIBUS_DRAWS);
    const draw = new Array<number>(k);
    for (let i = 0; i < OMNIBUS_DRAWS; i++) {
      for (let j = 0; j < k; j++) draw[j] = Math.max(random.next(), 1e-12);
      table[i] = omnibusStatistic(draw);
    }
    table.sort();
    omnibusTables.set(k, table);
  }
  return table;
}

/** One-sided p of a z-score and back, kept away from 0 and 1 so that the quantile stays finite. */
export const pOfZ = (z: number) => Math.min(1 - 1e-15, Math.max(1e-300, normalUpperTail(z)));
export const zOfP = (p: number) => normalQuantile(1 - Math.min(1 - 1e-15, Math.max(1e-15, p)));

export interface EmpiricalNull {
  /** Centre of the null statistics. */
  centre: number;
  /** Spread of the null statistics. */
  scale: number;
  statistics: number;
}

/**
 * Efron's empirical null, estimated robustly from the statistics — the centre their median, the spread read from
 * the lower half (median minus the lower tenth, scaled to a normal SD) — and never made more liberal than the
 * theoretical null N(0, 1): centre ≥ 0, scale ≥ 1. Assumes the great majority of the statistics come from honest
 * schools and that manipulation only moves statistics up (every sign points at non-objectivity when positive), so
 * the lower half is honest schools' alone; a MAD over both halves would widen with the share of manipulated
 * schools and take power from every school. Protects against a theoretical null that is too narrow (correlated
 * signs, a variance model that understates honest variation).
 */
export function empiricalNull(zs: readonly number[], minStatistics = 30): EmpiricalNull {
  if (zs.length < minStatistics) return { centre: 0, scale: 1, statistics: zs.length };
  // Manipulation moves statistics up, never down: the honest spread is read from the lower half, which the
  // manipulated schools do not reach (a scaled MAD over both halves grows with their share).
  const centre = median(zs);
  const scale = lowerHalfSd(zs);
  return { centre: Math.max(0, centre), scale: Math.max(1, scale), statistics: zs.length };
}

/** A statistic standardised by the empirical null. */
export const againstNull = (z: number, n: EmpiricalNull) => (z - n.centre) / n.scale;
