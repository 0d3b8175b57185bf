import { solveLeastSquaresQr } from '../../../src/risk/stats/polynomial-fit';
import { createRandom } from '../../../src/risk/stats/random';
import { DesignColumn, fitWeightedLeastSquares, WeightedLeastSquaresFit, WeightedLeastSquaresResult } from '../../../src/comparisons/stats/weighted-least-squares';

function ok(result: WeightedLeastSquaresResult): WeightedLeastSquaresFit {
  if (result.status !== 'OK') throw new Error(`expected a fit, got ${result.reason}`);
  return result;
}

const intercept = (n: number): DesignColumn => ({ name: 'INTERCEPT', values: new Array(n).fill(1), isIntercept: true });

describe('weighted least squares: known answers', () => {
  const x = [1, 2, 3, 4, 5];
  const y = [2, 4, 5, 4, 5];

  it('with equal weights it is OLS (textbook example by hand)', () => {
    // b = Sxy/Sxx = 6/10 = 0.6, a = 4 − 0.6·3 = 2.2; RSS = 2.4, σ² = 0.8, SE(b) = √(0.8/10),
    // TSS = 6 → R² = 0.6, adjusted 1 − 0.4·4/3; leverage 1/5 + (x − 3)²/10.
    const fit = ok(fitWeightedLeastSquares(y, [1, 1, 1, 1, 1], [intercept(5), { name: 'x', values: x }]));
    const [a, b] = fit.coefficients;
    expect(a.estimate).toBeCloseTo(2.2, 12);
    expect(b.estimate).toBeCloseTo(0.6, 12);
    expect(b.standardError).toBeCloseTo(Math.sqrt(0.08), 12);
    expect(a.standardError).toBeCloseTo(Math.sqrt(0.8 * (1 / 5 + 9 / 10)), 12);
    expect(b.tValue).toBeCloseTo(0.6 / Math.sqrt(0.08), 10);
    expect(b.upper - b.estimate).toBeCloseTo(3.182446305 * Math.sqrt(0.08), 8); // t₀.₉₇₅ with 3 df
    expect(fit.rSquared).toBeCloseTo(0.6, 12);
    expect(fit.adjustedRSquared).toBeCloseTo(1 - (0.4 * 4) / 3, 12);
    expect(fit.residualSd).toBeCloseTo(Math.sqrt(0.8), 12);
    expect(fit.residualDf).toBe(3);
    expect(fit.leverage).toEqual([0.6, 0.3, 0.2, 0.3, 0.6].map((h) => expect.closeTo(h, 12)));
    // Internally studentized residual of the first point: −0.8 / (√0.8 · √0.4).
    expect(fit.standardizedResiduals[0]).toBeCloseTo(-0.8 / Math.sqrt(0.32), 10);
    expect(fit.fitted[2]).toBeCloseTo(4, 12);
  });

  it('integer weights give the coefficients of the replicated data set', () => {
    const w = [3, 1, 2, 1, 4];
    const replicatedX = x.flatMap((xi, i) => new Array(w[i]).fill(xi));
    const replicatedY = y.flatMap((yi, i) => new Array(w[i]).fill(yi));
    const weighted = ok(fitWeightedLeastSquares(y, w, [intercept(5), { name: 'x', values: x }]));
    const replicated = ok(fitWeightedLeastSquares(replicatedY, replicatedX.map(() => 1), [intercept(replicatedX.length), { name: 'x', values: replicatedX }]));
    weighted.coefficients.forEach((c, k) => expect(c.estimate).toBeCloseTo(replicated.coefficients[k].estimate, 12));
    expect(weighted.rSquared).toBeCloseTo(replicated.rSquared as number, 12);
  });

  it('scaling all weights changes nothing', () => {
    const w = [3, 1, 2, 1, 4];
    const a = ok(fitWeightedLeastSquares(y, w, [intercept(5), { name: 'x', values: x }]));
    const b = ok(fitWeightedLeastSquares(y, w.map((v) => v * 37.5), [intercept(5), { name: 'x', values: x }]));
    a.coefficients.forEach((c, k) => {
      expect(b.coefficients[k].estimate).toBeCloseTo(c.estimate, 12);
      expect(b.coefficients[k].standardError).toBeCloseTo(c.standardError, 12);
    });
    expect(b.residualSd).toBeCloseTo(a.residualSd, 12);
  });

  it('agrees with the colleague’s QR solver on √w-scaled rows', () => {
    const rng = createRandom(7);
    const n = 40;
    const columns: DesignColumn[] = [intercept(n), ...[0, 1, 2].map((j) => ({ name: `x${j}`, values: Array.from({ length: n }, () => rng.normal(j, 1 + j)) }))];
    const response = Array.from({ length: n }, () => rng.normal(50, 10));
    const weights = Array.from({ length: n }, () => rng.integer(5, 120));
    const fit = ok(fitWeightedLeastSquares(response, weights, columns));
    const rows = response.map((_, i) => columns.map((c) => c.values[i] * Math.sqrt(weights[i])));
    const expected = solveLeastSquaresQr(rows, response.map((v, i) => v * Math.sqrt(weights[i])));
    fit.coefficients.forEach((c, k) => expect(c.estimate).toBeCloseTo(expected[k], 9));
  });

  it('recovers a planted exact linear relation', () => {
    const rng = createRandom(11);
    const n = 30;
    const x1 = Array.from({ length: n }, () => rng.normal(0, 3));
    const x2 = Array.from({ length: n }, () => rng.normal(10, 2));
    const response = x1.map((v, i) => 3 + 2 * v - x2[i]);
    const fit = ok(fitWeightedLeastSquares(response, x1.map(() => rng.integer(1, 50)), [intercept(n), { name: 'x1', values: x1 }, { name: 'x2', values: x2 }]));
    expect(fit.coefficients.map((c) => c.estimate)).toEqual([expect.closeTo(3, 9), expect.closeTo(2, 9), expect.closeTo(-1, 9)]);
    expect(fit.rSquared).toBeCloseTo(1, 12);
    expect(fit.residualSd).toBeLessThan(1e-9);
    expect(fit.standardizedResiduals.every((r) => r === null)).toBe(true);
  });
});

