/**
 * ФИС ОКО per-school marks: `Год, Класс, Предмет, Муниципалитет, Логин, ОО, Кол-во участников, 2, 3, 4, 5`
 * with the shares of each mark in % (decimal commas).
 */
import { findHeaderRow, headerConfidence, normalizeHeader } from '../headers';
import { fileIssue } from '../issues';
import type { SchoolMarksRecord } from '../records';
import { AGGREGATE_KEY_COLUMNS, AggregateRowReader, numericHeader } from './aggregate-common';
import { bindHeader, emptyMetadata, ignoredColumns, personalColumns } from './common';
import type { Layout } from './layout';

const MARKS = [2, 3, 4, 5] as const;

function markColumns(headers: readonly string[]): Map<number, number> {
  const columns = new Map<number, number>();
  headers.forEach((header, index) => {
    const value = numericHeader(header);
    if (value !== null && !columns.has(value)) columns.set(value, index);
  });
  return columns;
}

const isMarkHeader = (header: string): boolean => ['2', '3', '4', '5'].includes(normalizeHeader(header));

export const aggregateMarksLayout: Layout = {
  name: 'aggregate-marks',
  titleRu: 'Доли отметок по ОО',

  detect(head) {
    const match = findHeaderRow(head, AGGREGATE_KEY_COLUMNS, isMarkHeader);
    if (match === null) return 0;
    const numeric = markColumns(match.headers);
    const hasMarks = MARKS.every((mark) => numeric.has(mark));
    // Columns 0 and 1 make it a score distribution, which also has 2…5.
    const isDistribution = numeric.has(0) || numeric.has(1);
    const confidence = headerConfidence(match);
    return hasMarks && !isDistribution ? confidence : Math.min(confidence, 0.45);
  },

  missingColumns(head) {
    const match = findHeaderRow(head, AGGREGATE_KEY_COLUMNS, isMarkHeader);
    const missing = match?.missingRequired.map((spec) => spec.header) ?? [];
    const numeric = markColumns(match?.headers ?? []);
    return [...missing, ...MARKS.filter((mark) => !numeric.has(mark)).map(String)];
  },

  bind(head, context) {
    const match = bindHeader(head, AGGREGATE_KEY_COLUMNS, context, this.titleRu, isMarkHeader);
    const numeric = markColumns(match.headers);
    const missing = MARKS.filter((mark) => !numeric.has(mark)).map(String);
    if (missing.length > 0) {
      throw fileIssue(context.fileName, 'MISSING_COLUMN', `Нет столбцов с долями отметок: ${missing.map((m) => `«${m}»`).join(', ')}.`, {
        sheet: match.row.sheet,
        row: match.row.rowNumber,
        column: missing.join(', '),
      });
    }
    const shareColumns = MARKS.map((mark) => numeric.get(mark)!);
    const personal = personalColumns(match);
    const reader = new AggregateRowReader(context, match);
    return {
      metadata: {
        ...emptyMetadata('school-marks', match.row.rowNumber),
        session: context.constants.session ?? null,
        ignoredColumns: ignoredColumns(match, [...shareColumns, ...personal.indexes]),
      },
      personalColumns: personal.headers,
      mapRow(row) {
        const base = reader.readKeys(row);
        if (base === null) return null;
        const shares = reader.sharesAsCounts(row, shareColumns, base.participants);
        if (shares === null) return null;
        const [count2, count3, count4, count5] = shares.counts;
        const [percent2, percent3, percent4, percent5] = shares.percents;
        const record: SchoolMarksRecord = { kind: 'school-marks', ...base, count2, count3, count4, count5, percent2, percent3, percent4, percent5 };
        return record;
      },
    };
  },
};
