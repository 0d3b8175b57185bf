import { createRandom, SeededRandom } from '../../../src/risk/stats/random';
import { ScoreScale } from '../../../src/risk/indicators/types';

/**
 * A realistic clean ВПР generator for the bunching tests: ВПР Russian grade 4 scale (max 38,
 * boundaries «3» 14, «4» 24, «5» 33). A pupil's primary score is the sum of 15 task scores; task j
 * gives Binomial(maxPointsⱼ, logistic(θ − bⱼ)) points, θ = school effect + pupil ability. School
 * effects vary (SD 0.5 logit), so schools differ in level the way real schools do; nothing bunches.
 */

export const VPR_SCALE: ScoreScale = {
  maxScore: 38,
  boundaries: [
    { mark: 3, minScore: 14 },
    { mark: 4, minScore: 24 },
    { mark: 5, minScore: 33 },
  ],
};

const TASK_MAX_POINTS = [1, 1, 2, 3, 2, 4, 3, 2, 3, 2, 4, 3, 2, 3, 3];
/** Task difficulties (logits): a mix of easy basic tasks and a few hard ones. */
const TASK_DIFFICULTY = [-2.2, -1.8, -1.4, -1.0, -0.9, -0.6, -0.4, -0.2, 0, 0.2, 0.5, 0.8, 1.0, 1.4, 1.8];
const SCHOOL_EFFECT_SD = 0.5;
const PUPIL_ABILITY_SD = 1.0;
const REGION_MEAN_ABILITY = 0.7;

export function simulateSchoolHistogram(rng: SeededRandom, participants: number, schoolEffect: number): number[] {
  const histogram = new Array<number>(VPR_SCALE.maxScore + 1).fill(0);
  for (let pupil = 0; pupil < participants; pupil++) {
    const ability = REGION_MEAN_ABILITY + schoolEffect + rng.normal(0, PUPIL_ABILITY_SD);
    let score = 0;
    for (let j = 0; j < TASK_MAX_POINTS.length; j++) {
      score += rng.binomial(TASK_MAX_POINTS[j], 1 / (1 + Math.exp(-(ability - TASK_DIFFICULTY[j]))));
    }
    histogram[score]++;
  }
  return histogram;
}

export interface SimulatedSchool {
  participants: number;
  schoolEffect: number;
  histogram: number[];
}

/** `count` clean schools with sizes uniform in [minSize, maxSize]. */
export function simulateRegion(seed: number, count: number, minSize = 20, maxSize = 120): SimulatedSchool[] {
  const rng = createRandom(seed);
  return Array.from({ length: count }, () => {
    const participants = rng.integer(minSize, maxSize);
    const schoolEffect = rng.normal(0, SCHOOL_EFFECT_SD);
    return { participants, schoolEffect, histogram: simulateSchoolHistogram(rng, participants, schoolEffect) };
  });
}

export function addHistograms(histograms: readonly number[][]): number[] {
  const total = new Array<number>(histograms[0].length).fill(0);
  for (const h of histograms) h.forEach((count, s) => (total[s] += count));
  return total;
}

/**
 * Plants a "k% excess" at a boundary — the definition the power test uses:
 * round(k · participants) pupils are taken from the scores just below the boundary (b − 1 first, then
 * b − 2, … downwards while pupils remain there) and lifted to the boundary b and the point b + 1,
 * alternating (b first). This is how manipulated schools look in ФИОКО histograms: a hole just below
 * the cut-off and a peak at it. Returns a new histogram with the same number of participants.
 */
export function plantBoundaryExcess(histogram: readonly number[], boundary: number, excessShare: number): number[] {
  const planted = [...histogram];
  const participants = histogram.reduce((a, b) => a + b, 0);
  let toMove = Math.round(excessShare * participants);
  let moved = 0;
  for (let s = boundary - 1; s >= 0 && toMove > 0; s--) {
    const take = Math.min(planted[s], toMove);
    planted[s] -= take;
    toMove -= take;
    for (let i = 0; i < take; i++) {
      planted[(moved + i) % 2 === 0 ? boundary : boundary + 1]++;
    }
    moved += take;
  }
  return planted;
}

/** `count` schools of a fixed size and a fixed school effect (e.g. weak schools for the «3» boundary). */
export function simulateSchoolsWithEffect(seed: number, count: number, participants: number, schoolEffect: number): SimulatedSchool[] {
  const rng = createRandom(seed);
  return Array.from({ length: count }, () => ({
    participants,
    schoolEffect,
    histogram: simulateSchoolHistogram(rng, participants, schoolEffect),
  }));
}

/**
 * A short ВПР Maths-like scale: max 20, boundaries «3» 6, «4» 10, «5» 14. The windows around the three
 * boundaries (3 points below each, the boundary and the point above) cover 3…15 — most of the scale — and
 * the task structure (mostly 1-point tasks, a few 2-point ones and a 3-point hard task) makes the histogram
 * lumpier than a smooth curve: the case where a polynomial counterfactual fails.
 */
export const MATHS_SCALE: ScoreScale = {
  maxScore: 20,
  boundaries: [
    { mark: 3, minScore: 6 },
    { mark: 4, minScore: 10 },
    { mark: 5, minScore: 14 },
  ],
};
const MATHS_TASK_POINTS = [1, 1, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 2, 1, 3];
const MATHS_TASK_DIFFICULTY = [-2.4, -2.0, -1.5, -1.3, -1.1, -0.9, -0.6, -0.3, 0.1, 0.3, 0.7, 1.0, 1.3, 1.7, 2.2];

function simulateMathsSchoolHistogram(rng: SeededRandom, participants: number, schoolEffect: number): number[] {
  const histogram = new Array<number>(MATHS_SCALE.maxScore + 1).fill(0);
  for (let pupil = 0; pupil < participants; pupil++) {
    const ability = REGION_MEAN_ABILITY + schoolEffect + rng.normal(0, PUPIL_ABILITY_SD);
    let score = 0;
    for (let j = 0; j < MATHS_TASK_POINTS.length; j++) {
      // A multi-point task is all-or-nothing more often than not: its points move together (lumps).
      const p = 1 / (1 + Math.exp(-(ability - MATHS_TASK_DIFFICULTY[j])));
      score += rng.next() < 0.6 ? (rng.next() < p ? MATHS_TASK_POINTS[j] : 0) : rng.binomial(MATHS_TASK_POINTS[j], p);
    }
    histogram[score]++;
  }
  return histogram;
}

export function simulateMathsRegion(seed: number, count: number, minSize = 20, maxSize = 120): SimulatedSchool[] {
  const rng = createRandom(seed);
  return Array.from({ length: count }, () => {
    const participants = rng.integer(minSize, maxSize);
    const schoolEffect = rng.normal(0, SCHOOL_EFFECT_SD);
    return { participants, schoolEffect, histogram: simulateMathsSchoolHistogram(rng, participants, schoolEffect) };
  });
}
