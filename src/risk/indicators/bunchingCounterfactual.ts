import { fitPoissonPolynomial } from '../stats/poissonPolynomial';
import { sum } from './result';

/**
 * Counterfactual score distributions for the bunching estimator (Dee, Dobbie, Jacob & Rockoff 2019):
 * what the histogram would look like without manipulation, fitted with the boundary windows left out.
 *
 * For one school the counterfactual *shape* comes from the region: the region's histogram smoothed by a
 * Poisson log-polynomial fitted outside the windows (the region's own histogram may be bunched, so its
 * raw bins at the boundaries cannot serve). That shape is then tilted — multiplied by exp(quadratic) —
 * to the school's level and spread using only the school's bins outside the windows. A school of 60
 * cannot support a free polynomial of its own; two tilt parameters it can.
 */

/** Ridge on the tilt: only keeps the fit finite when a school sits at the edge of the scale. */
const TILT_RIDGE = 0.1;

/** Shares per score (summing to 1) of a smoothed, window-free distribution. */
export type CounterfactualShape = number[];

/** Smooths a histogram by a Poisson log-polynomial fitted outside `excluded`; returns shares. */
export function smoothedShape(histogram: readonly number[], excluded: ReadonlySet<number>, degree: number): CounterfactualShape {
  const usableBins = histogram.length - excluded.size;
  const effectiveDegree = Math.min(degree, usableBins - 1);
  if (effectiveDegree < 1) throw new RangeError('too few scores outside the boundary windows to fit a counterfactual');
  const fit = fitPoissonPolynomial(histogram, { degree: effectiveDegree, excluded });
  return normalise(fit.expected);
}

/**
 * Tilts a reference shape to a school's histogram: expected counts ∝ shape(s)·exp(P(s)), P of
 * `tiltDegree`, fitted on the school's bins outside `excluded`. Returns expected counts summing to the
 * school's participants.
 */
export function tiltedCounterfactual(
  schoolHistogram: readonly number[],
  referenceShape: CounterfactualShape,
  excluded: ReadonlySet<number>,
  tiltDegree: number,
): number[] {
  const participants = sum(schoolHistogram);
  const outsideWindows = schoolHistogram.reduce((acc, count, s) => acc + (excluded.has(s) ? 0 : count), 0);
  if (outsideWindows === 0 || tiltDegree === 0) {
    // Nothing outside the windows to adapt to: the region's shape itself is the best guess.
    return referenceShape.map((share) => share * participants);
  }
  // A floor on the shape keeps log() finite where the region has essentially no works.
  const offset = referenceShape.map((share) => Math.log(Math.max(share, 1e-12)));
  const fit = fitPoissonPolynomial(schoolHistogram, { degree: tiltDegree, excluded, offset, ridge: TILT_RIDGE });
  return normalise(fit.expected).map((share) => share * participants);
}

function normalise(values: readonly number[]): number[] {
  const total = sum(values);
  return values.map((v) => v / total);
}
