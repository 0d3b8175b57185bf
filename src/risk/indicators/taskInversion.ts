import { MarkerCode } from '../markers';
import { RiskThresholds } from '../methodology/thresholds';
import { studentTUpperTail } from '../stats/studentT';
import { weightedMean } from '../stats/weighted';
import { capitaliseRu, formatNumberRu, formatPointsRu, formatPValueRu } from './formatRu';
import { buildResult, insufficientData, roundTo } from './result';
import { IndicatorResult, TaskCompletion, TaskInversionInput } from './types';

/**
 * Indicator 4 — task inversion, Rosobrnadzor criterion B (marker TASK_INVERSION): easy tasks done
 * worse than the region while hard tasks are done better, which honest teaching rarely produces and
 * leaked or "helped" hard tasks do.
 *
 * Method. Difficulty δⱼ = −logit(region completion of task j). Gap gⱼ = logit(school) − logit(region).
 * On the logit scale a uniformly stronger school has a constant gap (Rasch), so the ceiling on easy
 * tasks does not fake an inversion as it would with raw differences. A weighted least-squares slope
 * of gⱼ on δⱼ (weights = binomial information participants·maxPointsⱼ·p(1 − p)) is tested one-sided
 * for β > 0 with a t-test on the residual variance (task-to-task variation beyond sampling is real,
 * so binomial variances alone would overstate significance). Criterion B also needs the raw gaps to
 * point the wrong way: easy tasks at least `minGap` below the region and hard tasks at least `minGap`
 * above. Easy/hard: levels Б vs П/В when every task has a level and both kinds occur; otherwise the
 * easier and the harder half by region completion. `value` = the slope β; `pValue` = its t-test.
 */
export function taskInversion(input: TaskInversionInput, thresholds: RiskThresholds): IndicatorResult {
  const t = thresholds.taskInversion;
  const tasks = input.tasks;
  const common = { indicator: 'TASK_INVERSION' as const, marker: MarkerCode.TASK_INVERSION, thresholds: t };
  const inputs = { participants: input.participants, tasks };
  for (const task of tasks) validateTask(task);
  if (tasks.length === 0) {
    return insufficientData({ ...common, inputs, baseline: {}, explanationRu: 'Нет данных о выполнении отдельных заданий: критерий «лёгкие хуже, трудные лучше» проверить нельзя.' });
  }
  if (tasks.length < t.minTasks || input.participants < t.minParticipants) {
    return insufficientData({
      ...common,
      inputs,
      baseline: {},
      explanationRu: `Заданий ${tasks.length}, участников ${input.participants} (нужно не меньше ${t.minTasks} и ${t.minParticipants}): наклон по трудности не оценить.`,
    });
  }

  // Completion shares of 0 or 1 have infinite logits; pull them in by half a point of the total.
  const pointsTotal = (task: TaskCompletion): number => input.participants * task.maxPoints;
  const school = tasks.map((task) => squeeze(task.schoolCompletion, pointsTotal(task)));
  const region = tasks.map((task) => squeeze(task.regionCompletion, 1e4));
  const difficulty = region.map((p) => -logit(p));
  const gap = tasks.map((_, j) => logit(school[j]) - logit(region[j]));
  const weights = tasks.map((task, j) => pointsTotal(task) * region[j] * (1 - region[j]));
  const { slope, standardError } = weightedSlope(difficulty, gap, weights);
  const degrees = tasks.length - 2;
  const pValue = standardError > 0 ? studentTUpperTail(slope / standardError, degrees) : slope > 0 ? 0 : 1;

  const { easy, hard, split } = splitByDifficulty(tasks);
  const rawGap = (group: number[]): number =>
    weightedMean(group.map((j) => tasks[j].schoolCompletion - tasks[j].regionCompletion), group.map((j) => tasks[j].maxPoints));
  const easyGap = rawGap(easy);
  const hardGap = rawGap(hard);
  const flagged = pValue <= t.alpha && slope > 0 && easyGap <= -t.minGap && hardGap >= t.minGap;

  const warnings: string[] = [];
  if (split === 'REGION_COMPLETION') warnings.push('Уровни заданий (Б/П/В) указаны не для всех заданий: лёгкие и трудные разделены по решаемости в регионе.');
  const easyRu = split === 'LEVEL' ? 'задания базового уровня' : 'более лёгкие задания';
  const hardRu = split === 'LEVEL' ? 'повышенного и высокого' : 'более трудные';
  const explanationRu =
    `${capitaliseRu(easyRu)} выполнены на ${formatPointsRu(easyGap)} относительно региона, ${hardRu} — на ${formatPointsRu(hardGap)}; ` +
    `наклон разрыва по трудности ${formatNumberRu(slope, 2)} (${formatPValueRu(pValue)})` +
    (flagged ? ': лёгкие задания хуже региона, трудные — лучше (критерий Б).' : '.');
  return buildResult({
    ...common,
    status: flagged ? 'FLAGGED' : 'CLEAR',
    value: roundTo(slope, 4),
    pValue,
    warnings,
    explanationRu,
    inputs,
    baseline: {
      split,
      easyTaskIds: easy.map((j) => tasks[j].taskId),
      hardTaskIds: hard.map((j) => tasks[j].taskId),
      easyGap,
      hardGap,
      slope,
      standardError,
      degreesOfFreedom: degrees,
    },
  });
}

