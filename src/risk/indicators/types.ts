import { MarkerCode } from '../markers';

/**
 * Input and result types of the risk indicators. Inputs are *aggregates* a database service can fill
 * with one GROUP BY each: counts per mark, histograms indexed by primary score, per-task completion
 * shares. No indicator sees individual pupils (re-check works excepted: they carry no identity).
 * Conventions: shares are fractions in [0, 1]; "share of max" = primary score / maximum score.
 */

// ─── Common result ───────────────────────────────────────────────────────────

export type IndicatorStatus = 'FLAGGED' | 'CLEAR' | 'INSUFFICIENT_DATA';

export type IndicatorName =
  | 'HIGH_RESULTS'
  | 'BOUNDARY_BUNCHING'
  | 'JOURNAL_MISMATCH'
  | 'TASK_INVERSION'
  | 'EXTERNAL_CONFIRMATION'
  | 'RECHECK_DISCREPANCY'
  | 'SHARP_CHANGE'
  | 'LOW_RESULTS_PERSISTENT'
  | 'GIA_BELOW_MINIMUM'
  | 'FAILS_RISING'
  | 'BENCHMARK_DEVIATION';

interface IndicatorEvidence {
  /** The school's numbers the decision used. */
  inputs: Record<string, unknown>;
  /** What they were compared with (region statistics, counterfactual, …) and the thresholds applied (`thresholds`). */
  baseline: Record<string, unknown>;
  methodologyVersion: number;
}

export interface IndicatorResult {
  indicator: IndicatorName;
  /** The marker fired, or null when not FLAGGED. */
  marker: MarkerCode | null;
  /** The indicator's headline statistic (documented per indicator); null when not computable. */
  value: number | null;
  status: IndicatorStatus;
  /** One-sided p-value where the indicator has a test. */
  pValue?: number;
  /** Russian, for the analyst: small samples, fallbacks, data problems. */
  warnings: string[];
  /** One Russian sentence with the numbers (decimal comma). */
  explanationRu: string;
  evidence: IndicatorEvidence;
}

// ─── Common inputs ───────────────────────────────────────────────────────────

export type Mark = 2 | 3 | 4 | 5;

/** Number of participants per mark. */
interface MarkCounts {
  mark2: number;
  mark3: number;
  mark4: number;
  mark5: number;
}

/** Lowest primary score that earns a mark (for ЕГЭ use mark 3 for the minimum threshold). */
interface MarkBoundary {
  mark: 3 | 4 | 5;
  minScore: number;
}

/** The primary-score scale of one assessment (procedure × subject × grade × year). */
export interface ScoreScale {
  maxScore: number;
  boundaries: MarkBoundary[];
}

// ─── 1. HIGH_RESULTS ─────────────────────────────────────────────────────────

/** One school's result on one assessment. */
export interface SchoolResultSummary {
  schoolId: string;
  participants: number;
  /** Mean primary score / max score, in [0, 1]. */
  meanShareOfMax: number;
  /**
   * Standard deviation of pupils' share of max within the school (sample SD, n − 1); null when
   * fewer than 2 participants. Pooled over the region to get the within-school sampling variance.
   */
  sdShareOfMax: number | null;
  marks: MarkCounts;
  /** Lyceum, gymnasium or school with in-depth study of the subject: compared separately. */
  inDepthStudy: boolean;
}

export interface HighResultsInput {
  school: SchoolResultSummary;
  /** All the region's schools with this assessment (may include `school`; matched by schoolId). */
  regionSchools: SchoolResultSummary[];
}

// ─── 2. BOUNDARY_BUNCHING ────────────────────────────────────────────────────

export interface BoundaryBunchingInput {
  scale: ScoreScale;
  /** Participants per primary score 0…maxScore (length maxScore + 1). */
  schoolHistogram: number[];
  /** The region's participants per primary score for the same assessment and year. */
  regionHistogram: number[];
  /**
   * True when `regionHistogram` counts the school's own works (a region total): they are taken out, so the
   * school is compared with the *rest* of the region and its own peaks do not raise its reference.
   * Default false (the region histogram is taken as it is).
   */
  regionIncludesSchool?: boolean;
}

/** A histogram judged on its own (a region's, or a school's without a region). */
export interface HistogramBunchingInput {
  scale: ScoreScale;
  histogram: number[];
}

// ─── 6. RECHECK_DISCREPANCY ──────────────────────────────────────────────────

export interface RecheckedWork {
  originalScore: number;
  recheckScore: number;
  originalMark: Mark;
  recheckMark: Mark;
}

export interface RecheckInput {
  /** Maximum primary score of the assessment (to express points lost as a share of max). */
  maxScore: number;
  works: RecheckedWork[];
}

// ─── 8. Low results ──────────────────────────────────────────────────────────

/** Identifies one procedure in a school × year; the strings are shown to the analyst verbatim. */
export interface ProcedureRef {
  /** 'ВПР', 'ОГЭ', 'ЕГЭ', 'ГВЭ', 'НИКО', a regional monitoring's name. */
  procedure: string;
  /** Subject in Russian, e.g. 'русский язык'. */
  subject: string;
  grade: number;
}

export interface FailCounts {
  participants: number;
  /** Participants below the «3» boundary (mark «2»). */
  failCount: number;
  /**
   * The school's *credible* share of «2» in this procedure: the observed share shrunk by empirical Bayes
   * towards the school's own level across its procedures and that towards the region (see
   * `stats/twoLevelShares`). Filled by the service from the region's data; when present and
   * `lowResults.shrinkFailShares` is on, the decisions use it instead of the raw share.
   */
  shrunkenFailShare?: number | null;
}

export interface ProcedureFails extends ProcedureRef {
  current: FailCounts;
  /** The same procedure, subject and grade last year; null when it was not held or not loaded. */
  previous: FailCounts | null;
}

/** All procedures of one school in one year (for LOW_RESULTS_PERSISTENT and FAILS_RISING). */
export interface SchoolYearFailsInput {
  procedures: ProcedureFails[];
}

interface GiaSubjectResult {
  procedure: 'ОГЭ' | 'ЕГЭ' | 'ГВЭ';
  subject: string;
  /** Compulsory ГИА subject (Russian, Maths of any level). Only these count. */
  compulsory: boolean;
  participants: number;
  /** Graduates below the minimum score (ОГЭ/ГВЭ: mark «2»; ЕГЭ: below the minimum test score). */
  belowMinimum: number;
}

export interface GiaBelowMinimumInput {
  results: GiaSubjectResult[];
}

// ─── 9. BELOW_BENCHMARK / ABOVE_BENCHMARK ────────────────────────────────────

export interface ResultLevels {
  meanShareOfMax: number;
  /** Share of «2». */
  failShare: number;
  /** Share of «4» and «5». */
  share45: number;
}

export interface BenchmarkInput {
  school: ResultLevels & { participants: number };
  region: ResultLevels | null;
  russia: ResultLevels | null;
}
