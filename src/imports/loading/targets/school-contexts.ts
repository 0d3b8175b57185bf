/**
 * Contextual data template → school_context. Scope: school × year; the row replaces the school's context of
 * that year as a whole. Type and locality left empty keep the school's own; ОВЗ shares arrive in % and are
 * stored as a fraction; columns the template does not define are kept as the region's own attributes.
 */
import type { SchoolContextRecord } from '../../parsing';
import { columnHeader } from '../column-names';
import { riskOnly } from '../../../jobs/recompute-chain';
import { schoolHintColumns, StagedLoader, type StageColumn } from '../staging';
import { UNDO_TARGETS } from '../../undo/undo-log';
import type { LoadContext, MergeOutcome } from './target';

const COLUMNS: StageColumn<SchoolContextRecord>[] = [
  { name: 'school_code', type: 'text', value: (r) => r.schoolCode },
  ...schoolHintColumns<SchoolContextRecord>(),
  { name: 'year', type: 'smallint', value: (r) => r.year },
  { name: 'school_type', type: 'school_type', value: (r) => r.schoolType },
  { name: 'urban', type: 'boolean', value: (r) => r.urban },
  { name: 'enrolment', type: 'integer', value: (r) => r.enrolment },
  { name: 'classes', type: 'integer', value: (r) => r.classes },
  { name: 'small_school', type: 'boolean', value: (r) => r.smallSchool },
  { name: 'in_depth_study', type: 'boolean', value: (r) => r.inDepthStudy },
  { name: 'share_disabled_percent', type: 'double precision', value: (r) => r.shareDisabled },
  { name: 'teachers', type: 'integer', value: (r) => r.teachers },
  { name: 'vacancies', type: 'integer', value: (r) => r.vacancies },
  { name: 'has_psychologist', type: 'boolean', value: (r) => r.hasPsychologist },
  { name: 'has_defectologist', type: 'boolean', value: (r) => r.hasDefectologist },
  { name: 'has_social_pedagogue', type: 'boolean', value: (r) => r.hasSocialPedagogue },
  { name: 'head_tenure_years', type: 'double precision', value: (r) => r.headTenureYears },
  { name: 'social_index', type: 'double precision', value: (r) => r.socialIndex },
  { name: 'attributes', type: 'jsonb', value: (r) => r.extraAttributes },
];

const UPSERT = (stage: string) => `
insert into school_context as c (school_id, year, type, urban, enrolment, classes, small_school, in_depth_study, share_disabled,
  teachers, vacancies, has_psychologist, has_defectologist, has_social_pedagogue, head_tenure_years, social_index, attributes)
select s.school_id, s.year, coalesce(s.school_type, sch.type), coalesce(s.urban, sch.urban), s.enrolment, s.classes,
  coalesce(s.small_school, false), coalesce(s.in_depth_study, false), s.share_disabled_percent / 100.0,
  s.teachers, s.vacancies, s.has_psychologist, s.has_defectologist, s.has_social_pedagogue, s.head_tenure_years, s.social_index, s.attributes
from ${stage} s join school sch on sch.id = s.school_id
on conflict (school_id, year) do update set
  type = excluded.type, urban = excluded.urban, enrolment = excluded.enrolment, classes = excluded.classes,
  small_school = excluded.small_school, in_depth_study = excluded.in_depth_study, share_disabled = excluded.share_disabled,
  teachers = excluded.teachers, vacancies = excluded.vacancies, has_psychologist = excluded.has_psychologist,
  has_defectologist = excluded.has_defectologist, has_social_pedagogue = excluded.has_social_pedagogue,
  head_tenure_years = excluded.head_tenure_years, social_index = excluded.social_index, attributes = excluded.attributes
returning (xmax = 0) as inserted`;

export class SchoolContextsLoader extends StagedLoader<SchoolContextRecord> {

  constructor(ctx: LoadContext) {
    super(ctx, 'contexts', COLUMNS);
  }

  async validate(): Promise<void> {
    await this.stageTable.resolveSchools('school_code');
    const duplicates = await this.stageTable.duplicates<{ code: string; year: number }>('school_id, year', 'school_code as code, year', 'school_id is not null');
    for (const row of duplicates) {
      this.ctx.issues.error({
        row: row.source_row,
        column: columnHeader(this.ctx.layout, this.ctx.mapping, 'schoolCode'),
        value: row.code,
        code: 'DUPLICATE_ROW',
        reasonRu: `данные этой ОО за ${row.year} год уже есть в строке ${row.first_row} (под другим кодом)`,
      });
    }
  }

  async merge(): Promise<MergeOutcome> {
    await this.stageTable.exclude(this.ctx.issues.excludedRows());
    await this.ctx.undo.keep(UNDO_TARGETS.schoolContext, `select school_id, year from ${this.stageTable.name}`);
    const { rows } = await this.ctx.trx.raw(UPSERT(this.stageTable.name));
    const { rows: scope } = await this.ctx.trx.raw(`select distinct school_id, year from ${this.stageTable.name}`);
    const inserted = (rows as { inserted: boolean }[]).filter((row) => row.inserted).length;
    const schoolIds = [...new Set((scope as { school_id: number }[]).map((row) => row.school_id))];
    const years = [...new Set((scope as { year: number }[]).map((row) => row.year))];
    return {
      inserted,
      replaced: rows.length - inserted,
      affected: { schoolIds, assessmentIds: [], years },
      recompute: riskOnly(schoolIds, null, years, `import ${this.ctx.batchId}`),
      notesRu: [],
    };
  }
}
