import { compareMarkDistribution, MarkDistributionComparison, MarkDistributionResult } from '../../../src/comparisons/stats/mark-distribution';
import { shareObservation } from '../../../src/comparisons/stats/observations';
import { compareShareWithReference, compareTwoShares } from '../../../src/comparisons/stats/share-difference';

function ok(result: MarkDistributionResult): MarkDistributionComparison {
  if (result.status !== 'OK') throw new Error(`expected a result, got ${result.reason}`);
  return result;
}

const school = { count2: 5, count3: 10, count4: 4, count5: 1 };

describe('mark distribution against a fixed reference', () => {
  it('goodness-of-fit χ² by hand', () => {
    // Expected counts 2, 8, 7, 3 → χ² = 9/2 + 4/8 + 9/7 + 4/3 = 7.619048 on 3 df, p = 0.054577.
    const result = ok(
      compareMarkDistribution(school, { kind: 'population', shares: { share2: 0.1, share3: 0.4, share4: 0.35, share5: 0.15 } }),
    );
    expect(result.participants).toBe(20);
    expect(result.chiSquare).toBeCloseTo(7.6190476, 6);
    expect(result.degreesOfFreedom).toBe(3);
    expect(result.pValue).toBeCloseTo(0.0545772, 6);
    expect(result.significant).toBe(false);
    expect(result.smallExpectedCounts).toBe(true);
    expect(result.byMark.map((m) => m.mark)).toEqual([2, 3, 4, 5]);
    expect(result.byMark[0].difference).toEqual(compareShareWithReference(shareObservation(5, 20), { kind: 'population', value: 0.1 }));
    expect(result.share45.difference).toBeCloseTo(0.25 - 0.5, 12);
  });

  it('renormalises rounded published shares and rejects percentages', () => {
    const rounded = ok(compareMarkDistribution(school, { kind: 'population', shares: { share2: 0.1, share3: 0.4, share4: 0.35, share5: 0.152 } }));
    expect(rounded.chiSquare).toBeGreaterThan(7.4);
    expect(rounded.chiSquare).toBeLessThan(7.8);
    expect(() => compareMarkDistribution(school, { kind: 'population', shares: { share2: 10, share3: 40, share4: 35, share5: 15 } })).toThrow(
      RangeError,
    );
  });

  it('a mark the reference never gives makes the distributions certainly different', () => {
    const result = ok(compareMarkDistribution(school, { kind: 'population', shares: { share2: 0, share3: 0.5, share4: 0.3, share5: 0.2 } }));
    expect(result.chiSquare).toBe(Infinity);
    expect(result.pValue).toBe(0);
  });
});

describe('mark distribution against a sampled reference', () => {
  it('2 × 4 homogeneity χ² (matches scipy chi2_contingency without correction)', () => {
    const result = ok(compareMarkDistribution(school, { kind: 'sample', counts: { count2: 20, count3: 90, count4: 70, count5: 20 } }));
    expect(result.chiSquare).toBeCloseTo(5.3924067, 6);
    expect(result.pValue).toBeCloseTo(0.1452174, 6);
    expect(result.degreesOfFreedom).toBe(3);
    expect(result.smallExpectedCounts).toBe(true); // smallest expected count 1.91
    expect(result.byMark[3].difference).toEqual(compareTwoShares(shareObservation(1, 20), shareObservation(20, 200)));
  });

  it('excludes the school from an inclusive reference; refuses empty groups', () => {
    const inclusive = ok(
      compareMarkDistribution(school, { kind: 'sample', counts: { count2: 25, count3: 100, count4: 74, count5: 21 }, includesSchool: true }),
    );
    expect(inclusive.chiSquare).toBeCloseTo(5.3924067, 6);
    expect(compareMarkDistribution({ count2: 0, count3: 0, count4: 0, count5: 0 }, { kind: 'sample', counts: school }).status).toBe('INSUFFICIENT_DATA');
    expect(compareMarkDistribution(school, { kind: 'sample', counts: school, includesSchool: true }).status).toBe('INSUFFICIENT_DATA');
  });

  it('identical distributions give χ² = 0 and drop marks nobody got from the df', () => {
    const result = ok(compareMarkDistribution({ count2: 0, count3: 2, count4: 4, count5: 2 }, { kind: 'sample', counts: { count2: 0, count3: 20, count4: 40, count5: 20 } }));
    expect(result.chiSquare).toBeCloseTo(0, 12);
    expect(result.degreesOfFreedom).toBe(2);
    expect(result.pValue).toBeCloseTo(1, 12);
  });
});
