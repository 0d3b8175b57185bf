/**
 * Streaming CSV reader: a hand-written state machine over decoded text chunks. csv-parse 7 read
 * 20,000–30,000 rows/s of a Cyrillic participant file on the hub's machine; this reads over a million.
 * RFC 4180 quoting — separators, doubled quotes and line
 * breaks inside quotes — read the way Excel reads them: text after a closing quote is kept, a quote inside
 * an unquoted field is literal. Row numbers count records, as Excel numbers rows of an opened CSV.
 */
import { LineRow, tooManyColumns, type LineFormat } from './csv-line-row';
import { InvalidBytesError, UndetectedEncodingError } from './encoding';
import { fileIssue } from './issues';
import type { CsvSeparator } from './options';
import type { CellValue, RawRow } from './raw-row';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** Just read a quote inside a quoted field: a doubled quote, or the end of the field. */
const AFTER_QUOTE = 3;

export interface CsvLimits {
  maxFieldLength: number;
  maxColumns: number;
}

export class CsvParser {
  private readonly sep: number;
  private state = FIELD_START;
  /** Text of the current field gathered from earlier chunks or quoted parts. */
  private field = '';
  private row: CellValue[] = [];
  private rowNumber = 0;
  /** The previous chunk ended with CR: a LF starting the next chunk belongs to the same line break. */
  private skipLf = false;
  private quoteOpenedInRow = 0;
  /** Set once the layout reads plain lines in place (see LineRow): records that are one plain line become LineRows. */
  private lineFormat: LineFormat | null = null;

  constructor(
    separator: CsvSeparator,
    private readonly limits: CsvLimits,
    private readonly fileName: string,
  ) {
    this.sep = separator.charCodeAt(0);
  }

  /** From now on, a record that is one line without quotes or lone CRs comes out as a LineRow. */
  emitLines(): void {
    const { maxColumns } = this.limits;
    this.lineFormat = { separator: this.sep, maxColumns, fileName: this.fileName, bounds: new Int32Array(2 * maxColumns) };
  }

  /** Rows completed so far (the number of the last row pushed). */
  get rowsCompleted(): number {
    return this.rowNumber;
  }

  push(chunk: string, out: RawRow[]): void {
    const sep = this.sep;
    const n = chunk.length;
    let i = 0;
    if (this.skipLf) {
      this.skipLf = false;
      if (n > 0 && chunk.charCodeAt(0) === LF) i = 1;
    }
    let state = this.state;
    let start = i;
    const lineFormat = this.lineFormat;
    let nextQuote = -1;
    let nextCr = -1;
    while (i < n) {
      if (lineFormat !== null && state === FIELD_START && this.row.length === 0) {
        // A record starts here: when its line holds no quote and no CR but the one before LF, it is taken whole.
        const lf = chunk.indexOf('\n', i);
        if (lf >= 0) {
          const end = lf > i && chunk.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
          if (nextQuote < i && nextQuote !== n) nextQuote = indexOrLength(chunk, '"', i);
          if (nextCr < i && nextCr !== n) nextCr = indexOrLength(chunk, '\r', i);
          if (nextQuote >= end && nextCr >= end && end - i <= this.limits.maxFieldLength) {
            out.push(new LineRow(chunk, i, end, ++this.rowNumber, lineFormat));
            i = lf + 1;
            continue;
          }
        }
      }
      if (state === FIELD_START) {
        if (chunk.charCodeAt(i) === QUOTE) {
          state = QUOTED;
          this.quoteOpenedInRow = this.rowNumber + 1;
          i++;
          continue;
        }
        state = UNQUOTED;
        start = i;
      }
      if (state === UNQUOTED) {
        let j = i;
        let c = 0;
        for (; j < n; j++) {
          c = chunk.charCodeAt(j);
          if (c === sep || c === LF || c === CR) break;
        }
        if (j === n) {
          this.append(chunk, start, n);
          i = n;
          break;
        }
        this.endField(this.field === '' ? chunk.slice(start, j) : this.field + chunk.slice(start, j));
        i = j + 1;
        state = FIELD_START;
        if (c !== sep) i = this.endLine(chunk, i, c, out);
        continue;
      }
      if (state === QUOTED) {
        const quote = chunk.indexOf('"', i);
        if (quote < 0) {
          this.append(chunk, i, n);
          i = n;
          break;
        }
        this.append(chunk, i, quote);
        i = quote + 1;
        state = AFTER_QUOTE;
        continue;
      }
      // AFTER_QUOTE
      const c = chunk.charCodeAt(i);
      if (c === QUOTE) {
        this.field += '"';
        i++;
        state = QUOTED;
      } else if (c === sep || c === LF || c === CR) {
        this.endField(this.field);
        i++;
        state = FIELD_START;
        if (c !== sep) i = this.endLine(chunk, i, c, out);
      } else {
        // "abc"def — Excel keeps the text after the closing quote; so do we.
        state = UNQUOTED;
        start = i;
      }
    }
    this.state = state;
  }

