/**
 * Typed reading of one cell with the matching row issue when it does not fit. Layouts call these with
 * the column index bound from the header (undefined when an optional column is absent).
 */
import {
  cellText,
  cellTextCollapsed,
  INVALID,
  isNoMark,
  isNotDoneMarker,
  parseDecimal,
  parseGrade,
  parsePercent,
  parseYear,
  parseYesNo,
  type Invalid,
} from './cell-values';
import type { CellParser } from './headers';
import type { YearRange } from './options';
import { isParticipantCodeForm, type ParticipantAnonymiser } from './personal-data';
import type { RawRow } from './raw-row';
import { reasons, type RowIssues } from './row-issues';

export interface NumberRule {
  required?: boolean;
  min?: number;
  max?: number;
}

export class FieldReader {
  /** Participant codes replaced by their hash because they were not shaped like codes: the report tells how many. */
  hashedParticipantCodes = 0;

  constructor(
    private readonly issues: RowIssues,
    readonly years: YearRange,
    private readonly anonymise: ParticipantAnonymiser,
  ) {}

  /** Trimmed text, inner whitespace collapsed. */
  text(row: RawRow, column: number | undefined): string | null {
    return column === undefined ? null : cellTextCollapsed(row.cells[column] ?? null);
  }

  /** A code (school login, РЦОИ code): trimmed only; numbers from XLSX become their digits. */
  code(row: RawRow, column: number | undefined, required = false): string | null {
    const value = column === undefined ? null : cellText(row.cells[column] ?? null);
    if (value === null && required && column !== undefined) this.issues.cell('REQUIRED_VALUE_MISSING', column, reasons.required);
    return value;
  }

  /**
   * A participant code (required): stored as written only when it has the form of a code; a name or other
   * text put in the code column becomes the keyed hash of it within `schoolCode` (see personal-data.ts).
   */
  participantCode(row: RawRow, column: number, schoolCode: string | null): string | null {
    const value = this.code(row, column, true);
    if (value === null || isParticipantCodeForm(value)) return value;
    this.hashedParticipantCodes++;
    return this.anonymise([value, schoolCode]);
  }

  requiredText(row: RawRow, column: number): string | null {
    const value = this.text(row, column);
    if (value === null) this.issues.cell('REQUIRED_VALUE_MISSING', column, reasons.required);
    return value;
  }

  decimal(row: RawRow, column: number | undefined, rule: NumberRule = {}): number | null {
    if (column === undefined) return null;
    const value = parseDecimal(row.cells[column] ?? null);
    return this.checkNumber(value, column, rule, false);
  }

  integer(row: RawRow, column: number | undefined, rule: NumberRule = {}): number | null {
    if (column === undefined) return null;
    const value = parseDecimal(row.cells[column] ?? null);
    return this.checkNumber(value, column, rule, true);
  }

  percent(row: RawRow, column: number | undefined, required = false): number | null {
    if (column === undefined) return null;
    const value = parsePercent(row.cells[column] ?? null);
    if (value === INVALID) {
      this.issues.cell('NOT_A_NUMBER', column, reasons.notANumber);
      return null;
    }
    if (value === null) {
      if (required) this.issues.cell('REQUIRED_VALUE_MISSING', column, reasons.required);
      return null;
    }
    if (value < 0 || value > 100) {
      this.issues.cell('PERCENT_OUT_OF_RANGE', column, reasons.percentOutOfRange);
      return null;
    }
    return value;
  }

  /** A primary or task score: a non-negative integer not above `max` (when known). */
  score(row: RawRow, column: number, max: number | null, maxWhat: string, required: boolean): number | null {
    const value = parseDecimal(row.cells[column] ?? null);
    return this.checkScore(value, column, max, maxWhat, required);
  }

