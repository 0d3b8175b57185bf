/**
 * Plain input and output types of the comparison statistics (no ORM, no GraphQL).
 *
 * Units, everywhere in this folder:
 * - a **share** is a proportion in [0, 1] (0.12 = 12 %), and a difference of shares is in the same
 *   unit (0.10 = 10 percentage points); benchmark tables that hold percent must be divided by 100;
 * - a **mean % of max** is on 0–100, a test score on its own 0–100 scale, a mark on 2–5.
 */

/** Returned instead of a result when the data cannot support one; `reason` is for logs and UI. */
interface Insufficient {
  status: 'INSUFFICIENT_DATA';
  reason: string;
}

// ---------------------------------------------------------------------------------------------
// Observations and differences
// ---------------------------------------------------------------------------------------------

/** A count of pupils with some property (mark «2», mark 4+5, below minimum…) out of `trials`. */
export interface ShareObservation {
  kind: 'share';
  successes: number;
  trials: number;
}

/** A mean over `n` pupils with the pupil-level standard deviation `sd` (same unit as the mean). */
export interface MeanObservation {
  kind: 'mean';
  mean: number;
  sd: number;
  n: number;
}

export type MetricObservation = ShareObservation | MeanObservation;

/** A reference known exactly (a published Russia/region value): no sampling error of its own. */
export interface PopulationReference {
  kind: 'population';
  value: number;
}

/**
 * A reference that is itself a sample (municipality, or region when its N is given). With
 * `includesSchool` the school's own pupils are removed from it first, so that a school forming a
 * large part of its municipality is not compared with itself.
 */
export interface SampleReference<O extends MetricObservation> {
  kind: 'sample';
  observation: O;
  includesSchool?: boolean;
}

export type Reference<O extends MetricObservation> = PopulationReference | SampleReference<O>;

/**
 * A sampled reference mean whose pupil-level SD may be unknown (benchmark tables publish the mean
 * and N, rarely the SD); the school's SD then stands in for it.
 */
export interface SampledMeanReference {
  kind: 'sampledMean';
  mean: number;
  n: number;
  sd: number | null;
  includesSchool?: boolean;
}

export type MeanReference = Reference<MeanObservation> | SampledMeanReference;

type DifferenceMethod =
  /** Share vs a fixed value: Wilson score interval, score z-test (the two always agree). */
  | 'WILSON_SCORE_VS_FIXED'
  /** Share vs a sampled share: Newcombe hybrid score interval, pooled two-proportion z-test. */
  | 'NEWCOMBE_HYBRID_SCORE'
  /** Mean vs a fixed value: one-sample t. */
  | 'ONE_SAMPLE_T'
  /** Mean vs a sampled mean: Welch t with Satterthwaite degrees of freedom. */
  | 'WELCH_T';

export interface Difference {
  status: 'OK';
  method: DifferenceMethod;
  /** The school's value (share or mean). */
  estimate: number;
  /** The reference value actually compared with (after removing the school, when asked to). */
  reference: number;
  /** estimate − reference. */
  difference: number;
  /** Unrestricted (Wald / Welch) standard error of the difference. */
  standardError: number;
  lower: number;
  upper: number;
  confidence: number;
  /** z for shares, t for means. */
  statistic: number;
  /** Degrees of freedom of the t statistic; null for z. */
  degreesOfFreedom: number | null;
  /** Two-sided p-value. */
  pValue: number;
  /** True when the confidence interval excludes 0 (what an analyst sees on an error-bar chart). */
  significant: boolean;
}

export type DifferenceResult = Difference | Insufficient;

export interface ConfidenceOptions {
  /** Two-sided confidence level; 0.95 by default. */
  confidence?: number;
}

/** Counts of pupils per mark. */
export interface MarkCounts {
  count2: number;
  count3: number;
  count4: number;
  count5: number;
}

/** Shares of pupils per mark (proportions summing to 1). */
interface MarkShares {
  share2: number;
  share3: number;
  share4: number;
  share5: number;
}

export type MarkDistributionReference =
  | { kind: 'population'; shares: MarkShares }
  | { kind: 'sample'; counts: MarkCounts; includesSchool?: boolean };

