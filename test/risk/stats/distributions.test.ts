import { normalCdf, normalQuantile, normalUpperTail } from '../../../src/stats/normal';
import { binomialLowerTail, binomialPmf, binomialUpperTail } from '../../../src/risk/stats/binomial';
import { studentTUpperTail } from '../../../src/stats/student-t';
import { logGamma, regularizedIncompleteBeta } from '../../../src/stats/special-functions';

describe('normal distribution', () => {
  it('matches tabulated values of Φ', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 14);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 12);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 12);
    expect(normalCdf(2.5)).toBeCloseTo(0.9937903346742238, 12);
  });

  it('keeps precision in the far upper tail', () => {
    // 1 − Φ(8) = 6.22096e-16; computing 1 − normalCdf(8) would return 0 or noise.
    expect(normalUpperTail(8) / 6.220960574271784e-16).toBeCloseTo(1, 8);
    expect(normalUpperTail(3) / 1.3498980316301e-3).toBeCloseTo(1, 10);
  });

  it('quantile inverts the CDF across the range', () => {
    for (const p of [1e-10, 0.001, 0.02, 0.3, 0.5, 0.77, 0.975, 0.9999]) {
      expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 12);
    }
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 9);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(() => normalQuantile(1.2)).toThrow(RangeError);
  });
});

describe('binomial tails', () => {
  const directUpperTail = (k: number, n: number, p: number): number => {
    let total = 0;
    for (let j = k; j <= n; j++) total += binomialPmf(j, n, p);
    return total;
  };

  it('equals the direct sum of the pmf for small n', () => {
    for (const [k, n, p] of [
      [3, 10, 0.1],
      [7, 20, 0.25],
      [0, 5, 0.3],
      [15, 60, 0.08],
      [1, 1, 0.5],
    ]) {
      expect(binomialUpperTail(k, n, p)).toBeCloseTo(directUpperTail(k, n, p), 12);
    }
  });

  it('handles the edges of k and p', () => {
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1);
    expect(binomialUpperTail(11, 10, 0.3)).toBe(0);
    expect(binomialUpperTail(1, 10, 0)).toBe(0);
    expect(binomialUpperTail(10, 10, 1)).toBe(1);
    expect(binomialUpperTail(10, 10, 0.5)).toBeCloseTo(1 / 1024, 15);
    expect(() => binomialUpperTail(1, 10, 1.5)).toThrow(RangeError);
  });

  it('lower and upper tails are complementary', () => {
    expect(binomialLowerTail(4, 30, 0.2) + binomialUpperTail(5, 30, 0.2)).toBeCloseTo(1, 13);
    expect(binomialLowerTail(-1, 30, 0.2)).toBe(0);
  });

  it('pmf sums to one', () => {
    let total = 0;
    for (let k = 0; k <= 40; k++) total += binomialPmf(k, 40, 0.37);
    expect(total).toBeCloseTo(1, 12);
  });
});

describe('special functions and Student t', () => {
  it('logGamma matches factorials', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(11)).toBeCloseTo(Math.log(3628800), 10);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });

  it('incomplete beta matches closed forms', () => {
    // I_x(1, b) = 1 − (1 − x)^b; I_x(a, 1) = x^a.
    expect(regularizedIncompleteBeta(0.3, 1, 4)).toBeCloseTo(1 - 0.7 ** 4, 13);
    expect(regularizedIncompleteBeta(0.6, 3, 1)).toBeCloseTo(0.216, 13);
  });

  it('Student t tails match tables', () => {
    expect(studentTUpperTail(2.228, 10)).toBeCloseTo(0.025, 4);
    expect(studentTUpperTail(1.812, 10)).toBeCloseTo(0.05, 4);
    expect(studentTUpperTail(0, 5)).toBeCloseTo(0.5, 12);
    expect(studentTUpperTail(-2.228, 10)).toBeCloseTo(0.975, 4);
    // With many degrees of freedom t approaches the normal.
    expect(studentTUpperTail(1.96, 1e6)).toBeCloseTo(normalUpperTail(1.96), 5);
  });
});
