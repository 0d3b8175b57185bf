/** Pieces shared by the layouts: header binding, personal columns, assessment keys from columns or constants. */
import { INVALID, parseProcedure, PROCEDURE_NAMES_RU } from '../cell-values';
import { fileIssue } from '../issues';
import { findHeaderRow, normalizeHeader, type ColumnSpec, type HeaderMatch } from '../headers';
import { isPersonalHeader } from '../personal-data';
import type { RawRow } from '../raw-row';
import type { ImportRecordKind, ProcedureCode } from '../records';
import { reasons } from '../row-issues';
import type { ImportMetadata, LayoutContext } from './layout';

/** Finds the header and insists on the required columns (file-level MISSING_COLUMN otherwise). */
export function bindHeader<K extends string>(
  head: readonly RawRow[],
  specs: readonly ColumnSpec<K>[],
  context: LayoutContext,
  layoutTitleRu: string,
  isKnownExtra?: (header: string) => boolean,
): HeaderMatch<K> {
  const match = findHeaderRow(head, specs, isKnownExtra);
  if (match === null) {
    throw fileIssue(context.fileName, 'EMPTY_FILE', 'Файл не содержит строки заголовка: все первые строки пустые.');
  }
  if (match.missingRequired.length > 0) {
    const names = match.missingRequired.map((spec) => spec.header);
    const list = names.map((name) => `«${name}»`).join(', ');
    throw fileIssue(
      context.fileName,
      'MISSING_COLUMN',
      `В файле формата «${layoutTitleRu}» нет обязательных столбцов: ${list}. Заголовок ищется в строке ${match.row.rowNumber}; проверьте названия столбцов по шаблону.`,
      { sheet: match.row.sheet, row: match.row.rowNumber, column: names.join(', ') },
    );
  }
  context.issues.useHeaders(match.headers);
  return match;
}

/** Column indexes and headers of personal columns in a bound header. */
export function personalColumns(match: HeaderMatch<string>): { indexes: number[]; headers: string[] } {
  const indexes: number[] = [];
  match.headers.forEach((header, index) => {
    if (header !== '' && isPersonalHeader(normalizeHeader(header))) indexes.push(index);
  });
  return { indexes, headers: indexes.map((index) => match.headers[index]) };
}

/** Headers of non-empty columns that are neither bound nor in `alsoUsed`. */
export function ignoredColumns(match: HeaderMatch<string>, alsoUsed: Iterable<number> = []): string[] {
  const used = new Set<number>([...Object.values<number | undefined>(match.columns).filter((i): i is number => i !== undefined), ...alsoUsed]);
  return match.headers.filter((header, index) => header !== '' && !used.has(index));
}

export function emptyMetadata(recordKind: ImportRecordKind, headerRow: number): ImportMetadata {
  return {
    recordKind,
    headerRow,
    procedure: null,
    year: null,
    subjectName: null,
    grade: null,
    session: null,
    title: null,
    tasks: null,
    ignoredColumns: [],
    anonymisedFrom: null,
  };
}

/** The procedure from the upload's constants, in code or Russian; an unknown one is the uploader's error. */
export function constantProcedure(context: LayoutContext): ProcedureCode | null {
  const given = context.constants.procedure;
  if (given === undefined || given === '') return null;
  const procedure = parseProcedure(given);
  if (procedure === INVALID || procedure === null) {
    throw fileIssue(
      context.fileName,
      'INVALID_OPTIONS',
      `Процедура «${given}», указанная при загрузке, не известна. Допустимо: ${Object.values(PROCEDURE_NAMES_RU).join(', ')}.`,
    );
  }
  return procedure;
}

/**
 * A file-level value from the file and/or the upload's constants: either alone is used, both must agree.
 */
export function agreeing<T extends string | number>(context: LayoutContext, whatRu: string, fromFile: T | null, fromConstants: T | null | undefined, row: RawRow | null): T | null {
  const constant = fromConstants ?? null;
  if (fromFile !== null && constant !== null && String(fromFile).toLowerCase() !== String(constant).toLowerCase()) {
    throw fileIssue(
      context.fileName,
      'METADATA_CONFLICT',
      `${whatRu} в файле («${fromFile}») не совпадает с указанным при загрузке («${constant}»). Проверьте, тот ли файл загружается.`,
      { sheet: row?.sheet ?? null, row: row?.rowNumber ?? null, value: String(fromFile) },
    );
  }
  return fromFile ?? constant;
}

/** A year stated once for the whole file must be in the allowed range, or nothing in the file is usable. */
export function checkFileYear(context: LayoutContext, year: number | null, row: RawRow | null): void {
  if (year === null) return;
  const { min, max } = context.years;
  if (year < min || year > max) {
    throw fileIssue(context.fileName, 'YEAR_OUT_OF_RANGE', `Год ${year} вне допустимого диапазона ${min}–${max}.`, {
      sheet: row?.sheet ?? null,
      row: row?.rowNumber ?? null,
      value: String(year),
    });
  }
}

/** Keys of the assessment per row: a column when the file has one, else the file-level value. */
export interface KeyColumns {
  procedure?: number;
  year?: number;
  subjectName?: number;
  grade?: number;
}

export interface FileKeys {
  procedure: ProcedureCode | null;
  year: number | null;
  subjectName: string | null;
  grade: number | null;
}

const KEY_NAMES_RU: Record<keyof FileKeys, string> = {
  procedure: 'процедура',
  year: 'год',
  subjectName: 'предмет',
  grade: 'класс',
};

/** File-level METADATA_MISSING when a key has neither a column nor a file-level value. */
export function requireKeySources(context: LayoutContext, columns: KeyColumns, fileKeys: FileKeys, needed: readonly (keyof FileKeys)[], hintRu: string): void {
  const missing = needed.filter((key) => columns[key] === undefined && fileKeys[key] === null);
  if (missing.length > 0) {
    throw fileIssue(
      context.fileName,
      'METADATA_MISSING',
      `Не удалось определить: ${missing.map((key) => KEY_NAMES_RU[key]).join(', ')}. ${hintRu}`,
    );
  }
}

export interface AssessmentKeyValues {
  procedure: ProcedureCode;
  year: number;
  subjectName: string;
  grade: number;
}

/** Reads the four assessment keys of a row; reports and returns null when one is missing or wrong. */
export function readAssessmentKeys(context: LayoutContext, row: RawRow, columns: KeyColumns, fileKeys: FileKeys): AssessmentKeyValues | null {
  const { fields, issues } = context;
  const procedure =
    columns.procedure !== undefined
      ? fields.choice(row, columns.procedure, parseProcedure, Object.values(PROCEDURE_NAMES_RU), fileKeys.procedure === null) ?? fileKeys.procedure
      : fileKeys.procedure;
  const year = columns.year !== undefined ? fields.year(row, columns.year, fileKeys.year === null) ?? fileKeys.year : fileKeys.year;
  const subjectName = (columns.subjectName !== undefined ? fields.text(row, columns.subjectName) : null) ?? fileKeys.subjectName;
  if (subjectName === null && columns.subjectName !== undefined) issues.cell('REQUIRED_VALUE_MISSING', columns.subjectName, reasons.required);
  const grade = columns.grade !== undefined ? fields.grade(row, columns.grade, fileKeys.grade === null) ?? fileKeys.grade : fileKeys.grade;
  if (procedure === null || year === null || subjectName === null || grade === null) return null;
  return { procedure, year, subjectName, grade };
}
