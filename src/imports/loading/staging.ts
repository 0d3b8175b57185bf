/**
 * Staging for the smaller record kinds (aggregates, templates): a temporary table with one typed column per
 * record field, filled by COPY, then resolved and checked in SQL (school codes, subjects, assessments) before
 * the merge. Temporary and ON COMMIT DROP: it disappears with the transaction, whatever happens.
 */
import type { Knex } from '@mikro-orm/postgresql';
import { provisionalRegionOf } from '../../assessments/scale';
import type { ImportRecord, ProcedureCode, SchoolHints } from '../parsing';
import { keepUnknownCodes, type UnknownCode } from '../matching/school-candidates';
import { columnHeader, type LoaderField } from './column-names';
import { arrayLiteral } from '../../shared/sql';
import { CopyWriter, copyValue, type CopyValue } from './copy-writer';
import { AssessmentResolver, defaultSession } from './resolve/assessments';
import { SchoolCodeResolver, schoolProblem } from './resolve/school-codes';
import { SubjectResolver, unknownSubjectReason } from './resolve/subjects';
import type { LoadContext, MergeOutcome, TargetLoader } from './targets/target';

export interface StageColumn<R> {
  name: string;
  /** SQL type of the staging column. */
  type: string;
  value(record: R): CopyValue;
}

/**
 * What the row says of its school besides the code (name, ИНН, ОГРН, address; null where its layout has none). A
 * stage that resolves school codes carries these, so resolveSchools keeps each unknown code with them and the
 * batch offers candidate schools, whichever target it is.
 */
export function schoolHintColumns<R extends ImportRecord & { schoolName: string | null } & Partial<SchoolHints>>(): StageColumn<R>[] {
  return [
    { name: 'school_name', type: 'text', value: (r) => r.schoolName },
    { name: 'inn', type: 'text', value: (r) => r.inn ?? null },
    { name: 'ogrn', type: 'text', value: (r) => r.ogrn ?? null },
    { name: 'address', type: 'text', value: (r) => r.address ?? null },
  ];
}

const HINT_COLUMNS = ['school_name', 'inn', 'ogrn', 'address'] as const;

/**
 * A target whose rows go through a StageTable: it creates and fills the stage; the target itself says how the staged
 * rows are checked (validate) and what they replace (merge). Only participant rows, which rebuild a year partition,
 * stage their own way.
 */
export abstract class StagedLoader<R extends ImportRecord> implements TargetLoader {
  protected readonly stageTable: StageTable<R>;

  constructor(
    protected readonly ctx: LoadContext,
    kind: string,
    columns: readonly StageColumn<R>[],
  ) {
    this.stageTable = new StageTable<R>(ctx, kind, columns);
  }

  prepare(): Promise<void> {
    return this.stageTable.create();
  }

  stage(batches: AsyncIterable<ImportRecord[]>, onRows: (rows: number) => void): Promise<void> {
    return this.stageTable.copy(batches, onRows);
  }

  abstract validate(): Promise<void>;

  abstract merge(): Promise<MergeOutcome>;

  async afterCommit(): Promise<void> {}
}

export class StageTable<R extends ImportRecord> {
  readonly name: string;
  /** The staged column of the file's subject names (resolveSubjects). */
  private subjectColumn = 'subject_name';

  constructor(
    private readonly ctx: LoadContext,
    kind: string,
    private readonly columns: readonly StageColumn<R>[],
  ) {
    this.name = `import_${kind}_${ctx.batchId}`;
  }

  async create(): Promise<void> {
    const definitions = this.columns.map((column) => `${column.name} ${column.type}`);
    await this.ctx.trx.raw(`create temp table ${this.name} (source_row integer not null, ${definitions.join(', ')}) on commit drop`);
  }

  async copy(batches: AsyncIterable<ImportRecord[]>, onRows: (rows: number) => void): Promise<void> {
    const writer = new CopyWriter(this.ctx.client, this.name, ['source_row', ...this.columns.map((column) => column.name)]);
    for await (const batch of batches) {
      let lines = '';
      for (const record of batch as R[]) {
        lines += `${record.sourceRow}\t${this.columns.map((column) => copyValue(column.value(record))).join('\t')}\n`;
      }
      await writer.write(lines, batch.length);
      onRows(writer.rows);
    }
    await writer.pause();
  }

