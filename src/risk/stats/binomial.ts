import { logChoose, regularizedIncompleteBeta } from '../../stats/special-functions';

/** P(X = k) for X ~ Binomial(n, p). */
export function binomialPmf(k: number, n: number, p: number): number {
  assertBinomialArgs(n, p);
  if (!Number.isInteger(k) || k < 0 || k > n) return 0;
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === n ? 1 : 0;
  return Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

/**
 * Exact one-sided upper tail P(X ≥ k) for X ~ Binomial(n, p), through the identity
 * P(X ≥ k) = I_p(k, n − k + 1). Exact for any n, so small schools need no normal approximation.
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  assertBinomialArgs(n, p);
  const kk = Math.ceil(k);
  if (kk <= 0) return 1;
  if (kk > n) return 0;
  if (p === 0) return 0;
  if (p === 1) return 1;
  return regularizedIncompleteBeta(p, kk, n - kk + 1);
}

/** Exact one-sided lower tail P(X ≤ k) for X ~ Binomial(n, p). */
export function binomialLowerTail(k: number, n: number, p: number): number {
  const kk = Math.floor(k);
  if (kk < 0) {
    assertBinomialArgs(n, p);
    return 0;
  }
  return 1 - binomialUpperTail(kk + 1, n, p);
}

function assertBinomialArgs(n: number, p: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`binomial n must be a non-negative integer, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`binomial p must be in [0, 1], got ${p}`);
}
