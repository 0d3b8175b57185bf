import { fitGroupedPoissonTilt } from '../stats/grouped-poisson-tilt';
import { fitPoissonPolynomial } from '../stats/poisson-polynomial';
import { sum } from './result';

/**
 * Counterfactual score distributions for the bunching estimator (Dee, Dobbie, Jacob & Rockoff 2019):
 * what a school's histogram would look like without manipulation.
 *
 * The *shape* comes from the rest of the region — the region's histogram for the same assessment and year
 * with the school's own works taken out. Real ВПР histograms are lumpy (task point structure: on a 20-point
 * Maths scale whole blocks of scores are more or less reachable), and a smooth polynomial cannot follow
 * that; on short scales the windows around the three boundaries also cover most of the scale, leaving a
 * polynomial almost nothing to be fitted on. The region's own histogram has exactly the lumps the school's
 * honest histogram has. A small minority of manipulating schools in it only makes the reference a little
 * bunched itself, i.e. the test conservative; a region where manipulation is common is found by the
 * region-level test (`boundaryBunchingInHistogram`).
 *
 * The shape is then tilted — multiplied by exp(polynomial of `tiltDegree`) — to the school's level and
 * spread, fitted to the school's histogram with every block of manipulable scores (a boundary's window and
 * the points just below it) counted only as its total, which manipulation does not change.
 *
 * A region too small for its raw histogram to be a usable reference (`minReferenceWorks`) falls back to the
 * region's histogram smoothed by a Poisson log-polynomial fitted outside the windows.
 */

/** Ridge on the tilt: only keeps the fit finite when a school sits at the edge of the scale. */
const TILT_RIDGE = 0.1;
/** Pseudo-count added to every reference bin before taking logs: a score no other school reached is rare, not impossible. */
export const REFERENCE_PSEUDO_COUNT = 0.5;

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
 * The region's histogram without the school's works (when the region's counts include them). A bin where
 * the region has fewer works than the school (stale region aggregates) is clipped at 0 and reported in
 * `inconsistentScores`, so one out-of-date total does not stop a region's recompute.
 */
export function regionWithoutSchool(
  regionHistogram: readonly number[],
  schoolHistogram: readonly number[],
  regionIncludesSchool: boolean,
): { rest: number[]; inconsistentScores: number[] } {
  if (!regionIncludesSchool) return { rest: [...regionHistogram], inconsistentScores: [] };
  const inconsistentScores: number[] = [];
  const rest = regionHistogram.map((count, s) => {
    const left = count - schoolHistogram[s];
    if (left < 0) inconsistentScores.push(s);
    return Math.max(0, left);
  });
  return { rest, inconsistentScores };
}

export interface TiltedCounterfactual {
  /** Expected counts per score, summing to the school's participants. */
  expected: number[];
  /** exp(P(s)) per score: the tilt that carries the reference shape to the school (up to a constant). */
  tilt: number[];
}

/**
 * Tilts a reference (counts or shares per score, any scale) to a school's histogram: expected counts ∝
 * reference(s)·exp(P(s)), P of `tiltDegree`, fitted on `groups` (see `fitGroups`). Returns the expected
 * counts summing to the school's participants and the tilt factor per score.
 */
export function tiltedCounterfactual(
  schoolHistogram: readonly number[],
  reference: readonly number[],
  groups: readonly (readonly number[])[],
  tiltDegree: number,
): TiltedCounterfactual {
  const participants = sum(schoolHistogram);
  const referenceTotal = sum(reference);
  if (participants === 0 || tiltDegree === 0) {
    return { expected: reference.map((r) => (r / referenceTotal) * participants), tilt: reference.map(() => 1) };
  }
  // A floor on the reference keeps log() finite where the region has essentially no works.
  const offset = reference.map((r) => Math.log(Math.max(r / referenceTotal, 1e-12)));
  const fit = fitGroupedPoissonTilt(schoolHistogram, { degree: tiltDegree, offset, groups, ridge: TILT_RIDGE });
  const expected = normalise(fit.expected).map((share) => share * participants);
  const tilt = expected.map((e, s) => e / Math.max(reference[s] / referenceTotal, 1e-12));
  const top = Math.max(...tilt);
  return { expected, tilt: tilt.map((f) => f / top) };
}

function normalise(values: readonly number[]): number[] {
  const total = sum(values);
  return values.map((v) => v / total);
}
