/**
 * Problems found while parsing an import. Row issues reject their row and are collected (capped) with
 * counts; file-level issues stop the import and are thrown as `ImportFileError`.
 * Messages are in Russian for the regional operator and always say where to look.
 */

/** Problems that make the whole file unusable. */
export type FileIssueCode =
  | 'EMPTY_FILE'
  | 'HEADER_ONLY'
  | 'UNKNOWN_LAYOUT'
  | 'AMBIGUOUS_LAYOUT'
  | 'MISSING_COLUMN'
  | 'UNREADABLE_HEADER'
  | 'METADATA_MISSING'
  | 'METADATA_CONFLICT'
  | 'INVALID_OPTIONS'
  | 'UNSUPPORTED_FORMAT'
  | 'ENCODING_UNDETECTED'
  | 'ENCODING_INVALID'
  | 'XLSX_CORRUPT'
  | 'SHEET_NOT_FOUND'
  | 'JSON_RECORDS_NOT_FOUND'
  | 'JSON_RECORDS_AMBIGUOUS'
  | 'CSV_UNCLOSED_QUOTE'
  | 'FIELD_TOO_LONG'
  | 'TOO_MANY_COLUMNS'
  | 'TOO_MANY_ROWS'
  | 'FILE_TOO_LARGE';

/** Problems of one row (or one cell); the row is rejected, the rest of the file goes on. */
export type RowIssueCode =
  | 'FORMULA_NOT_ALLOWED'
  | 'REQUIRED_VALUE_MISSING'
  | 'NOT_A_NUMBER'
  | 'NOT_AN_INTEGER'
  | 'NEGATIVE_SCORE'
  | 'SCORE_ABOVE_MAX'
  | 'SCORE_SUM_MISMATCH'
  | 'MARK_OUT_OF_RANGE'
  | 'MARK_INCONSISTENT_WITH_SCALE'
  | 'DUPLICATE_PARTICIPANT'
  | 'DUPLICATE_ROW'
  | 'GRADE_OUT_OF_RANGE'
  | 'PERCENT_OUT_OF_RANGE'
  | 'SHARES_SUM_MISMATCH'
  | 'SHARES_DO_NOT_FIT_PARTICIPANTS'
  | 'COUNTS_DO_NOT_SUM_TO_PARTICIPANTS'
  | 'ANSWER_STRING_INVALID'
  | 'TASK_COUNT_MISMATCH'
  | 'INVALID_VALUE'
  | 'INVALID_INN'
  | 'SCHOOL_CODE_MISSING'
  | 'SCALE_INVALID';

/** YEAR_OUT_OF_RANGE is a row issue when years are per row, a file issue when the title carries the year. */
export type IssueCode = FileIssueCode | RowIssueCode | 'YEAR_OUT_OF_RANGE';

export interface ImportIssue {
  file: string;
  sheet: string | null;
  /** Excel row number; null for problems of the file as a whole. */
  row: number | null;
  /** Header text of the column as in the file (or as the template names it when the column is missing). */
  column: string | null;
  /** Cell address such as "G5" (also for CSV, as Excel would show it); null when no single cell is meant. */
  cell: string | null;
  /** The offending value as text; masked when the file carries personal data and the value contains words. */
  value: string | null;
  code: IssueCode;
  messageRu: string;
}

/** A file-level problem: the import cannot go on. Thrown by `parseImportFile` or while reading records. */
export class ImportFileError extends Error {
  readonly issue: ImportIssue;

  constructor(issue: ImportIssue) {
    super(issue.messageRu);
    this.name = 'ImportFileError';
    this.issue = issue;
  }

  get code(): IssueCode {
    return this.issue.code;
  }
}

/** Where a file-level problem sits, when it sits somewhere. */
export interface FileIssueLocation {
  sheet?: string | null;
  row?: number | null;
  column?: string | null;
  cell?: string | null;
  value?: string | null;
}

export function fileIssue(file: string, code: FileIssueCode | 'YEAR_OUT_OF_RANGE', messageRu: string, at: FileIssueLocation = {}): ImportFileError {
  return new ImportFileError({
    file,
    sheet: at.sheet ?? null,
    row: at.row ?? null,
    column: at.column ?? null,
    cell: at.cell ?? null,
    value: at.value ?? null,
    code,
    messageRu,
  });
}

/**
 * Keeps at most `maxKept` issues so that a 1,000,000-row file full of errors stays within memory,
 * while counting all of them by code. `onIssue` sees every issue, for callers that stream them elsewhere.
 */
export class IssueLog {
  readonly kept: ImportIssue[] = [];
  readonly byCode: Partial<Record<IssueCode, number>> = {};
  total = 0;

  constructor(
    private readonly maxKept: number,
    private readonly onIssue?: (issue: ImportIssue) => void,
  ) {}

  add(issue: ImportIssue): void {
    this.total++;
    this.byCode[issue.code] = (this.byCode[issue.code] ?? 0) + 1;
    if (this.kept.length < this.maxKept) this.kept.push(issue);
    this.onIssue?.(issue);
  }

  get dropped(): number {
    return this.total - this.kept.length;
  }
}
