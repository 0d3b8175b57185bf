import { MarkerCode, ZoneLevel } from '../markers';

/**
 * Thresholds of the risk methodology (version 2; the sections of the indicators kept from version 1 unchanged). Shares are fractions in [0, 1] (0.3 = 30%);
 * "points" of a share are fractions too (0.10 = 10 percentage points). Scores are compared as
 * shares of the maximum, never as raw primary scores, because scales change by year.
 * A region may override any subset (see `resolveThresholds`).
 */
export interface RiskThresholds {
  highResults: HighResultsThresholds;
  boundaryBunching: BoundaryBunchingThresholds;
  recheck: RecheckThresholds;
  lowResults: LowResultsThresholds;
  benchmarks: BenchmarkThresholds;
  zones: ZoneThresholds;
  evidence: EvidenceThresholds;
}

/** Indicator 1, HIGH_RESULTS. */
interface HighResultsThresholds {
  /**
   * Empirical-Bayes shrunken z-score at or above which the school is flagged. Default 2.0: the
   * school's *credible* level (after pulling small schools towards the mean) is two between-school
   * standard deviations above the region — roughly the top 2–3% of schools with real differences.
   */
  minShrunkenZ: number;
  /** Fewer participants than this: INSUFFICIENT_DATA. Default 5 (below that even shrinkage says nothing). */
  minParticipants: number;
  /** Fewer comparison schools than this: τ² cannot be estimated, INSUFFICIENT_DATA. Default 10. */
  minRegionSchools: number;
  /**
   * Schools with in-depth study (lyceum/gymnasium) are compared with their own peer group when the
   * region has at least this many of them (default 8), otherwise with all schools at a higher bar.
   */
  minPeerGroupSchools: number;
  /** Added to `minShrunkenZ` for an in-depth school compared with all schools (small peer group). Default 1.0. */
  inDepthExtraZ: number;
}

/** Indicator 2, BOUNDARY_BUNCHING (Dee, Dobbie, Jacob & Rockoff 2019 bunching estimator). */
export interface BoundaryBunchingThresholds {
  /**
   * Per-school one-sided significance level of the test of the summed window counts (see
   * `boundaryBunching`). Default 0.05.
   */
  alpha: number;
  /** Benjamini–Hochberg false discovery rate across the region's schools. Default 0.05. */
  fdrAlpha: number;
  /** Below this many participants the histogram is too small to judge (ФИОКО: < 20). Default 20. */
  minParticipants: number;
  /** From this many participants on the histogram is informative; between the two a warning. Default 50. */
  reliableParticipants: number;
  /**
   * Width of the tested window: the boundary score and the points just above it (default 2 =
   * the boundary and the next point, where «дотянутые» works land).
   */
  windowWidth: number;
  /**
   * Points just below each boundary (default 3) that manipulation empties: the tested window is compared
   * with them, and they count only by their total in the counterfactual fit.
   */
  exclusionBelow: number;
  /**
   * The rest of the region (the region without the school) is the counterfactual shape when it has at
   * least this many works. Default 300: the exact test accounts for the reference's own noise at any size,
   * but below a few hundred works a raw histogram of 20–50 scores has single-digit bins and the comparison
   * loses most of its power; such a region's histogram is smoothed by a polynomial instead
   * (`regionPolynomialDegree`), which is only trustworthy on long scales.
   */
  minReferenceWorks: number;
  /** Degree of the Poisson log-polynomial that smooths a small region's histogram (fallback) or a histogram judged alone. Default 6. */
  regionPolynomialDegree: number;
  /**
   * Degree of the exponential tilt that adapts the reference shape to one school's level and
   * spread. Default 2 (location and spread); more would start fitting the school's own noise.
   */
  schoolTiltDegree: number;
  /** Polynomial degree for a histogram judged alone when it has fewer than `largeHistogramParticipants`. Default 3. */
  smallHistogramPolynomialDegree: number;
  /** A histogram judged alone with at least this many participants uses `regionPolynomialDegree`. Default 1000. */
  largeHistogramParticipants: number;
  /**
   * Minimum excess (observed − expected in the windows) as a share of participants, required in
   * addition to significance (per school and after Benjamini–Hochberg). Default 0.03: in a school of 200
   * a surplus of 3 works at the boundaries can be "significant" against a reference of 30 000 works, but it
   * is not bunching anyone should act on.
   */
  minExcessShare: number;
}

/** Indicator 6, RECHECK_DISCREPANCY. */
interface RecheckThresholds {
  /** Minimum re-checked works. Default 5. */
  minWorks: number;
  /** Share of re-checked works that lost a mark at or above which the marker fires. Default 0.10. */
  lostMarkShare: number;
  /** …and at least this many works lost a mark (one lost mark in 5 works is 20% but one work). Default 2. */
  minLostMarks: number;
  /** Mean points lost per work, as a share of the maximum score, that fires the marker on its own. Default 0.05. */
  meanPointsLostShareOfMax: number;
  /**
   * Rate of lost marks expected from honest disagreement between checkers; the reported p-value tests
   * the observed count against it. Default 0.02.
   */
  honestLostMarkRate: number;
}