function validateTask(task: TaskCompletion): void {
  for (const [name, v] of [['schoolCompletion', task.schoolCompletion], ['regionCompletion', task.regionCompletion]] as const) {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`task ${task.taskId}: ${name} must be in [0, 1], got ${v}`);
  }
  if (!(task.maxPoints > 0)) throw new RangeError(`task ${task.taskId}: maxPoints must be > 0, got ${task.maxPoints}`);
}

function splitByDifficulty(tasks: readonly TaskCompletion[]): { easy: number[]; hard: number[]; split: 'LEVEL' | 'REGION_COMPLETION' } {
  const indices = tasks.map((_, j) => j);
  if (tasks.every((task) => task.level !== null)) {
    const easy = indices.filter((j) => tasks[j].level === 'Б');
    const hard = indices.filter((j) => tasks[j].level !== 'Б');
    if (easy.length > 0 && hard.length > 0) return { easy, hard, split: 'LEVEL' };
  }
  const byCompletion = [...indices].sort((a, b) => tasks[b].regionCompletion - tasks[a].regionCompletion);
  const half = Math.floor(tasks.length / 2);
  return { easy: byCompletion.slice(0, half), hard: byCompletion.slice(tasks.length - half), split: 'REGION_COMPLETION' };
}

/** WLS slope of y on x with its standard error from the weighted residual variance. */
function weightedSlope(x: readonly number[], y: readonly number[], w: readonly number[]): { slope: number; standardError: number } {
  const xBar = weightedMean(x, w);
  const yBar = weightedMean(y, w);
  let sxx = 0;
  let sxy = 0;
  for (let j = 0; j < x.length; j++) {
    sxx += w[j] * (x[j] - xBar) ** 2;
    sxy += w[j] * (x[j] - xBar) * (y[j] - yBar);
  }
  if (sxx === 0) return { slope: 0, standardError: 0 };
  const slope = sxy / sxx;
  let rss = 0;
  for (let j = 0; j < x.length; j++) rss += w[j] * (y[j] - yBar - slope * (x[j] - xBar)) ** 2;
  const residualVariance = rss / (x.length - 2);
  return { slope, standardError: Math.sqrt(residualVariance / sxx) };
}

function squeeze(p: number, trials: number): number {
  const half = 0.5 / Math.max(trials, 1);
  return Math.min(1 - half, Math.max(half, p));
}

function logit(p: number): number {
  return Math.log(p / (1 - p));
}
