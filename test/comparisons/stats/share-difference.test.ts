import { compareShareWithReference, compareTwoShares } from '../../../src/comparisons/stats/share-difference';
import { shareObservation } from '../../../src/comparisons/stats/observations';
import { Difference, DifferenceResult } from '../../../src/comparisons/stats/difference';

function ok(result: DifferenceResult): Difference {
  if (result.status !== 'OK') throw new Error(`expected a result, got ${result.reason}`);
  return result;
}

describe('share against a fixed (population) reference', () => {
  it('6 «2» of 20 against a region share of 10 %: Wilson interval and score test by hand', () => {
    // p̂ = 0.3; Wilson 95 % for 6/20 = [0.145477, 0.518973]; score z = 0.2 / √(0.1·0.9/20) = 2.98142.
    const d = ok(compareShareWithReference(shareObservation(6, 20), { kind: 'population', value: 0.1 }));
    expect(d.method).toBe('WILSON_SCORE_VS_FIXED');
    expect(d.difference).toBeCloseTo(0.2, 12);
    expect(d.lower).toBeCloseTo(0.045477245, 8);
    expect(d.upper).toBeCloseTo(0.418972818, 8);
    expect(d.standardError).toBeCloseTo(Math.sqrt((0.3 * 0.7) / 20), 12);
    expect(d.statistic).toBeCloseTo(2.98142397, 7);
    expect(d.pValue).toBeCloseTo(0.0028691128, 9);
    expect(d.degreesOfFreedom).toBeNull();
    expect(d.significant).toBe(true);
  });

  it('the flag agrees with the p-value for every count (the Wilson interval inverts the score test)', () => {
    for (const p0 of [0.05, 0.1, 0.23, 0.5, 0.81]) {
      for (let x = 0; x <= 15; x++) {
        const d = ok(compareShareWithReference(shareObservation(x, 15), { kind: 'population', value: p0 }));
        expect(d.significant).toBe(d.pValue < 0.05);
      }
    }
  });

  it('handles reference shares of exactly 0 and 1', () => {
    const none = ok(compareShareWithReference(shareObservation(0, 10), { kind: 'population', value: 0 }));
    expect(none.statistic).toBe(0);
    expect(none.pValue).toBe(1);
    expect(none.significant).toBe(false);
    const some = ok(compareShareWithReference(shareObservation(2, 10), { kind: 'population', value: 0 }));
    expect(some.statistic).toBe(Infinity);
    expect(some.pValue).toBe(0);
    expect(some.significant).toBe(true);
  });

  it('refuses an empty school and rejects percentages passed as shares', () => {
    expect(compareShareWithReference(shareObservation(0, 0), { kind: 'population', value: 0.1 }).status).toBe('INSUFFICIENT_DATA');
    expect(() => compareShareWithReference(shareObservation(1, 10), { kind: 'population', value: 12 })).toThrow(RangeError);
  });

  it('a 99 % interval is wider than a 95 % one', () => {
    const d95 = ok(compareShareWithReference(shareObservation(6, 20), { kind: 'population', value: 0.1 }));
    const d99 = ok(compareShareWithReference(shareObservation(6, 20), { kind: 'population', value: 0.1 }, { confidence: 0.99 }));
    expect(d99.lower).toBeLessThan(d95.lower);
    expect(d99.upper).toBeGreaterThan(d95.upper);
    expect(d99.confidence).toBe(0.99);
  });
});

describe('share against a sampled reference (Newcombe hybrid score)', () => {
  it('reproduces the published examples of Newcombe (1998), method 10', () => {
    const cases: [number, number, number, number, number, number][] = [
      [56, 70, 48, 80, 0.0524, 0.3339],
      [9, 10, 3, 10, 0.1705, 0.809],
      [5, 56, 0, 29, -0.0381, 0.1926],
      [10, 10, 0, 20, 0.6791, 1.0],
    ];
    for (const [x1, n1, x2, n2, lower, upper] of cases) {
      const d = ok(compareTwoShares(shareObservation(x1, n1), shareObservation(x2, n2)));
      expect(d.lower).toBeCloseTo(lower, 4);
      expect(d.upper).toBeCloseTo(upper, 4);
    }
  });

  it('56/70 vs 48/80: pooled z by hand', () => {
    // p̄ = 104/150; z = 0.2 / √(p̄(1 − p̄)(1/70 + 1/80)) = 2.65017.
    const d = ok(compareShareWithReference(shareObservation(56, 70), { kind: 'sample', observation: shareObservation(48, 80) }));
    expect(d.method).toBe('NEWCOMBE_HYBRID_SCORE');
    expect(d.statistic).toBeCloseTo(2.65017195, 7);
    expect(d.pValue).toBeCloseTo(0.0080450814, 9);
    expect(d.significant).toBe(true);
  });

  it('removes the school from a reference that contains it', () => {
    // Municipality 30 «2» of 200 includes the school's 6 of 20 → the rest is 24 of 180.
    const school = shareObservation(6, 20);
    const inclusive = ok(compareShareWithReference(school, { kind: 'sample', observation: shareObservation(30, 200), includesSchool: true }));
    const rest = ok(compareTwoShares(school, shareObservation(24, 180)));
    expect(inclusive.reference).toBeCloseTo(24 / 180, 12);
    expect(inclusive).toEqual(rest);
    expect(() => compareShareWithReference(school, { kind: 'sample', observation: shareObservation(3, 10), includesSchool: true })).toThrow(RangeError);
  });

  it('a school that is the whole reference leaves nothing to compare with', () => {
    const school = shareObservation(6, 20);
    const result = compareShareWithReference(school, { kind: 'sample', observation: shareObservation(6, 20), includesSchool: true });
    expect(result.status).toBe('INSUFFICIENT_DATA');
  });
});
