/**
 * The entry point: a file (path or stream) → detected layout, file metadata, and a single-pass async
 * stream of normalized records, with row issues collected alongside (capped) and a summary.
 *
 * File-level problems throw `ImportFileError`: from `parseImportFile` when they show in the first rows
 * (empty file, unknown layout, missing columns, encoding, broken XLSX), from the record stream when they
 * show later (bytes invalid in the encoding halfway down, too many rows, an unclosed quote at the end).
 */
import { ABSENT, absenceNoteRu } from './absence';
import { performance } from 'node:perf_hooks';
import iconv from 'iconv-lite';
import { chooseLayout } from './detect-layout';
import { FieldReader } from './fields';
import type { InputFormat } from './input';
import { fileIssue, IssueLog, type ImportIssue, type IssueCode } from './issues';
import type { BoundLayout, ImportMetadata } from './layouts/layout';
import {
  DEFAULT_LIMITS,
  defaultYearRange,
  type CsvSeparator,
  type LayoutName,
  type ParseImportOptions,
  type ParseLimits,
} from './options';
import { cellText } from './cell-values';
import { LineRow } from './csv-line-row';
import { createParticipantAnonymiser } from './personal-data';
import { cellAddress, columnLetters, isBlankRow, type CellValue, type RawRow } from './raw-row';
import { openRawRows, type RawRowSource } from './raw-rows';
import type { ImportRecord } from './records';
import { reasons, RowIssues } from './row-issues';

interface ParseSummary {
  fileName: string;
  format: InputFormat;
  /** CSV: the encoding read ('utf-8' also for pure ASCII); null for XLSX. */
  encoding: string | null;
  separator: CsvSeparator | null;
  /** XLSX: the worksheet read, and the others that were not. */
  sheet: string | null;
  otherSheets: string[];
  layout: LayoutName;
  /** 0–1; for an explicit layout, how well its detector agreed. */
  layoutConfidence: number;
  layoutRanking: { name: LayoutName; confidence: number }[];
  headerRow: number;
  /** Non-blank rows below the header. */
  dataRows: number;
  blankRows: number;
  records: number;
  rejectedRows: number;
  /** Rows of participants who did not sit the work («отсутствовал», «н/я», all results empty…): neither records nor errors. */
  absentRows: number;
  issues: { total: number; kept: number; dropped: number; byCode: Partial<Record<IssueCode, number>> };
  /** Columns with personal data that were dropped (headers only, never their content). */
  personalColumnsDropped: { count: number; headers: string[] };
  /** File-level notices for the import report, in Russian: the personal columns dropped, what a mapping could not read. */
  notesRu: string[];
  /** True once the record stream was read to its end. */
  complete: boolean;
  elapsedMs: number;
}

export interface ParsedImport {
  readonly layout: LayoutName;
  readonly metadata: ImportMetadata;
  /** Records in file order. Single pass: read either `records` or `batches`, once. */
  readonly records: AsyncIterable<ImportRecord>;
  /** The same stream in batches (one per chunk read), for writers that COPY in bulk. */
  readonly batches: AsyncIterable<ImportRecord[]>;
  /** Row issues kept so far (at most `limits.maxIssues`); all of them once the records are read. */
  readonly errors: readonly ImportIssue[];
  /** Header texts by column index, as in the file's header row. */
  readonly headers: readonly string[];
  /** A snapshot of the counters; final when `complete` is true. */
  readonly summary: ParseSummary;
  /** Releases the file (and a spooled copy) when the records will not be read to the end. */
  close(): Promise<void>;
}

/** Hands out non-blank rows one at a time during detection, keeping what it pulled for later. */
class RowCursor {
  private buffer: RawRow[] = [];
  private index = 0;
  done = false;
  blankRows = 0;

  constructor(private readonly source: AsyncIterator<RawRow[]>) {}

  async nextNonBlank(): Promise<RawRow | null> {
    for (;;) {
      while (this.index < this.buffer.length) {
        const row = this.buffer[this.index++];
        if (!isBlankRow(row)) return row;
        this.blankRows++;
      }
      if (this.done) return null;
      const next = await this.source.next();
      if (next.done) {
        this.done = true;
        return null;
      }
      this.buffer = next.value;
      this.index = 0;
    }
  }

