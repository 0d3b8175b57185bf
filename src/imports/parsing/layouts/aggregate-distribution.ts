/**
 * ФИС ОКО per-school primary-score distributions: the aggregate keys, then `0, 1, …, N` —
 * the share (%) of participants at each primary score.
 */
import { findHeaderRow, headerConfidence, normalizeHeader } from '../headers';
import { fileIssue } from '../issues';
import type { SchoolScoreDistributionRecord } from '../records';
import { AGGREGATE_KEY_COLUMNS, AggregateRowReader, numericHeader } from './aggregate-common';
import { bindHeader, emptyMetadata, ignoredColumns, personalColumns } from './common';
import type { Layout } from './layout';

/** Columns 0, 1, …, N in order; null unless they start at 0 and have no gaps. */
function scoreColumns(headers: readonly string[]): number[] | null {
  const byScore = new Map<number, number>();
  headers.forEach((header, index) => {
    const score = numericHeader(header);
    if (score !== null && !byScore.has(score)) byScore.set(score, index);
  });
  if (!byScore.has(0) || !byScore.has(1)) return null;
  const columns: number[] = [];
  for (let score = 0; byScore.has(score); score++) columns.push(byScore.get(score)!);
  return columns.length === byScore.size ? columns : null;
}

const isScoreHeader = (header: string): boolean => /^\d{1,3}$/.test(normalizeHeader(header));

export const aggregateDistributionLayout: Layout = {
  name: 'aggregate-distribution',
  titleRu: 'Распределение первичных баллов по ОО',

  detect(head) {
    const match = findHeaderRow(head, AGGREGATE_KEY_COLUMNS, isScoreHeader);
    if (match === null) return 0;
    const confidence = headerConfidence(match);
    return scoreColumns(match.headers) !== null ? confidence : Math.min(confidence, 0.45);
  },

  missingColumns(head) {
    const match = findHeaderRow(head, AGGREGATE_KEY_COLUMNS, isScoreHeader);
    const missing = match?.missingRequired.map((spec) => spec.header) ?? [];
    return scoreColumns(match?.headers ?? []) === null ? [...missing, '0, 1, …, N'] : missing;
  },

  bind(head, context) {
    const match = bindHeader(head, AGGREGATE_KEY_COLUMNS, context, this.titleRu, isScoreHeader);
    const columns = scoreColumns(match.headers);
    if (columns === null) {
      throw fileIssue(
        context.fileName,
        'MISSING_COLUMN',
        'Нет столбцов распределения первичных баллов «0», «1», …, «N» подряд, без пропусков.',
        { sheet: match.row.sheet, row: match.row.rowNumber, column: '0, 1, …, N' },
      );
    }
    const personal = personalColumns(match);
    const reader = new AggregateRowReader(context, match);
    return {
      metadata: {
        ...emptyMetadata('school-score-distribution', match.row.rowNumber),
        session: context.constants.session ?? null,
        ignoredColumns: ignoredColumns(match, [...columns, ...personal.indexes]),
      },
      personalColumns: personal.headers,
      mapRow(row) {
        const base = reader.readKeys(row);
        if (base === null) return null;
        const shares = reader.sharesAsCounts(row, columns, base.participants);
        if (shares === null) return null;
        const record: SchoolScoreDistributionRecord = {
          kind: 'school-score-distribution',
          ...base,
          scoreCounts: shares.counts,
          scorePercents: shares.percents,
        };
        return record;
      },
    };
  },
};
