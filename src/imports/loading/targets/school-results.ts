/**
 * `school-results` → school_result (rows with a subject: school × assessment, source IMPORTED) and school_exam_total
 * (rows without one: school × year × procedure). Meaning of the stored figures (migration
 * Migration20261214000100_school_results): participants; count2…count5 (marks; shares turned into counts); mean_primary
 * and mean_percent (of the scale that applies in the school's region, when it has one); mean_test_score; below_minimum
 * (given, else «2» of ОГЭ / ГВЭ); count_test_80 (ЕГЭ ≥ 80, 100 included), count_test_100; school_exam_total.count_sum3_220.
 *
 * Scope: the school × assessment (resp. school × year × procedure) of each row; an imported row's figures are replaced
 * whole — a figure the file leaves empty becomes null — while the histogram and task completion of a distribution file
 * stay. Where the hub has participant rows for the school and assessment, the row is left out with a warning: results
 * computed from participants are the more detailed truth (as for aggregate-marks). Like every target read against a
 * scale, rows whose assessment has no scale that applies are held with SCALE_MISSING (AssessmentResolver.scaled) and
 * nothing is created; a school's total over a procedure (no subject) needs none.
 */
import type { SchoolResultRecord } from '../../parsing';
import { columnHeader } from '../column-names';
import { aggregatesThenRisk } from '../../../jobs/recompute-chain';
import { schoolHintColumns, StagedLoader, type StageColumn } from '../staging';
import { UNDO_TARGETS } from '../../undo/undo-log';
import type { LoadContext, MergeOutcome } from './target';

const COLUMNS: StageColumn<SchoolResultRecord>[] = [
  { name: 'school_code', type: 'text', value: (r) => r.schoolCode },
  ...schoolHintColumns<SchoolResultRecord>(),
  { name: 'procedure', type: 'procedure', value: (r) => r.procedure },
  { name: 'year', type: 'smallint', value: (r) => r.year },
  { name: 'subject_name', type: 'text', value: (r) => r.subjectName },
  { name: 'grade', type: 'smallint', value: (r) => r.grade },
  { name: 'participants', type: 'integer', value: (r) => r.participants },
  { name: 'mean_primary', type: 'double precision', value: (r) => r.meanPrimary },
  { name: 'mean_test_score', type: 'double precision', value: (r) => r.meanTestScore },
  { name: 'count2', type: 'integer', value: (r) => r.count2 },
  { name: 'count3', type: 'integer', value: (r) => r.count3 },
  { name: 'count4', type: 'integer', value: (r) => r.count4 },
  { name: 'count5', type: 'integer', value: (r) => r.count5 },
  { name: 'below_minimum', type: 'integer', value: (r) => r.belowMinimum },
  { name: 'count_test_80', type: 'integer', value: (r) => r.countTest80 },
  { name: 'count_test_100', type: 'integer', value: (r) => r.countTest100 },
  { name: 'count_sum3_220', type: 'integer', value: (r) => r.countSum3_220 },
];

const UPSERT_RESULTS = (stage: string) => `
insert into school_result as sr (school_id, assessment_id, year, participants, count2, count3, count4, count5, mean_primary, mean_percent,
  mean_test_score, below_minimum, count_test_80, count_test_100, source, updated_at)
select s.school_id, s.assessment_id, s.year, s.participants, s.count2, s.count3, s.count4, s.count5, s.mean_primary,
  100 * s.mean_primary / nullif(sc.max_primary, 0), s.mean_test_score,
  coalesce(s.below_minimum, case when a.procedure in ('OGE', 'GVE') then s.count2 end), s.count_test_80, s.count_test_100, 'IMPORTED', now()
from ${stage} s join assessment a on a.id = s.assessment_id join school sch on sch.id = s.school_id
left join applicable_scale sc on sc.assessment_id = s.assessment_id and sc.region_id = sch.region_id
where s.assessment_id is not null
on conflict (school_id, assessment_id) do update set
  year = excluded.year, participants = excluded.participants, count2 = excluded.count2, count3 = excluded.count3, count4 = excluded.count4,
  count5 = excluded.count5, mean_primary = excluded.mean_primary, mean_percent = excluded.mean_percent, mean_test_score = excluded.mean_test_score,
  below_minimum = excluded.below_minimum, count_test_80 = excluded.count_test_80, count_test_100 = excluded.count_test_100,
  source = 'IMPORTED', updated_at = now()
returning (xmax = 0) as inserted`;

const UPSERT_TOTALS = (stage: string) => `
insert into school_exam_total as t (school_id, year, procedure, participants, count_sum3_220, source, updated_at)
select s.school_id, s.year, s.procedure, s.participants, s.count_sum3_220, 'IMPORTED', now()
from ${stage} s where s.subject_name is null
on conflict (school_id, year, procedure) do update set
  participants = excluded.participants, count_sum3_220 = excluded.count_sum3_220, source = 'IMPORTED', updated_at = now()
returning (xmax = 0) as inserted`;

