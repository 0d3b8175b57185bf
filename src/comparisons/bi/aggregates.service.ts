import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../auth/principal';
import type { Procedure } from '../../assessments/enums';
import type { SchoolType } from '../../schools/enums';
import { aggregateByGroup, sizeBandOf, typeFamilyOf, type AggregateInputRow, type GroupKeyValue } from '../stats';
import type { Locality, SizeBand, TypeFamily } from '../shared/bands';
import type { FactResultColumns } from '../shared/fact-row';
import { selectRows, sqlFragment } from '../../shared/sql';
import { analyticsConditions, FACT_SOURCE, type AnalyticsFilter } from './analytics-filter';
import { AggregateDimension, type AggregateGroupType } from './aggregates.types';

interface AggregateRow extends FactResultColumns {
  school_id: number;
  municipality_code: string;
  municipality_name: string;
  /** null: not stated in the year's context nor in the directory. */
  school_type: SchoolType | null;
  urban: boolean | null;
  in_depth_study: boolean | null;
  enrolment: number | null;
}

const KEY_OF: Record<AggregateDimension, (row: AggregateRow) => GroupKeyValue> = {
  [AggregateDimension.MUNICIPALITY]: (row) => row.municipality_code,
  [AggregateDimension.SCHOOL_TYPE]: (row) => row.school_type,
  // Unknown type or locality is a group of its own (null), never folded into another one.
  [AggregateDimension.TYPE_FAMILY]: (row) => typeFamilyOf(row.school_type, row.in_depth_study ?? false),
  [AggregateDimension.LOCALITY]: (row) => (row.urban === null ? null : row.urban ? 'URBAN' : 'RURAL'),
  [AggregateDimension.SIZE_BAND]: (row) => sizeBandOf(row.enrolment),
  [AggregateDimension.YEAR]: (row) => row.year,
  [AggregateDimension.PROCEDURE]: (row) => row.procedure,
  [AggregateDimension.SUBJECT]: (row) => row.subject_code,
  [AggregateDimension.GRADE]: (row) => row.grade,
};

/**
 * Grouped aggregates for BI: the facts in scope are read in one statement (the school scope in its WHERE)
 * and pooled by the pure `aggregateByGroup`, which weights means by participants and pools shares over
 * pupils.
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
        `select sr.school_id, m.code as municipality_code, m.name as municipality_name, coalesce(c.type, s.type) as school_type,
                coalesce(c.urban, s.urban) as urban, c.in_depth_study, c.enrolment, sr.year, a.procedure, su.code as subject_code, a.grade,
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
    return aggregateByGroup(inputs, dimensions).map(({ keys, ...metrics }) => {
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
        subjectCode: key(AggregateDimension.SUBJECT) as string | null,
        grade: key(AggregateDimension.GRADE) as number | null,
        ...metrics,
      };
    });
  }
}
