/**
 * Assessment scales template → the scale of each assessment (maximum, mark boundaries, ЕГЭ minimum, tasks).
 * Scope: the assessment. An administrator's file sets the confirmed, national scale (the import is the
 * confirmation) and replaces the regions' provisional ones; a regional centre's file gives its own region a
 * provisional scale where none applies yet (src/assessments/scale.ts). A file that disagrees with the scale that
 * applies is refused with the difference, unless an administrator sends it; a new maximum below scores already
 * held (by the region, for a provisional scale) is refused. Results of the changed assessments are recomputed
 * (marks and % of maximum depend on the scale).
 */
import { provisionalRegionOf, scaleDifferences, type ScaleValues } from '../../../assessments/scale';
import type { AssessmentScaleRecord } from '../../parsing';
import { arrayLiteral } from '../../../shared/sql';
import { aggregatesThenRisk } from '../../../jobs/recompute-chain';
import { StagedLoader, type StageColumn } from '../staging';
import { UNDO_TARGETS } from '../../undo/undo-log';
import type { LoadContext, MergeOutcome } from './target';

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

interface ScaleChangeRow {
  source_row: number;
  status: 'CONFIRMED' | 'PROVISIONAL';
  [column: string]: unknown;
}

/** The scale columns of a row, read with a prefix ('' for the file's, 'hub_' for the hub's). */
const valuesOf = (row: ScaleChangeRow, prefix: string): ScaleValues => ({
  maxPrimary: row[`${prefix}max_primary`] as number | null,
  markBoundaries: row[`${prefix}mark_boundaries`] as number[] | null,
  minimumTestScore: row[`${prefix}minimum_test_score`] as number | null,
  tasks: (row[`${prefix}tasks`] as ScaleValues['tasks'] | null) ?? [],
});

export class AssessmentScalesLoader extends StagedLoader<AssessmentScaleRecord> {
  /** The region a regional centre's scales are provisional for; null for an administrator's (confirmed) ones. */
  private readonly regionId: number | null;

  constructor(ctx: LoadContext) {
    super(ctx, 'scales', COLUMNS);
    this.regionId = provisionalRegionOf(ctx.principal);
  }

