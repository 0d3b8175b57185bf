import type { MarkerCode, ZoneLevel } from '../../risk/markers';

/** One marker that fired for the school, with what it measured and how to explain it. */
export interface MarkerFinding {
  code: MarkerCode;
  procedure: string;
  subject: string;
  grade: number | null;
  value: number | null;
  explanationRu: string;
}

/**
 * What the rules see of one school in one year: the risk module's zones and markers for that year's
 * results, how long the school has been flagged, and how the last ВПР was conducted.
 */
export interface SchoolRiskProfile {
  schoolId: string;
  /** Year Y of the results the markers come from; the plan runs in the school year Sept Y – Aug Y+1. */
  year: number;
  objectivityZone: ZoneLevel;
  lowResultsZone: ZoneLevel;
  /** Consecutive years up to and including `year` in which the school was flagged, per zone kind. */
  consecutiveYearsFlagged: { objectivity: number; lowResults: number };
  markers: MarkerFinding[];
  conduct: { noObservers: boolean; noVideoAtChecking: boolean };
}