  /** Rows matching a condition (SQL over the stage), for reporting. */
  async rows<T>(select: string, where: string, bindings: Knex.RawBinding[] = []): Promise<T[]> {
    const { rows } = await this.ctx.trx.raw(`select source_row, ${select} from ${this.name} where ${where} order by source_row`, bindings);
    return rows;
  }

  /**
   * Rows repeating an earlier row's key after resolution (two codes of one school, two spellings of a subject):
   * the parser compares the file's text, this compares what the text resolved to.
   */
  async duplicates<T>(partitionBy: string, select: string, where: string): Promise<(T & { source_row: number; first_row: number })[]> {
    const { rows } = await this.ctx.trx.raw(
      `select source_row, first_row, ${select} from (
         select *, min(source_row) over (partition by ${partitionBy}) as first_row from ${this.name} where ${where}) t
       where source_row <> first_row order by source_row`,
    );
    return rows;
  }

  /** Removes rows that must not be merged (errors, warnings). */
  async exclude(rows: readonly number[]): Promise<void> {
    if (rows.length > 0) await this.ctx.trx.raw(`delete from ${this.name} where source_row = any(?::int[])`, [arrayLiteral(rows)]);
  }

  async addColumn(name: string, type: string): Promise<void> {
    await this.ctx.trx.raw(`alter table ${this.name} add column ${name} ${type}`);
  }

  /**
   * Adds `school_id` from `codeColumn` through any alias in the importer's scope; rows whose code matches no
   * school, or several, are reported.
   */
  async resolveSchools(codeColumn: string, field: LoaderField = 'schoolCode'): Promise<void> {
    await this.addColumn('school_id', 'integer');
    const { rows } = await this.ctx.trx.raw(`select distinct ${codeColumn} as code from ${this.name} where ${codeColumn} is not null`);
    const codes = (rows as { code: string }[]).map((row) => row.code);
    const resolver = new SchoolCodeResolver(this.ctx.trx, this.ctx.principal);
    await resolver.resolve(codes);
    const found: [string, number][] = [];
    for (const code of codes) {
      const match = resolver.match(code);
      if (match.kind === 'found') found.push([code, match.schoolId]);
    }
    await this.assign('school_id', codeColumn, found, 'int');
    const header = columnHeader(this.ctx.layout, this.ctx.mapping, field);
    for (const row of await this.rows<{ source_row: number; code: string }>(`${codeColumn} as code`, `school_id is null and ${codeColumn} is not null`)) {
      const match = resolver.match(row.code);
      if (match.kind !== 'found') this.ctx.issues.error(schoolProblem(match, row.source_row, header, row.code));
    }
    await this.keepUnknownSchools(codeColumn, codes.filter((code) => resolver.match(code).kind === 'unknown'));
  }

  /**
   * Codes that matched no school, with what the rows say of the school (the least value given) and their rows (up to a
   * thousand, as for participant rows): the batch offers the
   * region's schools they may mean (unknownSchoolCodes). Kept outside the transaction, so a rejected file keeps them.
   */
  private async keepUnknownSchools(codeColumn: string, unknownCodes: readonly string[]): Promise<void> {
    const hints = HINT_COLUMNS.map((name) => (this.columns.some((column) => column.name === name) ? `min(${name})` : 'null') + ` as ${name}`);
    const { rows } = await this.ctx.trx.raw(
      `select ${codeColumn} as code, ${hints.join(', ')}, (array_agg(source_row order by source_row))[1:1000] as rows
       from ${this.name} where ${codeColumn} = any(?::text[]) group by ${codeColumn} order by min(source_row)`,
      [arrayLiteral(unknownCodes)],
    );
    type Row = { code: string; school_name: string | null; inn: string | null; ogrn: string | null; address: string | null; rows: number[] };
    const unknown = (rows as Row[]).map((row): UnknownCode => ({ code: row.code, schoolName: row.school_name, inn: row.inn, ogrn: row.ogrn, address: row.address, rows: row.rows }));
    await keepUnknownCodes(this.ctx.knex, this.ctx.principal, this.ctx.batchId, unknown);
  }

