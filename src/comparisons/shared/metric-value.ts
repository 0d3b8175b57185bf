import { observeMetric, type MetricObservation, type SchoolResultInput } from '../stats';
import type { FactResultColumns } from './fact-row';
import { ComparisonMetric } from './metrics';

/** The result columns a metric's value is read from (a facts row, a context row). */
export type MetricColumns = Pick<
  FactResultColumns,
  | 'participants' | 'count2' | 'count3' | 'count4' | 'count5' | 'mean_percent' | 'mean_test_score' | 'journal_lowered' | 'journal_confirmed'
  | 'journal_raised' | 'below_minimum' | 'count_test_80' | 'count_test_100'
>;

/**
 * A school's value of a metric in one result row and its base (the participants it is a share or mean of), or null
 * when the row does not carry it: one reading for the correlations (the base is their weight) and the peer groups.
 * Shares and the mean mark are the observations compareSchools compares (schoolObservation); a mean % of max or test
 * score is its stored value, which needs no pupil SD here. Counts that contradict each other give no value.
 */
export function metricOf(row: MetricColumns, metric: ComparisonMetric): { value: number; base: number } | null {
  if (metric === ComparisonMetric.MEAN_PERCENT || metric === ComparisonMetric.MEAN_TEST_SCORE) {
    const mean = metric === ComparisonMetric.MEAN_PERCENT ? row.mean_percent : row.mean_test_score;
    return mean == null || !(row.participants > 0) ? null : { value: mean, base: row.participants };
  }
  const observation = schoolObservation(inputOf(row), metric);
  if (observation === null) return null;
  return observation.kind === 'share' ? { value: observation.successes / observation.trials, base: observation.trials } : { value: observation.mean, base: observation.n };
}

/**
 * The school's observation of a metric, or null when the row cannot support it (no marks, no pupil-level
 * SD, nobody with the data). A histogram that contradicts the scale falls back to the stored mean and SD.
 */
export function schoolObservation(input: SchoolResultInput, metric: ComparisonMetric): MetricObservation | null {
  const observation = tryObserve(input, metric) ?? (input.histogram ? tryObserve({ ...input, histogram: null }, metric) : null);
  if (!observation) return null;
  return (observation.kind === 'share' ? observation.trials : observation.n) > 0 ? observation : null;
}

/** observeMetric, with a RangeError (counts that contradict each other) read as «no observation». */
function tryObserve(input: SchoolResultInput, metric: ComparisonMetric): MetricObservation | null {
  try {
    return observeMetric(input, metric);
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

function inputOf(row: MetricColumns): SchoolResultInput {
  return {
    participants: row.participants,
    count2: row.count2,
    count3: row.count3,
    count4: row.count4,
    count5: row.count5,
    journalLowered: row.journal_lowered,
    journalConfirmed: row.journal_confirmed,
    journalRaised: row.journal_raised,
    belowMinimum: row.below_minimum,
    countTest80: row.count_test_80,
    countTest100: row.count_test_100,
  };
}
