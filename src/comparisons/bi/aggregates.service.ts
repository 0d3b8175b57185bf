import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../shared/principal';
import type { Procedure } from '../../assessments/enums';
import type { SchoolType } from '../../territory/enums';
import { badInput } from '../../graphql/errors';
import { sizeBandOf, typeFamilyOf } from '../stats';
import { aggregateByGroup, examTotalsByGroup, type AggregateInputRow, type ExamTotalInputRow, type GroupKeyValue } from './group-aggregates';
import type { Locality, SizeBand, TypeFamily } from '../shared/bands';
import type { FactResultColumns } from '../shared/fact-row';
import { selectRows, sqlFragment } from '../../shared/sql';
import { analyticsConditions, EXAM_TOTAL_GRAIN, EXAM_TOTAL_SOURCE, FACT_SOURCE, type AnalyticsFilter } from './analytics-filter';
import { AggregateDimension, type AggregateGroupType, type ExamTotalAggregateGroupType, type GroupKeyFields } from './aggregates.types';

/** What a BI row says of its school and grain, enough for every dimension but subject and grade. */
interface GroupedRow {
  school_id: number;
  municipality_code: string;
  municipality_name: string;
  /** null: not stated in the year's context nor in the directory. */
  school_type: SchoolType | null;
  urban: boolean | null;
  in_depth_study: boolean | null;
  enrolment: number | null;
  year: number;
  procedure: Procedure;
}

type AggregateRow = GroupedRow & FactResultColumns;

interface ExamTotalRow extends GroupedRow {
  participants: number | null;
  count_sum3_220: number | null;
}

const SCHOOL_KEY_OF: Record<Exclude<AggregateDimension, AggregateDimension.SUBJECT | AggregateDimension.GRADE>, (row: GroupedRow) => GroupKeyValue> = {
  [AggregateDimension.MUNICIPALITY]: (row) => row.municipality_code,
  [AggregateDimension.SCHOOL_TYPE]: (row) => row.school_type,
  // Unknown type or locality is a group of its own (null), never folded into another one.
  [AggregateDimension.TYPE_FAMILY]: (row) => typeFamilyOf(row.school_type, row.in_depth_study ?? false),
  [AggregateDimension.LOCALITY]: (row) => (row.urban === null ? null : row.urban ? 'URBAN' : 'RURAL'),
  [AggregateDimension.SIZE_BAND]: (row) => sizeBandOf(row.enrolment),
  [AggregateDimension.YEAR]: (row) => row.year,
  [AggregateDimension.PROCEDURE]: (row) => row.procedure,
};

const KEY_OF: Record<AggregateDimension, (row: AggregateRow) => GroupKeyValue> = {
  ...SCHOOL_KEY_OF,
  [AggregateDimension.SUBJECT]: (row) => row.subject_code,
  [AggregateDimension.GRADE]: (row) => row.grade,
};

/** The columns of GroupedRow, over the aliases of analytics-filter's sources (`alias`: the row's table). */
const groupedColumns = (alias: string) => `${alias}.school_id, m.code as municipality_code, m.name as municipality_name, coalesce(c.type, s.type) as school_type,
  coalesce(c.urban, s.urban) as urban, c.in_depth_study, c.enrolment, ${alias}.year`;

/** The group's keys as GraphQL fields: null for a dimension not grouped by. */
function keyFields(keys: Record<string, GroupKeyValue>, dimensions: readonly AggregateDimension[], municipalityNames: ReadonlyMap<string, string>): Omit<GroupKeyFields, 'schools'> {
  const key = (d: AggregateDimension) => (dimensions.includes(d) ? keys[d] : null);
  const municipalityCode = key(AggregateDimension.MUNICIPALITY) as string | null;
  return {
    municipalityCode,
    municipalityName: municipalityCode === null ? null : (municipalityNames.get(municipalityCode) ?? null),
    schoolType: key(AggregateDimension.SCHOOL_TYPE) as SchoolType | null,
    typeFamily: key(AggregateDimension.TYPE_FAMILY) as TypeFamily | null,
    locality: key(AggregateDimension.LOCALITY) as Locality | null,
    sizeBand: key(AggregateDimension.SIZE_BAND) as SizeBand | null,
    year: key(AggregateDimension.YEAR) as number | null,
    procedure: key(AggregateDimension.PROCEDURE) as Procedure | null,
  };
}

