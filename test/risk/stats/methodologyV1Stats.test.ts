import { binomialUpperTail } from '../../../src/risk/stats/binomial';
import { fitGroupedPoissonTilt } from '../../../src/risk/stats/grouped-poisson-tilt';
import { noncentralHypergeometricPmf, noncentralHypergeometricUpperTail } from '../../../src/risk/stats/noncentral-hypergeometric';
import { createRandom } from '../../../src/risk/stats/random';
import { fitTwoLevelShares, shrunkenShare, type ShareObservation } from '../../../src/risk/stats/two-level-shares';

describe("Fisher's noncentral hypergeometric", () => {
  it('with odds ratio 1 is the hypergeometric of Fisher’s exact test', () => {
    // 2×2 table [[7, 3], [2, 8]]: one-sided Fisher p = P(X ≥ 7) with m1 = 10, m2 = 10, t = 9.
    const p = noncentralHypergeometricUpperTail(7, 10, 10, 9, 1);
    expect(p).toBeCloseTo(5860 / 167960, 12);
    const pmf = noncentralHypergeometricPmf(10, 10, 9, 1);
    expect(pmf.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(pmf[9]).toBeCloseTo(10 / 167960, 9);
  });

  it('tends to the binomial when the reference is huge, and moves with the odds ratio', () => {
    // Reference of 1e6 with share 0.3 in the window: the school's count is ~ Binomial(20, 0.3·ψ-shifted).
    const reference = 1_000_000;
    const inWindow = 300_000;
    const tail = noncentralHypergeometricUpperTail(11, 20, reference, inWindow + 11, 1);
    expect(tail).toBeCloseTo(binomialUpperTail(11, 20, 0.3), 3);
    const odds = (0.5 / 0.5) / (0.3 / 0.7);
    expect(noncentralHypergeometricUpperTail(11, 20, reference, inWindow + 11, odds)).toBeCloseTo(binomialUpperTail(11, 20, 0.5), 3);
    expect(noncentralHypergeometricUpperTail(11, 20, 50, 26, 2)).toBeGreaterThan(noncentralHypergeometricUpperTail(11, 20, 50, 26, 1));
  });

  it('rejects impossible tables', () => {
    expect(() => noncentralHypergeometricPmf(5, 5, 11, 1)).toThrow(RangeError);
    expect(() => noncentralHypergeometricPmf(5, 5, 3, 0)).toThrow(RangeError);
    expect(noncentralHypergeometricUpperTail(0, 5, 5, 3, 1)).toBe(1);
    expect(noncentralHypergeometricUpperTail(4, 5, 5, 3, 1)).toBe(0);
  });
});

describe('grouped Poisson tilt', () => {
  const bins = 21;
  const shape = Array.from({ length: bins }, (_, s) => Math.exp(-0.5 * ((s - 10) / 3.5) ** 2));
  const offset = shape.map((v) => Math.log(v));
  const tilted = (a: number) => shape.map((v, s) => v * Math.exp(a * (s - 10)));

  it('recovers a location shift of the reference shape', () => {
    const truth = tilted(0.15);
    const total = truth.reduce((a, b) => a + b, 0);
    const counts = truth.map((v) => Math.round((v / total) * 20_000));
    const fit = fitGroupedPoissonTilt(counts, { degree: 2, offset, groups: counts.map((_, s) => [s]) });
    expect(fit.converged).toBe(true);
    const fitted = fit.expected.map((v) => v / 20_000);
    truth.forEach((v, s) => expect(fitted[s]).toBeCloseTo(v / total, 3));
  });

  it('counts a block only by its total: moving works inside the block does not move the fit', () => {
    const truth = tilted(-0.1);
    const total = truth.reduce((a, b) => a + b, 0);
    const counts = truth.map((v) => Math.round((v / total) * 5_000));
    const moved = [...counts];
    // Lift works from 7–9 to 10 (a boundary push) — inside the block 7…11.
    const lifted = moved[7] + moved[8] + moved[9] - 30;
    moved[10] += lifted;
    moved[7] = 10;
    moved[8] = 10;
    moved[9] = 10;
    const groups = [...Array.from({ length: 7 }, (_, s) => [s]), [7, 8, 9, 10, 11], ...Array.from({ length: 9 }, (_, i) => [12 + i])];
    const honest = fitGroupedPoissonTilt(counts, { degree: 2, offset, groups, ridge: 0.1 });
    const manipulated = fitGroupedPoissonTilt(moved, { degree: 2, offset, groups, ridge: 0.1 });
    honest.expected.forEach((v, s) => expect(manipulated.expected[s]).toBeCloseTo(v, 6));
    // Fitted bin by bin instead, the manipulation would pull the counterfactual towards itself.
    const binByBin = fitGroupedPoissonTilt(moved, { degree: 2, offset, groups: moved.map((_, s) => [s]), ridge: 0.1 });
    expect(Math.abs(binByBin.expected[10] - honest.expected[10])).toBeGreaterThan(1);
  });
});

describe('two-level shrinkage of shares', () => {
  /** A region of schools with a school effect on the share of «2» and classes of `size` pupils in `items` procedures. */
  function region(seed: number, schools: number, size: number, items: number, schoolSd = 0.08): { observations: ShareObservation[]; truth: Map<string, number> } {
    const rng = createRandom(seed);
    const observations: ShareObservation[] = [];
    const truth = new Map<string, number>();
    for (let i = 0; i < schools; i++) {
      const level = Math.min(0.9, Math.max(0.01, 0.12 + rng.normal(0, schoolSd)));
      truth.set(`s${i}`, level);
      for (let j = 0; j < items; j++) observations.push({ groupId: `s${i}`, itemKey: `a${j}`, successes: rng.binomial(size, level), trials: size });
    }
    return { observations, truth };
  }

  it('estimates the school and class variance components and pulls a single unlucky small class back', () => {
    const { observations } = region(3, 400, 8, 10);
    const model = fitTwoLevelShares(observations, 5);
    expect(model.groupVariance).toBeGreaterThan(0.003);
    expect(model.groupVariance).toBeLessThan(0.009);
    // An ordinary school (all classes at the region's level) with one class of 8 at 3 «2» (38%).
    const lucky: ShareObservation[] = Array.from({ length: 10 }, (_, j) => ({ groupId: 'x', itemKey: `a${j}`, successes: j === 0 ? 3 : 1, trials: 8 }));
    const withX = fitTwoLevelShares([...observations, ...lucky], 5);
    expect(shrunkenShare(withX, 'x', 'a0', 3, 8)!).toBeLessThan(0.3);
  });

  it('keeps a small school whose every class is weak: its own pooled level is credible', () => {
    const { observations } = region(4, 400, 8, 10);
    const weak: ShareObservation[] = Array.from({ length: 10 }, (_, j) => ({ groupId: 'w', itemKey: `a${j}`, successes: j % 2 === 0 ? 4 : 3, trials: 8 }));
    const model = fitTwoLevelShares([...observations, ...weak], 5);
    for (let j = 0; j < 10; j++) expect(shrunkenShare(model, 'w', `a${j}`, weak[j].successes, 8)!).toBeGreaterThan(0.3);
  });

  it('is calibrated: over clean schools the shrunken shares are closer to the truth than the raw ones', () => {
    const { observations, truth } = region(5, 300, 7, 8);
    const model = fitTwoLevelShares(observations, 5);
    let raw = 0;
    let shrunk = 0;
    for (const o of observations) {
      const t = truth.get(String(o.groupId))!;
      raw += (o.successes / o.trials - t) ** 2;
      shrunk += (shrunkenShare(model, o.groupId, o.itemKey, o.successes, o.trials)! - t) ** 2;
    }
    expect(shrunk).toBeLessThan(0.5 * raw);
  });

  it('does not judge what it was not fitted on', () => {
    const model = fitTwoLevelShares([{ groupId: 'a', itemKey: 'x', successes: 1, trials: 10 }, { groupId: 'b', itemKey: 'x', successes: 2, trials: 10 }], 5);
    expect(shrunkenShare(model, 'a', 'unknown', 1, 10)).toBeNull();
    expect(shrunkenShare(model, 'a', 'x', 1, 3)).toBeNull();
    expect(() => fitTwoLevelShares([{ groupId: 'a', itemKey: 'x', successes: 11, trials: 10 }])).toThrow(RangeError);
  });
});
