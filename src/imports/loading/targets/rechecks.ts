/**
 * Re-check template → recheck_result. Scope: school × assessment: the file's re-checked works replace every
 * re-check the school has for that assessment. Scores are checked against the scale that applies in the school's
 * region (confirmed, else the region's provisional one).
 */
import type { RecheckRecord } from '../../parsing';
import { columnHeader } from '../column-names';
import { riskOnly } from '../../../jobs/recompute-chain';
import { schoolHintColumns, StagedLoader, type StageColumn } from '../staging';
import { UNDO_TARGETS } from '../../undo/undo-log';
import type { LoadContext, MergeOutcome } from './target';

const COLUMNS: StageColumn<RecheckRecord>[] = [
  { name: 'school_code', type: 'text', value: (r) => r.schoolCode },
  ...schoolHintColumns<RecheckRecord>(),
  { name: 'procedure', type: 'procedure', value: (r) => r.procedure },
  { name: 'year', type: 'smallint', value: (r) => r.year },
  { name: 'subject_name', type: 'text', value: (r) => r.subjectName },
  { name: 'grade', type: 'smallint', value: (r) => r.grade },
  { name: 'participant_code', type: 'text', value: (r) => r.participantCode },
  { name: 'original_score', type: 'smallint', value: (r) => r.originalScore },
  { name: 'recheck_score', type: 'smallint', value: (r) => r.recheckScore },
  { name: 'original_mark', type: 'smallint', value: (r) => r.originalMark },
  { name: 'recheck_mark', type: 'smallint', value: (r) => r.recheckMark },
  { name: 'commission', type: 'recheck_commission', value: (r) => r.commission },
];

export class RechecksLoader extends StagedLoader<RecheckRecord> {

  constructor(ctx: LoadContext) {
    super(ctx, 'rechecks', COLUMNS);
  }

  async validate(): Promise<void> {
    const { issues, layout, mapping } = this.ctx;
    await this.stageTable.resolveSchools('school_code');
    await this.stageTable.resolveSubjects('subject_name');
    await this.stageTable.resolveAssessments('requireScale');
    const duplicates = await this.stageTable.duplicates<{ code: string }>(
      'assessment_id, school_id, participant_code, commission',
      'participant_code as code',
      'school_id is not null and assessment_id is not null',
    );
    for (const row of duplicates) {
      issues.error({
        row: row.source_row,
        column: columnHeader(layout, mapping, 'participantCode'),
        value: row.code,
        code: 'DUPLICATE_PARTICIPANT',
        reasonRu: `перепроверка работы участника «${row.code}» этой комиссией уже есть в строке ${row.first_row} (ОО указана другим кодом)`,
      });
    }
    const { rows } = await this.ctx.trx.raw(
      `select s.source_row, greatest(s.original_score, s.recheck_score) as score, a.max_primary
       from ${this.stageTable.name} s join school sch on sch.id = s.school_id
       join applicable_scale a on a.assessment_id = s.assessment_id and a.region_id = sch.region_id
       where a.max_primary is not null and greatest(s.original_score, s.recheck_score) > a.max_primary order by s.source_row`,
    );
    for (const row of rows as { source_row: number; score: number; max_primary: number }[]) {
      issues.error({
        row: row.source_row,
        column: columnHeader(layout, mapping, 'primaryScore'),
        value: String(row.score),
        code: 'SCORE_ABOVE_MAX',
        reasonRu: `балл «${row.score}» больше максимального (${row.max_primary}) по шкале процедуры`,
      });
    }
  }

  async merge(): Promise<MergeOutcome> {
    const { trx } = this.ctx;
    const stage = this.stageTable.name;
    await this.stageTable.exclude(this.ctx.issues.excludedRows());
    await this.ctx.undo.keep(UNDO_TARGETS.recheckResult, `select school_id, assessment_id from ${stage}`);
    const removed = await trx.raw(
      `delete from recheck_result r using (select distinct school_id, assessment_id from ${stage}) sc
       where r.school_id = sc.school_id and r.assessment_id = sc.assessment_id`,
    );
    const added = await trx.raw(
      `insert into recheck_result (school_id, assessment_id, participant_code, original_score, recheck_score, original_mark, recheck_mark, commission)
       select school_id, assessment_id, participant_code, original_score, recheck_score, original_mark, recheck_mark, commission from ${stage}`,
    );
    const { rows: scope } = await trx.raw(`select distinct school_id, assessment_id, year from ${stage}`);
    const schoolIds = [...new Set((scope as { school_id: number }[]).map((row) => row.school_id))];
    const years = [...new Set((scope as { year: number }[]).map((row) => row.year))];
    return {
      inserted: added.rowCount ?? 0,
      replaced: removed.rowCount ?? 0,
      affected: { schoolIds, assessmentIds: [...new Set((scope as { assessment_id: number }[]).map((row) => row.assessment_id))], years },
      recompute: riskOnly(schoolIds, null, years, `import ${this.ctx.batchId}`),
      notesRu: [],
    };
  }
}
