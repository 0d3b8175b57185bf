/**
 * Absent participants. Regional files list pupils who did not sit the work: «отсутствовал», «не явился», «н/я»,
 * «неявка», `NA` in a result cell, or a row whose results are all empty. Such a row is not a result (never a zero
 * score) and not an error: the layout returns ABSENT, the parser counts it, and the batch report says how many.
 */
import { cellText, isNotDoneMarker } from './cell-values';
import type { RawRow } from './raw-row';

/** What a layout's mapRow returns for a participant who did not sit the work. */
export const ABSENT: unique symbol = Symbol('absent participant');
export type Absent = typeof ABSENT;

const ABSENCE_PREFIXES = ['отсутств', 'не явил', 'неявк', 'не присутств', 'не писал', 'не участвовал'];
const ABSENCE_WORDS = new Set(['н/я', 'н/я.', 'н.я.', 'н.я', 'ня', 'н', 'na', 'n/a', '#н/д', '#n/a', 'неяв.', 'отс', 'отс.']);

function normalized(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}

/** True when the text says the participant was absent. */
export function isAbsenceText(text: string | null): boolean {
  if (text === null) return false;
  const first = text.charCodeAt(0);
  if (first >= 48 && first <= 57) return false; // a digit: a score or a mark
  const value = normalized(text);
  return ABSENCE_WORDS.has(value) || ABSENCE_PREFIXES.some((prefix) => value.startsWith(prefix));
}

export interface ResultColumns {
  /** Primary score, mark, test score…: an absence word in any of them marks the row. */
  results: readonly (number | undefined)[];
  /** Task columns (or answer strings): «X» / «-» there means a task not done, which counts as empty here. */
  tasks: readonly (number | undefined)[];
  /** The primary score column: when it and every task cell are empty, the participant did not sit the work. */
  primaryScore: number;
}

/** Whether the row is an absent participant's (see the file comment). */
export function isAbsentRow(row: RawRow, columns: ResultColumns): boolean {
  const text = (column: number | undefined): string | null => (column === undefined ? null : cellText(row.cells[column] ?? null));
  for (const column of columns.results) if (isAbsenceText(text(column))) return true;
  let tasksEmpty = true;
  for (const column of columns.tasks) {
    const value = text(column);
    if (isAbsenceText(value)) return true;
    if (value !== null && !isNotDoneMarker(value)) tasksEmpty = false;
  }
  const primary = text(columns.primaryScore);
  return tasksEmpty && (primary === null || isNotDoneMarker(primary));
}

/** The report's note on absent participants. */
export function absenceNoteRu(absent: number): string[] {
  return absent === 0 ? [] : [`Отсутствовали (не писали работу): ${absent} — эти строки не записаны и ошибками не считаются.`];
}
