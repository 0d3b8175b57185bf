import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../shared/principal';
import { ownRegionId } from '../auth/scope';
import type { Assessment, AssessmentTask } from './assessment.entity';
import type { AssessmentScale } from './assessment.types';

/**
 * Scales are national once confirmed (the scale columns of `assessment`); until then a scale that arrives with a
 * regional centre's file is provisional for that region only (`provisional_scale`) and judges only its rows. The
 * view `applicable_scale` gives the scale that applies to an assessment in a region (confirmed, else provisional).
 */
export type ScaleStatus = 'CONFIRMED' | 'PROVISIONAL';

/** The parts of a scale the hub keeps, in either place. */
export interface ScaleValues {
  maxPrimary: number | null;
  /** Minimum primary score for «3», «4», «5». */
  markBoundaries: number[] | null;
  minimumTestScore: number | null;
  testScale?: number[] | null;
  tasks: readonly { number: string; level?: string; maxPoints: number }[];
}

/** SQL: whether assessment row `alias` has a confirmed scale (the test of the view `applicable_scale`, of hasScaleValues). */
export const hasConfirmedScaleSql = (alias: string): string =>
  `(${alias}.max_primary is not null or ${alias}.mark_boundaries is not null or ${alias}.tasks <> '[]'::jsonb)`;

/**
 * The mark boundaries («3», «4», «5») of the scale that judges a school's rows in an assessment: `applicable_scale`
 * for the school's region (confirmed, else the region's provisional scale); null while it has none.
 */
export async function applicableMarkBoundaries(em: EntityManager, assessmentId: number, schoolId: number): Promise<number[] | null> {
  const rows: { mark_boundaries: number[] | null }[] = await em
    .getConnection()
    .execute(
      `select sc.mark_boundaries from applicable_scale sc join school s on s.region_id = sc.region_id where sc.assessment_id = ? and s.id = ?`,
      [assessmentId, schoolId],
      'all',
    );
  return rows[0]?.mark_boundaries ?? null;
}

/** Whether scale values say anything (an assessment just created has none). */
export function hasScaleValues(scale: ScaleValues): boolean {
  return scale.maxPrimary !== null || scale.markBoundaries !== null || scale.tasks.length > 0;
}

/**
 * The region whose provisional scales a principal's imports read and write: its own for keys bound to a region;
 * none for administrators, whose imports work under confirmed scales only and confirm the scale they bring.
 */
export function provisionalRegionOf(principal: Principal): number | null {
  return ownRegionId(principal);
}

/** The confirmed scale of an assessment as the API shows it; null while it has none. */
export function scaleOf(assessment: Assessment): AssessmentScale | null {
  if (assessment.maxPrimary == null) return null;
  return {
    maxPrimary: assessment.maxPrimary,
    markBoundaries: (assessment.markBoundaries ?? []).map((minPrimary, index) => ({ mark: index + 3, minPrimary })),
    minimumTestScore: assessment.minimumTestScore,
    testScale: assessment.testScale,
    tasks: assessment.tasks,
    confirmed: true,
    confirmedAt: assessment.scaleConfirmedAt ?? null,
  };
}

/** A row of `provisional_scale`. */
export interface ProvisionalScaleRow {
  assessment_id: number;
  region_id: number;
  max_primary: number;
  mark_boundaries: number[] | null;
  minimum_test_score: number | null;
  test_scale: number[] | null;
  tasks: AssessmentTask[];
  import_batch_id: number | null;
  created_by: string;
  created_at: Date;
}

/** A region's provisional scale as the API shows it. */
export function provisionalScaleOf(row: ProvisionalScaleRow): AssessmentScale {
  return {
    maxPrimary: row.max_primary,
    markBoundaries: (row.mark_boundaries ?? []).map((minPrimary, index) => ({ mark: index + 3, minPrimary })),
    minimumTestScore: row.minimum_test_score,
    testScale: row.test_scale,
    tasks: row.tasks,
    confirmed: false,
    confirmedAt: null,
  };
}

/** Tasks as a file header would print them: «1 (1б), 2 (2б)». */
export function describeTasks(tasks: readonly { number: string; maxPoints: number | null }[]): string {
  return tasks.map((task) => `${task.number} (${task.maxPoints ?? '?'}б)`).join(', ');
}

/** A scale in words for operators: «максимум 9, границы 3/5/8, 5 заданий: 1 (1б), …». */
export function describeScale(scale: ScaleValues): string {
  const parts = [`максимум ${scale.maxPrimary ?? 'не задан'}`];
  if (scale.markBoundaries) parts.push(`границы «3»/«4»/«5»: ${scale.markBoundaries.join('/')}`);
  if (scale.minimumTestScore !== null) parts.push(`минимальный балл ЕГЭ ${scale.minimumTestScore}`);
  parts.push(scale.tasks.length > 0 ? `заданий ${scale.tasks.length}: ${describeTasks(scale.tasks)}` : 'задания не заданы');
  return parts.join(', ');
}

/** What differs between a file's scale and the hub's, part by part («максимум: в файле 2, в хабе 9; …»); empty when equal. */
export function scaleDifferences(file: ScaleValues, hub: ScaleValues): string[] {
  const differences: string[] = [];
  const show = (value: unknown) => (value === null || value === undefined ? 'не задан' : Array.isArray(value) ? value.join('/') : String(value));
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (!same(file.maxPrimary, hub.maxPrimary)) differences.push(`максимум: в файле ${show(file.maxPrimary)}, в хабе ${show(hub.maxPrimary)}`);
  if (!same(file.markBoundaries, hub.markBoundaries)) {
    differences.push(`границы «3»/«4»/«5»: в файле ${show(file.markBoundaries)}, в хабе ${show(hub.markBoundaries)}`);
  }
  if (!same(file.minimumTestScore, hub.minimumTestScore)) {
    differences.push(`минимальный балл ЕГЭ: в файле ${show(file.minimumTestScore)}, в хабе ${show(hub.minimumTestScore)}`);
  }
  const tasks = (scale: ScaleValues) => scale.tasks.map((task) => [task.number, task.level ?? null, task.maxPoints]);
  if (!same(tasks(file), tasks(hub))) {
    const list = (scale: ScaleValues) => (scale.tasks.length > 0 ? `${scale.tasks.length} (${describeTasks(scale.tasks)})` : 'не заданы');
    differences.push(`задания: в файле ${list(file)}, в хабе ${list(hub)}`);
  }
  return differences;
}
