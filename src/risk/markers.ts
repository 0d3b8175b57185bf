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

/**
 * Which zone a marker speaks to. BALANCE: the balance of the school's own assessment system (school marks above
 * ВПР, «понизили») — a finding of its own, counted in neither zone.
 */
export type ZoneKind = 'OBJECTIVITY' | 'LOW_RESULTS' | 'BALANCE';

export const MARKER_ZONE: Record<MarkerCode, ZoneKind> = {
  [MarkerCode.HIGH_RESULTS]: 'OBJECTIVITY',
  [MarkerCode.BOUNDARY_BUNCHING]: 'OBJECTIVITY',
  [MarkerCode.JOURNAL_RAISED]: 'OBJECTIVITY',
  [MarkerCode.JOURNAL_LOWERED]: 'BALANCE',
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

/**
 * Zone levels, in increasing order of concern; before them, the two states in which nothing is said about the
 * school (methodology v2): no results that year, or results from which not one sign could be measured. No
 * measure is recommended from either.
 */
export enum ZoneLevel {
  NO_DATA = 'NO_DATA',
  INSUFFICIENT_DATA = 'INSUFFICIENT_DATA',
  NONE = 'NONE',
  WATCH = 'WATCH',
  RISK = 'RISK',
  HIGH_RISK = 'HIGH_RISK',
}

/** Russian names of the zone levels — the one list pages, explanations and recommendations use. */
export const ZONE_LEVEL_RU: Record<ZoneLevel, string> = {
  [ZoneLevel.NO_DATA]: 'нет данных',
  [ZoneLevel.INSUFFICIENT_DATA]: 'данных недостаточно',
  [ZoneLevel.NONE]: 'нет',
  [ZoneLevel.WATCH]: 'наблюдение',
  [ZoneLevel.RISK]: 'риск',
  [ZoneLevel.HIGH_RISK]: 'высокий риск',
};

/** Order of concern; the two «nothing is said» states below NONE, so no «at least» comparison reaches them. */
export const ZONE_LEVEL_RANK: Record<ZoneLevel, number> = {
  [ZoneLevel.NO_DATA]: -2,
  [ZoneLevel.INSUFFICIENT_DATA]: -1,
  [ZoneLevel.NONE]: 0,
  [ZoneLevel.WATCH]: 1,
  [ZoneLevel.RISK]: 2,
  [ZoneLevel.HIGH_RISK]: 3,
};
