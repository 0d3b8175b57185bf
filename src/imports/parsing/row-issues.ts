/**
 * Reporting problems of the row being mapped. Layouts say what is wrong; this class adds where
 * (row, header, cell address), masks personal data, and marks the row as rejected.
 */
import { displayValue } from './cell-values';
import type { ImportIssue, IssueLog, RowIssueCode } from './issues';
import { redactIfWords } from './personal-data';
import { cellAddress, type RawRow } from './raw-row';

export type RowReportCode = RowIssueCode | 'YEAR_OUT_OF_RANGE';
/** Builds the reason from the value as it may be shown (already masked when needed). */
export type Reason = (shownValue: string) => string;

export class RowIssues {
  private headers: readonly string[] = [];
  private current: RawRow | null = null;
  private rowFailed = false;
  private maskWords = false;

  constructor(
    private readonly log: IssueLog,
    private readonly file: string,
  ) {}

  /** Header texts by column index, for the "column" of each issue. */
  useHeaders(headers: readonly string[]): void {
    this.headers = headers;
  }

  /** Turned on when the file carries personal columns (see personal-data.ts). */
  maskWordsInValues(): void {
    this.maskWords = true;
  }

  begin(row: RawRow): void {
    this.current = row;
    this.rowFailed = false;
  }

  /** True once any issue was reported for the current row: the row will not become a record. */
  get failed(): boolean {
    return this.rowFailed;
  }

  headerOf(column: number): string {
    return this.headers[column] || `столбец ${cellAddress(column, 1).replace(/\d+$/, '')}`;
  }

  /**
   * A problem with one cell of the current row. The value is taken from the cell unless given;
   * `trusted` marks a value the hub made itself (an anonymised code), which needs no masking.
   */
  cell(code: RowReportCode, column: number, reason: Reason, value?: string | null, trusted = false): void {
    const row = this.requireRow();
    const raw = value !== undefined ? value : displayValue(row.cells[column] ?? null);
    const shown = this.maskWords && !trusted ? redactIfWords(raw) : raw;
    const header = this.headerOf(column);
    const address = cellAddress(column, row.rowNumber);
    this.push({
      file: this.file,
      sheet: row.sheet,
      row: row.rowNumber,
      column: header,
      cell: address,
      value: shown,
      code,
      messageRu: `Строка ${row.rowNumber}, столбец «${header}» (${address}): ${reason(shown ?? '')}.`,
    });
  }

  /** A problem of the row as a whole, e.g. shares that do not add up. */
  row(code: RowReportCode, reasonRu: string, column: number | null = null, value: string | null = null): void {
    const row = this.requireRow();
    const shown = this.maskWords ? redactIfWords(value) : value;
    this.push({
      file: this.file,
      sheet: row.sheet,
      row: row.rowNumber,
      column: column === null ? null : this.headerOf(column),
      cell: column === null ? null : cellAddress(column, row.rowNumber),
      value: shown,
      code,
      messageRu: `Строка ${row.rowNumber}: ${reasonRu}.`,
    });
  }

  private push(issue: ImportIssue): void {
    this.rowFailed = true;
    this.log.add(issue);
  }

  private requireRow(): RawRow {
    if (this.current === null) throw new Error('RowIssues.begin() must be called before reporting');
    return this.current;
  }
}

/** Reasons shared by the layouts, so one problem reads the same in every file type. */
export const reasons = {
  required: (): string => 'значение обязательно, а ячейка пустая',
  notANumber: (shown: string): string => `ожидается число, указано «${shown}»`,
  notAnInteger: (shown: string): string => `ожидается целое число, указано «${shown}»`,
  negativeScore: (shown: string): string => `балл не может быть отрицательным, указано «${shown}»`,
  scoreAboveMax:
    (max: number, what: string): Reason =>
    (shown) =>
      `балл «${shown}» больше максимального (${max}) ${what}`,
  markOutOfRange: (shown: string): string => `отметка должна быть 2, 3, 4, 5 или «нет отметки», указано «${shown}»`,
  markInconsistent:
    (primary: number, expected: number): Reason =>
    (shown) =>
      `отметка «${shown}» не соответствует шкале: за первичный балл ${primary} полагается «${expected}»`,
  yearOutOfRange:
    (min: number, max: number): Reason =>
    (shown) =>
      `год «${shown}» вне допустимого диапазона ${min}–${max}`,
  gradeOutOfRange: (shown: string): string => `класс должен быть от 1 до 11, указано «${shown}»`,
  percentOutOfRange: (shown: string): string => `доля должна быть от 0 до 100 %, указано «${shown}»`,
  invalidChoice:
    (allowed: readonly string[]): Reason =>
    (shown) =>
      `недопустимое значение «${shown}»; допустимо: ${allowed.join(', ')}`,
  duplicateParticipant:
    (firstRow: number): Reason =>
    (shown) =>
      `участник «${shown}» уже есть в строке ${firstRow} — один участник должен встречаться в файле один раз`,
  formula: (address: string): Reason => () => `ячейка ${address} содержит формулу — формулы не допускаются, вставьте в ячейку значение`,
};