export interface MarkDifference {
  mark: 2 | 3 | 4 | 5;
  difference: Difference;
}

export interface MarkDistributionComparison {
  status: 'OK';
  participants: number;
  /** Share of each mark against the reference. */
  byMark: MarkDifference[];
  /** Share of «4» + «5» against the reference. */
  share45: Difference;
  /** Pearson χ² (goodness of fit vs a fixed reference, homogeneity vs a sampled one). */
  chiSquare: number;
  degreesOfFreedom: number;
  pValue: number;
  significant: boolean;
  /** True when some expected count is below 5: the χ² p-value is then only indicative. */
  smallExpectedCounts: boolean;
}

export type MarkDistributionResult = MarkDistributionComparison | Insufficient;

// ---------------------------------------------------------------------------------------------
// Metrics of a school result row
// ---------------------------------------------------------------------------------------------

export type ComparisonMetric =
  | 'SHARE_2'
  | 'SHARE_4_5'
  | 'JOURNAL_AGREEMENT'
  | 'BELOW_MINIMUM'
  | 'MEAN_PERCENT'
  | 'MEAN_TEST_SCORE'
  | 'MEAN_MARK'
  | 'SHARE_TEST_80'
  | 'SHARE_TEST_100';

/** One school's aggregated result in one assessment (the fields the hub stores; all optional). */
export interface SchoolResultInput {
  participants: number;
  count2?: number | null;
  count3?: number | null;
  count4?: number | null;
  count5?: number | null;
  /** Mean primary score as % of max (0–100). */
  meanPercent?: number | null;
  /** Pupil-level SD of the % of max, when known from individual results. */
  sdPercent?: number | null;
  /** Pupils at each primary score (index = score). Preferred over meanPercent/sdPercent. */
  histogram?: readonly number[] | null;
  maxPrimary?: number | null;
  journalLowered?: number | null;
  journalConfirmed?: number | null;
  journalRaised?: number | null;
  belowMinimum?: number | null;
  meanTestScore?: number | null;
  sdTestScore?: number | null;
  /** ЕГЭ: participants with a test score ≥ 80 and of 100 (school_result.count_test_80 / count_test_100). */
  countTest80?: number | null;
  countTest100?: number | null;
}

// ---------------------------------------------------------------------------------------------
// Trends
// ---------------------------------------------------------------------------------------------

export interface TrendPoint {
  year: number;
  observation: MetricObservation;
}

interface TrendFittedPoint {
  year: number;
  participants: number;
  observed: number;
  fitted: number;
}

export interface TrendFit {
  status: 'OK';
  kind: MetricObservation['kind'];
  years: number;
  participants: number;
  /** Change of the metric per year (share units or mean units). */
  slopePerYear: number;
  standardError: number;
  lower: number;
  upper: number;
  confidence: number;
  z: number;
  pValue: number;
  significant: boolean;
  /** Pupil-level variance used for the SE: p̄(1 − p̄) for shares, pooled within-year SD² for means. */
  pupilVariance: number;
  points: TrendFittedPoint[];
  /**
   * χ² of the yearly values around the line in units of their sampling variance (df = years − 2):
   * a small p-value says the years jump about more than pupil sampling explains.
   */
  lackOfFit: { chiSquare: number; degreesOfFreedom: number; pValue: number };
}

export type TrendResult = TrendFit | Insufficient;

export interface YearToYearChange {
  yearFrom: number;
  yearTo: number;
  /** Later year minus earlier year, both treated as independent samples. */
  change: DifferenceResult;
}

// ---------------------------------------------------------------------------------------------
// Weighted least squares
// ---------------------------------------------------------------------------------------------

export interface DesignColumn {
  name: string;
  values: readonly number[];
  /** The column of ones; never reported as CONSTANT. */
  isIntercept?: boolean;
}

export interface DroppedColumn {
  name: string;
  /** CONSTANT: no variation among the fitted rows; COLLINEAR: a combination of earlier columns. */
  reason: 'CONSTANT' | 'COLLINEAR';
}

interface CoefficientEstimate {
  name: string;
  estimate: number;
  standardError: number;
  tValue: number;
  pValue: number;
  lower: number;
  upper: number;
}

