/**
 * Streaming XLSX reader on exceljs's WorkbookReader. Reads one worksheet (the named one, or the first
 * visible) into plain rows: shared strings, rich text, dates and numbers become plain values; formula
 * cells keep their cached result but are flagged, because the hub accepts values only.
 */
import { createReadStream, ReadStream } from 'node:fs';
import * as ExcelJS from 'exceljs';
import { fileIssue, ImportFileError } from './issues';
import type { CellValue, RawRow } from './raw-row';
import { inspectXlsxZip } from './zip-check';

/** exceljs internals this module relies on (exceljs 4.4.0; not in its typings). */
interface ExcelRow {
  number: number;
  values: unknown[];
}
interface ExcelWorksheetReader {
  name: string;
  state?: string;
  parse(): AsyncIterator<{ eventType: string; value: unknown }[]>;
}
interface ExcelWorkbookReader {
  [Symbol.asyncIterator](): AsyncIterator<ExcelWorksheetReader>;
  model?: { sheets?: { name: string; state?: string }[] };
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
}
type WorkbookReaderConstructor = new (input: ReadStream, options: object) => ExcelWorkbookReader;

const BaseWorkbookReader = ExcelJS.stream.xlsx.WorkbookReader as unknown as WorkbookReaderConstructor;

/**
 * exceljs decodes every compressed chunk separately (TextDecoder without `stream: true`), so a Cyrillic
 * character split between two chunks turns into "��" — in a 100,000-row ФИС ОКО file that garbles
 * hundreds of school names. Feeding its XML parser strings decoded across chunk boundaries fixes it.
 */
class Utf8SafeWorkbookReader extends BaseWorkbookReader {
  /**
   * True when exceljs spooled worksheets to temporary files (they come before the shared strings in
   * the zip, as in files exceljs itself writes). It deletes each file only when its iterator is resumed
   * past that worksheet, so such a workbook must be iterated to the end, not abandoned.
   */
  spooledWorksheets = false;
  /** Worksheet inputs handed to exceljs; file streams among them are closed when reading ends. */
  readonly worksheetInputs: AsyncIterable<Buffer | string>[] = [];

  override _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown> {
    entry.setEncoding('utf8');
    return super._parseSharedStrings(entry);
  }

  override _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown> {
    if (iterator instanceof ReadStream) {
      this.spooledWorksheets = true;
      // A skipped sheet's file is deleted by exceljs, maybe before its stream opens it; that error
      // concerns nobody (a sheet that is read reports errors through its iterator regardless).
      iterator.on('error', () => undefined);
    }
    this.worksheetInputs.push(iterator);
    return super._parseWorksheet(decodeAcrossChunks(iterator), sheetNo);
  }

  /** Closes the input of the worksheet just handed out (it is being skipped). */
  closeLatestWorksheetInput(): void {
    const latest = this.worksheetInputs.at(-1);
    if (latest instanceof ReadStream) latest.destroy();
  }

  closeWorksheetInputs(): void {
    for (const input of this.worksheetInputs) if (input instanceof ReadStream) input.destroy();
  }
}

async function* decodeAcrossChunks(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text !== '') yield text;
  }
  const tail = decoder.decode();
  if (tail !== '') yield tail;
}

function isoDate(date: Date): string {
  const iso = date.toISOString();
  // exceljs builds dates in UTC; a whole day reads as a date, anything else keeps its time.
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 16).replace('T', ' ');
}

/** A cell value as plain text or number; `formula` tells the caller the cell held one. */
function plainValue(value: unknown): { value: CellValue; formula: boolean } {
  if (value === null || value === undefined) return { value: null, formula: false };
  if (typeof value === 'string') return { value: value === '' ? null : value, formula: false };
  if (typeof value === 'number') return { value: Number.isFinite(value) ? value : null, formula: false };
  if (typeof value === 'boolean') return { value: value ? 'да' : 'нет', formula: false };
  if (value instanceof Date) return { value: Number.isNaN(value.getTime()) ? null : isoDate(value), formula: false };
  if (typeof value === 'object') {
    const object = value as Record<string, unknown>;
    // A shared formula's dependent cells come with an empty `formula`, so test for the key, not its value.
    if ('formula' in object || 'sharedFormula' in object) return { value: plainValue(object.result).value, formula: true };
    if (Array.isArray(object.richText)) {
      const text = (object.richText as { text?: string }[]).map((run) => run.text ?? '').join('');
      return { value: text === '' ? null : text, formula: false };
    }
    if ('error' in object) return { value: String(object.error), formula: false };
    if ('text' in object) return plainValue(object.text);
  }
  return { value: String(value), formula: false };
}

function toRawRow(row: ExcelRow, sheet: string): RawRow {
  const values = row.values;
  const cells: CellValue[] = new Array(Math.max(0, values.length - 1)).fill(null);
  let formulaColumns: number[] | undefined;
  // row.values is 1-based and sparse: values[1] is column A.
  for (let column = 1; column < values.length; column++) {
    const raw = values[column];
    if (raw === undefined || raw === null) continue;
    const plain = plainValue(raw);
    cells[column - 1] = plain.value;
    if (plain.formula) (formulaColumns ??= []).push(column - 1);
  }
  return formulaColumns === undefined ? { sheet, rowNumber: row.number, cells } : { sheet, rowNumber: row.number, cells, formulaColumns };
}

class XlsxStalledError extends Error {}

/**
 * Last line of defence behind the zip check: once the file has been read to the end, the parser must
 * keep making progress, or the file is treated as corrupt instead of waiting forever.
 */
class StallGuard {
  private lastProgress = Date.now();

  constructor(
    private readonly inputFinished: () => boolean,
    private readonly stallMs: number,
  ) {}