/** Indicator 8, LOW_RESULTS_PERSISTENT / GIA_BELOW_MINIMUM / FAILS_RISING. */
interface LowResultsThresholds {
  /** Share of «2» (below the «3» boundary) that makes a procedure "low". Default 0.30 (ШНОР criterion). */
  failShare: number;
  /** Low procedures needed this year. Default 2. */
  minProceduresThisYear: number;
  /**
   * How many of this year's low procedures must also have been low in the same procedure last year.
   * Default 1 (reading "…and in the same procedure last year" as at least one persistent procedure).
   */
  minPersistentProcedures: number;
  /** A procedure with fewer participants is not counted (one pupil of three is 33%). Default 5. */
  minParticipantsPerProcedure: number;
  /**
   * Judge the shares of «2» by their empirical-Bayes shrunken values when the service provides them
   * (`FailCounts.shrunkenFailShare`). Default true: in a class of 6, two «2» are 33% by the luck of one
   * pupil, and a region of hundreds of small schools would put dozens of honest ones over 30% in two
   * procedures every year; the two-level shrinkage keeps a small school whose classes are *all* weak
   * (its own pooled level is credible) and lets a single unlucky class go. A procedure is judged by the
   * smaller of the raw and the shrunken share: shrinkage never makes a procedure low whose observed share is
   * below the bar. The raw shares are still shown. Applies to LOW_RESULTS_PERSISTENT and FAILS_RISING.
   */
  shrinkFailShares: boolean;
  /** Rise of the share of «2» that fires FAILS_RISING. Default 0.10 (10 percentage points). */
  failsRisingPoints: number;
  /** Minimum participants in both years for FAILS_RISING. Default 10. */
  failsRisingMinParticipants: number;
  /** Graduates below the minimum in a compulsory ГИА subject that fire GIA_BELOW_MINIMUM. Default 1 (any). */
  minGraduatesBelowMinimum: number;
}

/** Indicator 9, BELOW_BENCHMARK / ABOVE_BENCHMARK. */
type BenchmarkComparison = 'REGION' | 'RUSSIA' | 'BOTH' | 'EITHER';
export interface BenchmarkThresholds {
  /** Margin on the mean share of max. Default 0.10 (10 points of % of max). */
  meanShareOfMaxMargin: number;
  /** Margin on the share of «2». Default 0.10 (10 percentage points). */
  failShareMargin: number;
  /** Margin on the share of «4»+«5». Default 0.15 (15 percentage points). */
  share45Margin: number;
  /**
   * Which benchmarks must be exceeded: 'BOTH' (default) = region and Russia, so a region that is
   * itself unusual does not flag all its schools; falls back to the available one with a warning.
   */
  compareWith: BenchmarkComparison;
  /** Minimum participants. Default 10. */
  minParticipants: number;
}

/** Zone assignment (see `assignZones`). */
interface ZoneThresholds {
  /** Distinct indicators (marker codes) that must agree this year to reach RISK. Default 2. */
  agreeingIndicatorsForRisk: number;
  /** Subject × grade units with a direct-evidence marker that reach RISK even with a single indicator. Default 2. */
  subjectGradesForRisk: number;
  /**
   * The same direct-evidence marker in the same subject × grade in this many consecutive years (this one
   * included) reaches RISK. Default 2: each year is a new cohort and new works, so a repetition is a second,
   * independent signal — the rarity of two chance markers in a row is what the agreement of two indicators
   * gives within one year. 0 or 1 switches the rule off.
   */
  sameSignYearsForRisk: number;
  /**
   * Consecutive years at `persistenceLevel` or above (this one included) that escalate to HIGH_RISK.
   * Default 3 (ФИОКО lists: three years in a row on the list is the escalation point).
   */
  escalationConsecutiveYears: number;
  /**
   * The level a year must reach to count towards persistence. Default RISK: the ФИОКО lists count years
   * *on the list*, i.e. with agreeing signals; three years of an isolated, unconfirmed signal (WATCH) is
   * what any school with one noisy class shows and escalating it would make HIGH_RISK meaningless.
   * WATCH restores the looser reading.
   */
  persistenceLevel: ZoneLevel.WATCH | ZoneLevel.RISK;
  /**
   * Markers that reach RISK on their own, because they already combine several procedures or years.
   * Default [LOW_RESULTS_PERSISTENT].
   */
  riskOnTheirOwn: MarkerCode[];
  /**
   * Context markers: shown in the zone and enough for WATCH, but never a reason for RISK — they neither
   * count as an agreeing indicator nor as a subject × grade unit. Default [ABOVE_BENCHMARK,
   * BELOW_BENCHMARK, GIA_BELOW_MINIMUM]: being above or below the region/Russia describes the school's
   * level, not the objectivity of its results (a good lyceum is above everyone; HIGH_RESULTS is the
   * shrunken, peer-aware test of "too high"), and one graduate below the ГИА minimum happens in most
   * schools with a graduating class — the low-results zone rests on LOW_RESULTS_PERSISTENT and FAILS_RISING.
   */
  contextMarkers: MarkerCode[];
  /**
   * Corroborating markers: they count towards agreement with another (non-context) indicator in the same
   * subject × grade, but a unit where they are the only markers does not count towards
   * `subjectGradesForRisk`. Default [HIGH_RESULTS, SHARP_CHANGE]: high results and a sharp rise describe
   * the level and trajectory of results, which honest schools and cohorts vary in; they become signs of
   * non-objectivity when something else confirms them (criterion A: high *and* not confirmed), and a
   * strong cohort is strong in Russian and Maths alike, so two such units are one fact, not two signals.
   */
  corroborativeMarkers: MarkerCode[];
}

