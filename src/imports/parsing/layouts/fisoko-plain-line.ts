/**
 * The fast path of the ФИС ОКО layout: a CSV row that is one plain line and holds nothing unusual is read
 * straight from the line's characters — no cells, no per-cell strings for numbers. "Unusual" is anything the
 * ordinary path would report or normalise: a missing or malformed value, a score above its maximum, a sum or
 * mark that does not fit, spaces to trim, a duplicate participant. Such a row returns null and goes the
 * ordinary way, which then reports it with its cell address, so both paths give the same records and issues.
 */
import { cellTextCollapsed, isNotDoneMarker, plainIntegerAt } from '../cell-values';
import { isTrimmedSpace, type LineRow } from '../csv-line-row';
import type { FirstSeen } from '../fields';
import { isParticipantCodeForm } from '../personal-data';
import type { ParticipantResultRecord } from '../records';
import { markFor, type MarkBoundary } from '../../../assessments/marks';

interface FisokoColumns {
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

/** What every record of the file shares: the assessment named by the title. */
export interface VprFileKeys {
  year: number;
  subjectName: string;
  grade: number;
}

/**
 * A record of the file, built the same way by both paths: positional arguments and one literal, so that the
 * million records of a file share one object shape and no intermediate object is built for each.
 */
export function vprRecord(
  keys: VprFileKeys,
  sourceRow: number,
  schoolCode: string,
  schoolName: string | null,
  municipality: string | null,
  participantCode: string,
  classLabel: string | null,
  variant: string | null,
  taskScores: (number | null)[],
  primaryScore: number,
  mark: number | null,
  journalMark: number | null,
): ParticipantResultRecord {
  return {
    kind: 'participant-result',
    sourceRow,
    procedure: 'VPR',
    year: keys.year,
    subjectName: keys.subjectName,
    grade: keys.grade,
    schoolCode,
    schoolName,
    municipality,
    participantCode,
    classLabel,
    variant,
    taskScores,
    primaryScore,
    mark,
    journalMark,
    testScore: null,
    examPointCode: null,
    auditorium: null,
  };
}

export interface FisokoRowShape {
  keys: VprFileKeys;
  columns: FisokoColumns;
  taskColumns: readonly number[];
  /** Per task column; null when the header gave no maximum. */
  taskMaxima: readonly (number | null)[];
  maxPrimary: number;
  boundaries: readonly MarkBoundary[] | null;
  seen: FirstSeen;
}

/** Not a plain value: the row takes the ordinary path. */
const NOT_PLAIN = -2;
/** An empty cell, or X / Х / a dash: no value. */
const NO_VALUE = -1;

/**
 * Digits as the ordinary parser reads them, or NO_VALUE (empty; X / Х / a dash), or NOT_PLAIN. A required
 * primary score takes both negatives as "not plain".
 */
function plainNumber(text: string, start: number, end: number): number {
  if (start === end) return NO_VALUE;
  const value = plainIntegerAt(text, start, end);
  if (value >= 0) return value;
  return end - start === 1 && isNotDoneMarker(text.charAt(start)) ? NO_VALUE : NOT_PLAIN;
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
  const { keys, columns: c, taskColumns, taskMaxima, maxPrimary, boundaries, seen } = shape;
  const lastColumn = Math.max(c.schoolCode, c.municipality ?? 0, c.schoolName ?? 0, c.participantCode, c.classLabel ?? 0, c.variant ?? 0, c.primaryScore, c.mark, c.journalMark ?? 0, ...taskColumns);
  const taskCount = taskColumns.length;
  // Field k of the line is text[bounds[2k], bounds[2k + 1]); the offsets of the columns read, once.
  const at = (column: number | undefined) => (column === undefined ? -1 : 2 * column);
  const school = at(c.schoolCode);
  const participant = at(c.participantCode);
  const variantAt = at(c.variant);
  const classAt = at(c.classLabel);
  const primaryAt = at(c.primaryScore);
  const markAt = at(c.mark);
  const journalAt = at(c.journalMark);
  const schoolNameAt = at(c.schoolName);
  const municipalityAt = at(c.municipality);
  const taskAt = Int32Array.from(taskColumns, (column) => 2 * column);

  return (row) => {
    if (row.fieldBounds() <= lastColumn) return null;
    const b = row.bounds;
    const text = row.text;

    const schoolCode = plainCode(text, b[school], b[school + 1]);
    const participantCode = plainCode(text, b[participant], b[participant + 1]);
    // A code that is not shaped like one is hashed by the ordinary path.
    if (!schoolCode || !participantCode || !isParticipantCodeForm(participantCode)) return null;
    const variant = variantAt < 0 ? null : plainCode(text, b[variantAt], b[variantAt + 1]);
    const classLabel = classAt < 0 ? null : plainLabel(text, b[classAt], b[classAt + 1]);
    if (variant === undefined || classLabel === undefined) return null;

    const taskScores: (number | null)[] = new Array(taskCount);
    let taskSum = 0;
    for (let i = 0; i < taskCount; i++) {
      const score = plainNumber(text, b[taskAt[i]], b[taskAt[i] + 1]);
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
    const primaryScore = plainNumber(text, b[primaryAt], b[primaryAt + 1]);
    if (primaryScore < 0 || primaryScore > maxPrimary || primaryScore !== taskSum) return null;
    const workMark = mark(plainNumber(text, b[markAt], b[markAt + 1]));
    const journalMark = journalAt < 0 ? null : mark(plainNumber(text, b[journalAt], b[journalAt + 1]));
    if (workMark === undefined || journalMark === undefined) return null;
    if (boundaries !== null && workMark !== null && markFor(primaryScore, boundaries) !== workMark) return null;
    // Last, because it remembers the participant: a row that went the ordinary way after this would see itself.
    if (seen.checkPair(schoolCode, participantCode, row.rowNumber) !== null) return null;

    const schoolName = schoolNameAt < 0 ? null : cellTextCollapsed(text.slice(b[schoolNameAt], b[schoolNameAt + 1]));
    const municipality = municipalityAt < 0 ? null : cellTextCollapsed(text.slice(b[municipalityAt], b[municipalityAt + 1]));
    return vprRecord(keys, row.rowNumber, schoolCode, schoolName, municipality, participantCode, classLabel, variant, taskScores, primaryScore, workMark, journalMark);
  };
}
