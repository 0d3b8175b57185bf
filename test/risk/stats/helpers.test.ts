import { benjaminiHochberg, benjaminiHochbergWith, SortedPValues } from '../../../src/risk/stats/multiple-testing';
import { frequencyWeightedVariance, weightedMean, weightedVariance } from '../../../src/stats/weighted';
import { median, scaledMad } from '../../../src/stats/robust';
import { percentileRank } from '../../../src/stats/percentile-rank';
import { wilsonInterval } from '../../../src/stats/wilson';

describe('Benjamini–Hochberg', () => {
  it('matches a hand-computed example and keeps input order', () => {
    // Sorted p: 0.001, 0.008, 0.039, 0.041, 0.2 with m = 5 → raw m·p/rank: 0.005, 0.02, 0.065, 0.05125, 0.2;
    // the step-up minimum makes rank 3 equal to rank 4.
    const q = benjaminiHochberg([0.041, 0.001, 0.2, 0.008, 0.039]);
    expect(q[1]).toBeCloseTo(0.005, 12);
    expect(q[3]).toBeCloseTo(0.02, 12);
    expect(q[4]).toBeCloseTo(0.05125, 12);
    expect(q[0]).toBeCloseTo(0.05125, 12);
    expect(q[2]).toBeCloseTo(0.2, 12);
  });

  it('never lowers a p-value and caps at one', () => {
    const p = [0.9, 0.95, 0.5, 0.99];
    const q = benjaminiHochberg(p);
    q.forEach((value, i) => {
      expect(value).toBeGreaterThanOrEqual(p[i]);
      expect(value).toBeLessThanOrEqual(1);
    });
    expect(benjaminiHochberg([])).toEqual([]);
    expect(() => benjaminiHochberg([0.2, 1.3])).toThrow(RangeError);
  });

  it('gives the same q-values with the other tests of the family sorted beforehand, ties included', () => {
    const others = [0.3, 0.001, 0.04, 0.04, 0.7, 0.0125, 1, 0, 0.04];
    for (const fresh of [[0.04], [0.0125, 0.9], [], [0, 1, 0.02]]) {
      const q = benjaminiHochbergWith(fresh, SortedPValues.of(others));
      expect(q).toEqual(benjaminiHochbergWith(fresh, others));
      expect(q).toEqual(benjaminiHochberg([...fresh, ...others]).slice(0, fresh.length));
    }
    expect(() => SortedPValues.of([0.2, -0.1])).toThrow(RangeError);
    expect(() => benjaminiHochbergWith([1.5], SortedPValues.of([0.2]))).toThrow(RangeError);
  });
});

describe('weighted moments', () => {
  it('weighted mean and variance equal the expanded sample', () => {
    expect(weightedMean([1, 2, 3], [1, 1, 2])).toBeCloseTo(2.25, 12);
    // Expanded sample 1, 2, 3, 3: population variance 0.6875, unbiased 0.91667.
    expect(weightedVariance([1, 2, 3], [1, 1, 2])).toBeCloseTo(0.6875, 12);
    expect(frequencyWeightedVariance([1, 2, 3], [1, 1, 2])).toBeCloseTo(0.6875 * (4 / 3), 12);
  });

  it('rejects bad weights', () => {
    expect(() => weightedMean([1, 2], [1])).toThrow(RangeError);
    expect(() => weightedMean([1, 2], [0, 0])).toThrow(RangeError);
    expect(() => weightedMean([1, 2], [1, -1])).toThrow(RangeError);
  });
});

describe('robust scale', () => {
  it('median and scaled MAD', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    // Deviations from 3: 2, 1, 0, 1, 97 → MAD 1.
    expect(scaledMad([1, 2, 3, 4, 100])).toBeCloseTo(1.4826, 12);
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('percentile rank', () => {
  it('uses mid-ranks for ties', () => {
    expect(percentileRank(3, [1, 2, 3, 4])).toBeCloseTo(62.5, 12);
    expect(percentileRank(2, [2, 2, 2, 2])).toBeCloseTo(50, 12);
    expect(percentileRank(10, [1, 2, 3])).toBe(100);
    expect(percentileRank(0, [1, 2, 3])).toBe(0);
  });
});

describe('Wilson interval', () => {
  it('matches a published example (Newcombe 1998: 81/263)', () => {
    const { lower, upper } = wilsonInterval(81, 263);
    expect(lower).toBeCloseTo(0.2553, 4);
    expect(upper).toBeCloseTo(0.3662, 4);
  });

  it('stays inside [0, 1] at the edges', () => {
    const zero = wilsonInterval(0, 10);
    expect(zero.lower).toBe(0);
    expect(zero.upper).toBeCloseTo(0.2775, 4);
    const all = wilsonInterval(10, 10);
    expect(all.upper).toBe(1);
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
  });
});
