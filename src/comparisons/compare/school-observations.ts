import {
  assumedSpread, DEFAULT_TEST_SCORE_SD, meanFromFrequencies, type AssumedSpread, type MeanObservation, type SchoolResultInput,
} from '../stats';
import type { ComparedResultRow } from './compare.sql';

/**
 * ЕГЭ test score mean and pupil SD from a primary-score histogram through the year's primary → test
 * conversion: the stored mean has no SD, and a comparison of means needs one.
 */
function testScoresOf(histogram: readonly number[] | null, scale: readonly (number | null)[] | null): MeanObservation | null {
  if (!histogram || !scale || histogram.length > scale.length || !histogram.some((n) => n > 0)) return null;
  if (histogram.some((n, score) => n > 0 && scale[score] == null)) return null;
  return meanFromFrequencies(histogram.map((_, score) => scale[score] ?? 0), histogram);
}

/**
 * The spread a school's mean test score is compared with when the school has no pupil distribution of its own (a
 * published mean, imported as a school-results row): the region's pupils' (the REGION benchmark's histogram, through
 * the school's applicable test scale), else the default (assumedSpread). Null when the school's own SD is known or
 * it has no mean test score.
 */
export function testScoreSpreadOf(row: ComparedResultRow, regionHistogram: readonly number[] | null): AssumedSpread | null {
  if (row.mean_test_score == null || testScoresOf(row.histogram, row.test_scale)) return null;
  return assumedSpread(testScoresOf(regionHistogram, row.test_scale), DEFAULT_TEST_SCORE_SD);
}

/** The row as the statistics read it; `testScoreSpread` stands in for the pupil SD of a mean test score published without it. */
export function resultInputOf(row: ComparedResultRow, testScoreSpread: AssumedSpread | null = null): SchoolResultInput {
  const testScore = testScoresOf(row.histogram, row.test_scale);
  return {
    participants: row.participants,
    count2: row.count2,
    count3: row.count3,
    count4: row.count4,
    count5: row.count5,
    meanPercent: row.mean_percent,
    sdPercent: row.sd_percent,
    histogram: row.histogram,
    maxPrimary: row.max_primary,
    journalLowered: row.journal_lowered,
    journalConfirmed: row.journal_confirmed,
    journalRaised: row.journal_raised,
    belowMinimum: row.below_minimum,
    meanTestScore: testScore?.mean ?? row.mean_test_score,
    sdTestScore: testScore?.sd ?? testScoreSpread?.sd ?? null,
    countTest80: row.count_test_80,
    countTest100: row.count_test_100,
  };
}
