/**
 * Keys shared by the per-school aggregate files of ФИС ОКО:
 * `Год, Класс, Предмет, Муниципалитет, Логин, ОО, Кол-во участников` followed by shares in %.
 */
import { decimalsWritten } from '../cell-values';
import { FirstSeen } from '../fields';
import type { ColumnSpec, HeaderMatch } from '../headers';
import type { RawRow } from '../raw-row';
import type { SchoolHints } from '../records';
import { constantProcedure, readAssessmentKeys, type AssessmentKeyValues, type FileKeys } from './common';
import type { LayoutContext } from './layout';
import { readSchoolHints, SCHOOL_HINT_COLUMNS } from './school-hints';
import { shareMisfitReason, sharesToCounts } from './shares';

export type AggregateKey = 'year' | 'grade' | 'subjectName' | 'municipality' | 'schoolCode' | 'schoolName' | 'participants' | 'procedure' | 'inn' | 'ogrn' | 'address';

export const AGGREGATE_KEY_COLUMNS: readonly ColumnSpec<AggregateKey>[] = [
  { key: 'year', header: 'Год', required: true, type: 'year' },
  { key: 'grade', header: 'Класс', aliases: ['Параллель'], required: true, type: 'grade' },
  { key: 'subjectName', header: 'Предмет', required: true, type: 'text' },
  { key: 'municipality', header: 'Муниципалитет', aliases: ['Муниципальное образование', 'МО'], required: false, type: 'text' },
  { key: 'schoolCode', header: 'Логин', aliases: ['Логин ОО'], required: true, type: 'code' },
  { key: 'schoolName', header: 'ОО', aliases: ['Название ОО', 'Наименование ОО'], required: false, type: 'text' },
  { key: 'participants', header: 'Кол-во участников', aliases: ['Количество участников', 'Участников', 'Число участников'], required: true, type: 'integer' },
  { key: 'procedure', header: 'Процедура', required: false, type: 'text' },
  // What else says which school it is, for the candidates offered for a login the hub lacks (the name is «ОО» above).
  ...SCHOOL_HINT_COLUMNS.filter((column) => column.key !== 'schoolName').map((column) => column as ColumnSpec<AggregateKey>),
];

/** A header that is a whole number: a mark (2…5) or a primary score (0…N). */
export function numericHeader(header: string): number | null {
  return /^\d{1,3}$/.test(header.trim()) ? Number(header.trim()) : null;
}

export interface AggregateRowBase extends AssessmentKeyValues, SchoolHints {
  sourceRow: number;
  schoolCode: string;
  municipality: string | null;
  participants: number;
}

/**
 * Reads the keys of aggregate rows and converts share columns to counts, reporting the row's problems.
 * ФИС ОКО's aggregates are ВПР reports: the procedure defaults to ВПР unless a column or the upload says otherwise.
 */
export class AggregateRowReader {
  private readonly seen = new FirstSeen();
  private readonly fileKeys: FileKeys;

  constructor(
    private readonly context: LayoutContext,
    private readonly match: HeaderMatch<AggregateKey>,
  ) {
    this.fileKeys = { procedure: constantProcedure(context) ?? 'VPR', year: null, subjectName: null, grade: null };
  }

  readKeys(row: RawRow): AggregateRowBase | null {
    const { fields, issues } = this.context;
    const c = this.match.columns;
    const keys = readAssessmentKeys(this.context, row, { procedure: c.procedure, year: c.year, subjectName: c.subjectName, grade: c.grade }, this.fileKeys);
    const schoolCode = fields.code(row, c.schoolCode, true);
    const participants = fields.integer(row, c.participants, { required: true, min: 0 });
    if (keys !== null && schoolCode !== null) {
      const earlier = this.seen.check([keys.procedure, keys.year, keys.subjectName.toLowerCase(), keys.grade, schoolCode].join('\u0000'), row.rowNumber);
      if (earlier !== null) {
        issues.row('DUPLICATE_ROW', `ОО «${schoolCode}» по этому предмету, классу и году уже есть в строке ${earlier}`, c.schoolCode!, schoolCode);
      }
    }
    if (keys === null || schoolCode === null || participants === null) return null;
    return {
      ...keys,
      sourceRow: row.rowNumber,
      schoolCode,
      ...readSchoolHints(fields, row, c),
      municipality: fields.text(row, c.municipality),
      participants,
    };
  }

  /** Shares of the given columns (empty = 0) as counts; null after reporting when they do not fit. */
  sharesAsCounts(row: RawRow, shareColumns: readonly number[], participants: number): { percents: number[]; counts: number[] } | null {
    const { fields, issues } = this.context;
    const percents: number[] = [];
    let decimals = 0;
    for (const column of shareColumns) {
      const share = fields.percent(row, column);
      percents.push(share ?? 0);
      decimals = Math.max(decimals, decimalsWritten(row.cells[column] ?? null));
    }
    if (issues.failed) return null;
    const conversion = sharesToCounts(percents, decimals, participants);
    if (conversion.ok) return { percents, counts: conversion.counts };
    if (conversion.problem === 'sum') {
      const sum = String(Math.round(conversion.sum * 1000) / 1000).replace('.', ',');
      issues.row('SHARES_SUM_MISMATCH', `доли в сумме дают ${sum} %, а должны давать 100 % (с точностью до округления)`, null, sum);
    } else {
      issues.cell('SHARES_DO_NOT_FIT_PARTICIPANTS', shareColumns[conversion.index], shareMisfitReason(participants, conversion.exact));
    }
    return null;
  }
}
