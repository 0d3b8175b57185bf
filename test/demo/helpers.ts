/** Shared helpers of the demo-generator tests (not a test file itself). */
import type { Assessment, DemoRegion, ParticipantResult } from '../../src/demo';

/** Participant rows grouped by `schoolId|assessmentKey`. */
export function rowsBySchoolAssessment(rows: Iterable<ParticipantResult>): Map<string, ParticipantResult[]> {
  const grouped = new Map<string, ParticipantResult[]>();
  for (const row of rows) {
    const key = `${row.schoolId}|${row.assessmentKey}`;
    const list = grouped.get(key);
    if (list) list.push(row);
    else grouped.set(key, [row]);
  }
  return grouped;
}

export function meanPercentOfMax(rows: ParticipantResult[], assessment: Assessment): number {
  return (100 * rows.reduce((sum, row) => sum + row.primaryScore, 0)) / rows.length / assessment.scale.maxPrimary;
}

/** Share of «2» (ВПР, ОГЭ) or of results below the test minimum (ЕГЭ). */
export function failShare(rows: ParticipantResult[], assessment: Assessment): number {
  const failed = rows.filter((row) => (assessment.procedure === 'EGE' ? row.testScore! < assessment.scale.egeMinimum! : row.mark === 2));
  return failed.length / rows.length;
}

/** Mean points as % of max over the tasks of one level. */
export function levelPercent(rows: ParticipantResult[], assessment: Assessment, level: 'Б' | 'П' | 'В'): number {
  let points = 0;
  let max = 0;
  assessment.scale.tasks.forEach((task, index) => {
    if (task.level !== level) return;
    for (const row of rows) points += row.taskScores[index] ?? 0;
    max += task.maxPoints * rows.length;
  });
  return (100 * points) / max;
}

/** Spearman rank correlation (average ranks for ties). */
export function spearman(a: number[], b: number[]): number {
  const ranks = (values: number[]) => {
    const order = values.map((value, index) => ({ value, index })).sort((x, y) => x.value - y.value);
    const result = new Array<number>(values.length);
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j + 1 < order.length && order[j + 1].value === order[i].value) j++;
      for (let k = i; k <= j; k++) result[order[k].index] = (i + j) / 2;
      i = j + 1;
    }
    return result;
  };
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
  const ma = mean(ra);
  const mb = mean(rb);
  let covariance = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < a.length; i++) {
    covariance += (ra[i] - ma) * (rb[i] - mb);
    va += (ra[i] - ma) ** 2;
    vb += (rb[i] - mb) ** 2;
  }
  return covariance / Math.sqrt(va * vb);
}

export function assessmentsByKey(region: DemoRegion): Map<string, Assessment> {
  return new Map(region.assessments.map((a) => [a.key, a]));
}

/** Schools with no planted anomaly of any kind. */
export function cleanSchoolIds(region: DemoRegion): Set<string> {
  const planted = new Set(region.planted.map((p) => p.schoolId));
  return new Set(region.schools.map((s) => s.id).filter((id) => !planted.has(id)));
}
