/**
 * Reporting problems of the row being mapped. Layouts say what is wrong; this class adds where
 * (row, header, cell address), masks personal data, and marks the row as rejected.
 */
import { displayValue } from './cell-values';
import type { ImportIssue, IssueLog, RowIssueCode } from './issues';
import { PersonalDataMask } from './personal-data';
import { cellAddress, type RawRow } from './raw-row';

export type RowReportCode = RowIssueCode | 'YEAR_OUT_OF_RANGE';
/** Builds the reason from the value as it may be shown (already masked when needed). */
export type Reason = (shownValue: string) => string;

export class RowIssues {
  private headers: readonly string[] = [];
  private current: RawRow | null = null;
  private rowFailed = false;
  private mask = new PersonalDataMask();

  constructor(
    private readonly log: IssueLog,
    private readonly file: string,
  ) {}

  /** Header texts by column index, for the "column" of each issue. */
  useHeaders(headers: readonly string[]): void {
    this.headers = headers;
  }

  /** The header row as bound, so that later steps can give a cell address for a column they name. */
  get columnHeaders(): readonly string[] {
    return this.headers;
  }

  /** Called once the layout knows which personal columns the file carries (see personal-data.ts). */
  maskPersonalData(personalHeaders: readonly string[]): void {
    this.mask = new PersonalDataMask(personalHeaders);
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
   * A problem with one cell of the current row. The value is taken from the cell unless given, and the
   * reason is built from it as it may be shown: a personal value never reaches the message.
   */
  cell(code: RowReportCode, column: number, reason: Reason, value?: string | null): void {
    const row = this.requireRow();
    const raw = value !== undefined ? value : displayValue(row.cells[column] ?? null);
    const header = this.headerOf(column);
    const shown = this.mask.value(raw, header);
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
    // The reason was worded by the layout and may quote the value: the mask hides it there too.
    this.push(
      this.mask.issue({
        file: this.file,
        sheet: row.sheet,
        row: row.rowNumber,
        column: column === null ? null : this.headerOf(column),
        cell: column === null ? null : cellAddress(column, row.rowNumber),
        value,
        code,
        messageRu: `Строка ${row.rowNumber}: ${reasonRu}.`,
      }),
    );
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
