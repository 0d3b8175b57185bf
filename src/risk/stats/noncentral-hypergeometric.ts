import { logChoose } from '../../stats/special-functions';

/**
 * Fisher's noncentral hypergeometric distribution: two binomial samples, X ~ Bin(m1, π1) and
 * Y ~ Bin(m2, π2), conditioned on X + Y = t. Then P(X = x) ∝ C(m1, x)·C(m2, t − x)·ψˣ with the odds
 * ratio ψ = [π1 / (1 − π1)] / [π2 / (1 − π2)]. With ψ = 1 it is the hypergeometric of Fisher's exact test.
 *
 * Used to compare a school's share of works in a window with a *reference* share that is itself a count
 * (the rest of the region), shifted by a known odds ratio (the school's tilt): the reference's own sampling
 * noise is then part of the test instead of being ignored.
 */

/** P(X ≥ x) for Fisher's noncentral hypergeometric(m1, m2, t, ψ). Exact summation over the support. */
export function noncentralHypergeometricUpperTail(x: number, m1: number, m2: number, t: number, oddsRatio: number): number {
  const pmf = noncentralHypergeometricPmf(m1, m2, t, oddsRatio);
  let tail = 0;
  for (let k = Math.max(0, Math.ceil(x)); k < pmf.length; k++) tail += pmf[k];
  return Math.min(1, tail);
}

/**
 * The whole probability mass function of Fisher's noncentral hypergeometric(m1, m2, t, ψ), indexed by x
 * from 0 to m1 (zero outside the support max(0, t − m2) … min(m1, t)).
 */
export function noncentralHypergeometricPmf(m1: number, m2: number, t: number, oddsRatio: number): number[] {
  for (const [name, v] of [['m1', m1], ['m2', m2], ['t', t]] as const) {
    if (!(Number.isInteger(v) && v >= 0)) throw new RangeError(`${name} must be a non-negative integer, got ${v}`);
  }
  if (t > m1 + m2) throw new RangeError(`t (${t}) must not exceed m1 + m2 (${m1 + m2})`);
  if (!(oddsRatio > 0 && Number.isFinite(oddsRatio))) throw new RangeError(`oddsRatio must be a positive finite number, got ${oddsRatio}`);
  const lo = Math.max(0, t - m2);
  const hi = Math.min(m1, t);
  const logPsi = Math.log(oddsRatio);
  const pmf = new Array<number>(m1 + 1).fill(0);
  let top = -Infinity;
  for (let i = lo; i <= hi; i++) {
    pmf[i] = logChoose(m1, i) + logChoose(m2, t - i) + i * logPsi;
    if (pmf[i] > top) top = pmf[i];
  }
  let total = 0;
  for (let i = lo; i <= hi; i++) {
    pmf[i] = Math.exp(pmf[i] - top);
    total += pmf[i];
  }
  for (let i = lo; i <= hi; i++) pmf[i] /= total;
  return pmf;
}
