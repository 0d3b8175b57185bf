import { fitEmpiricalBayes, shrinkEstimate } from '../../../src/risk/stats/empirical-bayes';
import { fitWeightedPolynomial, solveLeastSquaresQr } from '../../../src/risk/stats/polynomial-fit';
import { fitPoissonPolynomial } from '../../../src/risk/stats/poisson-polynomial';
import { createRandom } from '../../../src/risk/stats/random';

describe('empirical-Bayes shrinkage', () => {
  it('estimates τ² near the truth and shrinks small schools harder', () => {
    const rng = createRandom(7);
    const tau = 0.08;
    const withinSd = 0.2;
    const schools = Array.from({ length: 400 }, () => {
      const n = rng.integer(5, 120);
      const truth = 0.6 + rng.normal(0, tau);
      return { estimate: truth + rng.normal(0, withinSd / Math.sqrt(n)), samplingVariance: withinSd ** 2 / n };
    });
    const fit = fitEmpiricalBayes(schools);
    expect(fit.grandMean).toBeCloseTo(0.6, 1);
    expect(Math.sqrt(fit.tau2)).toBeGreaterThan(0.065);
    expect(Math.sqrt(fit.tau2)).toBeLessThan(0.095);

    const small = shrinkEstimate({ estimate: 0.9, samplingVariance: withinSd ** 2 / 5 }, fit);
    const large = shrinkEstimate({ estimate: 0.9, samplingVariance: withinSd ** 2 / 120 }, fit);
    expect(small.shrinkageFactor).toBeLessThan(large.shrinkageFactor);
    expect(small.shrunkenZ).toBeLessThan(large.shrunkenZ);
    expect(large.shrunkenEstimate).toBeLessThan(0.9);
    expect(large.shrunkenEstimate).toBeGreaterThan(fit.grandMean);
  });

  it('returns τ² = 0 and z = 0 when schools differ only by noise', () => {
    const schools = [0.5, 0.52, 0.49, 0.51, 0.5].map((estimate) => ({ estimate, samplingVariance: 0.01 }));
    const fit = fitEmpiricalBayes(schools);
    expect(fit.tau2).toBe(0);
    expect(shrinkEstimate(schools[1], fit).shrunkenZ).toBe(0);
  });

  it('rejects degenerate inputs', () => {
    expect(() => fitEmpiricalBayes([{ estimate: 1, samplingVariance: 1 }])).toThrow(RangeError);
    expect(() => fitEmpiricalBayes([{ estimate: 1, samplingVariance: 0 }, { estimate: 2, samplingVariance: 1 }])).toThrow(RangeError);
  });
});

describe('weighted polynomial fit', () => {
  it('recovers an exact cubic', () => {
    const x = Array.from({ length: 20 }, (_, i) => i);
    const y = x.map((v) => 2 - 0.5 * v + 0.1 * v * v - 0.003 * v ** 3);
    const fit = fitWeightedPolynomial(x, y, x.map(() => 1), 3);
    for (const v of [0, 7.5, 19, 25]) expect(fit.evaluate(v)).toBeCloseTo(2 - 0.5 * v + 0.1 * v * v - 0.003 * v ** 3, 8);
    expect(fit.weightedRss).toBeLessThan(1e-18);
  });

  it('zero-weight points do not influence the fit', () => {
    const x = [0, 1, 2, 3, 4, 5];
    const y = [1, 3, 5, 100, 9, 11]; // line 1 + 2x with an outlier at x = 3
    const fit = fitWeightedPolynomial(x, y, [1, 1, 1, 0, 1, 1], 1);
    expect(fit.evaluate(3)).toBeCloseTo(7, 10);
  });

  it('weights pull the fit towards heavy points', () => {
    const x = [0, 1, 2];
    const y = [0, 0, 3];
    const light = fitWeightedPolynomial(x, y, [1, 1, 1], 0).evaluate(0);
    const heavy = fitWeightedPolynomial(x, y, [1, 1, 10], 0).evaluate(0);
    expect(light).toBeCloseTo(1, 12);
    expect(heavy).toBeCloseTo(30 / 12, 12);
  });

  it('stays well conditioned at degree 8 on a 0…38 axis', () => {
    const x = Array.from({ length: 39 }, (_, i) => i);
    const y = x.map((v) => Math.sin(v / 6));
    const fit = fitWeightedPolynomial(x, y, x.map(() => 1), 8);
    expect(Math.max(...x.map((v) => Math.abs(fit.evaluate(v) - Math.sin(v / 6))))).toBeLessThan(1e-3);
  });

  it('detects rank deficiency', () => {
    expect(() => fitWeightedPolynomial([1, 1, 1], [1, 2, 3], [1, 1, 1], 1)).toThrow(RangeError);
    expect(() => solveLeastSquaresQr([[1, 2], [2, 4], [3, 6]], [1, 2, 3])).toThrow(RangeError);
  });
});

