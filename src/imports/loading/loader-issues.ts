/**
 * Row problems the loader finds after parsing (against the hub's reference data: school codes, subjects,
 * scales, duplicates across codes of one school). They read like the parser's: where (with the cell address
 * when the column is one of the file's), what, the value — masked by the sink where it may be personal.
 */
import type { ImportIssue } from '../parsing';
import { normalizeHeader } from '../parsing/headers';
import { cellAddress } from '../parsing/raw-row';
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

  /** Column index by normalized header text, for cell addresses. */
  private readonly columnOf = new Map<string, number>();

  constructor(
    private readonly sink: RowErrorSink,
    private readonly fileName: string,
    private readonly sheet: string | null,
    /** The file's header row, as the parser bound it. */
    headers: readonly string[] = [],
  ) {
    headers.forEach((header, index) => {
      const key = normalizeHeader(header);
      if (key !== '' && !this.columnOf.has(key)) this.columnOf.set(key, index);
    });
  }

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
    const index = problem.column === null ? undefined : this.columnOf.get(normalizeHeader(problem.column));
    const cell = index === undefined ? null : cellAddress(index, problem.row);
    const where =
      problem.column === null ? `Строка ${problem.row}` : `Строка ${problem.row}, столбец «${problem.column}»${cell === null ? '' : ` (${cell})`}`;
    return {
      file: this.fileName,
      sheet: this.sheet,
      row: problem.row,
      column: problem.column,
      cell,
      value: problem.value,
      // Codes the loader adds to the parser's (SCHOOL_NOT_FOUND, SUBJECT_UNKNOWN…); the column is plain text.
      code: problem.code as ImportIssue['code'],
      messageRu: `${where}: ${problem.reasonRu}.`,
    };
  }
}