describe('weighted least squares: singular designs and edge cases', () => {
  const n = 8;
  const x = [1, 2, 3, 4, 5, 6, 7, 9];
  const y = [3, 5, 6, 9, 10, 13, 14, 19];

  it('drops constant and collinear columns and says which', () => {
    const dummyA = [1, 1, 1, 0, 0, 0, 0, 0];
    const dummyB = dummyA.map((v) => 1 - v);
    const fit = ok(
      fitWeightedLeastSquares(y, new Array(n).fill(1), [
        intercept(n),
        { name: 'x', values: x },
        { name: 'constant', values: new Array(n).fill(5) },
        { name: 'twiceX', values: x.map((v) => 2 * v + 1) },
        { name: 'A', values: dummyA },
        { name: 'B', values: dummyB },
      ]),
    );
    expect(fit.dropped).toEqual([
      { name: 'constant', reason: 'CONSTANT' },
      { name: 'twiceX', reason: 'COLLINEAR' },
      { name: 'B', reason: 'COLLINEAR' },
    ]);
    expect(fit.coefficients.map((c) => c.name)).toEqual(['INTERCEPT', 'x', 'A']);
    const reduced = ok(fitWeightedLeastSquares(y, new Array(n).fill(1), [intercept(n), { name: 'x', values: x }, { name: 'A', values: dummyA }]));
    fit.coefficients.forEach((c, k) => expect(c.estimate).toBeCloseTo(reduced.coefficients[k].estimate, 10));
  });

  it('a column constant only among the fitted rows is constant', () => {
    const fit = ok(fitWeightedLeastSquares(y, [0, 1, 1, 1, 1, 1, 1, 1], [intercept(n), { name: 'x', values: x }, { name: 'firstOnly', values: [1, 0, 0, 0, 0, 0, 0, 0] }]));
    expect(fit.dropped).toEqual([{ name: 'firstOnly', reason: 'CONSTANT' }]);
    expect(fit.n).toBe(7);
    expect(fit.fitted[0]).toBeNull();
    expect(fit.leverage[0]).toBeNull();
  });

  it('a constant response: zero residual SD, R² undefined, no standardized residuals', () => {
    const fit = ok(fitWeightedLeastSquares(new Array(n).fill(42), new Array(n).fill(1), [intercept(n), { name: 'x', values: x }]));
    expect(fit.coefficients[0].estimate).toBeCloseTo(42, 10);
    expect(fit.coefficients[1].estimate).toBeCloseTo(0, 10);
    expect(fit.rSquared).toBeNull();
    expect(fit.adjustedRSquared).toBeNull();
    expect(fit.residualSd).toBeLessThan(1e-9);
    expect(fit.standardizedResiduals.every((r) => r === null)).toBe(true);
  });

  it('refuses fits without residual degrees of freedom or without rows', () => {
    expect(fitWeightedLeastSquares([1, 2], [1, 1], [intercept(2), { name: 'x', values: [0, 1] }]).status).toBe('INSUFFICIENT_DATA');
    expect(fitWeightedLeastSquares([1, 2], [0, 0], [intercept(2)]).status).toBe('INSUFFICIENT_DATA');
    expect(() => fitWeightedLeastSquares([1, 2], [1], [intercept(2)])).toThrow(RangeError);
    expect(() => fitWeightedLeastSquares([1, NaN], [1, 1], [intercept(2)])).toThrow(RangeError);
    expect(() => fitWeightedLeastSquares([1, 2], [1, -1], [intercept(2)])).toThrow(RangeError);
  });
});