  async guard<T>(promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setInterval(() => {
        if (this.inputFinished() && Date.now() - this.lastProgress > this.stallMs) reject(new XlsxStalledError('XLSX parser stalled'));
      }, Math.min(500, this.stallMs));
    });
    try {
      const value = await Promise.race([promise, stalled]);
      this.lastProgress = Date.now();
      return value;
    } finally {
      clearInterval(timer);
    }
  }
}

export interface XlsxReaderOptions {
  fileName: string;
  /** Worksheet to read; default: the first visible one. */
  sheet?: string;
  maxUncompressedBytes: number;
  /** How long the parser may sit idle after the whole file was read. */
  stallMs?: number;
}

const NOT_XLSX_MESSAGES = {
  'not-zip': 'Файл не является книгой Excel в формате XLSX.',
  truncated: 'Файл XLSX повреждён или загружен не полностью (обрезан). Загрузите файл ещё раз.',
  corrupt: 'Файл XLSX повреждён: архив внутри файла не читается. Откройте файл в Excel и сохраните заново.',
  encrypted: 'Файл XLSX защищён паролем. Снимите пароль и загрузите файл заново.',
  'not-xlsx': 'Файл — ZIP-архив, но не книга Excel (XLSX). Загрузите таблицу в формате XLSX или CSV.',
  'too-large': 'Файл XLSX слишком большой для загрузки: разделите его на несколько файлов.',
} as const;

export class XlsxReader {
  /** Name of the worksheet read, once it is found. */
  sheet: string | null = null;
  /** Worksheets of the workbook that were not read. */
  otherSheets: string[] = [];

  constructor(
    private readonly path: string,
    private readonly options: XlsxReaderOptions,
  ) {}

  async *batches(): AsyncGenerator<RawRow[]> {
    const verdict = await inspectXlsxZip(this.path, this.options.maxUncompressedBytes);
    if (!verdict.ok) throw fileIssue(this.options.fileName, 'XLSX_CORRUPT', NOT_XLSX_MESSAGES[verdict.problem]);

    const input = createReadStream(this.path, { highWaterMark: 256 * 1024 });
    let inputFinished = false;
    input.once('end', () => (inputFinished = true));
    input.once('close', () => (inputFinished = true));
    const workbook = new Utf8SafeWorkbookReader(input, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      // Styles are needed to tell dates from numbers.
      styles: 'cache',
      hyperlinks: 'ignore',
      entries: 'ignore',
    });
    const guard = new StallGuard(() => inputFinished, this.options.stallMs ?? 20_000);
    const worksheets = workbook[Symbol.asyncIterator]();
    const seenSheets: string[] = [];
    try {
      for (;;) {
        const next = await guard.guard(worksheets.next());
        if (next.done) break;
        const worksheet = next.value;
        seenSheets.push(worksheet.name);
        if (!this.isWanted(worksheet)) {
          workbook.closeLatestWorksheetInput();
          continue;
        }
        this.sheet = worksheet.name;
        const events = worksheet.parse();
        for (;;) {
          const batch = await guard.guard(events.next());
          if (batch.done) break;
          const rows: RawRow[] = [];
          for (const event of batch.value) {
            if (event.eventType === 'row') rows.push(toRawRow(event.value as ExcelRow, worksheet.name));
          }
          if (rows.length > 0) yield rows;
        }
        break;
      }
    } catch (error) {
      throw this.explain(error);
    } finally {
      if (workbook.spooledWorksheets) {
        // The zip has been read through already; skipping the remaining worksheets lets exceljs delete
        // its temporary files (a generator that failed while unzipping is simply done).
        await this.skipRemaining(workbook, worksheets, guard).catch(() => undefined);
      } else {
        // Other sheets are not needed: stop unzipping.
        worksheets.return?.(undefined).catch(() => undefined);
      }
      this.otherSheets = (workbook.model?.sheets?.map((sheet) => sheet.name) ?? seenSheets).filter((name) => name !== this.sheet);
      workbook.closeWorksheetInputs();
      input.destroy();
    }
    if (this.sheet === null) {
      const names = workbook.model?.sheets?.map((sheet) => sheet.name) ?? seenSheets;
      throw fileIssue(
        this.options.fileName,
        'SHEET_NOT_FOUND',
        this.options.sheet !== undefined
          ? `В книге нет листа «${this.options.sheet}». Листы книги: ${names.map((name) => `«${name}»`).join(', ') || 'нет'}.`
          : 'В книге нет ни одного видимого листа с данными.',
        { sheet: this.options.sheet ?? null, value: this.options.sheet ?? null },
      );
    }
  }

  private async skipRemaining(workbook: Utf8SafeWorkbookReader, worksheets: AsyncIterator<ExcelWorksheetReader>, guard: StallGuard): Promise<void> {
    for (;;) {
      const next = await guard.guard(worksheets.next());
      if (next.done) return;
      workbook.closeLatestWorksheetInput();
    }
  }

  private isWanted(worksheet: ExcelWorksheetReader): boolean {
    if (this.options.sheet !== undefined) return worksheet.name.trim().toLowerCase() === this.options.sheet.trim().toLowerCase();
    return worksheet.state !== 'hidden' && worksheet.state !== 'veryHidden';
  }

  private explain(error: unknown): unknown {
    if (error instanceof ImportFileError) return error;
    // Whatever exceljs, unzipper or the XML parser throws here means the file's insides are broken.
    return fileIssue(
      this.options.fileName,
      'XLSX_CORRUPT',
      error instanceof XlsxStalledError ? NOT_XLSX_MESSAGES.truncated : NOT_XLSX_MESSAGES.corrupt,
      { sheet: this.sheet },
    );
  }
}
