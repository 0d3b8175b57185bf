import { compareTwoObservations } from './observation-difference';
import type { DifferenceResult } from './difference';
import type { ConfidenceOptions } from './inference';
import type { TrendPoint } from './trend';

export interface YearToYearChange {
  yearFrom: number;
  yearTo: number;
  /** Later year minus earlier year, both treated as independent samples. */
  change: DifferenceResult;
}

/**
 * Change between each year and the previous available one (2022 → 2023 → 2024; a missing year is
 * skipped, and yearFrom/yearTo say so). Different years test different pupils, so the two years are
 * independent samples: Newcombe's interval for shares, Welch's t for means.
 */
export function yearToYearChanges(points: readonly TrendPoint[], options: ConfidenceOptions = {}): YearToYearChange[] {
  const sorted = [...points].sort((a, b) => a.year - b.year);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].year === sorted[i - 1].year) throw new RangeError(`two values for the year ${sorted[i].year}`);
  }
  return sorted.slice(1).map((later, i) => ({
    yearFrom: sorted[i].year,
    yearTo: later.year,
    change: compareTwoObservations(later.observation, sorted[i].observation, options),
  }));
}