export interface WeightedLeastSquaresOptions extends ConfidenceOptions {
  /** Relative norm below which a column counts as collinear with earlier ones; 1e-8 by default. */
  collinearityTolerance?: number;
}

export interface WeightedLeastSquaresFit {
  status: 'OK';
  /** Rows with positive weight that entered the fit. */
  n: number;
  /** Kept columns (= rank of the design). */
  parameters: number;
  residualDf: number;
  coefficients: CoefficientEstimate[];
  dropped: DroppedColumn[];
  /** Weighted R²; null when the response does not vary. */
  rSquared: number | null;
  adjustedRSquared: number | null;
  /** Residual SD for a row of average weight (weights are rescaled to mean 1). */
  residualSd: number;
  /** Per input row; null for rows with weight 0 (not fitted). */
  fitted: (number | null)[];
  leverage: (number | null)[];
  /** Internally studentized residual eᵢ√wᵢ / (σ̂ √(1 − hᵢ)); null when σ̂ = 0 or hᵢ ≈ 1. */
  standardizedResiduals: (number | null)[];
}

export type WeightedLeastSquaresResult = WeightedLeastSquaresFit | Insufficient;

// ---------------------------------------------------------------------------------------------
// Context of schools, context-adjusted results, peers
// ---------------------------------------------------------------------------------------------

/** The hub's SchoolType values. */
export type SchoolTypeCode = 'NOSH' | 'OOSH' | 'SOSH' | 'LYCEUM' | 'GYMNASIUM' | 'OTHER';

export interface SchoolContextInput {
  schoolId: string;
  /** null: stated neither in the year's context nor in the directory. */
  type: SchoolTypeCode | null;
  urban: boolean | null;
  /** In-depth study of subjects; absent means false. */
  inDepthStudy?: boolean;
  enrolment: number | null;
  /** Share of pupils with ОВЗ, 0–1. */
  shareDisabled: number | null;
  /** The region's social-wellbeing index, when the region has one. */
  socialIndex: number | null;
}

export interface ContextModelSchool extends SchoolContextInput {
  /** The result to adjust (normally mean % of max); null when the school did not take part. */
  result: number | null;
  participants: number;
}

export type ContextVariable = 'SCHOOL_TYPE' | 'IN_DEPTH_STUDY' | 'URBAN' | 'LOG_ENROLMENT' | 'SHARE_DISABLED_PCT' | 'SOCIAL_INDEX';

type ContextVariableTreatment =
  /** Entered the design as is. */
  | 'USED'
  /** Missing values replaced by the weighted mean, plus a 0/1 «value missing» column. */
  | 'MEAN_IMPUTED_WITH_INDICATOR'
  /** Missing in too few schools for an indicator of its own: mean-imputed only. */
  | 'MEAN_IMPUTED'
  /** Known for fewer than `minCoverage` of the schools (e.g. no social index in the region). */
  | 'DROPPED_SPARSE'
  /** The same value in every school (one school type, all urban…): nothing to estimate. */
  | 'NO_VARIATION'
  /** A 0/1 variable whose smaller side has fewer than `minSchoolsPerCategory` schools. */
  | 'DROPPED_RARE'
  /** Switched off by the caller. */
  | 'EXCLUDED';

export interface ContextVariableReport {
  variable: ContextVariable;
  treatment: ContextVariableTreatment;
  /** Schools (among those fitted) with the value missing. */
  missing: number;
  /** The value put in for missing schools, when imputed. */
  imputedValue: number | null;
}

export interface ContextModelOptions extends ConfidenceOptions {
  /** PARTICIPANTS (default): weight = participants; EQUAL: ordinary least squares. */
  weighting?: 'PARTICIPANTS' | 'EQUAL';
  /** Variables to leave out. */
  exclude?: readonly ContextVariable[];
  /** A numeric variable known for fewer than this share of schools is dropped; 0.7 by default. */
  minCoverage?: number;
  /** Minimum schools on each side of any 0/1 column (type level, urban, indicator); 3 by default. */
  minSchoolsPerCategory?: number;
  /** Minimum residual degrees of freedom for a usable fit; 5 by default. */
  minResidualDf?: number;
}

