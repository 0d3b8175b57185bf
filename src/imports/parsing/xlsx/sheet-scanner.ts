/**
 * The worksheet scanner: worksheet XML, fed as decoded text chunks, → plain rows. Hand-written for speed
 * (a 200,000-row sheet is ~100 MB of XML): it looks only at the markup that carries cell values —
 * `<row>`, `<c>`, `<v>`, `<f>`, `<is>`/`<t>` — and skips the rest, keeping just enough state to resume
 * at any chunk boundary and to tell a well-formed document from a broken one.
 */
import type { CellValue, RawRow } from '../raw-row';
import { Code, decodeXmlText, detach, escapeCdata, malformed, markupEnd, MAX_TAG_CHARS, MAX_TEXT_CHARS, XlsxPartError } from './xml-text';

/** Excel's last column, XFD. A larger reference is garbage (and would allocate a huge row). */
const MAX_COLUMNS = 16_384;
/** Excel's last row. A sheet that claims more is not one Excel wrote; counting empty rows up to it would be the work. */
const MAX_ROWS = 1_048_576;

// Cell types (`t`): s shared string, str formula string, inlineStr, b boolean, e error, d ISO date, n number.
const NUMBER = 0;
const SHARED = 1;
const STRING = 2;
const BOOLEAN = 3;
const ERROR = 4;
const DATE = 5;

// Elements the scanner acts on; everything else is only counted for well-formedness.
const OTHER = 0;
const SHEET_DATA = 1;
const ROW = 2;
const CELL = 3;
const VALUE = 4;
const FORMULA = 5;
const INLINE = 6;
const TEXT = 7;
const PHONETIC = 8;

function elementOf(text: string, start: number, end: number): number {
  const first = text.charCodeAt(start);
  switch (end - start) {
    case 1:
      if (first === 99 /* c */) return CELL;
      if (first === 118 /* v */) return VALUE;
      if (first === 102 /* f */) return FORMULA;
      if (first === 116 /* t */) return TEXT;
      return OTHER;
    case 2:
      return first === 105 /* i */ && text.charCodeAt(start + 1) === 115 /* s */ ? INLINE : OTHER;
    case 3:
      if (text.startsWith('row', start)) return ROW;
      return text.startsWith('rPh', start) ? PHONETIC : OTHER;
    case 9:
      return text.startsWith('sheetData', start) ? SHEET_DATA : OTHER;
    default:
      return OTHER;
  }
}

function cellType(text: string, start: number, end: number): number {
  switch (end - start) {
    case 1:
      switch (text.charCodeAt(start)) {
        case 115 /* s */:
          return SHARED;
        case 98 /* b */:
          return BOOLEAN;
        case 101 /* e */:
          return ERROR;
        case 100 /* d */:
          return DATE;
        default:
          return NUMBER;
      }
    case 3: // str
    case 9: // inlineStr
      return text.startsWith('str', start) || text.startsWith('inlineStr', start) ? STRING : NUMBER;
    default:
      return NUMBER;
  }
}

/** A non-negative decimal integer from the text range, or -1 when it is not one. */
function integerAt(text: string, start: number, end: number): number {
  if (start === end) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** 0-based column of a cell reference such as `B3` (its letters; the row digits are the row's business). */
function columnAt(text: string, start: number, end: number): number {
  let column = 0;
  let i = start;
  for (; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= 65 && code <= 90) column = column * 26 + code - 64;
    else if (code >= 97 && code <= 122) column = column * 26 + code - 96;
    else break;
    if (column > MAX_COLUMNS) throw new XlsxPartError('corrupt', 'cell reference beyond the last column');
  }
  if (i === start) throw new XlsxPartError('corrupt', 'cell reference without a column');
  return column - 1;
}

function isoDate(date: Date): string {
  const iso = date.toISOString();
  // A whole day reads as a date, anything else keeps its time (to the minute).
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 16).replace('T', ' ');
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * An Excel date serial as text. 1900 system: serial 25569 is 1970-01-01, and Excel counts a 29 February
 * 1900 that never was (serial 60), so serials before it are one day later than a plain count gives.
 * 1904 system: serial 0 is 1904-01-01.
 */
function serialDate(serial: number, date1904: boolean): string | null {
  // The same arithmetic as exceljs used, so times round to the same millisecond as before.
  let ms = Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 24 * 3600 * 1000);
  const leapDay = !date1904 && serial >= 60 && serial < 61;
  if (!date1904 && serial < 60) ms += DAY_MS;
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return null;
  const text = isoDate(date);
  return leapDay && text.startsWith('1900-02-28') ? `1900-02-29${text.slice(10)}` : text;
}

