import type { MeasureTiming, TimingKind } from '../catalogue/measure';

/**
 * Plan year convention. Measures recommended from year Y's results (ВПР of spring Y, ГИА of summer Y) are
 * carried out in the school year that starts on 1 September Y and ends on 31 August Y+1, and aim at the
 * ВПР of spring Y+1. A deadline «до 15.03» therefore means 15.03.Y+1, «сентябрь–октябрь» means 31.10.Y.
 */
const SCHOOL_YEAR_START_MONTH = 9;

/**
 * Deadline (month, day) for timing kinds whose seeds give a period rather than a date. BEFORE_DATE has no
 * default: a fixed deadline must be written in the catalogue.
 */
const DEFAULT_DEADLINE: Record<Exclude<TimingKind, 'BEFORE_DATE'>, { month: number; day: number }> = {
  // The seeds run ВПР «март–май» (003, 004): conduct measures are due by the end of that window.
  DURING_ASSESSMENT: { month: 5, day: 31 },
  // Teaching ends in May; June–August is for control conclusions (002: analysis «до 31 августа»).
  SCHOOL_YEAR: { month: 5, day: 31 },
  // First occurrence: the end of the first school quarter.
  QUARTERLY: { month: 10, day: 31 },
  // «По мере получения результатов»: the first month of the plan's school year, once year Y's results are in.
  AFTER_RESULTS: { month: 9, day: 30 },
};

/** ISO date (YYYY-MM-DD) by which a measure with this timing is due in the plan for results of `planYear`. */
export function dueDate(timing: MeasureTiming, planYear: number): string {
  const deadline = deadlineOf(timing);
  const year = deadline.month >= SCHOOL_YEAR_START_MONTH ? planYear : planYear + 1;
  return `${year}-${pad2(deadline.month)}-${pad2(deadline.day)}`;
}

function deadlineOf(timing: MeasureTiming): { month: number; day: number } {
  if (timing.month !== undefined && timing.day !== undefined) return { month: timing.month, day: timing.day };
  if (timing.kind === 'BEFORE_DATE') throw new Error(`Срок «${timing.labelRu}» вида BEFORE_DATE без месяца и дня`);
  return DEFAULT_DEADLINE[timing.kind];
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