  /** Rows pulled from the source and not handed out yet. */
  takeBuffered(): RawRow[] {
    const rest = this.buffer.slice(this.index);
    this.buffer = [];
    this.index = 0;
    return rest;
  }
}

const SEPARATORS: readonly string[] = [';', ',', '\t'];

/** Problems of the call itself (a bug in the caller) are TypeErrors; the uploader's choices are file issues. */
function checkOptions(options: ParseImportOptions): void {
  if (typeof options.fileName !== 'string' || options.fileName === '') throw new TypeError('parseImportFile: fileName is required');
  if ((options.path === undefined) === (options.stream === undefined)) throw new TypeError('parseImportFile: pass exactly one of path and stream');
  if (options.separator !== undefined && !SEPARATORS.includes(options.separator)) {
    throw fileIssue(options.fileName, 'INVALID_OPTIONS', 'Разделитель может быть только «;», «,» или табуляцией.', { value: String(options.separator) });
  }
  if (options.encoding !== undefined && !iconv.encodingExists(options.encoding)) {
    throw fileIssue(options.fileName, 'INVALID_OPTIONS', `Кодировка «${options.encoding}» не поддерживается. Укажите, например, utf-8 или windows-1251.`, {
      value: options.encoding,
    });
  }
  if (options.allowedYears !== undefined && options.allowedYears.min > options.allowedYears.max) {
    throw new TypeError('parseImportFile: allowedYears.min is greater than allowedYears.max');
  }
}

export async function parseImportFile(options: ParseImportOptions): Promise<ParsedImport> {
  const started = performance.now();
  checkOptions(options);
  const anonymise = createParticipantAnonymiser(options.secret);
  const limits: ParseLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const log = new IssueLog(limits.maxIssues, options.onIssue);
  const issues = new RowIssues(log, options.fileName);
  const fields = new FieldReader(issues, options.allowedYears ?? defaultYearRange(), anonymise);

  const source = await openRawRows(options);
  try {
    const cursor = new RowCursor(source.batches);
    const head: RawRow[] = [];
    while (head.length < limits.headRows) {
      const row = await cursor.nextNonBlank();
      if (row === null) break;
      head.push(row);
    }
    if (head.length === 0) throw fileIssue(options.fileName, 'EMPTY_FILE', 'Файл пустой: в нём нет ни одной заполненной строки.', { sheet: source.sheet() });

    const choice = chooseLayout(head, options.fileName, options.layout, options.mapping !== undefined);
    const bound = choice.layout.bind(head, {
      fileName: options.fileName,
      constants: options.constants ?? {},
      scale: options.scale ?? null,
      mapping: options.mapping ?? null,
      years: fields.years,
      anonymise,
      issues,
      fields,
    });
    issues.maskPersonalData(bound.personalColumns);
    if (bound.readsLines && options.lineRows !== false) source.emitLines();

    const pending = head.filter((row) => row.rowNumber > bound.metadata.headerRow);
    if (pending.length === 0) {
      const next = await cursor.nextNonBlank();
      if (next === null) {
        throw fileIssue(options.fileName, 'HEADER_ONLY', `В файле есть строка заголовка (строка ${bound.metadata.headerRow}), но нет ни одной строки с данными.`, {
          sheet: source.sheet(),
          row: bound.metadata.headerRow,
        });
      }
      pending.push(next);
    }
    pending.push(...cursor.takeBuffered());

    return new ParsedImportStream({
      options,
      limits,
      log,
      issues,
      fields,
      bound,
      source,
      pending,
      blankRowsBefore: cursor.blankRows,
      unheaded: UnheadedColumns.under(head.find((row) => row.rowNumber === bound.metadata.headerRow)),
      layout: choice.layout.name,
      confidence: choice.confidence,
      ranking: choice.ranking,
      started,
    });
  } catch (error) {
    await source.close();
    throw error;
  }
}

function personalColumnsNote(bound: BoundLayout): string[] {
  if (bound.personalColumns.length === 0) return [];
  const list = bound.personalColumns.map((header) => `«${header}»`).join(', ');
  const hashed = bound.metadata.anonymisedFrom === null ? '' : ' Код участника — обезличенный хеш, по которому их не восстановить.';
  return [`Столбцы с персональными данными не загружены и нигде не сохранены: ${list}.${hashed}`];
}

