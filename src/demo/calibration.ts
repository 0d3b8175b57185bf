/**
 * Calibration of the item model per scale: a common shift and a spread of the task difficulties are fitted so
 * that a national reference population gets a realistic share of «2» (ЕГЭ: below the minimum) and of «5».
 * That keeps mark shares comparable across scale changes (ВПР Russian 4 in 2025) while raw scores are not.
 * The fit is exact (convolution of task score distributions over a quadrature in θ), so it is deterministic.
 */
import { buildItemModel, fillExpectedScores, nullProbability, type ItemModel } from './item-model';
import { logistic } from './random';
import { canonicalScale } from './scales';
import type { Assessment, Procedure, SubjectCode } from './types';

// Aliased once: inside jest's vm sandbox every global lookup (Math.*) costs several times more.
const { exp, abs, log } = Math;

export interface ReferencePopulation {
  mean: number;
  sd: number;
  /** Target share below the «3» boundary (ВПР, ОГЭ) or below the test minimum (ЕГЭ). */
  failShare: number;
  /** Target share at or above the «5» boundary (ЕГЭ: the conventional «5» test score). */
  topShare: number;
}

/** [share of «2», share of «5»] by grade, roughly like recent national ВПР results: «2» grows, «5» shrinks with grade. */
const VPR_TAILS: Record<'RUS' | 'MATH', Record<number, [number, number]>> = {
  RUS: { 4: [0.05, 0.21], 5: [0.12, 0.13], 6: [0.14, 0.11], 7: [0.16, 0.1], 8: [0.17, 0.08] },
  MATH: { 4: [0.03, 0.3], 5: [0.1, 0.17], 6: [0.12, 0.1], 7: [0.14, 0.08], 8: [0.15, 0.06] },
};

/** National reference populations: ЕГЭ takers are a selected, abler group (profile Maths even more so). */
export function referencePopulation(procedure: Procedure, subjectCode: SubjectCode, grade: number): ReferencePopulation {
  if (procedure === 'VPR') {
    const [failShare, topShare] = VPR_TAILS[subjectCode === 'RUS' ? 'RUS' : 'MATH'][grade] ?? [0.12, 0.12];
    return { mean: 0, sd: 1.15, failShare, topShare };
  }
  if (procedure === 'OGE') {
    return subjectCode === 'RUS'
      ? { mean: 0, sd: 1.15, failShare: 0.03, topShare: 0.28 }
      : { mean: 0, sd: 1.15, failShare: 0.08, topShare: 0.13 };
  }
  return subjectCode === 'RUS'
    ? { mean: 0.4, sd: 1.0, failShare: 0.012, topShare: 0.35 }
    : { mean: 0.8, sd: 0.9, failShare: 0.06, topShare: 0.2 };
}

// Scratch buffers for scoreDistribution: calibration calls it thousands of times, allocation would dominate.
let bufferA = new Float64Array(128);
let bufferB = new Float64Array(128);
const taskBuffer = new Float64Array(128);

/**
 * Exact distribution of the primary score at ability θ (convolution of the tasks' point distributions).
 * Returns a shared buffer, valid until the next call; entries beyond maxPrimary are garbage.
 */
function scoreDistribution(model: ItemModel, theta: number): Float64Array {
  const size = model.scale.maxPrimary + 1;
  if (bufferA.length < size) {
    bufferA = new Float64Array(size);
    bufferB = new Float64Array(size);
  }
  let distribution = bufferA;
  let next = bufferB;
  distribution.fill(0, 0, size);
  distribution[0] = 1;
  let reach = 0;
  for (let t = 0; t < model.taskCount; t++) {
    const m = model.maxPoints[t];
    const task = taskBuffer;
    task.fill(0, 0, m + 1);
    task[0] = 1;
    for (let k = 0; k < m; k++) {
      const p = logistic(model.discrimination[t] * (theta - model.pointDifficulty[model.pointStart[t] + k]));
      for (let s = k + 1; s > 0; s--) task[s] = task[s] * (1 - p) + task[s - 1] * p;
      task[0] *= 1 - p;
    }
    const pNull = nullProbability(model, t, theta);
    for (let s = 0; s <= m; s++) task[s] *= 1 - pNull;
    task[0] += pNull;
    next.fill(0, 0, reach + m + 1);
    for (let s = 0; s <= reach; s++) {
      const mass = distribution[s];
      if (mass === 0) continue;
      for (let j = 0; j <= m; j++) next[s + j] += mass * task[j];
    }
    const swap = distribution;
    distribution = next;
    next = swap;
    reach += m;
  }
  return distribution;
}