export interface SchoolExpectation {
  schoolId: string;
  participants: number;
  actual: number;
  expected: number;
  /** actual − expected. */
  residual: number;
  standardizedResidual: number | null;
  leverage: number;
}

export interface ContextModelFit {
  status: 'OK';
  n: number;
  participants: number;
  weighting: 'PARTICIPANTS' | 'EQUAL';
  parameters: number;
  residualDf: number;
  coefficients: CoefficientEstimate[];
  rSquared: number | null;
  adjustedRSquared: number | null;
  residualSd: number;
  /** The school type every type coefficient is measured against. */
  referenceSchoolType: SchoolTypeCode;
  /** Types with too few schools, folded into the reference type. */
  mergedSchoolTypes: SchoolTypeCode[];
  variables: ContextVariableReport[];
  droppedColumns: DroppedColumn[];
  schools: SchoolExpectation[];
  excludedSchools: { schoolId: string; reason: 'NO_RESULT' | 'NO_PARTICIPANTS' }[];
}

export type ContextModelResult = ContextModelFit | Insufficient;

export type TypeFamily = 'SELECTIVE' | 'GENERAL';
type Locality = 'URBAN' | 'RURAL';
export type SizeBand = 'UP_TO_100' | 'FROM_101_TO_300' | 'FROM_301_TO_700' | 'FROM_701_TO_1200' | 'OVER_1200';
export type DisabledShareBand = 'BELOW_5_PCT' | 'FROM_5_TO_10_PCT' | 'FROM_10_TO_20_PCT' | 'FROM_20_PCT';
export type SocialIndexBand = 'LOW' | 'MIDDLE' | 'HIGH';

export interface ContextBands {
  /** null: the school's type (or locality) is unknown. */
  typeFamily: TypeFamily | null;
  locality: Locality | null;
  sizeBand: SizeBand | null;
  disabledShareBand: DisabledShareBand | null;
  /** Region tertile of the social index; null when the school or the region has none. */
  socialIndexBand: SocialIndexBand | null;
}

export type PeerRestriction = 'SAME_LOCALITY_AND_FAMILY' | 'SAME_FAMILY' | 'ALL';

export interface PeerOptions {
  /** Peers to return; 10 by default. */
  k?: number;
  /** A restriction is used only when it leaves at least this many candidates; `k` by default. */
  minCandidates?: number;
}

export interface Peer {
  schoolId: string;
  /** Standardized context distance to the school (0 = identical context). */
  distance: number;
}

export interface PeerSelection {
  schoolId: string;
  restriction: PeerRestriction;
  /** Candidates left by the restriction (the school itself excluded). */
  candidates: number;
  /** Numeric variables the distance was computed on. */
  variablesUsed: ('LOG_ENROLMENT' | 'SHARE_DISABLED' | 'SOCIAL_INDEX')[];
  peers: Peer[];
}

export interface PeerValue {
  value: number;
  participants?: number;
}

export interface PeerPosition {
  status: 'OK';
  higherIsBetter: boolean;
  /** Peers plus the school. */
  groupSize: number;
  /** 1 = best; tied schools share the better rank. */
  rank: number;
  /** Share of the group the school does better than, ties counted half (0–100, direction-aware). */
  percentile: number;
  peerMean: number;
  /** Participant-weighted peer mean; null unless every peer has participants. */
  peerWeightedMean: number | null;
  peerMedian: number;
  differenceFromPeerMean: number;
  differenceFromPeerMedian: number;
}

export type PeerPositionResult = PeerPosition | Insufficient;

// ---------------------------------------------------------------------------------------------
// Correlations
// ---------------------------------------------------------------------------------------------

export type CorrelationMethod = 'PEARSON' | 'WEIGHTED_PEARSON' | 'SPEARMAN';

export interface Correlation {
  status: 'OK';
  method: CorrelationMethod;
  r: number;
  /** Schools with both values. */
  n: number;
  /** n for unweighted methods; Kish's (Σw)² / Σw² for the weighted one (used for the CI and p). */
  effectiveN: number;
  lower: number;
  upper: number;
  confidence: number;
  pValue: number;
  significant: boolean;
}