  /** A task score where X / Х / «-» / empty mean "not done" (null) — distinct from 0. */
  taskScore(row: RawRow, column: number, max: number | null, maxWhat: string): number | null {
    const raw = row.cells[column] ?? null;
    if (typeof raw === 'string') {
      const text = raw.trim();
      if (text === '' || isNotDoneMarker(text)) return null;
    }
    return this.checkScore(parseDecimal(raw), column, max, maxWhat, false);
  }

  /** A mark 2–5; "нет отметки", a dash or X, and empty give null. */
  mark(row: RawRow, column: number | undefined): number | null {
    if (column === undefined) return null;
    const raw = row.cells[column] ?? null;
    if (typeof raw === 'string') {
      const text = raw.trim();
      if (isNoMark(text) || isNotDoneMarker(text)) return null;
    }
    const value = parseDecimal(raw);
    if (value === null) return null;
    if (value === INVALID || !Number.isInteger(value) || value < 2 || value > 5) {
      this.issues.cell('MARK_OUT_OF_RANGE', column, reasons.markOutOfRange);
      return null;
    }
    return value;
  }

  year(row: RawRow, column: number | undefined, required: boolean): number | null {
    if (column === undefined) return null;
    const value = parseYear(row.cells[column] ?? null);
    if (value === INVALID) {
      this.issues.cell('NOT_AN_INTEGER', column, reasons.notAnInteger);
      return null;
    }
    if (value === null) {
      if (required) this.issues.cell('REQUIRED_VALUE_MISSING', column, reasons.required);
      return null;
    }
    if (value < this.years.min || value > this.years.max) {
      this.issues.cell('YEAR_OUT_OF_RANGE', column, reasons.yearOutOfRange(this.years.min, this.years.max));
      return null;
    }
    return value;
  }

  grade(row: RawRow, column: number | undefined, required: boolean): number | null {
    if (column === undefined) return null;
    const value = parseGrade(row.cells[column] ?? null);
    if (value === null) {
      if (required) this.issues.cell('REQUIRED_VALUE_MISSING', column, reasons.required);
      return null;
    }
    if (value === INVALID || value < 1 || value > 11) {
      this.issues.cell('GRADE_OUT_OF_RANGE', column, reasons.gradeOutOfRange);
      return null;
    }
    return value;
  }

  yesNo(row: RawRow, column: number | undefined, required: boolean): boolean | null {
    return this.choice(row, column, parseYesNo, ['да', 'нет'], required);
  }

  /** A value from a closed list; `allowedRu` is what the message offers the operator. */
  choice<T>(row: RawRow, column: number | undefined, parse: CellParser<T>, allowedRu: readonly string[], required: boolean): T | null {
    if (column === undefined) return null;
    const value = parse(row.cells[column] ?? null);
    if (value === INVALID) {
      this.issues.cell('INVALID_VALUE', column, reasons.invalidChoice(allowedRu));
      return null;
    }
    if (value === null && required) this.issues.cell('REQUIRED_VALUE_MISSING', column, reasons.required);
    return value;
  }

  private checkNumber(value: number | null | Invalid, column: number, rule: NumberRule, integer: boolean): number | null {
    if (value === INVALID) {
      this.issues.cell('NOT_A_NUMBER', column, reasons.notANumber);
      return null;
    }
    if (value === null) {
      if (rule.required) this.issues.cell('REQUIRED_VALUE_MISSING', column, reasons.required);
      return null;
    }
    if (integer && !Number.isInteger(value)) {
      this.issues.cell('NOT_AN_INTEGER', column, reasons.notAnInteger);
      return null;
    }
    if ((rule.min !== undefined && value < rule.min) || (rule.max !== undefined && value > rule.max)) {
      const range = `от ${rule.min ?? '…'} до ${rule.max ?? '…'}`;
      this.issues.cell('INVALID_VALUE', column, (shown) => `значение должно быть ${range}, указано «${shown}»`);
      return null;
    }
    return value;
  }

