import { chiSquareUpperTail } from '../../../src/comparisons/stats/chi-square';
import { criticalT, criticalZ, statisticRatio, twoSidedPValueT, twoSidedPValueZ } from '../../../src/comparisons/stats/inference';
import { studentTQuantile } from '../../../src/comparisons/stats/student-t-quantile';

describe('Student t quantile', () => {
  it('matches table values, including fractional Welch df', () => {
    // Reference values from statistical tables (scipy.stats.t.ppf(0.975, df)).
    expect(studentTQuantile(0.025, 1)).toBeCloseTo(12.706204736, 7);
    expect(studentTQuantile(0.025, 2)).toBeCloseTo(4.302652730, 8);
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(2.228138852, 8);
    expect(studentTQuantile(0.025, 7.5)).toBeCloseTo(2.333039627, 8);
    expect(criticalT(0.95, 10)).toBeCloseTo(2.228138852, 8);
  });

  it('is antisymmetric and approaches the normal quantile for large df', () => {
    expect(studentTQuantile(0.975, 5)).toBeCloseTo(-studentTQuantile(0.025, 5), 10);
    expect(studentTQuantile(0.5, 3)).toBe(0);
    expect(studentTQuantile(0.025, 1e6)).toBeCloseTo(criticalZ(0.95), 4);
    expect(() => studentTQuantile(0, 3)).toThrow(RangeError);
    expect(() => studentTQuantile(0.1, 0)).toThrow(RangeError);
  });
});

describe('χ² upper tail', () => {
  it('matches table values', () => {
    expect(chiSquareUpperTail(3.841458820694124, 1)).toBeCloseTo(0.05, 12);
    expect(chiSquareUpperTail(11.0705, 5)).toBeCloseTo(0.0499999554, 9);
    expect(chiSquareUpperTail(30, 10)).toBeCloseTo(0.000856641211, 11);
    expect(chiSquareUpperTail(0.5, 4)).toBeCloseTo(0.973500978839, 11);
  });

  it('equals exp(−x/2) for two degrees of freedom and handles the ends', () => {
    for (const x of [0.1, 1, 5.991464547, 20]) expect(chiSquareUpperTail(x, 2)).toBeCloseTo(Math.exp(-x / 2), 12);
    expect(chiSquareUpperTail(0, 3)).toBe(1);
    expect(chiSquareUpperTail(Infinity, 3)).toBe(0);
    expect(() => chiSquareUpperTail(1, 0)).toThrow(RangeError);
  });
});

describe('inference helpers', () => {
  it('two-sided p-values and guarded ratios', () => {
    expect(twoSidedPValueZ(1.959963984540054)).toBeCloseTo(0.05, 12);
    expect(twoSidedPValueZ(-1.959963984540054)).toBeCloseTo(0.05, 12);
    expect(twoSidedPValueT(2.228138852, 10)).toBeCloseTo(0.05, 8);
    expect(statisticRatio(0, 0)).toBe(0);
    expect(statisticRatio(-2, 0)).toBe(-Infinity);
    expect(statisticRatio(3, 2)).toBe(1.5);
  });
});