function hashedCodesNote(count: number): string[] {
  if (count === 0) return [];
  return [`Строк, где код участника не похож на код (буквы, цифры и «-_/.» без пробелов), например там ФИО: ${count}. Такие коды заменены обезличенным хешем, сами значения не сохранены.`];
}

interface StreamParts {
  options: ParseImportOptions;
  limits: ParseLimits;
  log: IssueLog;
  issues: RowIssues;
  fields: FieldReader;
  bound: BoundLayout;
  source: RawRowSource;
  pending: RawRow[];
  blankRowsBefore: number;
  /** null when the header is not a row of the file (nothing to compare the rows with). */
  unheaded: UnheadedColumns | null;
  layout: LayoutName;
  confidence: number;
  ranking: { name: LayoutName; confidence: number }[];
  started: number;
}

function hasValue(value: CellValue | undefined): boolean {
  return value !== undefined && cellText(value) !== null;
}

/**
 * Columns without a header — an empty header cell, or none at all past the header row's last cell — that hold
 * values in data rows. No layout reads such a column, so ignoredColumnsNoteRu names each (a blank one is harmless
 * and not named). Cheap per row: the empty header cells not seen with a value yet, and the cells past the header.
 */
class UnheadedColumns {
  /** Column → the first data row with a value in it. */
  readonly found = new Map<number, number>();

  private constructor(
    /** Cells of the header row: columns from here on have no header. */
    private readonly width: number,
    /** Columns inside the header row with an empty header, not seen with a value yet. */
    private watched: number[],
  ) {}

  static under(header: RawRow | undefined): UnheadedColumns | null {
    if (header === undefined) return null;
    const cells = header.cells;
    const empty: number[] = [];
    for (let i = 0; i < cells.length; i++) if (!hasValue(cells[i])) empty.push(i);
    return new UnheadedColumns(cells.length, empty);
  }

  see(row: RawRow): void {
    if (row instanceof LineRow) return this.seeLine(row);
    const cells = row.cells;
    if (cells.length <= this.width && this.watched.length === 0) return;
    this.check(cells.length, row.rowNumber, (column) => hasValue(cells[column]));
  }

  /** A plain CSV line, without splitting it: its field count is usually known from the layout's own reading. */
  private seeLine(row: LineRow): void {
    if ((row.fieldCount ?? row.fieldBounds()) <= this.width && this.watched.length === 0) return;
    const fields = row.fieldBounds();
    if (fields < 0) return; // more columns than allowed: the layout's reading of the row reports it
    this.check(fields, row.rowNumber, (column) => column < fields && row.fieldHasValue(column));
  }

  private check(cellCount: number, rowNumber: number, has: (column: number) => boolean): void {
    if (this.watched.length > 0) {
      this.watched = this.watched.filter((column) => {
        if (!has(column)) return true;
        this.found.set(column, rowNumber);
        return false;
      });
    }
    for (let i = this.width; i < cellCount; i++) {
      if (!this.found.has(i) && has(i)) this.found.set(i, rowNumber);
    }
  }
}

/**
 * Columns the layout does not read are named in the report, never dropped silently: by their header, or, when
 * they have none but hold values, by their letter and the first cell with a value.
 */
function ignoredColumnsNoteRu(headers: readonly string[], unheaded: ReadonlyMap<number, number>): string[] {
  const notes = headers.length === 0 ? [] : [`Столбцы файла не использованы (${headers.length}): ${headers.map((header) => `«${header}»`).join(', ')}.`];
  if (unheaded.size > 0) {
    const columns = [...unheaded].sort(([a], [b]) => a - b);
    const letters = columns.map(([column]) => columnLetters(column)).join(', ');
    const cells = columns.map(([column, row]) => cellAddress(column, row)).join(', ');
    notes.push(
      columns.length === 1
        ? `Столбец ${letters} без заголовка: его значения не загружены (первое — в ячейке ${cells}).`
        : `Столбцы ${letters} без заголовка: их значения не загружены (первые — в ячейках ${cells}).`,
    );
  }
  return notes;
}

