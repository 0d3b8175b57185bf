import type { Procedure } from '../../assessments/enums';

/** The result columns a facts row carries (as selected from FACT_SOURCE), shared by aggregates and correlations. */
export interface FactResultColumns {
  year: number;
  procedure: Procedure;
  subject_code: string;
  grade: number;
  participants: number;
  count2: number | null;
  count3: number | null;
  count4: number | null;
  count5: number | null;
  mean_percent: number | null;
  mean_test_score: number | null;
  journal_lowered: number | null;
  journal_confirmed: number | null;
  journal_raised: number | null;
  below_minimum: number | null;
  count_test_80: number | null;
  count_test_100: number | null;
}
