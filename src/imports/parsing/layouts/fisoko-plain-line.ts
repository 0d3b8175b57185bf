/**
 * The fast path of the ФИС ОКО layout: a CSV row that is one plain line and holds nothing unusual is read
 * straight from the line's characters — no cells, no per-cell strings for numbers. "Unusual" is anything the
 * ordinary path would report or normalise: a missing or malformed value, a score above its maximum, a sum or
 * mark that does not fit, spaces to trim, a duplicate participant. Such a row returns null and goes the
 * ordinary way, which then reports it with its cell address, so both paths give the same records and issues.
 */
import { cellTextCollapsed } from '../cell-values';
import { isTrimmedSpace, type LineRow } from '../csv-line-row';
import type { FirstSeen } from '../fields';
import type { ParticipantResultRecord } from '../records';
import { markForScore } from './scale-check';

export interface FisokoColumns {
  schoolCode: number;
  municipality?: number;
  schoolName?: number;
  participantCode: number;
  classLabel?: number;
  variant?: number;
  primaryScore: number;
  mark: number;
  journalMark?: number;
}

export interface FisokoRowShape {
  columns: FisokoColumns;
  taskColumns: readonly number[];
  /** Per task column; null when the header gave no maximum. */
  taskMaxima: readonly (number | null)[];
  maxPrimary: number;
  boundaries: Parameters<typeof markForScore>[1] | null;
  seen: FirstSeen;
  record: (row: number, values: Omit<ParticipantResultRecord, 'kind' | 'sourceRow' | 'procedure' | 'year' | 'subjectName' | 'grade'>) => ParticipantResultRecord;
}

/** Not a plain value: the row takes the ordinary path. */
const NOT_PLAIN = -2;
/** An empty cell, or X / Х / a dash: no value. */
const NO_VALUE = -1;

/** Digits only (up to 9, as the ordinary parser's fast path reads them), or no value, or NOT_PLAIN. */
function plainNumber(text: string, start: number, end: number, markersMeanNone: boolean): number {
  const length = end - start;
  if (length === 0) return NO_VALUE;
  if (length > 9) return NOT_PLAIN;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) {
      return markersMeanNone && length === 1 && isNotDoneCode(text.charCodeAt(start)) ? NO_VALUE : NOT_PLAIN;
    }
    value = value * 10 + digit;
  }
  return value;
}

/** X x Х х - – — : the one-character "not done" markers of cell-values.isNotDoneMarker. */
function isNotDoneCode(code: number): boolean {
  return code === 0x58 || code === 0x78 || code === 0x425 || code === 0x445 || code === 0x2d || code === 0x2013 || code === 0x2014;
}

/** A code as written (printable ASCII, nothing to trim); null when empty; undefined when not plain. */
function plainCode(text: string, start: number, end: number): string | null | undefined {
  if (start === end) return null;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x21 || code > 0x7e) return undefined;
  }
  return text.slice(start, end);
}

/** A short label such as "4А": no whitespace or control characters at all; null when empty. */
function plainLabel(text: string, start: number, end: number): string | null | undefined {
  if (start === end) return null;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x21 || isTrimmedSpace(code)) return undefined;
  }
  return text.slice(start, end);
}

function mark(value: number): number | null | undefined {
  if (value === NO_VALUE) return null;
  return value >= 2 && value <= 5 ? value : undefined;
}

export function plainLineReader(shape: FisokoRowShape): (row: LineRow) => ParticipantResultRecord | null {
  const { columns: c, taskColumns, taskMaxima, maxPrimary, boundaries, seen } = shape;
  const lastColumn = Math.max(c.schoolCode, c.municipality ?? 0, c.schoolName ?? 0, c.participantCode, c.classLabel ?? 0, c.variant ?? 0, c.primaryScore, c.mark, c.journalMark ?? 0, ...taskColumns);
  const taskCount = taskColumns.length;

  return (row) => {
    const fields = row.fieldBounds();
    if (fields <= lastColumn) return null;
    const bounds = row.bounds;
    const text = row.text;
    const from = (column: number) => bounds[2 * column];
    const to = (column: number) => bounds[2 * column + 1];

    const schoolCode = plainCode(text, from(c.schoolCode), to(c.schoolCode));
    const participantCode = plainCode(text, from(c.participantCode), to(c.participantCode));
    if (!schoolCode || !participantCode) return null;
    const variant = c.variant === undefined ? null : plainCode(text, from(c.variant), to(c.variant));
    const classLabel = c.classLabel === undefined ? null : plainLabel(text, from(c.classLabel), to(c.classLabel));
    if (variant === undefined || classLabel === undefined) return null;

    const taskScores: (number | null)[] = new Array(taskCount);
    let taskSum = 0;
    for (let i = 0; i < taskCount; i++) {
      const column = taskColumns[i];
      const score = plainNumber(text, from(column), to(column), true);
      if (score === NOT_PLAIN) return null;
      if (score === NO_VALUE) {
        taskScores[i] = null;
        continue;
      }
      const max = taskMaxima[i];
      if (max !== null && score > max) return null;
      taskScores[i] = score;
      taskSum += score;
    }
    const primaryScore = plainNumber(text, from(c.primaryScore), to(c.primaryScore), false);
    if (primaryScore < 0 || primaryScore > maxPrimary || primaryScore !== taskSum) return null;
    const workMark = mark(plainNumber(text, from(c.mark), to(c.mark), true));
    const journalMark = c.journalMark === undefined ? null : mark(plainNumber(text, from(c.journalMark), to(c.journalMark), true));
    if (workMark === undefined || journalMark === undefined) return null;
    if (boundaries !== null && workMark !== null && markForScore(primaryScore, boundaries) !== workMark) return null;
    // Last, because it remembers the participant: a row that went the ordinary way after this would see itself.
    if (seen.checkPair(schoolCode, participantCode, row.rowNumber) !== null) return null;

    return shape.record(row.rowNumber, {
      schoolCode,
      schoolName: c.schoolName === undefined ? null : cellTextCollapsed(text.slice(from(c.schoolName), to(c.schoolName))),
      municipality: c.municipality === undefined ? null : cellTextCollapsed(text.slice(from(c.municipality), to(c.municipality))),
      participantCode,
      classLabel,
      variant,
      taskScores,
      primaryScore,
      mark: workMark,
      journalMark,
      testScore: null,
      examPointCode: null,
      auditorium: null,
    });
  };
}