  async validate(): Promise<void> {
    const { trx, issues } = this.ctx;
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
    const region = this.regionId;
    const { rows: tooLow } = await trx.raw(
      // One pass over each year's partition, grouped by assessment: participant rows are keyed by school first.
      `with top as (
         select pr.year, pr.assessment_id, max(pr.primary_score) as score from participant_result pr
         where (pr.year, pr.assessment_id) in (select year, assessment_id from ${stage} where assessment_id is not null)
           ${region === null ? '' : 'and pr.school_id in (select id from school where region_id = ?)'}
         group by pr.year, pr.assessment_id)
       select s.source_row, s.max_primary, top.score from ${stage} s join top on top.year = s.year and top.assessment_id = s.assessment_id
       where top.score > s.max_primary order by s.source_row`,
      region === null ? [] : [region],
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
    if (region !== null) {
      // The scale that applies to the region: a file may repeat it, only an administrator changes it.
      const { rows: changes } = await trx.raw(
        `select s.source_row, sc.status, s.max_primary, nullif(s.mark_boundaries, '{}') as mark_boundaries, s.minimum_test_score, s.tasks,
                sc.max_primary as hub_max_primary, sc.mark_boundaries as hub_mark_boundaries, sc.minimum_test_score as hub_minimum_test_score, sc.tasks as hub_tasks
         from ${stage} s join applicable_scale sc on sc.assessment_id = s.assessment_id and sc.region_id = ?
         where sc.status is not null
           and (sc.max_primary, sc.mark_boundaries, sc.minimum_test_score, sc.tasks)
               is distinct from (s.max_primary, nullif(s.mark_boundaries, '{}'), s.minimum_test_score, s.tasks)
         order by s.source_row`,
        [region],
      );
      for (const row of changes as ScaleChangeRow[]) {
        const difference = scaleDifferences(valuesOf(row, ''), valuesOf(row, 'hub_')).join('; ');
        issues.error({
          row: row.source_row,
          column: HEADER,
          value: null,
          code: 'SCALE_CHANGE_FORBIDDEN',
          reasonRu:
            row.status === 'CONFIRMED'
              ? `шкала этой процедуры подтверждена и общая для всех регионов, файл с ней не совпадает (${difference}); изменить её может администратор хаба`
              : `у вашего региона уже есть предварительная шкала этой процедуры, файл с ней не совпадает (${difference}); верную шкалу подтверждает администратор хаба`,
        });
      }
    }
  }

  async merge(): Promise<MergeOutcome> {
    await this.stageTable.exclude(this.ctx.issues.excludedRows());
    return this.regionId === null ? this.mergeConfirmed() : this.mergeProvisional(this.regionId);
  }

  private async mergeConfirmed(): Promise<MergeOutcome> {
    const { trx, principal } = this.ctx;
    const stage = this.stageTable.name;
    await this.stageTable.addColumn('had_scale', 'boolean');
    await this.ctx.undo.keep(UNDO_TARGETS.assessment, `select assessment_id as id from ${stage} where assessment_id is not null`);
    await this.ctx.undo.keep(UNDO_TARGETS.provisionalScale, `select assessment_id, region_id from provisional_scale where assessment_id in (select assessment_id from ${stage})`);
    await trx.raw(`update ${stage} s set had_scale = a.max_primary is not null from assessment a where a.id = s.assessment_id`);
    const { rows } = await trx.raw(
      `update assessment a set max_primary = s.max_primary, mark_boundaries = nullif(s.mark_boundaries, '{}'),
         minimum_test_score = s.minimum_test_score, tasks = s.tasks, scale_confirmed_at = now(), scale_confirmed_by = ?
       from ${stage} s where a.id = s.assessment_id
       returning a.id, a.year, s.had_scale`,
      [principal.actor],
    );
    const changed = rows as { id: number; year: number; had_scale: boolean }[];
    const assessmentIds = changed.map((row) => row.id);
    // The confirmed scale judges every region from now on: the provisional ones have nothing left to judge.
    await trx.raw(`delete from provisional_scale where assessment_id = any(?::int[])`, [arrayLiteral(assessmentIds)]);
    const replaced = changed.filter((row) => row.had_scale).length;
    return this.outcome(changed, changed.length - replaced, replaced, null);
  }

  private async mergeProvisional(regionId: number): Promise<MergeOutcome> {
    const { trx, principal, batchId } = this.ctx;
    const stage = this.stageTable.name;
    // Rows equal to the scale that already applies were let through by validate(): nothing to write for them.
    await this.ctx.undo.keep(
      UNDO_TARGETS.provisionalScale,
      `select s.assessment_id, ${Number(regionId)} as region_id from ${stage} s join applicable_scale sc on sc.assessment_id = s.assessment_id and sc.region_id = ${Number(regionId)}
       where sc.status is null`,
    );
    const { rows } = await trx.raw(
      `with added as (
         insert into provisional_scale (assessment_id, region_id, max_primary, mark_boundaries, minimum_test_score, tasks, import_batch_id, created_by)
         select s.assessment_id, ?, s.max_primary, nullif(s.mark_boundaries, '{}'), s.minimum_test_score, s.tasks, ?, ?
         from ${stage} s join applicable_scale sc on sc.assessment_id = s.assessment_id and sc.region_id = ?
         where sc.status is null
         on conflict (assessment_id, region_id) do nothing
         returning assessment_id)
       select a.id, a.year from added join assessment a on a.id = added.assessment_id`,
      [regionId, batchId, principal.actor, regionId],
    );
    const added = rows as { id: number; year: number }[];
    const { rows: staged } = await trx.raw(`select count(*)::int as n from ${stage} where assessment_id is not null`);
    return this.outcome(added, added.length, staged[0].n - added.length, regionId);
  }

  /** Results of the changed assessments (of the region's schools, for a provisional scale) are recomputed. */
  private async outcome(changed: { id: number; year: number }[], inserted: number, replaced: number, regionId: number | null): Promise<MergeOutcome> {
    const assessmentIds = changed.map((row) => row.id);
    const years = [...new Set(changed.map((row) => row.year))];
    const inRegion = regionId === null ? '' : 'and school_id in (select id from school where region_id = ?)';
    const { rows: schools } = await this.ctx.trx.raw(
      `select school_id from school_result where assessment_id = any(?::int[]) ${inRegion}
       union select distinct school_id from participant_result where assessment_id = any(?::int[]) and year = any(?::int[]) ${inRegion}`,
      regionId === null
        ? [arrayLiteral(assessmentIds), arrayLiteral(assessmentIds), arrayLiteral(years)]
        : [arrayLiteral(assessmentIds), regionId, arrayLiteral(assessmentIds), arrayLiteral(years), regionId],
    );
    const schoolIds = (schools as { school_id: number }[]).map((row) => row.school_id);
    return {
      inserted,
      replaced,
      affected: { schoolIds, assessmentIds, years },
      recompute: aggregatesThenRisk(schoolIds, years, `import ${this.ctx.batchId}`),
      notesRu:
        regionId !== null && inserted > 0
          ? [`Шкалы (${inserted}) сохранены как предварительные для вашего региона: они действуют только для его строк, пока администратор хаба не подтвердит шкалу процедуры.`]
          : [],
    };
  }
}
