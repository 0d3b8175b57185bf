/**
 * The IRT-like response model. A student has an ability θ (logits, 0 = the national mean of that grade); each
 * point of a task is earned independently with probability logistic(a·(θ − b)), where b depends on the task's
 * level (Б easy, П medium, В hard) plus a fixed per-task jitter, and the points of a multi-point task are spread
 * around it. Weak students leave hard tasks undone (null) more often. Summing many such points gives the smooth,
 * slightly skewed primary-score histograms seen in real data. Difficulties are fitted per scale in calibration.ts.
 */
import { hashString, logistic, Rng } from './random';
import type { AssessmentScale, TaskLevel } from './types';

// Aliased once: inside jest's vm sandbox every global lookup (Math.*) costs several times more, and these
// run tens of millions of times per large region.
const { exp, min, floor } = Math;

const LEVEL_INDEX: Record<TaskLevel, number> = { Б: 0, П: 1, В: 2 };
const LEVEL_DIFFICULTY = [-1.0, 0.3, 1.3];
/** Highest chance of leaving a task undone, reached by students far below its difficulty. */
const NULL_CEILING = [0.06, 0.18, 0.35];
/** Spread of a student's literacy (ГК criteria) around their overall level, logits. */
export const LITERACY_SD = 1.5;
const GRID_MIN = -6;
const GRID_STEP = 0.025;
const GRID_SIZE = 481;

export interface ItemModel {
  scale: AssessmentScale;
  taskCount: number;
  maxPoints: Int32Array;
  level: Uint8Array;
  discrimination: Float64Array;
  /** Difficulty of the k-th point of task t is pointDifficulty[pointStart[t] + k]. */
  pointStart: Int32Array;
  pointDifficulty: Float64Array;
  meanDifficulty: Float64Array;
  /** 0 for criteria (ГК, ФК, К-criteria of essays are always scored). */
  nullCeiling: Float64Array;
  /** 1 for literacy criteria (ГК…): literacy is partly a skill of its own, see simulateTaskScores. */
  literacy: Uint8Array;
  hasLiteracy: boolean;
  /** Expected primary score on a θ grid, for journal marks. */
  expectedScore: Float64Array;
}

/** Chance of leaving task t undone at the given ability. */
export function nullProbability(model: ItemModel, task: number, ability: number): number {
  const ceiling = model.nullCeiling[task];
  return ceiling === 0 ? 0 : ceiling * logistic(1.5 * (model.meanDifficulty[task] - ability) - 1.5);
}

/** Item parameters before calibration: level difficulties plus a per-task jitter fixed by the scale version. */
export function buildItemModel(scale: AssessmentScale): ItemModel {
  const taskCount = scale.tasks.length;
  const maxPoints = new Int32Array(taskCount);
  const level = new Uint8Array(taskCount);
  const discrimination = new Float64Array(taskCount);
  const pointStart = new Int32Array(taskCount);
  const pointDifficulty = new Float64Array(scale.maxPrimary);
  const meanDifficulty = new Float64Array(taskCount);
  const nullCeiling = new Float64Array(taskCount);
  const literacy = new Uint8Array(taskCount);
  let offset = 0;
  scale.tasks.forEach((task, t) => {
    // Item parameters are facts about the test, not about the region: keyed by scale version only.
    const rng = new Rng(hashString(`${scale.version}\u0001${task.number}`));
    const levelIndex = LEVEL_INDEX[task.level];
    const difficulty = LEVEL_DIFFICULTY[levelIndex] + 0.35 * rng.normal();
    const spread = min(1.2, 0.35 * (task.maxPoints - 1));
    maxPoints[t] = task.maxPoints;
    level[t] = levelIndex;
    discrimination[t] = 1.0 + 0.6 * rng.next();
    pointStart[t] = offset;
    for (let k = 0; k < task.maxPoints; k++) {
      const position = task.maxPoints === 1 ? 0 : (2 * k) / (task.maxPoints - 1) - 1;
      pointDifficulty[offset + k] = difficulty + spread * position;
    }
    meanDifficulty[t] = difficulty;
    nullCeiling[t] = /^[ГФ]К|К\d/.test(task.number) ? 0 : NULL_CEILING[levelIndex];
    literacy[t] = task.number.startsWith('ГК') ? 1 : 0;
    offset += task.maxPoints;
  });
  return {
    scale, taskCount, maxPoints, level, discrimination, pointStart, pointDifficulty, meanDifficulty, nullCeiling,
    literacy, hasLiteracy: literacy.includes(1), expectedScore: new Float64Array(GRID_SIZE),
  };
}

/** Tabulates the expected primary score over the θ grid (call after the difficulties are final). */
export function fillExpectedScores(model: ItemModel): void {
  for (let g = 0; g < GRID_SIZE; g++) {
    const theta = GRID_MIN + g * GRID_STEP;
    let expected = 0;
    for (let t = 0; t < model.taskCount; t++) {
      let points = 0;
      for (let k = 0; k < model.maxPoints[t]; k++) {
        points += logistic(model.discrimination[t] * (theta - model.pointDifficulty[model.pointStart[t] + k]));
      }
      expected += points * (1 - nullProbability(model, t, theta));
    }
    model.expectedScore[g] = expected;
  }
}

/**
 * Draws one work: fills `out` with task scores (null = not done) and returns the primary score.
 * `levelShift` (per level Б/П/В, logits) lets a distortion change some levels only; null means none.
 * `literacyShift` is the student's own deviation on literacy criteria: without it a strong essay would always
 * come with strong literacy, and ОГЭ's "«4» needs ГК ≥ 4" rule would never bite.
 */
export function simulateTaskScores(
  model: ItemModel,
  theta: number,
  levelShift: readonly number[] | null,
  rng: Rng,
  out: (number | null)[],
  literacyShift = 0,
): number {
  let primary = 0;
  for (let t = 0; t < model.taskCount; t++) {
    let ability = levelShift === null ? theta : theta + levelShift[model.level[t]];
    if (model.literacy[t] === 1) ability += literacyShift;
    const ceiling = model.nullCeiling[t];
    // Inlined nullProbability: this loop is the generator's hot path.
    if (ceiling > 0 && rng.next() * (1 + exp(-1.5 * (model.meanDifficulty[t] - ability) + 1.5)) < ceiling) {
      out[t] = null;
      continue;
    }
    const a = model.discrimination[t];
    const start = model.pointStart[t];
    let points = 0;
    for (let k = 0; k < model.maxPoints[t]; k++) {
      // u < 1 / (1 + e^x)  ⇔  u·(1 + e^x) < 1: one exp, no division.
      if (rng.next() * (1 + exp(-a * (ability - model.pointDifficulty[start + k]))) < 1) points++;
    }
    out[t] = points;
    primary += points;
  }
  return primary;
}

/** Expected primary score at θ (linear interpolation on the precomputed grid). */
export function expectedPrimary(model: ItemModel, theta: number): number {
  const position = (theta - GRID_MIN) / GRID_STEP;
  if (position <= 0) return model.expectedScore[0];
  if (position >= GRID_SIZE - 1) return model.expectedScore[GRID_SIZE - 1];
  const index = floor(position);
  const fraction = position - index;
  return model.expectedScore[index] * (1 - fraction) + model.expectedScore[index + 1] * fraction;
}