describe('Poisson log-polynomial fit', () => {
  it('recovers a discretised normal shape and fills excluded bins', () => {
    const expectedShape = Array.from({ length: 39 }, (_, s) => 5000 * Math.exp(-((s - 22) ** 2) / (2 * 36)));
    const counts = expectedShape.map((v) => Math.round(v));
    counts[24] += 800; // a bunched bin that must not distort the counterfactual
    const fit = fitPoissonPolynomial(counts, { degree: 2, excluded: new Set([23, 24, 25]) });
    expect(fit.converged).toBe(true);
    expect(fit.expected[24] / expectedShape[24]).toBeCloseTo(1, 2);
  });

  it('an offset turns the polynomial into a tilt of a reference shape', () => {
    const reference = Array.from({ length: 21 }, (_, s) => Math.exp(-((s - 10) ** 2) / 20));
    const tilted = reference.map((r, s) => 300 * r * Math.exp(0.15 * s));
    const fit = fitPoissonPolynomial(tilted, { degree: 1, offset: reference.map(Math.log) });
    fit.expected.forEach((v, s) => expect(v / tilted[s]).toBeCloseTo(1, 6));
  });

  it('ridge keeps an all-at-the-top histogram finite', () => {
    const counts = new Array<number>(11).fill(0);
    counts[10] = 30;
    const fit = fitPoissonPolynomial(counts, { degree: 2, ridge: 1 });
    expect(fit.expected.every((v) => Number.isFinite(v))).toBe(true);
    expect(() => fitPoissonPolynomial(new Array<number>(5).fill(0), { degree: 1 })).toThrow(RangeError);
  });
});

describe('seeded random numbers', () => {
  it('is reproducible and seed dependent', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
    seqA.forEach((u) => {
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
    });
  });

  it('binomial and normal draws have the right moments', () => {
    const rng = createRandom(1);
    const draws = Array.from({ length: 20000 }, () => rng.binomial(12, 0.3));
    const mean = draws.reduce((s, v) => s + v, 0) / draws.length;
    const variance = draws.reduce((s, v) => s + (v - mean) ** 2, 0) / draws.length;
    expect(mean).toBeCloseTo(3.6, 1);
    expect(variance).toBeCloseTo(2.52, 0);
    expect(rng.binomial(10, 0)).toBe(0);
    expect(rng.binomial(10, 1)).toBe(10);
    const normals = Array.from({ length: 20000 }, () => rng.normal(5, 2));
    const nMean = normals.reduce((s, v) => s + v, 0) / normals.length;
    expect(nMean).toBeCloseTo(5, 1);
  });

  it('multinomial draws sum to n and follow the probabilities', () => {
    const rng = createRandom(3);
    const totals = [0, 0, 0, 0];
    for (let i = 0; i < 2000; i++) {
      const draw = rng.multinomial(50, [0.1, 0.2, 0, 0.7]);
      expect(draw.reduce((s, v) => s + v, 0)).toBe(50);
      draw.forEach((v, j) => (totals[j] += v));
    }
    expect(totals[2]).toBe(0);
    expect(totals[3] / 100000).toBeCloseTo(0.7, 2);
  });
});