export type CorrelationResult = Correlation | Insufficient;

// ---------------------------------------------------------------------------------------------
// Cohorts
// ---------------------------------------------------------------------------------------------

export interface CohortResultRow {
  schoolId: string;
  /** 'VPR' | 'OGE' | 'EGE' | … (the hub's Procedure values). */
  procedure: string;
  grade: number;
  year: number;
  /** Subject code, already harmonised across procedures by the caller (e.g. ВПР and ОГЭ maths). */
  subject: string;
  /** The school's result on the step's own scale (mean % of max, test score…). */
  value: number | null;
  participants: number;
}

export interface CohortOptions {
  /** Procedures that form chains, in their order within one grade; VPR, OGE, EGE by default. */
  procedures?: readonly string[];
  higherIsBetter?: boolean;
  /** Steps with fewer participants are marked smallSample; 10 by default. */
  minParticipants?: number;
}

export interface CohortStep {
  procedure: string;
  grade: number;
  year: number;
  value: number;
  participants: number;
  /** Schools of the region ranked at this step (the school included). */
  regionSchools: number;
  /** Mid-rank percentile among the region's schools, direction-aware (100 = best). */
  percentile: number;
  smallSample: boolean;
  /** Percentile minus the previous step's; null on the first step. */
  percentileChange: number | null;
}

export interface CohortChain {
  subject: string;
  /** Calendar year in which the cohort was in grade 1: year − grade + 1. */
  gradeOneYear: number;
  /** BASIC: grades ≤ 9; SECONDARY: grades 10–11 (the cohort changes after grade 9). */
  stage: 'BASIC' | 'SECONDARY';
  steps: CohortStep[];
  /** Last step's percentile minus the first's. */
  totalPercentileChange: number;
}

// ---------------------------------------------------------------------------------------------
// BI aggregates
// ---------------------------------------------------------------------------------------------

export type GroupKeyValue = string | number | boolean | null;

export interface AggregateInputRow {
  keys: Readonly<Record<string, GroupKeyValue>>;
  schoolId: string;
  participants: number;
  count2?: number | null;
  count3?: number | null;
  count4?: number | null;
  count5?: number | null;
  meanPercent?: number | null;
  meanTestScore?: number | null;
  journalLowered?: number | null;
  journalConfirmed?: number | null;
  journalRaised?: number | null;
  belowMinimum?: number | null;
  /** ЕГЭ: participants with a test score ≥ 80 (school_result.count_test_80). */
  countTest80?: number | null;
}

export interface GroupAggregate {
  keys: Record<string, GroupKeyValue>;
  /** Distinct schools in the group. */
  schools: number;
  /** Input rows in the group (a school may contribute several, e.g. per subject). */
  rows: number;
  /** Sum of participants over rows (participations, not distinct pupils). */
  participants: number;
  /** Participant-weighted mean over rows that have it; null when none. */
  meanPercent: number | null;
  meanTestScore: number | null;
  /** Pupils with a mark (the base of the mark shares). */
  marked: number;
  share2: number | null;
  share3: number | null;
  share4: number | null;
  share5: number | null;
  share45: number | null;
  /** Pupils with both a ВПР and a journal mark (the base of the agreement share). */
  journalCompared: number;
  journalAgreementShare: number | null;
  belowMinimum: number;
  /** belowMinimum over participants of the rows that report it. */
  belowMinimumShare: number | null;
  /** ЕГЭ: participants with ≥ 80 test points, and their share among participants of the rows that report it. */
  countTest80: number;
  shareTest80: number | null;
}

/** A school's totals over a procedure in a year (school_exam_total); null — not stated. */
export interface ExamTotalInputRow {
  keys: Readonly<Record<string, GroupKeyValue>>;
  schoolId: string;
  participants: number | null;
  countSum3_220: number | null;
}

export interface ExamTotalGroup {
  keys: Record<string, GroupKeyValue>;
  schools: number;
  rows: number;
  /** Graduates who sat the procedure, over the rows that state them. */
  participants: number;
  /** ЕГЭ: graduates with ≥ 220 test points over three subjects, and their share, over the rows that state both. */
  countSum3_220: number;
  shareSum3_220: number | null;
}
