/**
 * Marker codes of methodology version 1. A marker is one indicator that fired for a school
 * (per year × assessment unless the indicator is per school × year). Risk indicators produce them,
 * zones count them, recommendation rules are keyed on them — so the codes are shared here.
 */
export enum MarkerCode {
  /** 1. Results well above the region's schools (shrunken z-score), not explained by in-depth study. */
  HIGH_RESULTS = 'HIGH_RESULTS',
  /** 2. Excess mass at / just above mark boundaries in the primary-score histogram. */
  BOUNDARY_BUNCHING = 'BOUNDARY_BUNCHING',
  /** 3a. Many ВПР marks above the journal mark («повысили»): points at inflated ВПР. */
  JOURNAL_RAISED = 'JOURNAL_RAISED',
  /** 3b. Many ВПР marks below the journal mark («понизили»): points at inflated school marks. */
  JOURNAL_LOWERED = 'JOURNAL_LOWERED',
  /** 4. Easy tasks done worse than the region while hard tasks are done better (criterion B). */
  TASK_INVERSION = 'TASK_INVERSION',
  /** 5a. High ВПР 8 not confirmed by the same school's ОГЭ a year later (criterion A). */
  NOT_CONFIRMED_OGE = 'NOT_CONFIRMED_OGE',
  /** 5b. High ВПР 11 not confirmed by ЕГЭ. */
  NOT_CONFIRMED_EGE = 'NOT_CONFIRMED_EGE',
  /** 5c. The same cohort falls from ВПР 4 to ВПР 5 next year. */
  COHORT_DROP = 'COHORT_DROP',
  /** 6. Re-checked works lost marks or points. */
  RECHECK_DISCREPANCY = 'RECHECK_DISCREPANCY',
  /** 7. Sharp year-to-year change in mean % of max against the region's spread of changes. */
  SHARP_CHANGE = 'SHARP_CHANGE',
  /** 8a. Share of «2» ≥ threshold in two or more procedures this year and in the same procedure last year. */
  LOW_RESULTS_PERSISTENT = 'LOW_RESULTS_PERSISTENT',
  /** 8b. A ГИА graduate below the minimum in Russian or Maths. */
  GIA_BELOW_MINIMUM = 'GIA_BELOW_MINIMUM',
  /** 8c. Share of «2» up by ≥ threshold percentage points year to year. */
  FAILS_RISING = 'FAILS_RISING',
  /** 9a. Results below the region / Russia benchmark beyond the margin. */
  BELOW_BENCHMARK = 'BELOW_BENCHMARK',
  /** 9b. Results above the region / Russia benchmark beyond the margin. */
  ABOVE_BENCHMARK = 'ABOVE_BENCHMARK',
}

/** Which zone a marker speaks to. */
export type ZoneKind = 'OBJECTIVITY' | 'LOW_RESULTS';

export const MARKER_ZONE: Record<MarkerCode, ZoneKind> = {
  [MarkerCode.HIGH_RESULTS]: 'OBJECTIVITY',
  [MarkerCode.BOUNDARY_BUNCHING]: 'OBJECTIVITY',
  [MarkerCode.JOURNAL_RAISED]: 'OBJECTIVITY',
  [MarkerCode.JOURNAL_LOWERED]: 'OBJECTIVITY',
  [MarkerCode.TASK_INVERSION]: 'OBJECTIVITY',
  [MarkerCode.NOT_CONFIRMED_OGE]: 'OBJECTIVITY',
  [MarkerCode.NOT_CONFIRMED_EGE]: 'OBJECTIVITY',
  [MarkerCode.COHORT_DROP]: 'OBJECTIVITY',
  [MarkerCode.RECHECK_DISCREPANCY]: 'OBJECTIVITY',
  [MarkerCode.SHARP_CHANGE]: 'OBJECTIVITY',
  [MarkerCode.ABOVE_BENCHMARK]: 'OBJECTIVITY',
  [MarkerCode.LOW_RESULTS_PERSISTENT]: 'LOW_RESULTS',
  [MarkerCode.GIA_BELOW_MINIMUM]: 'LOW_RESULTS',
  [MarkerCode.FAILS_RISING]: 'LOW_RESULTS',
  [MarkerCode.BELOW_BENCHMARK]: 'LOW_RESULTS',
};

/** Zone levels, in increasing order of concern. */
export enum ZoneLevel {
  NONE = 'NONE',
  WATCH = 'WATCH',
  RISK = 'RISK',
  HIGH_RISK = 'HIGH_RISK',
}
