/**
 * Seeded pseudo-random numbers for simulations (mulberry32: 32-bit state, fast, good enough for
 * Monte-Carlo checks of false-positive rates; not for anything security related).
 */

export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer uniform in [min, max] inclusive. */
  integer(min: number, max: number): number;
  /** Normal(mean, sd) by Box–Muller. */
  normal(mean?: number, sd?: number): number;
  /** Binomial(n, p): exact by inversion; normal approximation only when n·p·(1−p) > 1000. */
  binomial(n: number, p: number): number;
  /** Multinomial(n, probabilities) through sequential conditional binomials. */
  multinomial(n: number, probabilities: readonly number[]): number[];
}

export function createRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  let spareNormal: number | null = null;
  const standardNormal = (): number => {
    if (spareNormal !== null) {
      const value = spareNormal;
      spareNormal = null;
      return value;
    }
    let u = 0;
    while (u === 0) u = next();
    const v = next();
    const radius = Math.sqrt(-2 * Math.log(u));
    spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };

  const binomial = (n: number, p: number): number => {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`binomial n must be a non-negative integer, got ${n}`);
    if (!(p >= 0 && p <= 1)) throw new RangeError(`binomial p must be in [0, 1], got ${p}`);
    if (n === 0 || p === 0) return 0;
    if (p === 1) return n;
    if (p > 0.5) return n - binomial(n, 1 - p);
    const variance = n * p * (1 - p);
    if (variance > 1000) {
      const draw = Math.round(n * p + Math.sqrt(variance) * standardNormal());
      return Math.min(n, Math.max(0, draw));
    }
    // Inversion: walk the CDF from 0 with the pmf recurrence. (1−p)^n cannot underflow here
    // because p ≤ ½ and n·p·(1−p) ≤ 1000.
    const ratio = p / (1 - p);
    let pmf = Math.pow(1 - p, n);
    let cumulative = pmf;
    const u = next();
    let k = 0;
    while (u > cumulative && k < n) {
      pmf *= (ratio * (n - k)) / (k + 1);
      k++;
      cumulative += pmf;
    }
    return k;
  };

  return {
    next,
    integer(min: number, max: number): number {
      return min + Math.floor(next() * (max - min + 1));
    },
    normal(mean = 0, sd = 1): number {
      return mean + sd * standardNormal();
    },
    binomial,
    multinomial(n: number, probabilities: readonly number[]): number[] {
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`multinomial n must be a non-negative integer, got ${n}`);
      // Suffix sums make the last positive category's conditional probability exactly 1,
      // so rounding can never leave draws unassigned.
      const suffix = new Array<number>(probabilities.length + 1).fill(0);
      for (let i = probabilities.length - 1; i >= 0; i--) {
        if (!(probabilities[i] >= 0)) throw new RangeError(`multinomial probability must be ≥ 0, got ${probabilities[i]}`);
        suffix[i] = probabilities[i] + suffix[i + 1];
      }
      if (!(suffix[0] > 0)) throw new RangeError('multinomial probabilities must sum to a positive number');
      const out = new Array<number>(probabilities.length).fill(0);
      let remaining = n;
      for (let i = 0; i < probabilities.length && remaining > 0; i++) {
        if (suffix[i] <= 0) break;
        out[i] = binomial(remaining, Math.min(1, probabilities[i] / suffix[i]));
        remaining -= out[i];
      }
      return out;
    },
  };
}
