/**
 * Assessment scales template → the scale columns of assessment (maximum, mark boundaries, ЕГЭ minimum, tasks).
 * Scope: the assessment. A scale is national, shared by every region: a regional centre may give a scale the
 * hub does not have yet, while changing an existing one is for administrators. A new maximum below scores the
 * hub already holds is refused. Results of the changed assessments are recomputed (marks and % of maximum
 * depend on the scale).
 */
import { Role } from '../../../auth/role';
import type { AssessmentScaleRecord, ImportRecord } from '../../parsing';
import { arrayLiteral } from '../copy-writer';
import { aggregatesThenRisk } from '../recompute-requests';
import { StageTable, type StageColumn } from '../staging';
import type { LoadContext, MergeOutcome, TargetLoader } from './target';

const COLUMNS: StageColumn<AssessmentScaleRecord>[] = [
  { name: 'procedure', type: 'procedure', value: (r) => r.procedure },
  { name: 'year', type: 'smallint', value: (r) => r.year },
  { name: 'subject_name', type: 'text', value: (r) => r.subjectName },
  { name: 'grade', type: 'smallint', value: (r) => r.grade },
  { name: 'max_primary', type: 'smallint', value: (r) => r.maxPrimary },
  { name: 'mark_boundaries', type: 'integer[]', value: (r) => r.markBoundaries },
  { name: 'minimum_test_score', type: 'smallint', value: (r) => r.minimumTestScore },
  { name: 'task_numbers', type: 'text[]', value: (r) => r.taskNumbers },
  { name: 'task_levels', type: 'text[]', value: (r) => r.taskLevels },
  { name: 'task_max_points', type: 'integer[]', value: (r) => r.taskMaxPoints },
];

const HEADER = 'Максимальный первичный балл';

export class AssessmentScalesLoader implements TargetLoader {
  private readonly stageTable: StageTable<AssessmentScaleRecord>;

  constructor(private readonly ctx: LoadContext) {
    this.stageTable = new StageTable<AssessmentScaleRecord>(ctx, 'scales', COLUMNS);
  }

  prepare(): Promise<void> {
    return this.stageTable.create();
  }

  stage(batches: AsyncIterable<ImportRecord[]>, onRows: (rows: number) => void): Promise<void> {
    return this.stageTable.copy(batches, onRows);
  }

  async validate(): Promise<void> {
    const { trx, issues, principal } = this.ctx;
    const stage = this.stageTable.name;
    await this.stageTable.resolveSubjects('subject_name');
    await this.stageTable.resolveAssessments();
    await this.stageTable.addColumn('tasks', 'jsonb');
    await trx.raw(
      `update ${stage} s set tasks = (
         select coalesce(jsonb_agg(jsonb_build_object('number', t.n, 'level', t.l, 'maxPoints', t.m) order by t.i), '[]'::jsonb)
         from unnest(s.task_numbers, s.task_levels, s.task_max_points) with ordinality as t(n, l, m, i))`,
    );
    for (const row of await this.stageTable.duplicates<{ subject_name: string }>('assessment_id', 'subject_name', 'assessment_id is not null')) {
      issues.error({ row: row.source_row, column: 'Предмет', value: row.subject_name, code: 'DUPLICATE_ROW', reasonRu: `шкала этой процедуры уже есть в строке ${row.first_row}` });
    }
    const { rows: tooLow } = await trx.raw(
      `select s.source_row, s.max_primary, top.score from ${stage} s
       cross join lateral (select max(pr.primary_score) as score from participant_result pr where pr.year = s.year and pr.assessment_id = s.assessment_id) top
       where s.assessment_id is not null and top.score > s.max_primary order by s.source_row`,
    );
    for (const row of tooLow as { source_row: number; max_primary: number; score: number }[]) {
      issues.error({
        row: row.source_row,
        column: HEADER,
        value: String(row.max_primary),
        code: 'SCALE_CONFLICTS_WITH_RESULTS',
        reasonRu: `в хабе уже есть результаты этой процедуры с первичным баллом ${row.score} — больше нового максимума ${row.max_primary}`,
      });
    }
    if (principal.role !== Role.ADMIN) {
      const { rows: changes } = await trx.raw(
        `select s.source_row, a.max_primary from ${stage} s join assessment a on a.id = s.assessment_id
         where a.max_primary is not null
           and (a.max_primary, a.mark_boundaries, a.minimum_test_score, a.tasks)
               is distinct from (s.max_primary, nullif(s.mark_boundaries, '{}'), s.minimum_test_score, s.tasks)
         order by s.source_row`,
      );
      for (const row of changes as { source_row: number; max_primary: number }[]) {
        issues.error({
          row: row.source_row,
          column: HEADER,
          value: null,
          code: 'SCALE_CHANGE_FORBIDDEN',
          reasonRu: `шкала этой процедуры в хабе уже задана (максимум ${row.max_primary}); она общая для всех регионов, изменить её может администратор хаба`,
        });
      }
    }
  }

  async merge(): Promise<MergeOutcome> {
    const { trx } = this.ctx;
    const stage = this.stageTable.name;
    await this.stageTable.exclude(this.ctx.issues.excludedRows());
    await this.stageTable.addColumn('had_scale', 'boolean');
    await trx.raw(`update ${stage} s set had_scale = a.max_primary is not null from assessment a where a.id = s.assessment_id`);
    const { rows } = await trx.raw(
      `update assessment a set max_primary = s.max_primary, mark_boundaries = nullif(s.mark_boundaries, '{}'),
         minimum_test_score = s.minimum_test_score, tasks = s.tasks
       from ${stage} s where a.id = s.assessment_id
       returning a.id, a.year, s.had_scale`,
    );
    const changed = rows as { id: number; year: number; had_scale: boolean }[];
    const assessmentIds = changed.map((row) => row.id);
    const years = [...new Set(changed.map((row) => row.year))];
    const { rows: schools } = await trx.raw(
      `select school_id from school_result where assessment_id = any(?::int[])
       union select distinct school_id from participant_result where assessment_id = any(?::int[]) and year = any(?::int[])`,
      [arrayLiteral(assessmentIds), arrayLiteral(assessmentIds), arrayLiteral(years)],
    );
    const schoolIds = (schools as { school_id: number }[]).map((row) => row.school_id);
    const replaced = changed.filter((row) => row.had_scale).length;
    return {
      inserted: changed.length - replaced,
      replaced,
      affected: { schoolIds, assessmentIds, years },
      recompute: aggregatesThenRisk(schoolIds, years, `import ${this.ctx.batchId}`),
      notesRu: [],
    };
  }

  async afterCommit(): Promise<void> {}
}
