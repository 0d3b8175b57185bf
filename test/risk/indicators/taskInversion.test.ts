import { taskInversion } from '../../../src/risk/indicators/taskInversion';
import { TaskCompletion, TaskLevel } from '../../../src/risk/indicators/types';
import { MarkerCode } from '../../../src/risk/markers';
import { DEFAULT_THRESHOLDS } from '../../../src/risk/methodology/thresholds';
import { createRandom } from '../../../src/risk/stats/random';

const T = DEFAULT_THRESHOLDS;
const logistic = (x: number): number => 1 / (1 + Math.exp(-x));
const DIFFICULTY = [-2, -1.7, -1.4, -1.1, -0.8, -0.5, -0.2, 0.1, 0.4, 0.7, 1.0, 1.3, 1.6, 2.0];
const LEVELS: TaskLevel[] = DIFFICULTY.map((b) => (b < 0 ? 'Б' : b < 1.2 ? 'П' : 'В'));

/** Tasks where the school is `shift` logits stronger than the region (Rasch), plus per-task noise. */
function tasks(seed: number, shift: number, distort: (regionCompletion: number, j: number) => number = () => 0, withLevels = true, noise = 0.15): TaskCompletion[] {
  const rng = createRandom(seed);
  return DIFFICULTY.map((b, j) => {
    const regionCompletion = logistic(0.5 - b);
    const school = logistic(0.5 + shift - b + rng.normal(0, noise)) + distort(regionCompletion, j);
    return { taskId: String(j + 1), maxPoints: j % 3 === 0 ? 2 : 1, level: withLevels ? LEVELS[j] : null, schoolCompletion: Math.min(1, Math.max(0, school)), regionCompletion };
  });
}

describe('TASK_INVERSION (criterion B)', () => {
  it('flags easy tasks done worse and hard tasks done better', () => {
    const inverted = tasks(1, 0, (_, j) => (LEVELS[j] === 'Б' ? -0.12 : 0.15));
    const result = taskInversion({ participants: 50, tasks: inverted }, T);
    expect(result.status).toBe('FLAGGED');
    expect(result.marker).toBe(MarkerCode.TASK_INVERSION);
    expect(result.value!).toBeGreaterThan(0);
    expect(result.pValue!).toBeLessThan(0.05);
    expect(result.explanationRu).toMatch(/^Задания базового уровня выполнены на −1\d п\.п\. относительно региона, повышенного и высокого — на \+1\d п\.п\./);
    expect(result.explanationRu).toContain('критерий Б');
  });

  it('does not mistake a uniformly strong school for an inversion (ceiling on easy tasks)', () => {
    const strong = taskInversion({ participants: 60, tasks: tasks(2, 1.2) }, T);
    expect(strong.status).toBe('CLEAR');
    expect(Math.abs(strong.value!)).toBeLessThan(0.15);
    const weak = taskInversion({ participants: 60, tasks: tasks(3, -1.0) }, T);
    expect(weak.status).toBe('CLEAR');
  });

  it('measures the gap on the logit scale: a Rasch-shifted school has a zero slope at any level', () => {
    // On raw completion shares a stronger school gains little on easy tasks (ceiling) and much on hard
    // ones, which would look like a positive slope; on logits the shift is constant.
    for (const shift of [-1.5, 0.8, 1.5]) {
      const result = taskInversion({ participants: 60, tasks: tasks(7, shift, () => 0, true, 0) }, T);
      expect(Math.abs(result.value!)).toBeLessThan(1e-6);
    }
  });

  it('rarely flags clean schools of any level (calibration over 300 schools)', () => {
    let flagged = 0;
    for (let i = 0; i < 300; i++) {
      const shift = ((i % 7) - 3) * 0.4;
      if (taskInversion({ participants: 40, tasks: tasks(100 + i, shift) }, T).status === 'FLAGGED') flagged++;
    }
    expect(flagged / 300).toBeLessThanOrEqual(0.05);
  });

  it('needs the raw gaps to point the wrong way, not only a slope', () => {
    // Better than the region everywhere, much better on hard tasks: positive slope, but easy tasks are not worse.
    const steep = tasks(4, 0.3, (_, j) => (LEVELS[j] === 'Б' ? 0 : 0.2));
    const result = taskInversion({ participants: 50, tasks: steep }, T);
    expect(result.value!).toBeGreaterThan(0);
    expect(result.status).toBe('CLEAR');
  });

  it('splits by region completion when levels are missing, with a warning', () => {
    const inverted = tasks(5, 0, (p) => (p > 0.6 ? -0.12 : 0.15), false);
    const result = taskInversion({ participants: 50, tasks: inverted }, T);
    expect(result.status).toBe('FLAGGED');
    expect(result.evidence.baseline).toHaveProperty('split', 'REGION_COMPLETION');
    expect(result.warnings.join(' ')).toContain('по решаемости в регионе');
    expect(result.explanationRu).toMatch(/^Более лёгкие задания/);
  });

  it('is INSUFFICIENT_DATA without task-level data or with too few tasks', () => {
    const none = taskInversion({ participants: 50, tasks: [] }, T);
    expect(none.status).toBe('INSUFFICIENT_DATA');
    expect(none.explanationRu).toContain('Нет данных о выполнении отдельных заданий');
    expect(taskInversion({ participants: 50, tasks: tasks(6, 0).slice(0, 4) }, T).status).toBe('INSUFFICIENT_DATA');
    expect(taskInversion({ participants: 5, tasks: tasks(6, 0) }, T).status).toBe('INSUFFICIENT_DATA');
    expect(() => taskInversion({ participants: 50, tasks: [{ ...tasks(6, 0)[0], schoolCompletion: 1.2 }] }, T)).toThrow(RangeError);
  });
});