  private checkScore(value: number | null | Invalid, column: number, max: number | null, maxWhat: string, required: boolean): number | null {
    if (value === INVALID) {
      this.issues.cell('NOT_A_NUMBER', column, reasons.notANumber);
      return null;
    }
    if (value === null) {
      if (required) this.issues.cell('REQUIRED_VALUE_MISSING', column, reasons.required);
      return null;
    }
    if (value < 0) {
      this.issues.cell('NEGATIVE_SCORE', column, reasons.negativeScore);
      return null;
    }
    if (!Number.isInteger(value)) {
      this.issues.cell('NOT_AN_INTEGER', column, reasons.notAnInteger);
      return null;
    }
    if (max !== null && value > max) {
      this.issues.cell('SCORE_ABOVE_MAX', column, reasons.scoreAboveMax(max, maxWhat));
      return null;
    }
    return value;
  }
}

/**
 * Keys seen so far in the file with the first row of each, for "the same participant twice".
 * A Map of 1,000,000 string keys costs ~160 MB of heap and most of the parse time in GC, so keys are
 * kept as 64-bit hashes in an open-addressing table in one typed array (~24 MB per million rows).
 * Two different keys share a hash with probability ~n²/2⁶⁵ (3·10⁻⁸ for a million rows).
 */
export class FirstSeen {
  /** Slots of (high hash, low hash, first row) side by side: a probe touches one place in memory, not three arrays. */
  private slots = new Uint32Array(3 * 1024);
  private capacity = 1024;
  private size = 0;

  /** Returns the earlier row number when the key was seen, else remembers it and returns null. */
  check(key: string, rowNumber: number): number | null {
    return this.checkPair(key, '', rowNumber);
  }

  /** The same for a two-part key (school, participant) without building the joined string. */
  checkPair(first: string, second: string, rowNumber: number): number | null {
    let h1 = 0x811c9dc5;
    let h2 = 0x9747b28c;
    for (let i = 0; i < first.length; i++) {
      const code = first.charCodeAt(i);
      h1 = Math.imul(h1 ^ code, 0x01000193);
      h2 = Math.imul(h2 ^ code, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    // The part boundary counts: ("ab", "c") and ("a", "bc") are different keys.
    h1 = Math.imul(h1 ^ (first.length + 0x10000), 0x01000193);
    h2 = Math.imul(h2 ^ (first.length + 0x10000), 0x5bd1e995);
    for (let i = 0; i < second.length; i++) {
      const code = second.charCodeAt(i);
      h1 = Math.imul(h1 ^ code, 0x01000193);
      h2 = Math.imul(h2 ^ code, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    h1 = this.finalize(h1);
    h2 = this.finalize(h2 ^ second.length);
    const slots = this.slots;
    const mask = this.capacity - 1;
    for (let slot = h1 & mask; ; slot = (slot + 1) & mask) {
      const at = slot * 3;
      const row = slots[at + 2];
      if (row === 0) {
        slots[at] = h1;
        slots[at + 1] = h2;
        slots[at + 2] = rowNumber;
        if (++this.size * 2 > this.capacity) this.grow();
        return null;
      }
      if (slots[at] === h1 && slots[at + 1] === h2) return row;
    }
  }

  /** murmur3's final mix: spreads the bits so the low ones index the table well. */
  private finalize(hash: number): number {
    let h = hash ^ (hash >>> 16);
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  }

  private grow(): void {
    const old = this.slots;
    this.capacity *= 2;
    const slots = (this.slots = new Uint32Array(3 * this.capacity));
    const mask = this.capacity - 1;
    for (let at = 0; at < old.length; at += 3) {
      if (old[at + 2] === 0) continue;
      let slot = old[at] & mask;
      while (slots[slot * 3 + 2] !== 0) slot = (slot + 1) & mask;
      slots[slot * 3] = old[at];
      slots[slot * 3 + 1] = old[at + 1];
      slots[slot * 3 + 2] = old[at + 2];
    }
  }
}