class ParsedImportStream implements ParsedImport {
  readonly layout: LayoutName;
  readonly metadata: ImportMetadata;
  private dataRows = 0;
  private blankRows: number;
  private emitted = 0;
  private rejected = 0;
  private absent = 0;
  private complete = false;
  private consumed = false;
  private closed = false;
  private finishedAt: number | null = null;

  constructor(private readonly parts: StreamParts) {
    this.layout = parts.layout;
    this.metadata = parts.bound.metadata;
    this.blankRows = parts.blankRowsBefore;
  }

  get errors(): readonly ImportIssue[] {
    return this.parts.log.kept;
  }

  get headers(): readonly string[] {
    return this.parts.issues.columnHeaders;
  }

  get batches(): AsyncIterable<ImportRecord[]> {
    return { [Symbol.asyncIterator]: () => this.consume() };
  }

  get records(): AsyncIterable<ImportRecord> {
    const batches = this.batches;
    return {
      async *[Symbol.asyncIterator]() {
        for await (const batch of batches) yield* batch;
      },
    };
  }

  get summary(): ParseSummary {
    const { parts, metadata } = this;
    const log = parts.log;
    return {
      fileName: parts.options.fileName,
      format: parts.source.format,
      encoding: parts.source.encoding(),
      separator: parts.source.separator(),
      sheet: parts.source.sheet(),
      otherSheets: parts.source.otherSheets(),
      layout: this.layout,
      layoutConfidence: Math.round(parts.confidence * 1000) / 1000,
      layoutRanking: parts.ranking,
      headerRow: metadata.headerRow,
      dataRows: this.dataRows,
      blankRows: this.blankRows,
      records: this.emitted,
      rejectedRows: this.rejected,
      absentRows: this.absent,
      issues: { total: log.total, kept: log.kept.length, dropped: log.dropped, byCode: { ...log.byCode } },
      personalColumnsDropped: { count: parts.bound.personalColumns.length, headers: [...parts.bound.personalColumns] },
      notesRu: [...parts.source.notesRu(), ...personalColumnsNote(parts.bound), ...(parts.bound.notesRu ?? []), ...hashedCodesNote(parts.fields.hashedParticipantCodes), ...absenceNoteRu(this.absent), ...ignoredColumnsNoteRu(metadata.ignoredColumns, parts.unheaded?.found ?? new Map())],
      complete: this.complete,
      elapsedMs: Math.round((this.finishedAt ?? performance.now()) - parts.started),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.parts.source.close();
  }

  private async *consume(): AsyncGenerator<ImportRecord[]> {
    if (this.consumed) throw new Error('The records of a parsed import can be read only once');
    this.consumed = true;
    try {
      let out = this.process(this.parts.pending);
      this.parts.pending = [];
      if (out.length > 0) yield out;
      for (;;) {
        const next = await this.parts.source.batches.next();
        if (next.done) break;
        out = this.process(next.value);
        if (out.length > 0) yield out;
      }
      this.complete = true;
      this.finishedAt = performance.now();
    } finally {
      await this.close();
    }
  }

  /** Maps a batch of rows synchronously: the per-row hot path. */
  private process(rows: readonly RawRow[]): ImportRecord[] {
    const { issues, bound, limits, options } = this.parts;
    const out: ImportRecord[] = [];
    for (const row of rows) {
      if (isBlankRow(row)) {
        this.blankRows++;
        continue;
      }
      if (++this.dataRows > limits.maxRows) {
        throw fileIssue(options.fileName, 'TOO_MANY_ROWS', `В файле больше ${limits.maxRows} строк с данными: разделите его на части.`, {
          sheet: row.sheet,
          row: row.rowNumber,
        });
      }
      issues.begin(row);
      if (row.formulaColumns !== undefined) {
        for (const column of row.formulaColumns) issues.cell('FORMULA_NOT_ALLOWED', column, reasons.formula(cellAddress(column, row.rowNumber)));
      }
      // Rows with formulas are still mapped, so the operator sees all of the row's problems at once.
      const record = bound.mapRow(row);
      this.parts.unheaded?.see(row);
      if (record === ABSENT) {
        if (issues.failed) this.rejected++;
        else this.absent++;
      } else if (record === null || issues.failed) this.rejected++;
      else {
        out.push(record);
        this.emitted++;
      }
    }
    return out;
  }
}
