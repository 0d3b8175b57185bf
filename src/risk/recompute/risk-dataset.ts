import type { AssessmentTask } from '../../assessments/assessment.entity';
import type { Procedure } from '../../assessments/enums';
import type { RecheckedWork } from '../indicators/types';
import type { PreviousYearZones } from '../indicators/zones';
import type { RegionResults } from './region-results';

/** Everything a recompute of one region needs (see risk-dataset.loader.ts). */
export interface RiskDataset {
  regionId: number;
  /** Years whose zones are recomputed, ascending. */
  years: number[];
  /** Schools whose values are recomputed; the rest of the region only serves as the baseline. */
  targetSchoolIds: Set<number>;
  /**
   * Assessments, schools and summaries of every school of the region for years − 1 … years + 1 (baselines,
   * ranks, changes), as one snapshot that recomputes share while none of its rows changes.
   */
  region: RegionResults;
  rechecks: Map<string, RecheckedWork[]>;
  /** Conduct conditions of the target schools by `${schoolId}:${year}`. */
  conduct: Map<string, ConductRow[]>;
  regionBaselines: Map<number, Baseline>;
  russia: Map<number, Baseline>;
  /** Zones stored for years before the recomputed ones (persistence). */
  storedZones: Map<number, PreviousYearZones[]>;
}

export interface AssessmentInfo {
  id: number;
  procedure: Procedure;
  year: number;
  grade: number;
  subjectCode: string;
  subjectName: string;
  maxPrimary: number | null;
  boundaries: number[] | null;
  minimumTestScore: number | null;
  tasks: AssessmentTask[];
}

export interface SchoolInfo {
  id: number;
  municipalityId: number;
  type: string;
  /** In-depth study by year (from the yearly context; lyceums and gymnasiums count as in-depth). */
  inDepthByYear: Map<number, boolean>;
}

export interface ResultSummary {
  schoolId: number;
  assessmentId: number;
  year: number;
  participants: number;
  counts: [number, number, number, number] | null;
  meanPercent: number | null;
  sdPercent: number | null;
  meanTestScore: number | null;
  belowMinimum: number | null;
  /** ВПР mark against the journal mark: [«понизили», «подтвердили», «повысили»]; null when not compared. */
  journal: [number, number, number] | null;
  /** Participants per primary score 0…max. */
  histogram: number[] | null;
  /** Share of the maximum points per task, in the order of the assessment's tasks. */
  taskCompletion: number[] | null;
}

export interface ConductRow {
  procedure: Procedure;
  subjectCode: string | null;
  grade: number | null;
  observersPresent: boolean;
  videoAtChecking: boolean;
}

export interface Baseline {
  percents: [number, number, number, number] | null;
  meanPercent: number | null;
}

export const resultKey = (schoolId: number, assessmentId: number) => `${schoolId}:${assessmentId}`;
export const yearKey = (schoolId: number, year: number) => `${schoolId}:${year}`;
