/**
 * Row problems the loader finds after parsing (against the hub's reference data: school codes, subjects,
 * scales, duplicates across codes of one school). They read like the parser's: where, what, the value.
 */
import type { ImportIssue } from '../parsing';
import type { RowErrorSink } from '../batch/row-errors';

export interface RowProblem {
  row: number;
  /** Header of the column as the layout names it; null for the row as a whole. */
  column: string | null;
  value: string | null;
  code: string;
  /** The reason in Russian, without the location (added here). */
  reasonRu: string;
}

export class LoaderIssues {
  /** Rows rejected by the loader (the parser's rejected rows never reach it). */
  readonly rejectedRows = new Set<number>();
  /** Rows left out on purpose, with a warning. */
  readonly skippedRows = new Set<number>();

  constructor(
    private readonly sink: RowErrorSink,
    private readonly fileName: string,
    private readonly sheet: string | null,
  ) {}

  error(problem: RowProblem): void {
    this.rejectedRows.add(problem.row);
    this.skippedRows.delete(problem.row);
    this.sink.add(this.issue(problem), 'ERROR');
  }

  warning(problem: RowProblem): void {
    if (!this.rejectedRows.has(problem.row)) this.skippedRows.add(problem.row);
    this.sink.add(this.issue(problem), 'WARNING');
  }

  /** Rows that must not be merged. */
  excludedRows(): number[] {
    return [...this.rejectedRows, ...this.skippedRows];
  }

  private issue(problem: RowProblem): ImportIssue {
    const where = problem.column === null ? `Строка ${problem.row}` : `Строка ${problem.row}, столбец «${problem.column}»`;
    return {
      file: this.fileName,
      sheet: this.sheet,
      row: problem.row,
      column: problem.column,
      cell: null,
      value: problem.value,
      // Codes the loader adds to the parser's (SCHOOL_NOT_FOUND, SUBJECT_UNKNOWN…); the column is plain text.
      code: problem.code as ImportIssue['code'],
      messageRu: `${where}: ${problem.reasonRu}.`,
    };
  }
}