const ISO_DATE = /^\s*(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?/;

/** A `t="d"` cell's ISO 8601 text, in the same shape as dates from serials; unrecognised text stays as is. */
function isoCellDate(text: string): string {
  const match = ISO_DATE.exec(text);
  if (match === null) return text;
  const [, day, hours, minutes, seconds, fraction] = match;
  if (hours === undefined || (hours === '00' && minutes === '00' && Number(seconds ?? 0) === 0 && Number(fraction ?? 0) === 0)) return day!;
  return `${day} ${hours}:${minutes}`;
}

export interface SheetContext {
  sheet: string;
  sharedStrings: readonly string[];
  /** Per cell style index: formats numbers as dates. */
  dateStyles: readonly boolean[];
  date1904: boolean;
}

export class SheetScanner {
  private carry = '';
  private depth = 0;
  private rootClosed = false;
  private rows: RawRow[] = [];
  private inSheetData = false;

  private inRow = false;
  private rowNumber = 0;
  private cells: CellValue[] = [];
  private formulaColumns: number[] | undefined;

  private inCell = false;
  private column = -1;
  private type = NUMBER;
  private style = 0;
  private hasValue = false;
  private hasFormula = false;
  private inInline = false;
  private phonetic = 0;
  /** Inside `<v>` or an inline string's `<t>`: text goes to `raw` (undecoded until the cell ends). */
  private collecting = false;
  private raw = '';

  /** Value ranges of the last row or cell tag's r, s and t attributes (start -1: absent). */
  private refStart = -1;
  private refEnd = -1;
  private styleStart = -1;
  private styleEnd = -1;
  private typeStart = -1;
  private typeEnd = -1;

  constructor(private readonly context: SheetContext) {}

  /** Scans a chunk; returns the rows it completed. */
  write(chunk: string): RawRow[] {
    const text = this.carry === '' ? chunk : this.carry + chunk;
    this.carry = '';
    const length = text.length;
    let position = 0;
    while (position < length) {
      const start = text.indexOf('<', position);
      if (start < 0) {
        if (this.collecting) this.collect(text.slice(position));
        break;
      }
      if (this.collecting && start > position) this.collect(text.slice(position, start));
      const next = this.markup(text, start);
      if (next < 0) {
        // The markup goes on in the next chunk.
        if (length - start > MAX_TAG_CHARS) throw malformed();
        this.carry = text.slice(start);
        break;
      }
      position = next;
    }
    const rows = this.rows;
    this.rows = [];
    return rows;
  }

  /** After the last chunk: the rows still pending, once the document is known to be complete. */
  end(): RawRow[] {
    if (this.carry !== '' || this.depth !== 0 || !this.rootClosed) throw malformed();
    const rows = this.rows;
    this.rows = [];
    return rows;
  }

  private collect(raw: string): void {
    this.raw += raw;
    if (this.raw.length > MAX_TEXT_CHARS) throw new XlsxPartError('corrupt', 'cell text too long');
  }

  /** Handles the markup starting at `start`; returns where the text after it starts, or -1 if incomplete. */
  private markup(text: string, start: number): number {
    const length = text.length;
    let position = start + 1;
    if (position >= length) return -1;
    let code = text.charCodeAt(position);
    if (code === Code.Bang || code === Code.Question) {
      const end = markupEnd(text, start);
      if (end < 0) return -1;
      if (this.collecting && text.startsWith('<![CDATA[', start)) this.collect(escapeCdata(text.slice(start + 9, end - 2)));
      return end + 1;
    }
    const closing = code === Code.Slash;
    if (closing) position++;
    let localStart = position;
    for (; position < length; position++) {
      code = text.charCodeAt(position);
      if (code === Code.Greater || code === Code.Slash || code <= Code.Space) break;
      if (code === Code.Colon) localStart = position + 1;
    }
    if (position >= length) return -1;
    if (position === localStart) throw malformed();
    const element = elementOf(text, localStart, position);

    if (closing) {
      const end = code === Code.Greater ? position : text.indexOf('>', position);
      if (end < 0) return -1;
      if (this.depth === 0) throw malformed();
      if (--this.depth === 0) this.rootClosed = true;
      if (element !== OTHER) this.close(element);
      return end + 1;
    }

    // The common tags (<v>, <is>, <t>) have no attributes: their end is right after the name. Rows'
    // and cells' attributes are read on the way to the end; other tags are only skipped.
    let end: number;
    if (element === CELL || element === ROW) end = this.attributes(text, position);
    else end = code === Code.Greater ? position : markupEnd(text, start);
    if (end < 0) return -1;
    const selfClosing = text.charCodeAt(end - 1) === Code.Slash;
    if (this.rootClosed) throw malformed();
    if (!selfClosing) this.depth++;
    else if (this.depth === 0) this.rootClosed = true;
    if (element !== OTHER) this.open(element, text, selfClosing);
    return end + 1;
  }

  private open(element: number, text: string, selfClosing: boolean): void {
    switch (element) {
      case SHEET_DATA:
        this.inSheetData = !selfClosing;
        return;
      case ROW:
        if (!this.inSheetData) return;
        this.rowAttributes(text);
        this.cells = [];
        this.formulaColumns = undefined;
        this.column = -1;
        this.inRow = true;
        if (selfClosing) this.finishRow();
        return;
      case CELL:
        if (!this.inRow) return;
        this.cellAttributes(text);
        this.hasValue = false;
        this.hasFormula = false;
        this.inInline = false;
        this.phonetic = 0;
        this.raw = '';
        this.inCell = !selfClosing;
        return;
      case VALUE:
        if (!this.inCell) return;
        this.hasValue = true;
        this.raw = '';
        this.collecting = !selfClosing;
        return;
      case FORMULA:
        if (this.inCell) this.hasFormula = true;
        return;
      case INLINE:
        if (!this.inCell) return;
        this.hasValue = true;
        this.raw = '';
        this.inInline = !selfClosing;
        return;
      case TEXT:
        // Rich text runs (<r><t>) join up; phonetic readings (<rPh><t>) are not part of the value.
        if (this.inInline && this.phonetic === 0 && !selfClosing) this.collecting = true;
        return;
      case PHONETIC:
        if (this.inInline && !selfClosing) this.phonetic++;
        return;
    }
  }

  private close(element: number): void {
    switch (element) {
      case VALUE:
      case TEXT:
        this.collecting = false;
        return;
      case PHONETIC:
        if (this.phonetic > 0) this.phonetic--;
        return;
      case INLINE:
        this.inInline = false;
        return;
      case CELL:
        if (!this.inCell) return;
        this.inCell = false;
        this.collecting = false;
        this.finishCell();
        return;
      case ROW:
        if (this.inRow) this.finishRow();
        return;
      case SHEET_DATA:
        this.inSheetData = false;
        return;
    }
  }

  /**
   * Reads the attributes of a row or cell tag from `start` up to its `>`, whose index it returns (-1 if
   * the text ends first). Notes where the values of `r`, `s` and `t` are (whatever their prefix).
   */
  private attributes(text: string, start: number): number {
    this.refStart = this.styleStart = this.typeStart = -1;
    const length = text.length;
    let position = start;
    while (position < length) {
      let code = text.charCodeAt(position);
      if (code === Code.Greater) return position;
      if (code <= Code.Space || code === Code.Slash) {
        position++;
        continue;
      }
      let localStart = position;
      for (; position < length; position++) {
        code = text.charCodeAt(position);
        if (code === Code.Equals || code <= Code.Space || code === Code.Greater) break;
        if (code === Code.Colon) localStart = position + 1;
      }
      const nameEnd = position;
      while (position < length && text.charCodeAt(position) <= Code.Space) position++;
      if (position >= length) return -1;
      if (text.charCodeAt(position) !== Code.Equals) throw malformed();
      position++;
      while (position < length && text.charCodeAt(position) <= Code.Space) position++;
      if (position >= length) return -1;
      const quote = text.charCodeAt(position);
      if (quote !== Code.Quote && quote !== Code.Apostrophe) throw malformed();
      const valueEnd = text.indexOf(quote === Code.Quote ? '"' : "'", position + 1);
      if (valueEnd < 0) return -1;
      if (nameEnd - localStart === 1) {
        switch (text.charCodeAt(localStart)) {
          case 114 /* r */:
            this.refStart = position + 1;
            this.refEnd = valueEnd;
            break;
          case 115 /* s */:
            this.styleStart = position + 1;
            this.styleEnd = valueEnd;
            break;
          case 116 /* t */:
            this.typeStart = position + 1;
            this.typeEnd = valueEnd;
            break;
        }
      }
      position = valueEnd + 1;
    }
    return -1;
  }

  private rowAttributes(text: string): void {
    if (this.refStart < 0) {
      // Rows may leave out their number: then they follow the previous one.
      this.rowNumber++;
    } else {
      const rowNumber = integerAt(text, this.refStart, this.refEnd);
      if (rowNumber < 1) throw new XlsxPartError('corrupt', 'bad row number');
      this.rowNumber = rowNumber;
    }
    if (this.rowNumber > MAX_ROWS) throw new XlsxPartError('too-large', 'row beyond the last row of a sheet');
  }

  private cellAttributes(text: string): void {
    // Cells may leave out their reference: then they follow the previous one.
    this.column = this.refStart >= 0 ? columnAt(text, this.refStart, this.refEnd) : this.column + 1;
    if (this.column >= MAX_COLUMNS) throw new XlsxPartError('corrupt', 'cell beyond the last column');
    this.type = this.typeStart >= 0 ? cellType(text, this.typeStart, this.typeEnd) : NUMBER;
    this.style = this.styleStart >= 0 ? Math.max(0, integerAt(text, this.styleStart, this.styleEnd)) : 0;
  }

  private finishCell(): void {
    // A cell with neither value nor formula (only a style) is empty, as if it were not there.
    if (!this.hasValue && !this.hasFormula) return;
    const value = this.hasValue ? this.value() : null;
    // So is an empty shared string (as exceljs had it: a row's cells end at its last value).
    if (value === null && this.type === SHARED && !this.hasFormula) return;
    const cells = this.cells;
    const column = this.column;
    while (cells.length < column) cells.push(null);
    cells[column] = value;
    // A formula's cached result is the value; the column is flagged because the hub takes values only.
    if (this.hasFormula) (this.formulaColumns ??= []).push(column);
  }

  private value(): CellValue {
    const raw = this.raw;
    switch (this.type) {
      case SHARED: {
        const text = this.context.sharedStrings[Number.parseInt(raw, 10)];
        return text === undefined || text === '' ? null : text;
      }
      case STRING:
      case ERROR: {
        const text = decodeXmlText(raw);
        return text === '' ? null : detach(text);
      }
      case BOOLEAN: {
        const text = raw.trim();
        if (text === '') return null;
        return text === '0' || text === 'false' ? 'нет' : 'да';
      }
      case DATE: {
        const text = decodeXmlText(raw).trim();
        return text === '' ? null : detach(isoCellDate(text));
      }
      default: {
        const number = Number.parseFloat(raw);
        if (!Number.isFinite(number)) return null;
        const style = this.style;
        if (style < this.context.dateStyles.length && this.context.dateStyles[style]) return serialDate(number, this.context.date1904);
        return number;
      }
    }
  }

  private finishRow(): void {
    this.inRow = false;
    this.inCell = false;
    this.collecting = false;
    const { sheet } = this.context;
    let formulaColumns = this.formulaColumns;
    if (formulaColumns === undefined) {
      this.rows.push({ sheet, rowNumber: this.rowNumber, cells: this.cells });
      return;
    }
    // Cells come in column order; should a writer not keep to it, the columns still go out ascending, once.
    for (let i = 1; i < formulaColumns.length; i++) {
      if (formulaColumns[i]! <= formulaColumns[i - 1]!) {
        formulaColumns = [...new Set(formulaColumns)].sort((a, b) => a - b);
        break;
      }
    }
    this.rows.push({ sheet, rowNumber: this.rowNumber, cells: this.cells, formulaColumns });
  }
}