export class SchoolResultsLoader extends StagedLoader<SchoolResultRecord> {
  constructor(ctx: LoadContext) {
    super(ctx, 'school_results', COLUMNS);
  }

  async validate(): Promise<void> {
    const stage = this.stageTable;
    const { issues, layout, mapping } = this.ctx;
    await stage.resolveSchools('school_code');
    await stage.resolveSubjects('subject_name', true);
    // Shares of marks, mean primary scores and thresholds mean something only against a scale: rows of an assessment
    // without one are held (SCALE_MISSING) and no assessment is created. Rows without a subject need none.
    await stage.resolveAssessments('requireScale');
    const schoolHeader = columnHeader(layout, mapping, 'schoolCode');
    const duplicates = [
      ...(await stage.duplicates<{ code: string }>('school_id, assessment_id', 'school_code as code', 'school_id is not null and assessment_id is not null')),
      ...(await stage.duplicates<{ code: string }>('school_id, year, procedure', 'school_code as code', 'school_id is not null and subject_name is null')),
    ];
    for (const row of duplicates) {
      issues.error({
        row: row.source_row,
        column: schoolHeader,
        value: row.code,
        code: 'DUPLICATE_ROW',
        reasonRu: `эта ОО по этой процедуре за этот год уже есть в строке ${row.first_row} (под другим кодом)`,
      });
    }
    const superseded = await stage.rows<{ source_row: number; code: string }>(
      'school_code as code',
      `school_id is not null and assessment_id is not null and exists (
         select 1 from participant_result pr where pr.year = ${stage.name}.year and pr.school_id = ${stage.name}.school_id and pr.assessment_id = ${stage.name}.assessment_id)`,
    );
    for (const row of superseded) {
      issues.warning({
        row: row.source_row,
        column: schoolHeader,
        value: row.code,
        code: 'SUPERSEDED_BY_PARTICIPANT_RESULTS',
        reasonRu: 'в хабе есть индивидуальные результаты участников этой ОО по этой процедуре — результаты ОО считаются по ним, строка пропущена',
      });
    }
    const { rows: beyond } = await this.ctx.trx.raw(
      `select s.source_row, s.mean_primary, sc.max_primary from ${stage.name} s join school sch on sch.id = s.school_id
       join applicable_scale sc on sc.assessment_id = s.assessment_id and sc.region_id = sch.region_id
       where sc.max_primary is not null and s.mean_primary > sc.max_primary order by s.source_row`,
    );
    for (const row of beyond as { source_row: number; mean_primary: number; max_primary: number }[]) {
      issues.error({
        row: row.source_row,
        column: columnHeader(layout, mapping, 'primaryScore'),
        value: String(row.mean_primary).replace('.', ','),
        code: 'SCORE_ABOVE_MAX',
        reasonRu: `средний первичный балл больше максимального по шкале процедуры (${row.max_primary})`,
      });
    }
  }

  async merge(): Promise<MergeOutcome> {
    const { trx, undo, batchId } = this.ctx;
    const stage = this.stageTable.name;
    await this.stageTable.exclude(this.ctx.issues.excludedRows());
    await undo.keep(UNDO_TARGETS.schoolResult, `select school_id, assessment_id from ${stage} where assessment_id is not null`);
    await undo.keep(UNDO_TARGETS.schoolExamTotal, `select school_id, year, procedure from ${stage} where subject_name is null`);
    const results = (await trx.raw(UPSERT_RESULTS(stage))).rows as { inserted: boolean }[];
    const totals = (await trx.raw(UPSERT_TOTALS(stage))).rows as { inserted: boolean }[];
    const written = [...results, ...totals];
    const inserted = written.filter((row) => row.inserted).length;
    const { rows: scope } = await trx.raw(`select distinct school_id, assessment_id, year from ${stage}`);
    const list = scope as { school_id: number; assessment_id: number | null; year: number }[];
    const schoolIds = [...new Set(list.map((row) => row.school_id))];
    const years = [...new Set(list.map((row) => row.year))];
    const notesRu = totals.length > 0 ? [`Итоги ОО по процедуре (строки без предмета): ${totals.length}.`] : [];
    return {
      inserted,
      replaced: written.length - inserted,
      affected: { schoolIds, assessmentIds: [...new Set(list.map((row) => row.assessment_id).filter((id): id is number => id !== null))], years },
      // Region and municipality reference values are recomputed from school results, imported ones included.
      recompute: aggregatesThenRisk(schoolIds, years, `import ${batchId}`),
      notesRu,
    };
  }
}
