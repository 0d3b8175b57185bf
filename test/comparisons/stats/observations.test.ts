import { compareTwoObservations, compareWithReference } from '../../../src/comparisons/stats/observation-difference';
import {
  meanFromFrequencies,
  meanObservation,
  observeMetric,
  percentOfMaxFromHistogram,
  shareObservation,
  type SchoolResultInput,
} from '../../../src/comparisons/stats/observations';
import { compareShareWithReference } from '../../../src/comparisons/stats/share-difference';

describe('observation builders', () => {
  it('percent of max from a histogram, by hand', () => {
    // Scores 1, 2, 2, 3 of max 3 → 33.3, 66.7, 66.7, 100: mean 66.667, deviations −33.3, 0, 0, 33.3,
    // unbiased variance 2222.2 / 3 = 740.74.
    const o = percentOfMaxFromHistogram([0, 1, 2, 1], 3);
    expect(o.n).toBe(4);
    expect(o.mean).toBeCloseTo(200 / 3, 10);
    expect(o.sd).toBeCloseTo(Math.sqrt(20000 / 27), 10);
    expect(() => percentOfMaxFromHistogram([1, 1, 1, 1, 1], 3)).toThrow(RangeError);
  });

  it('a single pupil has SD 0 and n 1; invalid inputs are rejected', () => {
    expect(meanFromFrequencies([2, 3, 4, 5], [0, 0, 1, 0])).toEqual({ kind: 'mean', mean: 4, sd: 0, n: 1 });
    expect(() => meanFromFrequencies([1, 2], [0, 0])).toThrow(RangeError);
    expect(() => shareObservation(5, 4)).toThrow(RangeError);
    expect(() => shareObservation(1.5, 4)).toThrow(RangeError);
    expect(() => meanObservation(NaN, 1, 3)).toThrow(RangeError);
    expect(() => meanObservation(50, -1, 3)).toThrow(RangeError);
  });
});

describe('observeMetric', () => {
  const row: SchoolResultInput = {
    participants: 20,
    count2: 3,
    count3: 7,
    count4: 6,
    count5: 4,
    meanPercent: 58,
    sdPercent: 17,
    journalLowered: 5,
    journalConfirmed: 12,
    journalRaised: 2,
    belowMinimum: 1,
    meanTestScore: 64,
    sdTestScore: 12,
    countTest80: 4,
    countTest100: 1,
  };

  it('reads each metric from the row', () => {
    expect(observeMetric(row, 'SHARE_2')).toEqual({ kind: 'share', successes: 3, trials: 20 });
    expect(observeMetric(row, 'SHARE_4_5')).toEqual({ kind: 'share', successes: 10, trials: 20 });
    expect(observeMetric(row, 'JOURNAL_AGREEMENT')).toEqual({ kind: 'share', successes: 12, trials: 19 });
    expect(observeMetric(row, 'BELOW_MINIMUM')).toEqual({ kind: 'share', successes: 1, trials: 20 });
    expect(observeMetric(row, 'MEAN_PERCENT')).toEqual({ kind: 'mean', mean: 58, sd: 17, n: 20 });
    expect(observeMetric(row, 'MEAN_TEST_SCORE')).toEqual({ kind: 'mean', mean: 64, sd: 12, n: 20 });
    // ЕГЭ thresholds are shares of all participants, like below the minimum.
    expect(observeMetric(row, 'SHARE_TEST_80')).toEqual({ kind: 'share', successes: 4, trials: 20 });
    expect(observeMetric(row, 'SHARE_TEST_100')).toEqual({ kind: 'share', successes: 1, trials: 20 });
    const mark = observeMetric(row, 'MEAN_MARK');
    // Marks 2×3, 3×7, 4×6, 5×4: mean 71/20 = 3.55.
    expect(mark).toMatchObject({ kind: 'mean', n: 20 });
    expect(mark?.kind === 'mean' && mark.mean).toBeCloseTo(3.55, 12);
  });

  it('prefers the histogram for the mean % of max', () => {
    const withHistogram = { ...row, histogram: [0, 1, 2, 1], maxPrimary: 3 };
    expect(observeMetric(withHistogram, 'MEAN_PERCENT')).toEqual(percentOfMaxFromHistogram([0, 1, 2, 1], 3));
  });

  it('returns null when the row lacks what the metric needs', () => {
    const bare: SchoolResultInput = { participants: 20, meanPercent: 58 };
    for (const metric of ['SHARE_2', 'SHARE_4_5', 'JOURNAL_AGREEMENT', 'BELOW_MINIMUM', 'MEAN_PERCENT', 'MEAN_TEST_SCORE', 'MEAN_MARK', 'SHARE_TEST_80', 'SHARE_TEST_100'] as const) {
      expect(observeMetric(bare, metric)).toBeNull();
    }
  });
});

describe('dispatchers', () => {
  it('route shares and means to their methods and refuse mixtures', () => {
    const share = shareObservation(6, 20);
    expect(compareWithReference(share, { kind: 'population', value: 0.1 })).toEqual(
      compareShareWithReference(share, { kind: 'population', value: 0.1 }),
    );
    const mean = meanObservation(62, 15, 16);
    expect(compareWithReference(mean, { kind: 'population', value: 55 })).toMatchObject({ method: 'ONE_SAMPLE_T' });
    expect(compareWithReference(mean, { kind: 'sample', observation: meanObservation(55, 18, 400) })).toMatchObject({ method: 'WELCH_T' });
    expect(compareWithReference(share, { kind: 'sample', observation: shareObservation(4, 40) })).toMatchObject({ method: 'NEWCOMBE_HYBRID_SCORE' });
    expect(() => compareWithReference(share, { kind: 'sample', observation: mean })).toThrow(TypeError);
    expect(() => compareWithReference(share, { kind: 'sampledMean', mean: 50, n: 100, sd: null })).toThrow(TypeError);
    expect(() => compareTwoObservations(share, mean)).toThrow(TypeError);
  });
});