  /** Flushes the last row at the end of input. */
  end(out: RawRow[]): void {
    if (this.state === QUOTED) {
      throw fileIssue(
        this.fileName,
        'CSV_UNCLOSED_QUOTE',
        `В строке ${this.quoteOpenedInRow} открыта кавычка, которая не закрыта до конца файла. Проверьте кавычки в этой строке.`,
        { row: this.quoteOpenedInRow },
      );
    }
    if (this.state !== FIELD_START || this.row.length > 0) {
      this.endField(this.field);
      this.finishRow(out);
    }
    this.state = FIELD_START;
  }

  private endLine(chunk: string, i: number, c: number, out: RawRow[]): number {
    this.finishRow(out);
    if (c === CR) {
      if (i < chunk.length) {
        if (chunk.charCodeAt(i) === LF) return i + 1;
      } else {
        this.skipLf = true;
      }
    }
    return i;
  }

  private append(chunk: string, from: number, to: number): void {
    if (from === to) return;
    this.field += chunk.slice(from, to);
    if (this.field.length > this.limits.maxFieldLength) this.fieldTooLong();
  }

  private endField(text: string): void {
    this.field = '';
    if (text.length > this.limits.maxFieldLength) this.fieldTooLong();
    this.row.push(text === '' ? null : text);
    if (this.row.length > this.limits.maxColumns) {
      throw tooManyColumns(this.fileName, this.rowNumber + 1, this.limits.maxColumns);
    }
  }

  private finishRow(out: RawRow[]): void {
    out.push({ sheet: null, rowNumber: ++this.rowNumber, cells: this.row });
    this.row = [];
  }

  private fieldTooLong(): never {
    const row = this.state === QUOTED || this.state === AFTER_QUOTE ? this.quoteOpenedInRow : this.rowNumber + 1;
    throw fileIssue(
      this.fileName,
      'FIELD_TOO_LONG',
      `Ячейка в строке ${row} длиннее ${this.limits.maxFieldLength} символов — скорее всего, в этой строке не закрыта кавычка.`,
      { row },
    );
  }
}

const CANDIDATES: readonly CsvSeparator[] = [';', '\t', ','];
const LINES_FOR_DETECTION = 50;

/** Separators outside quotes per record, for the first records of a sample. */
function separatorCounts(sample: string, separator: string): number[] {
  const counts: number[] = [];
  let inQuotes = false;
  let count = 0;
  let empty = true;
  for (let i = 0; i < sample.length && counts.length < LINES_FOR_DETECTION; i++) {
    const char = sample[i];
    if (char === '"') inQuotes = !inQuotes;
    else if (inQuotes) continue;
    else if (char === separator) count++;
    else if (char === '\n' || char === '\r') {
      if (!empty || count > 0) counts.push(count);
      count = 0;
      empty = true;
      continue;
    }
    empty = false;
  }
  return counts;
}

/**
 * The separator that splits the most lines into the same number of fields. Title lines above the
 * header (ФИС ОКО) have none, and decimal commas make "," noisy, hence consistency rather than frequency;
 * ties go to ";", then tab, then ",".
 */
export function detectSeparator(sample: string): CsvSeparator {
  let best: { separator: CsvSeparator; score: number } = { separator: ';', score: 0 };
  for (const separator of CANDIDATES) {
    const counts = separatorCounts(sample, separator);
    const frequency = new Map<number, number>();
    for (const count of counts) if (count > 0) frequency.set(count, (frequency.get(count) ?? 0) + 1);
    let modeLines = 0;
    for (const lines of frequency.values()) modeLines = Math.max(modeLines, lines);
    const score = counts.length === 0 ? 0 : modeLines / counts.length;
    if (score > best.score + 1e-9) best = { separator, score };
  }
  return best.separator;
}