/**
 * The objectivity zone of methodology v2 (src/risk/evidence): the direct signs measured against honest schools'
 * spread, combined per school-year, false discoveries controlled across the region's school-years.
 */
export interface EvidenceThresholds {
  /**
   * Benjamini–Hochberg false discovery rate across the region's school-years (and, for a school's series of
   * years, across its schools) at or below which a school-year is RISK. Default 0.05: of the school-years named,
   * about one in twenty may be honest.
   */
  riskFdr: number;
  /** The same for WATCH. Default 0.2. */
  watchFdr: number;
  /** A sign whose z reaches this in an assessment of a school-year at WATCH or above fires its marker there. Default 2. */
  markerZ: number;
  /** A year of a significant series is named only if its own evidence points the same way (z at least this). Default 1. */
  seriesMinYearZ: number;
  /** Fewest works in an assessment for a sign to be measured in it. Default 5. */
  minParticipants: number;
  /** Produced scores on each side of a mark boundary in the bunching windows. Default 2. */
  windowWidth: number;
}

/** The defaults of the methodology in force, version 2 (frozen; copy through `resolveThresholds`). */
export const DEFAULT_THRESHOLDS: Readonly<RiskThresholds> = deepFreeze({
  highResults: {
    minShrunkenZ: 2.0,
    minParticipants: 5,
    minRegionSchools: 10,
    minPeerGroupSchools: 8,
    inDepthExtraZ: 1.0,
  },
  boundaryBunching: {
    alpha: 0.05,
    fdrAlpha: 0.05,
    minParticipants: 20,
    reliableParticipants: 50,
    windowWidth: 2,
    exclusionBelow: 3,
    minReferenceWorks: 300,
    regionPolynomialDegree: 6,
    schoolTiltDegree: 2,
    smallHistogramPolynomialDegree: 3,
    largeHistogramParticipants: 1000,
    minExcessShare: 0.03,
  },
  recheck: {
    minWorks: 5,
    lostMarkShare: 0.1,
    minLostMarks: 2,
    meanPointsLostShareOfMax: 0.05,
    honestLostMarkRate: 0.02,
  },
  lowResults: {
    failShare: 0.3,
    minProceduresThisYear: 2,
    minPersistentProcedures: 1,
    minParticipantsPerProcedure: 5,
    shrinkFailShares: true,
    failsRisingPoints: 0.1,
    failsRisingMinParticipants: 10,
    minGraduatesBelowMinimum: 1,
  },
  benchmarks: {
    meanShareOfMaxMargin: 0.1,
    failShareMargin: 0.1,
    share45Margin: 0.15,
    compareWith: 'BOTH',
    minParticipants: 10,
  },
  zones: {
    agreeingIndicatorsForRisk: 2,
    subjectGradesForRisk: 2,
    sameSignYearsForRisk: 2,
    escalationConsecutiveYears: 3,
    persistenceLevel: ZoneLevel.RISK,
    riskOnTheirOwn: [MarkerCode.LOW_RESULTS_PERSISTENT],
    contextMarkers: [MarkerCode.ABOVE_BENCHMARK, MarkerCode.BELOW_BENCHMARK, MarkerCode.GIA_BELOW_MINIMUM],
    corroborativeMarkers: [MarkerCode.HIGH_RESULTS, MarkerCode.SHARP_CHANGE],
  },
  evidence: {
    riskFdr: 0.1,
    watchFdr: 0.3,
    markerZ: 2,
    seriesMinYearZ: 1,
    minParticipants: 5,
    windowWidth: 2,
  },
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
