/**
 * JSON as open-data portals publish it, read as a stream: an array of records, `[{"Наименование ОО": "…", …}, …]`, or
 * such an array wrapped in an object — CKAN's datastore API `{"success": true, "result": {"records": […]}}`,
 * `{"data": […]}`, `{"items": […]}`, `{"meta": …, "rows": […]}`. The records are the array at `recordsPath` (keys
 * joined by «.», e.g. `result.records`) when one is given; else the top-level array, or the one array of records
 * (objects) found under the top-level object through its keys, at most MAX_AUTO_DEPTH keys deep — several such arrays
 * refuse the file naming their paths, for the uploader to choose one. An array under the key `fields` describes the
 * columns (CKAN's datastore answer puts it before `records`, Frictionless schemas name it so): it is never taken for
 * the records unless named, and a file whose only array of records it is gets an error saying so.
 *
 * A scanner keeps only the open containers (with their paths while they may still lead to the records) and its string
 * state between chunks; everything around the records is passed over without being kept, and each complete record is
 * parsed on its own, so memory holds one record at a time.
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
  /** Where the records are, as keys joined by «.» (`result.records`); none — found as described above. */
  recordsPath?: string;
}

const BATCH_ROWS = 1000;
/** The key under which portals list the columns of their records (CKAN's datastore answer, Frictionless schemas). */
const COLUMN_LIST_KEY = 'fields';

/** How many keys deep, under a top-level object, an array of records is looked for when no path is given. */
const MAX_AUTO_DEPTH = 3;
const MAX_PATH_LENGTH = 200;
const SCALAR = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/;
const MAX_SCALAR_LENGTH = 100;

/** `recordsPath` as keys, or why it cannot be one (in Russian). */
export function recordsPathKeys(path: string): string[] | { reasonRu: string } {
  const keys = path.split('.');
  if (path.length > MAX_PATH_LENGTH || keys.some((key) => key.trim() === '')) {
    return { reasonRu: `путь к записям «${path}» не читается: укажите ключи через точку, например «result.records» (не длиннее ${MAX_PATH_LENGTH} символов)` };
  }
  return keys;
}

type Expect = 'value' | 'valueOrEnd' | 'key' | 'keyOrEnd' | 'colon' | 'next' | 'done';

interface Frame {
  kind: 'object' | 'array' | 'root';
  expect: Expect;
  /** Keys from the top-level object to this container; null once it cannot matter (inside an array, too deep). */
  path: string[] | null;
  /** Objects: the key just read (the path of the value that follows). */
  key: string | null;
  /** Arrays: records (objects, each read as a row), 'pending' until the first element shows what it holds. */
  records: boolean | 'pending';
  elements: number;
}


export class JsonReader {
  private readonly columns = new Map<string, number>();
  private headerSent = false;
  /** A first reading for `keys()`: records are read for their keys, no row is built. */
  private collecting = false;
  private records = 0;
  private readonly target: string[] | null;
  /** The path of the array of records read, once found: '' for a top-level array. */
  recordsFrom: string | null = null;
  /**
   * Arrays of objects under the key `fields`, passed over as column descriptions rather than records (no path was
   * given): named in the report's note, and in the error when the file has no other array of records.
   */
  columnListsSkipped: string[] = [];

  constructor(
    private readonly text: AsyncIterable<string>,
    private readonly options: JsonReaderOptions,
  ) {
    for (const key of options.header ?? []) this.columns.set(key, this.columns.size);
    if (options.recordsPath === undefined) this.target = null;
    else {
      const keys = recordsPathKeys(options.recordsPath);
      if (!Array.isArray(keys)) throw fileIssue(options.fileName, 'INVALID_OPTIONS', `Файл JSON не читается: ${keys.reasonRu}.`, { value: options.recordsPath });
      this.target = keys;
    }
  }

  /** Every key of every record in order of first appearance: a first reading, so the second has the whole header. */
  async keys(): Promise<string[]> {
    this.collecting = true;
    // Collecting builds no rows: the batches come out empty, only the keys are kept.
    for await (const empty of this.batches()) void empty;
    return [...this.columns.keys()];
  }