export interface CsvReaderOptions extends CsvLimits {
  fileName: string;
  separator?: CsvSeparator;
}

const SEPARATOR_SAMPLE_CHARS = 64 * 1024;

/** Reads CSV text into batches of rows (one batch per decoded chunk). */
export class CsvReader {
  separator: CsvSeparator | null = null;
  private parser: CsvParser | null = null;
  private linesWanted = false;

  constructor(
    private readonly text: AsyncIterable<string>,
    private readonly options: CsvReaderOptions,
  ) {}

  async *batches(): AsyncGenerator<RawRow[]> {
    let parser: CsvParser | null = null;
    try {
      const iterator = this.text[Symbol.asyncIterator]();
      let sample = '';
      let ended = false;
      try {
        while (sample.length < SEPARATOR_SAMPLE_CHARS) {
          const next = await iterator.next();
          if (next.done) {
            ended = true;
            break;
          }
          sample += next.value;
        }
      } catch (error) {
        // Bad bytes within the first 64 KB: the rows before them still tell where they are.
        if (!(error instanceof InvalidBytesError)) throw error;
        parser = this.createParser(sample);
        parser.push(sample, []);
        throw error;
      }
      parser = this.createParser(sample);
      let rows: RawRow[] = [];
      parser.push(sample, rows);
      if (rows.length > 0) yield rows;
      while (!ended) {
        const next = await iterator.next();
        if (next.done) break;
        rows = [];
        parser.push(next.value, rows);
        if (rows.length > 0) yield rows;
      }
      rows = [];
      parser.end(rows);
      if (rows.length > 0) yield rows;
    } catch (error) {
      if (error instanceof InvalidBytesError && parser !== null) parser.push(error.validText, []);
      throw this.explain(error, parser?.rowsCompleted ?? 0);
    }
  }

  /** Rows parsed from now on that are one plain line come out as LineRows. */
  emitLines(): void {
    this.linesWanted = true;
    this.parser?.emitLines();
  }

  private createParser(sample: string): CsvParser {
    this.separator = this.options.separator ?? detectSeparator(sample);
    this.parser = new CsvParser(this.separator, this.options, this.options.fileName);
    if (this.linesWanted) this.parser.emitLines();
    return this.parser;
  }

  private explain(error: unknown, rowsCompleted: number): unknown {
    const file = this.options.fileName;
    if (error instanceof InvalidBytesError) {
      return fileIssue(
        file,
        'ENCODING_INVALID',
        `В строке ${rowsCompleted + 1} встречаются байты, недопустимые в кодировке ${error.encoding.toUpperCase()}, в которой записано начало файла: файл сохранён в смешанной кодировке. Пересохраните его как «CSV UTF-8» или укажите кодировку при загрузке.`,
        { row: rowsCompleted + 1 },
      );
    }
    if (error instanceof UndetectedEncodingError) {
      const messages: Record<UndetectedEncodingError['reason'], string> = {
        'utf-16':
          'Файл похож на текст в кодировке UTF-16 без метки BOM. Сохраните его как «CSV UTF-8» (или «CSV (разделители — точка с запятой)») либо укажите кодировку при загрузке.',
        binary: 'Файл не похож на текстовый CSV: в нём двоичные данные. Загрузите таблицу в формате XLSX или CSV.',
        unknown:
          'Не удалось определить кодировку файла: это не UTF-8 и не похоже на русский текст в Windows-1251. Укажите кодировку при загрузке.',
        'unsupported-override': 'Кодировка, указанная при загрузке, не поддерживается. Укажите, например, utf-8 или windows-1251.',
      };
      return fileIssue(file, 'ENCODING_UNDETECTED', messages[error.reason], rowsCompleted > 0 ? { row: rowsCompleted + 1 } : {});
    }
    return error;
  }
}

function indexOrLength(text: string, char: string, from: number): number {
  const index = text.indexOf(char, from);
  return index < 0 ? text.length : index;
}
