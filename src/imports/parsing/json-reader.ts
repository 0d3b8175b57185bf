/**
 * JSON as open-data portals publish it: an array of records, `[{"Наименование ОО": "…", "ИНН": "…", …}, …]`, read as
 * a stream. The array's elements are found by a scanner that keeps only its depth and string state between chunks;
 * each complete record is parsed on its own, so memory holds one record at a time.
 *
 * Rows as the layouts see them: row 1 is the header — every key of every record, in order of first appearance, when
 * the file could be read once before (`keys()` on a file on disk), else the keys of the first record — and row k + 1
 * is record k, so a message «строка 5» means the fourth record. A key no header has (first seen after the header,
 * on a stream) refuses the file naming it: a column is never dropped unsaid. Values: strings and numbers as they are, null as
 * an empty cell, true / false as «да» / «нет», nested objects and arrays as their JSON text (layouts do not use them).
 * Limits as for CSV: a string value longer than maxFieldLength, or more keys than maxColumns, refuse the file.
 */
import { fileIssue } from './issues';
import type { CellValue, RawRow } from './raw-row';

export interface JsonReaderOptions {
  fileName: string;
  maxFieldLength: number;
  maxColumns: number;
  /** The header when known beforehand (`keys()` of an earlier reading of the same file). */
  header?: readonly string[];
}

const BATCH_ROWS = 1000;

export class JsonReader {
  private readonly columns = new Map<string, number>();
  private headerSent = false;
  /** A first reading for `keys()`: records are read for their keys, no row is built. */
  private collecting = false;
  private records = 0;

  constructor(
    private readonly text: AsyncIterable<string>,
    private readonly options: JsonReaderOptions,
  ) {
    for (const key of options.header ?? []) this.columns.set(key, this.columns.size);
  }

  /** Every key of every record in order of first appearance: a first reading, so the second has the whole header. */
  async keys(): Promise<string[]> {
    this.collecting = true;
    // Collecting builds no rows: the batches come out empty, only the keys are kept.
    for await (const empty of this.batches()) void empty;
    return [...this.columns.keys()];
  }

  async *batches(): AsyncGenerator<RawRow[]> {
    let state: 'start' | 'between' | 'record' | 'end' = 'start';
    let depth = 0;
    let inString = false;
    let escaped = false;
    let stringStart = 0;
    let afterRecord = false;
    let parts: string[] = [];
    let batch: RawRow[] = [];
    const fail = (why: string) => fileIssue(this.options.fileName, 'UNSUPPORTED_FORMAT', `Файл JSON не читается: ${why}. Ожидается массив записей: [{"столбец": значение, …}, …].`);

    for await (const chunk of this.text) {
      let recordFrom = 0;
      for (let i = 0; i < chunk.length; i++) {
        const ch = chunk.charCodeAt(i);
        if (state === 'record') {
          if (inString) {
            if (escaped) escaped = false;
            else if (ch === 0x5c) escaped = true;
            else if (ch === 0x22) {
              inString = false;
              if (i - stringStart > this.options.maxFieldLength) this.tooLong();
            }
            continue;
          }
          if (ch === 0x22) {
            inString = true;
            stringStart = i;
          } else if (ch === 0x7b || ch === 0x5b) depth++;
          else if (ch === 0x7d || ch === 0x5d) {
            depth--;
            if (depth === 0) {
              parts.push(chunk.slice(recordFrom, i + 1));
              batch.push(...this.rows(parts.join(''), fail));
              parts = [];
              state = 'between';
              afterRecord = true;
              if (batch.length >= BATCH_ROWS) {
                yield batch;
                batch = [];
              }
            }
          }
          continue;
        }
        // Outside a record: whitespace, the array's brackets and commas.
        if (ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09 || ch === 0xfeff) continue;
        if (state === 'start') {
          if (ch !== 0x5b) throw fail('файл должен начинаться с «[»');
          state = 'between';
        } else if (state === 'between') {
          if (ch === 0x2c) {
            if (!afterRecord) throw fail(`лишняя запятая перед элементом ${this.records + 1} массива`);
            afterRecord = false;
            continue;
          }
          if (ch === 0x5d) state = 'end';
          else if (ch === 0x7b) {
            if (afterRecord) throw fail(`между записями ${this.records} и ${this.records + 1} нет запятой`);
            state = 'record';
            depth = 1;
            recordFrom = i;
          } else throw fail(`элемент ${this.records + 1} массива — не запись { … }`);
        } else {
          throw fail('после закрывающей «]» есть ещё данные');
        }
      }
      if (state === 'record') {
        parts.push(chunk.slice(recordFrom));
        // A string still open across chunks counts from the chunk's start.
        if (inString) stringStart = -(chunk.length - stringStart);
      }
    }
    if ((state as string) !== 'end') throw fail((state as string) === 'start' ? 'файл пустой' : 'массив не закрыт «]» — файл обрезан');
    if (batch.length > 0) yield batch;
  }

  private tooLong(): never {
    throw fileIssue(
      this.options.fileName,
      'FIELD_TOO_LONG',
      `Значение в записи ${this.records + 1} (строка ${this.records + 2}) длиннее ${this.options.maxFieldLength} символов.`,
      { row: this.records + 2 },
    );
  }

  /** The header row before the first record, then the record's row. */
  private rows(text: string, fail: (why: string) => Error): RawRow[] {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw fail(`запись ${this.records + 1} (строка ${this.records + 2}) повреждена — ${(error as Error).message}`);
    }
    this.records++;
    const record = value as Record<string, unknown>;
    const cells: CellValue[] = [];
    for (const [key, field] of Object.entries(record)) {
      let column = this.columns.get(key);
      if (column === undefined) {
        if (this.headerSent) {
          throw fail(
            `поле «${key}» впервые встречается в записи ${this.records} (строка ${this.records + 1}), а заголовок взят из первой записи — ` +
              'передайте файл целиком (не потоком) или добавьте это поле в первую запись',
          );
        }
        column = this.columns.size;
        if (column >= this.options.maxColumns) throw fail(`в записях больше ${this.options.maxColumns} разных полей`);
        this.columns.set(key, column);
      }
      if (!this.collecting) cells[column] = cellOf(field);
    }
    if (this.collecting) return [];
    // Every column of the header, a key this record lacks as an empty cell.
    for (let i = 0; i < this.columns.size; i++) if (cells[i] === undefined) cells[i] = null;
    const row: RawRow = { sheet: null, rowNumber: this.records + 1, cells };
    if (this.headerSent) return [row];
    this.headerSent = true;
    return [{ sheet: null, rowNumber: 1, cells: [...this.columns.keys()] }, row];
  }
}

function cellOf(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 'да' : 'нет';
  return JSON.stringify(value);
}