  async *batches(): AsyncGenerator<RawRow[]> {
    const { fileName, maxFieldLength } = this.options;
    const target = this.target;
    const shape = target === null ? '' : ` по пути «${target.join('.')}»`;
    const fail = (why: string) =>
      fileIssue(fileName, 'UNSUPPORTED_FORMAT', `Файл JSON не читается: ${why}. Ожидается массив записей${shape}: [{"столбец": значение, …}, …]${target === null ? ' — сам по себе или в объекте, например {"data": […]}' : ''}.`);
    const tracked = target === null ? MAX_AUTO_DEPTH : Math.max(MAX_AUTO_DEPTH, target.length);
    /** Arrays of records found under the top-level object (depth ≤ MAX_AUTO_DEPTH), by path. */
    const found: string[] = [];
    /** The records array read: its path, once chosen. */
    let chosen: string | null = null;
    let targetSeen: 'array' | 'object' | 'string' | 'scalar' | 'non-records' | null = null;
    let rootKind: 'array' | 'object' | null = null;

    const stack: Frame[] = [{ kind: 'root', expect: 'value', path: [], key: null, records: false, elements: 0 }];
    // Strings and scalars outside records, and records themselves, may run across chunks.
    let inString = false;
    let escaped = false;
    let stringStart = 0;
    let keyParts: string[] | null = null;
    let keyLength = 0;
    let scalarParts: string[] | null = null;
    let inRecord = false;
    let depth = 0;
    let parts: string[] = [];
    let batch: RawRow[] = [];

    const pathOf = (frame: Frame): string[] | null => {
      if (frame.kind === 'root') return [];
      if (frame.kind === 'array' || frame.path === null || frame.key === null || frame.path.length >= tracked) return null;
      return [...frame.path, frame.key];
    };
    const isTarget = (path: string[] | null) => target !== null && path !== null && path.length === target.length && path.every((key, i) => key === target[i]);
    const arrayName = (frame: Frame) => (frame.path === null || frame.path.length === 0 ? '' : ` «${frame.path.join('.')}»`);
    /** A value ended in `frame`'s container: what may come next. */
    const valueDone = (frame: Frame) => {
      frame.expect = frame.kind === 'root' ? 'done' : 'next';
    };
    const closeString = (text: string) => {
      const frame = stack[stack.length - 1];
      if (keyParts !== null) {
        keyParts.push(text);
        const raw = keyParts.join('');
        keyParts = null;
        frame.key = JSON.parse(raw) as string;
        frame.expect = 'colon';
      } else valueDone(frame);
    };
    const scalarDone = () => {
      const text = scalarParts!.join('');
      scalarParts = null;
      if (!SCALAR.test(text)) throw fail(`значение «${text.slice(0, 40)}» — не число, не строка в кавычках и не true / false / null`);
      valueDone(stack[stack.length - 1]);
    };

    for await (const chunk of this.text) {
      let recordFrom = 0;
      let stringFrom = 0;
      let scalarFrom = 0;
      for (let i = 0; i < chunk.length; i++) {
        const ch = chunk.charCodeAt(i);
        if (inRecord) {
          if (inString) {
            if (escaped) escaped = false;
            else if (ch === 0x5c) escaped = true;
            else if (ch === 0x22) {
              inString = false;
              if (i - stringStart > maxFieldLength) this.tooLong();
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
              inRecord = false;
              valueDone(stack[stack.length - 1]);
              if (batch.length >= BATCH_ROWS) {
                yield batch;
                batch = [];
              }
            }
          }
          continue;
        }
        if (inString) {
          if (escaped) escaped = false;
          else if (ch === 0x5c) escaped = true;
          else if (ch === 0x22) {
            inString = false;
            if (keyParts !== null && keyLength + i - stringFrom > maxFieldLength) throw fail(`ключ длиннее ${maxFieldLength} символов`);
            closeString(keyParts === null ? '' : chunk.slice(stringFrom, i + 1));
          }
          continue;
        }
        if (scalarParts !== null) {
          if (ch === 0x2c || ch === 0x7d || ch === 0x5d || ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09) {
            scalarParts.push(chunk.slice(scalarFrom, i));
            scalarDone();
          } else {
            if (i - scalarFrom > MAX_SCALAR_LENGTH) throw fail('слишком длинное число или слово вне кавычек');
            continue;
          }
        }
        if (ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09 || ch === 0xfeff) continue;
        const frame = stack[stack.length - 1];
        switch (frame.expect) {
          case 'done':
            throw fail(`после закрывающей «${rootKind === 'object' ? '}' : ']'}» есть ещё данные`);
          case 'colon':
            if (ch !== 0x3a) throw fail(`после ключа «${frame.key}» нет двоеточия`);
            frame.expect = 'value';
            continue;
          case 'key':
          case 'keyOrEnd':
            if (ch === 0x7d && frame.expect === 'keyOrEnd') break;
            if (ch !== 0x22) throw fail(frame.expect === 'key' ? 'лишняя запятая перед «}»' : 'ключ объекта не в кавычках');
            inString = true;
            stringFrom = i;
            keyParts = [];
            keyLength = 0;
            continue;
          case 'next':
            if (ch === 0x2c) {
              frame.expect = frame.kind === 'object' ? 'key' : 'value';
              continue;
            }
            if (ch === 0x7d || ch === 0x5d) break;
            throw fail(
              frame.records === true
                ? `между записями ${this.records} и ${this.records + 1} нет запятой`
                : `нет запятой после ${frame.kind === 'object' ? `значения «${frame.key}»` : `элемента ${frame.elements} массива${arrayName(frame)}`}`,
            );
          default:
            break;
        }
        // A closing bracket: after the last value, or an empty container.
        if (ch === 0x7d || ch === 0x5d) {
          const closes = ch === 0x7d ? 'object' : 'array';
          if (frame.kind !== closes) throw fail(`«${String.fromCharCode(ch)}» не на месте`);
          if (frame.expect === 'value') throw fail(frame.kind === 'object' ? `нет значения у ключа «${frame.key}»` : `лишняя запятая перед «]»${arrayName(frame)}`);
          if (frame.records === 'pending' && isTarget(frame.path)) targetSeen = 'array';
          stack.pop();
          valueDone(stack[stack.length - 1]);
          continue;
        }
        // A value, in `frame` (expect is value or valueOrEnd).
        if (ch === 0x2c || ch === 0x3a) {
          if (frame.kind === 'object') throw fail(`нет значения у ключа «${frame.key}»`);
          throw fail(frame.kind === 'array' ? `лишняя запятая перед элементом ${frame.elements + 1} массива${arrayName(frame)}` : 'файл должен начинаться с «[» или «{»');
        }
        if (frame.kind === 'array') {
          frame.elements++;
          if (frame.records === 'pending') {
            const path = frame.path!;
            const name = path.join('.');
            if (ch === 0x7b) {
              const columnList = target === null && path.length > 0 && path[path.length - 1] === COLUMN_LIST_KEY;
              if (columnList) this.columnListsSkipped.push(name);
              else if (path.length > 0) found.push(name);
              const wanted = target === null ? !columnList && chosen === null && path.length <= MAX_AUTO_DEPTH : isTarget(path);
              frame.records = wanted;
              if (wanted) {
                chosen = name;
                this.recordsFrom = name;
              }
              if (isTarget(path)) targetSeen = 'array';
            } else {
              if (isTarget(path)) targetSeen = 'non-records';
              if (target === null && path.length === 0) throw fail(`элемент 1 массива — не запись { … }`);
              frame.records = false;
            }
          }
          if (frame.records === true) {
            if (ch !== 0x7b) throw fail(`элемент ${frame.elements} массива${arrayName(frame)} — не запись { … }`);
            inRecord = true;
            depth = 1;
            recordFrom = i;
            continue;
          }
        }
        const path = pathOf(frame);
        if (frame.kind === 'root') {
          if (ch === 0x5b) rootKind = 'array';
          else if (ch === 0x7b) rootKind = 'object';
          else throw fail('файл должен начинаться с «[» или «{»');
          if (target !== null && ch === 0x5b) {
            throw fileIssue(
              fileName,
              'JSON_RECORDS_NOT_FOUND',
              `Файл JSON: записей по пути «${target.join('.')}» в файле нет — файл сам массив записей [{…}, …]. Загрузите его без пути к записям (recordsPath, --json-records).`,
              { value: target.join('.') },
            );
          }
        }
        if (ch === 0x7b) {
          if (isTarget(path)) targetSeen = 'object';
          stack.push({ kind: 'object', expect: 'keyOrEnd', path, key: null, records: false, elements: 0 });
        } else if (ch === 0x5b) {
          // An array reached through keys only (or the top-level one) may hold the records: its first element tells.
          stack.push({ kind: 'array', expect: 'valueOrEnd', path, key: null, records: path !== null ? 'pending' : false, elements: 0 });
        } else if (ch === 0x22) {
          if (isTarget(path)) targetSeen = 'string';
          inString = true;
          stringFrom = i;
        } else {
          if (isTarget(path)) targetSeen = 'scalar';
          scalarParts = [];
          scalarFrom = i;
        }
      }
      if (inRecord) {
        parts.push(chunk.slice(recordFrom));
        // A string still open across chunks counts from the chunk's start.
        if (inString) stringStart = -(chunk.length - stringStart);
      } else if (inString && keyParts !== null) {
        (keyParts as string[]).push(chunk.slice(stringFrom));
        keyLength += chunk.length - stringFrom;
        if (keyLength > maxFieldLength) throw fail(`ключ длиннее ${maxFieldLength} символов`);
      } else if (scalarParts !== null) {
        (scalarParts as string[]).push(chunk.slice(scalarFrom));
      }
    }
    if (scalarParts !== null) scalarDone();
    const top = stack[stack.length - 1];
    if (rootKind === null) throw fail('файл пустой');
    if (top.kind !== 'root' || inString) {
      throw fail(top.kind === 'object' ? 'объект не закрыт «}» — файл обрезан' : 'массив не закрыт «]» — файл обрезан');
    }
    const list = (paths: string[]) => paths.map((path) => `«${path}»`).join(', ');
    if (target !== null && targetSeen !== 'array') {
      const what = { object: 'объект', string: 'строка', scalar: 'число или слово', 'non-records': 'массив не из записей { … }' } as const;
      throw fileIssue(
        fileName,
        'JSON_RECORDS_NOT_FOUND',
        `Файл JSON: ${targetSeen === null ? `пути «${target.join('.')}» в файле нет` : `по пути «${target.join('.')}» не массив записей, а ${what[targetSeen]}`}. ` +
          (found.length > 0 ? `Массивы записей в файле: ${list(found)} — укажите один из них.` : 'Массивов записей [{…}, …] в файле не найдено.'),
        { value: target.join('.') },
      );
    }
    if (target === null && rootKind === 'object') {
      if (found.length > 1) {
        throw fileIssue(
          fileName,
          'JSON_RECORDS_AMBIGUOUS',
          `Файл JSON: в нём несколько массивов записей — ${list(found)}. Укажите, какой читать: путь к записям (параметр recordsPath, в командной строке --json-records), например «${found[found.length - 1]}».`,
          { value: found.join(', ') },
        );
      }
      if (found.length === 0 && this.columnListsSkipped.length > 0) {
        throw fileIssue(
          fileName,
          'JSON_RECORDS_NOT_FOUND',
          `Файл JSON: других массивов записей, кроме ${list(this.columnListsSkipped)}, в нём нет, а массив «${COLUMN_LIST_KEY}» описывает столбцы (как в ответе CKAN), а не хранит записи. Если записи в нём, укажите путь к ним (параметр recordsPath, в командной строке --json-records): «${this.columnListsSkipped[0]}».`,
          { value: this.columnListsSkipped.join(', ') },
        );
      }
      if (found.length === 0) {
        throw fileIssue(
          fileName,
          'JSON_RECORDS_NOT_FOUND',
          `Файл JSON: в объекте верхнего уровня нет массива записей [{…}, …] (искали до ${MAX_AUTO_DEPTH} уровней вложенности). Если записи глубже, укажите путь к ним (параметр recordsPath, в командной строке --json-records), например «result.records».`,
        );
      }
    }
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
