/**
 * Per-school aggregates of ФИС ОКО (shares of marks; primary-score distributions) → school_result with source
 * IMPORTED. Scope: school × assessment, and only the columns the layout carries (a marks file sets the mark
 * counts, a distribution file the histogram), so the two files of one procedure complete each other.
 * Where the hub has participant rows for the school and assessment, the aggregate is left out with a warning:
 * the results computed from participants are the more detailed truth.
 */
import type { SchoolMarksRecord, SchoolScoreDistributionRecord } from '../../parsing';
import { columnHeader } from '../column-names';
import { aggregatesThenRisk } from '../../../jobs/recompute-chain';
import { schoolHintColumns, StagedLoader, type StageColumn } from '../staging';
import { UNDO_TARGETS } from '../../undo/undo-log';
import type { LoadContext, MergeOutcome } from './target';

type AggregateRecord = SchoolMarksRecord | SchoolScoreDistributionRecord;

const KEY_COLUMNS: StageColumn<AggregateRecord>[] = [
  { name: 'school_code', type: 'text', value: (r) => r.schoolCode },
  ...schoolHintColumns<AggregateRecord>(),
  { name: 'procedure', type: 'procedure', value: (r) => r.procedure },
  { name: 'year', type: 'smallint', value: (r) => r.year },
  { name: 'subject_name', type: 'text', value: (r) => r.subjectName },
  { name: 'grade', type: 'smallint', value: (r) => r.grade },
  { name: 'participants', type: 'integer', value: (r) => r.participants },
];

const MARK_COLUMNS: StageColumn<AggregateRecord>[] = [2, 3, 4, 5].map((mark) => ({
  name: `count${mark}`,
  type: 'integer',
  value: (r) => (r as SchoolMarksRecord)[`count${mark}` as 'count2'],
}));

const HISTOGRAM_COLUMN: StageColumn<AggregateRecord> = { name: 'histogram', type: 'integer[]', value: (r) => (r as SchoolScoreDistributionRecord).scoreCounts };

const UPSERT_MARKS = (stage: string) => `
insert into school_result as sr (school_id, assessment_id, year, participants, count2, count3, count4, count5, below_minimum, source, updated_at)
select s.school_id, s.assessment_id, s.year, s.participants, s.count2, s.count3, s.count4, s.count5,
  case when a.procedure in ('OGE', 'GVE') then s.count2 end, 'IMPORTED', now()
from ${stage} s join assessment a on a.id = s.assessment_id
on conflict (school_id, assessment_id) do update set
  year = excluded.year, participants = excluded.participants, count2 = excluded.count2, count3 = excluded.count3,
  count4 = excluded.count4, count5 = excluded.count5, below_minimum = excluded.below_minimum, source = 'IMPORTED', updated_at = now()
returning (xmax = 0) as inserted`;

/**
 * Scores beyond the scale's maximum (all zero, checked in validate) are dropped from the stored histogram. The
 * scale is the one that applies in the school's region (confirmed, else the region's provisional one).
 */
const UPSERT_DISTRIBUTION = (stage: string) => `
insert into school_result as sr (school_id, assessment_id, year, participants, histogram, mean_primary, mean_percent, source, updated_at)
select s.school_id, s.assessment_id, s.year, s.participants, h.histogram, h.mean, 100 * h.mean / nullif(a.max_primary, 0), 'IMPORTED', now()
from ${stage} s join school sch on sch.id = s.school_id
join applicable_scale a on a.assessment_id = s.assessment_id and a.region_id = sch.region_id
cross join lateral (
  select array_agg(n order by i) filter (where a.max_primary is null or i - 1 <= a.max_primary) as histogram,
         sum(n * (i - 1))::float8 / nullif(sum(n), 0) as mean
  from unnest(s.histogram) with ordinality as t(n, i)) h
on conflict (school_id, assessment_id) do update set
  year = excluded.year, participants = excluded.participants, histogram = excluded.histogram,
  mean_primary = excluded.mean_primary, mean_percent = excluded.mean_percent, source = 'IMPORTED', updated_at = now()
returning (xmax = 0) as inserted`;