/** Sets every difficulty to spread·base + shift (spread widens or narrows the test, shift makes it harder). */
function applyDifficultyTransform(model: ItemModel, base: Float64Array, baseMeans: Float64Array, spread: number, shift: number): void {
  for (let i = 0; i < base.length; i++) model.pointDifficulty[i] = spread * base[i] + shift;
  for (let t = 0; t < model.taskCount; t++) model.meanDifficulty[t] = spread * baseMeans[t] + shift;
}

/** Shares of the reference population below the «3» boundary and at or above the «5» boundary. */
function tailShares(model: ItemModel, population: ReferencePopulation): { fail: number; top: number } {
  const nodes = 21;
  let fail = 0;
  let top = 0;
  let weightSum = 0;
  const { boundaries, maxPrimary } = model.scale;
  for (let i = 0; i < nodes; i++) {
    const z = -3.5 + (7 * i) / (nodes - 1);
    const weight = exp(-0.5 * z * z);
    const distribution = scoreDistribution(model, population.mean + population.sd * z);
    for (let s = 0; s < boundaries[3]; s++) fail += weight * distribution[s];
    for (let s = boundaries[5]; s <= maxPrimary; s++) top += weight * distribution[s];
    weightSum += weight;
  }
  return { fail: fail / weightSum, top: top / weightSum };
}

/**
 * Root of a monotone function on [low, high] by the Illinois variant of regula falsi: a handful of evaluations
 * instead of the dozens bisection needs, which matters because every evaluation is a full quadrature.
 * Falls back to the nearer end when the root is not bracketed.
 */
function solveMonotone(f: (x: number) => number, low: number, high: number, tolerance: number): number {
  let fLow = f(low);
  let fHigh = f(high);
  if (fLow * fHigh > 0) return abs(fLow) < abs(fHigh) ? low : high;
  let side = 0;
  let x = low;
  for (let iteration = 0; iteration < 40; iteration++) {
    x = (low * fHigh - high * fLow) / (fHigh - fLow);
    const fx = f(x);
    if (abs(fx) < tolerance) break;
    if (fx * fHigh > 0) {
      high = x;
      fHigh = fx;
      if (side === 1) fLow /= 2;
      side = 1;
    } else {
      low = x;
      fLow = fx;
      if (side === -1) fHigh /= 2;
      side = -1;
    }
  }
  return x;
}

/**
 * Two nested fits: the shift matches the reference fail share, then the spread of difficulties matches the
 * share of «5» (a wider spread flattens the test curve, so fewer reach the top boundary).
 */
function calibrate(model: ItemModel, population: ReferencePopulation): void {
  const base = model.pointDifficulty.slice();
  const baseMeans = model.meanDifficulty.slice();
  const fitShift = (spread: number): void => {
    const shift = solveMonotone(
      (candidate) => {
        applyDifficultyTransform(model, base, baseMeans, spread, candidate);
        return tailShares(model, population).fail - population.failShare;
      },
      -6, 6, 2e-4,
    );
    applyDifficultyTransform(model, base, baseMeans, spread, shift);
  };
  const logSpread = solveMonotone(
    (candidate) => {
      fitShift(exp(candidate));
      return population.topShare - tailShares(model, population).top;
    },
    log(0.4), log(3), 5e-4,
  );
  fitShift(exp(logSpread));
}

const models = new Map<string, ItemModel>();

/** The calibrated model of an assessment's scale (built once per scale version and process). */
export function itemModelFor(assessment: Assessment): ItemModel {
  const { procedure, subjectCode, grade, year } = assessment;
  const scale = canonicalScale(procedure, subjectCode, grade, year);
  const cached = models.get(scale.version);
  if (cached) return cached;
  const model = buildItemModel(scale);
  calibrate(model, referencePopulation(procedure, subjectCode, grade));
  fillExpectedScores(model);
  models.set(model.scale.version, model);
  return model;
}
