/** What the CSV and XLSX readers produce: untyped cells of one spreadsheet row. */
import { LineRow } from './csv-line-row';

export type CellValue = string | number | null;

export interface RawRow {
  /** Worksheet name for XLSX, null for CSV. */
  sheet: string | null;
  /** 1-based, as Excel shows it: a quoted CSV field spanning lines does not add rows, blank lines do. */
  rowNumber: number;
  /** cells[0] is column A. Empty cells are null. */
  cells: CellValue[];
  /**
   * XLSX only: 0-based columns whose cell holds a formula. The formula's cached result is in `cells`
   * (so titles and headers still read), but a data row with a formula is rejected.
   */
  formulaColumns?: number[];
}

/** A row is blank when every cell is empty or whitespace. Blank rows are skipped, not errors. */
export function isBlankRow(row: RawRow): boolean {
  if (row instanceof LineRow) return row.isBlank();
  const cells = row.cells;
  for (let i = 0; i < cells.length; i++) {
    const value = cells[i];
    if (value === null) continue;
    if (typeof value === 'number') return false;
    if (value.trim() !== '') return false;
  }
  return true;
}

/** Excel column letters for a 0-based index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetters(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

export function cellAddress(columnIndex: number, rowNumber: number): string {
  return `${columnLetters(columnIndex)}${rowNumber}`;
}