/**
 * Grouped aggregates for BI: the facts in scope are read in one statement (the school scope in its WHERE)
 * and pooled by the pure `aggregateByGroup`, which weights means by participants and pools shares over
 * pupils. Schools' totals over a procedure (school_exam_total) are grouped the same way by `examTotalsByGroup`;
 * they have no subject or grade to group by.
 */
export class AggregatesService {
  constructor(
    private readonly em: EntityManager,
    private readonly principal: Principal,
  ) {}

  async aggregate(groupBy: readonly AggregateDimension[], filter: AnalyticsFilter | null | undefined): Promise<AggregateGroupType[]> {
    const dimensions = [...new Set(groupBy)];
    const where = analyticsConditions(this.principal, filter);
    const rows = await selectRows<AggregateRow>(
      this.em,
      sqlFragment(
        `select ${groupedColumns('sr')}, a.procedure, su.code as subject_code, a.grade,
                sr.participants, sr.count2, sr.count3, sr.count4, sr.count5, sr.mean_percent, sr.mean_test_score,
                sr.journal_lowered, sr.journal_confirmed, sr.journal_raised, sr.below_minimum, sr.count_test_80, sr.count_test_100
         ${FACT_SOURCE} where ${where.sql}`,
        where.bindings,
      ),
    );
    const municipalityNames = new Map(rows.map((row) => [row.municipality_code, row.municipality_name]));
    const inputs: AggregateInputRow[] = rows.map((row) => ({
      keys: Object.fromEntries(dimensions.map((d) => [d, KEY_OF[d](row)])),
      schoolId: String(row.school_id),
      participants: row.participants,
      count2: row.count2,
      count3: row.count3,
      count4: row.count4,
      count5: row.count5,
      meanPercent: row.mean_percent,
      meanTestScore: row.mean_test_score,
      journalLowered: row.journal_lowered,
      journalConfirmed: row.journal_confirmed,
      journalRaised: row.journal_raised,
      belowMinimum: row.below_minimum,
      countTest80: row.count_test_80,
    }));
    return aggregateByGroup(inputs, dimensions).map(({ keys, ...metrics }) => ({
      ...keyFields(keys, dimensions, municipalityNames),
      subjectCode: (dimensions.includes(AggregateDimension.SUBJECT) ? keys[AggregateDimension.SUBJECT] : null) as string | null,
      grade: (dimensions.includes(AggregateDimension.GRADE) ? keys[AggregateDimension.GRADE] : null) as number | null,
      ...metrics,
    }));
  }

  async examTotals(groupBy: readonly AggregateDimension[], filter: AnalyticsFilter | null | undefined): Promise<ExamTotalAggregateGroupType[]> {
    const dimensions = [...new Set(groupBy)];
    const keyOf = (d: AggregateDimension) => {
      if (d === AggregateDimension.SUBJECT || d === AggregateDimension.GRADE) throw badInput(`Итоги ОО по процедуре даны по всем предметам и классам: группировка по ${d} к ним не применяется`, 'groupBy');
      return SCHOOL_KEY_OF[d];
    };
    const keyOfs = dimensions.map((d) => [d, keyOf(d)] as const);
    const where = analyticsConditions(this.principal, filter, EXAM_TOTAL_GRAIN);
    const rows = await selectRows<ExamTotalRow>(
      this.em,
      sqlFragment(`select ${groupedColumns('et')}, et.procedure, et.participants, et.count_sum3_220 ${EXAM_TOTAL_SOURCE} where ${where.sql}`, where.bindings),
    );
    const municipalityNames = new Map(rows.map((row) => [row.municipality_code, row.municipality_name]));
    const inputs: ExamTotalInputRow[] = rows.map((row) => ({
      keys: Object.fromEntries(keyOfs.map(([d, of]) => [d, of(row)])),
      schoolId: String(row.school_id),
      participants: row.participants,
      countSum3_220: row.count_sum3_220,
    }));
    return examTotalsByGroup(inputs, dimensions).map(({ keys, ...totals }) => ({ ...keyFields(keys, dimensions, municipalityNames), ...totals }));
  }
}
