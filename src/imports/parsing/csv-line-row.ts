/**
 * A CSV record that is one plain line — no quote, no line break inside — kept as a slice of the decoded chunk.
 * Its cells are split only when something asks for them, so a layout with a fast path (ФИС ОКО) reads the
 * line's characters in place, and the cells of a million rows are never built. Anything unusual in a line
 * sends the row to the ordinary path, which splits it exactly as the CSV state machine would have.
 */
import { fileIssue, type ImportFileError } from './issues';
import type { CellValue, RawRow } from './raw-row';

/** What splitting a line needs from the reader: the separator, the column limit, and scratch for field bounds. */
export interface LineFormat {
  separator: number;
  maxColumns: number;
  fileName: string;
  /** 2 × maxColumns entries, reused line after line (rows are read one at a time). */
  bounds: Int32Array;
}

/** The file error for a row with more columns than the limit; `row` is its 1-based number. */
export function tooManyColumns(fileName: string, row: number, maxColumns: number): ImportFileError {
  return fileIssue(fileName, 'TOO_MANY_COLUMNS', `В строке ${row} больше ${maxColumns} столбцов — вероятно, выбран не тот разделитель.`, { row });
}

/** Characters String.prototype.trim() removes: a cell made only of them is empty. */
export function isTrimmedSpace(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

export class LineRow implements RawRow {
  readonly sheet = null;
  private split: CellValue[] | null = null;

  constructor(
    /** The decoded chunk holding the line; the line is text[start, end), without its line break. */
    readonly text: string,
    readonly start: number,
    readonly end: number,
    readonly rowNumber: number,
    private readonly format: LineFormat,
  ) {}

  get cells(): CellValue[] {
    return (this.split ??= this.splitCells());
  }

  /** Every cell empty or whitespace: the line holds only separators and spaces. */
  isBlank(): boolean {
    const { text, end } = this;
    const separator = this.format.separator;
    for (let i = this.start; i < end; i++) {
      const code = text.charCodeAt(i);
      if (code !== separator && !isTrimmedSpace(code)) return false;
    }
    return true;
  }

  /** Start and end of field k at bounds[2k], bounds[2k + 1] after fieldBounds(); shared by the reader's lines. */
  get bounds(): Int32Array {
    return this.format.bounds;
  }

  /**
   * What the last fieldBounds() of this line returned (undefined before any): lets a later look at the line
   * (the columns without a header, parse-import-file.ts) skip counting its fields again.
   */
  fieldCount: number | undefined = undefined;

  /** Fills `bounds` and returns the number of fields; -1 when there are more than the column limit allows. */
  fieldBounds(): number {
    return (this.fieldCount = this.boundFields());
  }

  /** Whether field `column` (whose bounds fieldBounds() just filled) holds more than spaces. */
  fieldHasValue(column: number): boolean {
    const { text } = this;
    const bounds = this.format.bounds;
    for (let i = bounds[2 * column]; i < bounds[2 * column + 1]; i++) {
      if (!isTrimmedSpace(text.charCodeAt(i))) return true;
    }
    return false;
  }

  private boundFields(): number {
    const { text, end } = this;
    const { separator, bounds, maxColumns } = this.format;
    let fields = 0;
    let fieldStart = this.start;
    for (let i = this.start; i < end; i++) {
      if (text.charCodeAt(i) !== separator) continue;
      if (fields === maxColumns) return -1;
      bounds[2 * fields] = fieldStart;
      bounds[2 * fields + 1] = i;
      fields++;
      fieldStart = i + 1;
    }
    if (fields === maxColumns) return -1;
    bounds[2 * fields] = fieldStart;
    bounds[2 * fields + 1] = end;
    return fields + 1;
  }

  private splitCells(): CellValue[] {
    const { text, end } = this;
    const { separator, maxColumns, fileName } = this.format;
    const cells: CellValue[] = [];
    let fieldStart = this.start;
    for (let i = this.start; i <= end; i++) {
      if (i < end && text.charCodeAt(i) !== separator) continue;
      cells.push(i === fieldStart ? null : text.slice(fieldStart, i));
      fieldStart = i + 1;
      if (cells.length > maxColumns) throw tooManyColumns(fileName, this.rowNumber, maxColumns);
    }
    return cells;
  }
}
