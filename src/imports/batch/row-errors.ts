/**
 * Row errors of a batch: written as the import finds them (in chunks, outside the import's transaction, so
 * they survive a rejected or failed import), paged for GraphQL and streamed for the CSV download.
 * Every issue is masked on its way in (see PersonalDataMask): whoever found it, no personal value is stored.
 */
import type { Knex } from '@mikro-orm/postgresql';
import type { ImportIssue } from '../parsing';
import { PersonalDataMask } from '../parsing/personal-data';

export type Severity = 'ERROR' | 'WARNING';

export interface RowErrorRow {
  id: string;
  batch_id: number;
  severity: Severity;
  file: string;
  sheet: string | null;
  row_number: number | null;
  column_header: string | null;
  cell: string | null;
  value: string | null;
  code: string;
  message_ru: string;
}

/** Rows per INSERT: ten bindings each, well below PostgreSQL's limit of 65,535 per statement. */
const ROWS_PER_INSERT = 1000;

/** Row errors a batch stores unless the settings say otherwise (MAX_STORED_ROW_ERRORS). */
const DEFAULT_MAX_STORED_ROW_ERRORS = 10_000;

/**
 * Collects issues synchronously (the parser reports them from its hot loop) and writes them on flush().
 * At most `maxStored` are stored: a file with an error in every row is understood from its first thousands,
 * and a 487 KB workbook must not leave 150,000 rows behind. The rest are counted, and the report says so.
 */
export class RowErrorSink {
  private pending: { issue: ImportIssue; severity: Severity }[] = [];
  private mask = new PersonalDataMask();
  errors = 0;
  warnings = 0;
  /** Issues kept for storing (written or pending). */
  stored = 0;

  constructor(
    private readonly knex: Knex,
    private readonly batchId: number,
    private readonly maxStored = DEFAULT_MAX_STORED_ROW_ERRORS,
  ) {}

  /** What the report says when some issues were counted but not stored. */
  notesRu(): string[] {
    const total = this.errors + this.warnings;
    return total > this.stored ? [`Сохранены первые ${this.stored} из ${total} ошибок и предупреждений по строкам; остальные только посчитаны — исправьте найденные и загрузите файл снова.`] : [];
  }

  /** Once the file is open: its personal columns (the parse summary's) widen what is hidden. */
  maskPersonalData(personalHeaders: readonly string[]): void {
    this.mask = new PersonalDataMask(personalHeaders);
  }

  /** The issue as it may be shown and stored. */
  shown(issue: ImportIssue): ImportIssue {
    return this.mask.issue(issue);
  }

  add(issue: ImportIssue, severity: Severity = 'ERROR'): void {
    if (this.stored < this.maxStored) {
      this.pending.push({ issue: this.shown(issue), severity });
      this.stored++;
    }
    if (severity === 'ERROR') this.errors++;
    else this.warnings++;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const chunk = this.pending.splice(0, ROWS_PER_INSERT);
      await this.knex('import_row_error').insert(
        chunk.map(({ issue, severity }) => ({
          batch_id: this.batchId,
          severity,
          file: issue.file,
          sheet: issue.sheet,
          row_number: issue.row,
          column_header: issue.column,
          cell: issue.cell,
          value: issue.value,
          code: issue.code,
          message_ru: issue.messageRu,
        })),
      );
    }
  }
}

export class RowErrorStore {
  constructor(private readonly knex: Knex) {}

  /** Removes the row errors of batches finished longer ago than the retention; the batches and their totals stay. */
  async expire(retentionMs: number): Promise<number> {
    const { rowCount } = await this.knex.raw(
      `delete from import_row_error e using import_batch b where e.batch_id = b.id and b.finished_at < now() - make_interval(secs => ?)`,
      [retentionMs / 1000],
    );
    return rowCount ?? 0;
  }

  async deleteForBatch(batchId: number): Promise<void> {
    await this.knex.raw(`delete from import_row_error where batch_id = ?`, [batchId]);
  }

  async page(batchId: number, options: { first: number; afterId: number | null; severity: Severity | null }): Promise<RowErrorRow[]> {
    const { where, bindings } = this.where(batchId, options.severity);
    const after = options.afterId === null ? '' : ' and id > ?';
    const { rows } = await this.knex.raw(`select * from import_row_error where ${where}${after} order by id limit ?`, [
      ...bindings,
      ...(options.afterId === null ? [] : [options.afterId]),
      options.first + 1,
    ]);
    return rows;
  }

  async count(batchId: number, severity: Severity | null): Promise<number> {
    const { where, bindings } = this.where(batchId, severity);
    const { rows } = await this.knex.raw(`select count(*)::int as n from import_row_error where ${where}`, bindings);
    return rows[0].n;
  }

  /** Every error of the batch in order, a page at a time, so a million errors never sit in memory at once. */
  async *all(batchId: number, pageSize = 5000): AsyncGenerator<RowErrorRow[]> {
    let afterId: number | null = null;
    for (;;) {
      const rows: RowErrorRow[] = await this.page(batchId, { first: pageSize, afterId, severity: null });
      const page = rows.slice(0, pageSize);
      if (page.length > 0) yield page;
      if (rows.length <= pageSize) return;
      afterId = Number(page[page.length - 1].id);
    }
  }

  private where(batchId: number, severity: Severity | null): { where: string; bindings: Knex.RawBinding[] } {
    return severity === null ? { where: 'batch_id = ?', bindings: [batchId] } : { where: 'batch_id = ? and severity = ?', bindings: [batchId, severity] };
  }
}
