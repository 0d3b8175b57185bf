import type { MeanObservation, MetricObservation } from './observations';
import type { Insufficient } from './insufficient-data';

/** What a school's value is compared with, and what the comparison gives (share-difference.ts, mean-difference.ts). */

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
