import { assumedSpread, DEFAULT_TEST_SCORE_SD, MIN_PUPILS_FOR_SPREAD, meanObservation } from '../../../src/comparisons/stats';

describe('assumedSpread', () => {
  it('takes the region’s pupils’ SD from 30 pupils on, else the default', () => {
    expect(assumedSpread(meanObservation(61, 17.5, MIN_PUPILS_FOR_SPREAD), DEFAULT_TEST_SCORE_SD)).toEqual({ sd: 17.5, basis: 'REGION_PUPILS', pupils: 30 });
    expect(assumedSpread(meanObservation(61, 17.5, MIN_PUPILS_FOR_SPREAD - 1), DEFAULT_TEST_SCORE_SD)).toEqual({ sd: 25, basis: 'DEFAULT', pupils: null });
    expect(assumedSpread(null, DEFAULT_TEST_SCORE_SD)).toEqual({ sd: 25, basis: 'DEFAULT', pupils: null });
    // Pupils all alike say nothing about a school's spread.
    expect(assumedSpread(meanObservation(61, 0, 500), DEFAULT_TEST_SCORE_SD).basis).toBe('DEFAULT');
    expect(() => assumedSpread(null, 0)).toThrow(RangeError);
  });
});
