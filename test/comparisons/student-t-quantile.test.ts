import { studentTQuantile } from '../../src/comparisons/stats/student-t-quantile';
import { studentTUpperTail } from '../../src/stats/student-t';

/** The Newton search for the t quantile inverts the exact upper tail everywhere, not only at table values. */
describe('Student t quantile (Newton inside a bracket)', () => {
  const tails = [0.4999, 0.25, 0.1, 0.05, 0.025, 0.005, 1e-4, 1e-8];
  const dfs = [0.1, 0.5, 1, 1.5, 2, 3, 7.5, 29.3, 100, 1234.5, 1e5];

  it.each(dfs)('inverts P(T > t) for df = %s', (df) => {
    for (const p of tails) {
      const t = studentTQuantile(p, df);
      expect(t).toBeGreaterThan(0);
      // Relative to p in the far tails; near the centre the tail function itself (the incomplete beta with a
      // huge df) is accurate to a few 1e-9, which bounds what any quantile search can reach.
      expect(Math.abs(studentTUpperTail(t, df) - p)).toBeLessThan(1e-8 * Math.min(1, 100 * p));
      // 1 − p is rounded in floating point, so far tails can only agree to the precision of that rounding.
      expect(Math.abs(studentTQuantile(1 - p, df) + t) / t).toBeLessThan(1e-6);
    }
  });

  it('is monotone in the tail and in the degrees of freedom', () => {
    for (const df of dfs) {
      const quantiles = tails.map((p) => studentTQuantile(p, df));
      expect(quantiles).toEqual([...quantiles].sort((a, b) => a - b));
    }
    const byDf = dfs.map((df) => studentTQuantile(0.025, df));
    expect(byDf).toEqual([...byDf].sort((a, b) => b - a));
  });
});
