/**
 * Conduct conditions template → conduct_conditions. Scope: school × year × procedure: the file's rows replace
 * every row the school has for that year and procedure (so a corrected file may turn per-subject rows into one
 * general row, or the reverse, without leaving the old ones behind).
 */
import type { ConductConditionsRecord } from '../../parsing';
import { columnHeader } from '../column-names';
import { riskOnly } from '../../../jobs/recompute-chain';
import { schoolHintColumns, StagedLoader, type StageColumn } from '../staging';
import { UNDO_TARGETS } from '../../undo/undo-log';
import type { LoadContext, MergeOutcome } from './target';

const COLUMNS: StageColumn<ConductConditionsRecord>[] = [
  { name: 'school_code', type: 'text', value: (r) => r.schoolCode },
  ...schoolHintColumns<ConductConditionsRecord>(),
  { name: 'year', type: 'smallint', value: (r) => r.year },
  { name: 'procedure', type: 'procedure', value: (r) => r.procedure },
  { name: 'subject_name', type: 'text', value: (r) => r.subjectName },
  { name: 'grade', type: 'smallint', value: (r) => r.grade },
  { name: 'observers', type: 'observer_presence', value: (r) => r.observers },
  { name: 'video_at_conduct', type: 'boolean', value: (r) => r.videoAtConduct },
  { name: 'video_at_checking', type: 'boolean', value: (r) => r.videoAtChecking },
  { name: 'collegial_checking', type: 'boolean', value: (r) => r.collegialChecking },
  { name: 'federal_control_sample', type: 'boolean', value: (r) => r.federalControlSample },
];

export class ConductConditionsLoader extends StagedLoader<ConductConditionsRecord> {

  constructor(ctx: LoadContext) {
    super(ctx, 'conduct', COLUMNS);
  }

  async validate(): Promise<void> {
    await this.stageTable.resolveSchools('school_code');
    await this.stageTable.resolveSubjects('subject_name', true);
    const duplicates = await this.stageTable.duplicates<{ code: string }>(
      'school_id, year, procedure, coalesce(subject_id, 0), coalesce(grade, 0)',
      'school_code as code',
      'school_id is not null',
    );
    for (const row of duplicates) {
      this.ctx.issues.error({
        row: row.source_row,
        column: columnHeader(this.ctx.layout, this.ctx.mapping, 'schoolCode'),
        value: row.code,
        code: 'DUPLICATE_ROW',
        reasonRu: `условия этой ОО для той же процедуры, года, предмета и класса уже есть в строке ${row.first_row} (под другим кодом)`,
      });
    }
  }

  async merge(): Promise<MergeOutcome> {
    const { trx } = this.ctx;
    const stage = this.stageTable.name;
    await this.stageTable.exclude(this.ctx.issues.excludedRows());
    await this.ctx.undo.keep(UNDO_TARGETS.conductConditions, `select school_id, year, procedure from ${stage}`);
    const removed = await trx.raw(
      `delete from conduct_conditions c using (select distinct school_id, year, procedure from ${stage}) sc
       where c.school_id = sc.school_id and c.year = sc.year and c.procedure = sc.procedure`,
    );
    const added = await trx.raw(
      `insert into conduct_conditions (school_id, year, procedure, subject_id, grade, observers, video_at_conduct, video_at_checking, collegial_checking, federal_control_sample)
       select school_id, year, procedure, subject_id, grade, observers, video_at_conduct, video_at_checking, collegial_checking, federal_control_sample from ${stage}`,
    );
    const { rows: scope } = await trx.raw(`select distinct school_id, year from ${stage}`);
    const schoolIds = [...new Set((scope as { school_id: number }[]).map((row) => row.school_id))];
    const years = [...new Set((scope as { year: number }[]).map((row) => row.year))];
    return {
      inserted: added.rowCount ?? 0,
      replaced: removed.rowCount ?? 0,
      affected: { schoolIds, assessmentIds: [], years },
      recompute: riskOnly(schoolIds, null, years, `import ${this.ctx.batchId}`),
      notesRu: [],
    };
  }
}
