import { Correlation, CorrelationResult, pearsonCorrelation, spearmanCorrelation, weightedPearsonCorrelation } from '../../../src/comparisons/stats/correlation';
import { midRanks } from '../../../src/comparisons/stats/ranks';

function ok(result: CorrelationResult): Correlation {
  if (result.status !== 'OK') throw new Error(result.reason);
  return result;
}

describe('correlations', () => {
  it('Pearson with Fisher CI and t p-value, by hand', () => {
    // x = 1…6, y = 2,1,4,3,6,5: r = 1 − 6·6/(6·35) = 0.828571 (ranks = values); Fisher CI
    // tanh(atanh r ± 1.96/√3); p = 0.041563 (t = r√(4/(1 − r²)) on 4 df).
    const r = ok(pearsonCorrelation([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 6, 5]));
    expect(r.r).toBeCloseTo(0.8285714286, 10);
    expect(r.n).toBe(6);
    expect(r.effectiveN).toBe(6);
    expect(r.lower).toBeCloseTo(0.0519293188, 8);
    expect(r.upper).toBeCloseTo(0.9806845993, 8);
    expect(r.pValue).toBeCloseTo(0.0415626822, 8);
    expect(r.significant).toBe(true);
  });

  it('Spearman uses mid-ranks and the 1.06 Fisher variance', () => {
    // scipy.stats.spearmanr([1..8], [3,1,4,1,5,9,2,6]) = 0.503003, p = 0.203877.
    const rho = ok(spearmanCorrelation([1, 2, 3, 4, 5, 6, 7, 8], [3, 1, 4, 1, 5, 9, 2, 6]));
    expect(rho.r).toBeCloseTo(0.5030030300, 9);
    expect(rho.pValue).toBeCloseTo(0.2038766820, 8);
    expect(rho.upper).toBeCloseTo(Math.tanh(Math.atanh(rho.r) + 1.959963985 * Math.sqrt(1.06 / 5)), 8);
    expect(midRanks([10, 20, 20, 30, 20])).toEqual([1, 3, 3, 5, 3]);
  });

  it('Spearman is invariant to monotone transformations, Pearson is not', () => {
    const x = [120, 80, 560, 300, 45, 900, 210];
    const y = [61, 55, 70, 58, 49, 72, 66];
    const logged = x.map(Math.log);
    expect(ok(spearmanCorrelation(logged, y)).r).toBeCloseTo(ok(spearmanCorrelation(x, y)).r, 12);
    expect(ok(pearsonCorrelation(logged, y)).r).not.toBeCloseTo(ok(pearsonCorrelation(x, y)).r, 3);
  });

  it('weighted Pearson: equal weights give Pearson; Kish effective N drives the CI', () => {
    const x = [1, 2, 3, 4, 5, 6];
    const y = [2, 1, 4, 3, 6, 5];
    const equal = ok(weightedPearsonCorrelation(x, y, [3, 3, 3, 3, 3, 3]));
    expect(equal.r).toBeCloseTo(ok(pearsonCorrelation(x, y)).r, 12);
    expect(equal.effectiveN).toBeCloseTo(6, 12);
    const uneven = ok(weightedPearsonCorrelation([...x, 7, 8], [...y, 8, 6], [10, 10, 10, 10, 10, 10, 40, 40]));
    // Kish: 140² / (6·100 + 2·1600) = 19600 / 3800.
    expect(uneven.effectiveN).toBeCloseTo(19600 / 3800, 12);
    expect(uneven.n).toBe(8);
    // 13² / (5·4 + 9) = 5.83 effective schools: usable; one school with 1000× the weight: 1.01, not.
    expect(ok(weightedPearsonCorrelation(x, y, [2, 2, 2, 2, 2, 3])).effectiveN).toBeCloseTo(169 / 29, 12);
    expect(weightedPearsonCorrelation(x, y, [1, 1, 1, 1, 1, 1000]).status).toBe('INSUFFICIENT_DATA');
  });

  it('perfect correlation: CI collapses to ±1 and p = 0', () => {
    const r = ok(pearsonCorrelation([1, 2, 3, 4, 5], [10, 8, 6, 4, 2]));
    expect(r.r).toBe(-1);
    expect(r.lower).toBe(-1);
    expect(r.upper).toBe(-1);
    expect(r.pValue).toBe(0);
  });

  it('insufficient below 5 pairs (missing values dropped) and without variation', () => {
    expect(pearsonCorrelation([1, 2, 3, 4], [1, 3, 2, 4]).status).toBe('INSUFFICIENT_DATA');
    expect(pearsonCorrelation([1, 2, 3, 4, 5, null], [1, 3, null, 4, 5, 6]).status).toBe('INSUFFICIENT_DATA');
    expect(spearmanCorrelation([1, 2, 3, 4, 5], [7, 7, 7, 7, 7]).status).toBe('INSUFFICIENT_DATA');
    expect(pearsonCorrelation([0.3, 0.3, 0.3, 0.3, 0.3], [1, 2, 3, 4, 5]).status).toBe('INSUFFICIENT_DATA');
    expect(() => pearsonCorrelation([1, 2], [1])).toThrow(RangeError);
  });
});