  /** Adds `subject_id` from `nameColumn` (null names stay null when `optional`); unknown subjects are reported. */
  async resolveSubjects(nameColumn: string, optional = false): Promise<void> {
    this.subjectColumn = nameColumn;
    await this.addColumn('subject_id', 'integer');
    const { rows } = await this.ctx.trx.raw(`select distinct ${nameColumn} as name from ${this.name} where ${nameColumn} is not null`);
    const subjects = new SubjectResolver(this.ctx.trx);
    const found: [string, number][] = [];
    for (const { name } of rows as { name: string }[]) {
      const id = await subjects.idFor(name);
      if (id !== null) found.push([name, id]);
    }
    await this.assign('subject_id', nameColumn, found, 'int');
    const header = columnHeader(this.ctx.layout, this.ctx.mapping, 'subjectName');
    const missing = optional ? `subject_id is null and ${nameColumn} is not null` : 'subject_id is null';
    for (const row of await this.rows<{ source_row: number; name: string | null }>(`${nameColumn} as name`, missing)) {
      this.ctx.issues.error({ row: row.source_row, column: header, value: row.name, code: 'SUBJECT_UNKNOWN', reasonRu: unknownSubjectReason(row.name ?? '') });
    }
  }

  /**
   * Adds `assessment_id` from procedure, year, subject_id and grade (and the upload's session). Needs
   * resolveSubjects() first. `create`: assessments the hub does not have yet are created (a scales file brings them).
   * `requireScale`: data that means something only against a scale (reference values, re-checks, aggregates, school
   * results) is
   * held — each row refused with what to load first — while its assessment has no scale that applies
   * (AssessmentResolver.scaled); nothing is created.
   */
  async resolveAssessments(mode: 'create' | 'requireScale' = 'create'): Promise<void> {
    await this.addColumn('assessment_id', 'integer');
    const { rows } = await this.ctx.trx.raw(
      `select distinct procedure, year, subject_id, grade, (select name from subject where id = subject_id) as subject_name
       from ${this.name} where subject_id is not null and procedure is not null and grade is not null`,
    );
    const resolver = new AssessmentResolver(this.ctx.trx, provisionalRegionOf(this.ctx.principal), this.ctx.undo);
    for (const key of rows as { procedure: ProcedureCode; year: number; subject_id: number; grade: number; subject_name: string }[]) {
      const session = this.ctx.session ?? defaultSession(key.procedure);
      const assessmentKey = { procedure: key.procedure, year: key.year, session, subjectId: key.subject_id, grade: key.grade };
      const keyBindings = [key.procedure, key.year, key.subject_id, key.grade];
      if (mode === 'requireScale') {
        const scaled = await resolver.scaled(assessmentKey, key.subject_name);
        if ('reasonRu' in scaled) {
          await this.reportMissingScale(keyBindings, scaled.reasonRu);
          continue;
        }
      }
      const assessment = await resolver.ensure(assessmentKey);
      await this.ctx.trx.raw(`update ${this.name} set assessment_id = ? where procedure = ? and year = ? and subject_id = ? and grade = ?`, [assessment.id, ...keyBindings]);
    }
  }

  /** SCALE_MISSING on every row of one assessment key, in the subject's column with the file's spelling of it. */
  private async reportMissingScale(keyBindings: Knex.RawBinding[], reasonRu: string): Promise<void> {
    const column = columnHeader(this.ctx.layout, this.ctx.mapping, 'subjectName');
    const { rows } = await this.ctx.trx.raw(
      `select source_row, ${this.subjectColumn} as subject from ${this.name} where procedure = ? and year = ? and subject_id = ? and grade = ? order by source_row`,
      keyBindings,
    );
    for (const row of rows as { source_row: number; subject: string }[]) this.ctx.issues.error({ row: row.source_row, column, value: row.subject, code: 'SCALE_MISSING', reasonRu });
  }

  /** Rows left after exclusions, for counting. */
  async count(): Promise<number> {
    const { rows } = await this.ctx.trx.raw(`select count(*)::int as n from ${this.name}`);
    return rows[0].n;
  }

  private async assign(target: string, keyColumn: string, pairs: [string, number][], type: 'int'): Promise<void> {
    if (pairs.length === 0) return;
    await this.ctx.trx.raw(`update ${this.name} s set ${target} = m.value from unnest(?::text[], ?::${type}[]) as m(key, value) where s.${keyColumn} = m.key`, [
      arrayLiteral(pairs.map(([key]) => key)),
      arrayLiteral(pairs.map(([, value]) => value)),
    ]);
  }
}
