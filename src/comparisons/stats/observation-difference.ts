import { compareMeanWithReference, compareTwoMeans } from './mean-difference';
import { compareShareWithReference, compareTwoShares } from './share-difference';
import type { DifferenceResult, PopulationReference, SampledMeanReference, SampleReference } from './difference';
import type { ConfidenceOptions } from './inference';
import type { MetricObservation } from './observations';

/**
 * Dispatchers for code that holds an observation of any metric (see `observeMetric`): shares go to
 * the score-interval methods, means to the t methods. Mixing kinds is a programming error.
 */

export type AnyReference = PopulationReference | SampleReference<MetricObservation> | SampledMeanReference;

export function compareWithReference(school: MetricObservation, reference: AnyReference, options: ConfidenceOptions = {}): DifferenceResult {
  if (school.kind === 'share') {
    if (reference.kind === 'population') return compareShareWithReference(school, reference, options);
    if (reference.kind === 'sample' && reference.observation.kind === 'share') {
      return compareShareWithReference(school, { ...reference, observation: reference.observation }, options);
    }
    throw new TypeError('a share can only be compared with a share reference');
  }
  if (reference.kind === 'sample') {
    if (reference.observation.kind !== 'mean') throw new TypeError('a mean can only be compared with a mean reference');
    return compareMeanWithReference(school, { ...reference, observation: reference.observation }, options);
  }
  return compareMeanWithReference(school, reference, options);
}

/** first − second for two independent observations of the same kind. */
export function compareTwoObservations(first: MetricObservation, second: MetricObservation, options: ConfidenceOptions = {}): DifferenceResult {
  if (first.kind === 'share' && second.kind === 'share') return compareTwoShares(first, second, options);
  if (first.kind === 'mean' && second.kind === 'mean') return compareTwoMeans(first, second, options);
  throw new TypeError(`cannot compare a ${first.kind} with a ${second.kind}`);
}