export class SchoolAggregatesLoader extends StagedLoader<AggregateRecord> {
  private readonly distribution: boolean;

  constructor(ctx: LoadContext) {
    const distribution = ctx.metadata.recordKind === 'school-score-distribution';
    super(ctx, 'aggregates', [...KEY_COLUMNS, ...(distribution ? [HISTOGRAM_COLUMN] : MARK_COLUMNS)]);
    this.distribution = distribution;
  }

  async validate(): Promise<void> {
    const stage = this.stageTable;
    const { issues, layout, mapping } = this.ctx;
    await stage.resolveSchools('school_code');
    await stage.resolveSubjects('subject_name');
    // Marks and distributions are read against the scale (maximum, boundaries): held while none applies.
    await stage.resolveAssessments('requireScale');
    const schoolHeader = columnHeader(layout, mapping, 'schoolCode');
    const duplicates = await stage.duplicates<{ code: string }>('school_id, assessment_id', 'school_code as code', 'school_id is not null and assessment_id is not null');
    for (const row of duplicates) {
      issues.error({
        row: row.source_row,
        column: schoolHeader,
        value: row.code,
        code: 'DUPLICATE_ROW',
        reasonRu: `эта ОО по этой процедуре уже есть в строке ${row.first_row} (под другим кодом)`,
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
        reasonRu: 'в хабе есть индивидуальные результаты участников этой ОО по этой процедуре — результаты ОО считаются по ним, строка агрегатов пропущена',
      });
    }
    if (this.distribution) {
      for (const row of await this.scoresBeyondScale()) {
        issues.error({
          row: row.source_row,
          column: columnHeader(layout, mapping, 'primaryScore'),
          value: String(row.top),
          code: 'SCORE_ABOVE_MAX',
          reasonRu: `в распределении есть участники с баллом ${row.top}, а максимальный первичный балл по шкале процедуры — ${row.max_primary}`,
        });
      }
    }
  }

  async merge(): Promise<MergeOutcome> {
    await this.stageTable.exclude(this.ctx.issues.excludedRows());
    const { rows: scope } = await this.ctx.trx.raw(`select distinct school_id, assessment_id, year from ${this.stageTable.name}`);
    await this.ctx.undo.keep(UNDO_TARGETS.schoolResult, `select school_id, assessment_id from ${this.stageTable.name}`);
    const upsert = this.distribution ? UPSERT_DISTRIBUTION(this.stageTable.name) : UPSERT_MARKS(this.stageTable.name);
    const { rows } = await this.ctx.trx.raw(upsert);
    const inserted = (rows as { inserted: boolean }[]).filter((row) => row.inserted).length;
    const schoolIds = [...new Set((scope as { school_id: number }[]).map((row) => row.school_id))];
    const years = [...new Set((scope as { year: number }[]).map((row) => row.year))];
    return {
      inserted,
      replaced: rows.length - inserted,
      affected: { schoolIds, assessmentIds: [...new Set((scope as { assessment_id: number }[]).map((row) => row.assessment_id))], years },
      // The aggregates job recomputes region and municipality reference values from school results, imported ones included.
      recompute: aggregatesThenRisk(schoolIds, years, `import ${this.ctx.batchId}`),
      notesRu: [],
    };
  }

  private async scoresBeyondScale(): Promise<{ source_row: number; top: number; max_primary: number }[]> {
    const { rows } = await this.ctx.trx.raw(
      `select s.source_row, t.top, a.max_primary
       from ${this.stageTable.name} s join school sch on sch.id = s.school_id
       join applicable_scale a on a.assessment_id = s.assessment_id and a.region_id = sch.region_id
       cross join lateral (select max(i - 1)::int as top from unnest(s.histogram) with ordinality as h(n, i) where n > 0) t
       where a.max_primary is not null and t.top > a.max_primary order by s.source_row`,
    );
    return rows;
  }
}
