import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../shared/principal';
import type { Procedure, ResultSource } from '../../assessments/enums';
import { decodeCursor, encodeCursor } from '../../graphql/pagination';
import type { SchoolType } from '../../territory/enums';
import { disabledShareBandOf, sizeBandOf, typeFamilyOf } from '../stats';
import { Locality, type DisabledShareBand, type SizeBand, type TypeFamily } from '../shared/bands';
import { selectRows, sqlFragment, type SqlFragment } from '../../shared/sql';
import { analyticsConditions, EXAM_TOTAL_GRAIN, EXAM_TOTAL_SOURCE, FACT_SOURCE, type AnalyticsFilter } from './analytics-filter';
import { ExamTotalFactConnection, FactConnection, type ExamTotalFact, type Fact, type PagedFacts, type SchoolFactFields } from './facts.types';

/** What every BI row says of its school: territory and the context of the row's year. */
interface SchoolFactRow {
  id: number;
  school_id: number;
  school_name: string;
  school_login: string | null;
  region_code: string;
  municipality_code: string;
  municipality_name: string;
  year: number;
  procedure: Procedure;
  source: ResultSource;
  school_type: SchoolType | null;
  urban: boolean | null;
  enrolment: number | null;
  classes: number | null;
  small_school: boolean | null;
  in_depth_study: boolean | null;
  share_disabled: number | null;
  social_index: number | null;
  teachers: number | null;
  vacancies: number | null;
}

interface FactRow extends SchoolFactRow {
  session: string;
  subject_code: string;
  subject_name: string;
  grade: number;
  max_primary: number | null;
  participants: number;
  count2: number | null;
  count3: number | null;
  count4: number | null;
  count5: number | null;
  mean_primary: number | null;
  mean_percent: number | null;
  sd_percent: number | null;
  mean_test_score: number | null;
  below_minimum: number | null;
  count_test_80: number | null;
  count_test_100: number | null;
  journal_lowered: number | null;
  journal_confirmed: number | null;
  journal_raised: number | null;
  journal_mismatch2: number | null;
}

interface ExamTotalFactRow extends SchoolFactRow {
  participants: number | null;
  count_sum3_220: number | null;
}

/** SchoolFactRow's columns of a source's row table (`alias`) joined as in analytics-filter's sources. */
const schoolFactColumns = (alias: string) => `
  ${alias}.id, ${alias}.school_id, s.name as school_name,
  (select min(al.value) from school_alias al where al.school_id = s.id and al.kind = 'FISOKO_LOGIN') as school_login,
  r.code as region_code, m.code as municipality_code, m.name as municipality_name, ${alias}.year, ${alias}.source,
  coalesce(c.type, s.type) as school_type, coalesce(c.urban, s.urban) as urban, c.enrolment, c.classes, c.small_school,
  c.in_depth_study, c.share_disabled, c.social_index, c.teachers, c.vacancies`;

const FACT_COLUMNS = `${schoolFactColumns('sr')},
  a.procedure, a.session, su.code as subject_code, su.name as subject_name, a.grade,
  (select sc.max_primary from applicable_scale sc where sc.assessment_id = a.id and sc.region_id = s.region_id) as max_primary,
  sr.participants, sr.count2, sr.count3, sr.count4, sr.count5, sr.mean_primary, sr.mean_percent, sr.sd_percent,
  sr.mean_test_score, sr.below_minimum, sr.count_test_80, sr.count_test_100, sr.journal_lowered, sr.journal_confirmed, sr.journal_raised, sr.journal_mismatch2`;

const EXAM_TOTAL_COLUMNS = `${schoolFactColumns('et')}, et.procedure, et.participants, et.count_sum3_220`;

const ratio = (part: number | null, base: number | null): number | null => (part != null && base != null && base > 0 ? part / base : null);

function toSchoolFact(row: SchoolFactRow): SchoolFactFields {
  return {
    id: String(row.id),
    schoolId: String(row.school_id),
    schoolName: row.school_name,
    schoolLogin: row.school_login,
    regionCode: row.region_code,
    municipalityCode: row.municipality_code,
    municipalityName: row.municipality_name,
    year: row.year,
    procedure: row.procedure,
    source: row.source,
    schoolType: row.school_type,
    typeFamily: typeFamilyOf(row.school_type, row.in_depth_study ?? false) as TypeFamily | null,
    urban: row.urban,
    locality: row.urban === null ? null : row.urban ? Locality.URBAN : Locality.RURAL,
    enrolment: row.enrolment,
    sizeBand: sizeBandOf(row.enrolment) as SizeBand | null,
    classes: row.classes,
    smallSchool: row.small_school,
    inDepthStudy: row.in_depth_study,
    shareDisabled: row.share_disabled,
    disabledShareBand: disabledShareBandOf(row.share_disabled) as DisabledShareBand | null,
    socialIndex: row.social_index,
    teachers: row.teachers,
    vacancies: row.vacancies,
  };
}

function toFact(row: FactRow): Fact {
  const { count2, count3, count4, count5 } = row;
  const marked = count2 != null && count3 != null && count4 != null && count5 != null ? count2 + count3 + count4 + count5 : null;
  const journal = row.journal_lowered != null && row.journal_confirmed != null && row.journal_raised != null ? row.journal_lowered + row.journal_confirmed + row.journal_raised : null;
  return {
    ...toSchoolFact(row),
    session: row.session,
    subjectCode: row.subject_code,
    subjectName: row.subject_name,
    grade: row.grade,
    maxPrimary: row.max_primary,
    participants: row.participants,
    count2, count3, count4, count5, marked,
    share2: ratio(count2, marked),
    share3: ratio(count3, marked),
    share4: ratio(count4, marked),
    share5: ratio(count5, marked),
    share45: count4 != null && count5 != null ? ratio(count4 + count5, marked) : null,
    meanPrimary: row.mean_primary,
    meanPercent: row.mean_percent,
    sdPercent: row.sd_percent,
    meanTestScore: row.mean_test_score,
    belowMinimum: row.below_minimum,
    belowMinimumShare: ratio(row.below_minimum, row.participants),
    countTest80: row.count_test_80,
    shareTest80: ratio(row.count_test_80, row.participants),
    countTest100: row.count_test_100,
    journalLowered: row.journal_lowered,
    journalConfirmed: row.journal_confirmed,
    journalRaised: row.journal_raised,
    journalMismatch2: row.journal_mismatch2,
    journalAgreementShare: ratio(row.journal_confirmed, journal),
  };
}

const toExamTotalFact = (row: ExamTotalFactRow): ExamTotalFact => ({
  ...toSchoolFact(row),
  participants: row.participants,
  countSum3_220: row.count_sum3_220,
  shareSum3_220: ratio(row.count_sum3_220, row.participants),
});

/**
 * Flat facts for BI, paged by keyset on the row table's id: a page is one statement reading `first + 1` rows
 * after the cursor, so paging 100,000 facts never holds more than one page. The school scope is part of
 * the statement's WHERE; a cursor from elsewhere only says where to continue. Two grains: results (school ×
 * assessment, school_result) and a school's totals over a procedure (school × year × procedure, school_exam_total),
 * which belong to no subject and so are not repeated on each subject's fact, where a BI tool summing them would
 * count them once per subject.
 */
export class FactsService {
  constructor(
    private readonly em: EntityManager,
    private readonly principal: Principal,
  ) {}

  page(filter: AnalyticsFilter | null | undefined, first: number, after: string | null | undefined): Promise<FactConnection> {
    return this.keysetPage(FactConnection, FACT_COLUMNS, FACT_SOURCE, 'sr', analyticsConditions(this.principal, filter), first, after, toFact);
  }

  examTotalPage(filter: AnalyticsFilter | null | undefined, first: number, after: string | null | undefined): Promise<ExamTotalFactConnection> {
    return this.keysetPage(ExamTotalFactConnection, EXAM_TOTAL_COLUMNS, EXAM_TOTAL_SOURCE, 'et', analyticsConditions(this.principal, filter, EXAM_TOTAL_GRAIN), first, after, toExamTotalFact);
  }

  private async keysetPage<Row extends SchoolFactRow, Node extends SchoolFactFields, C extends PagedFacts<Node>>(
    Connection: new () => C, columns: string, source: string, alias: string, where: SqlFragment, first: number, after: string | null | undefined, toNode: (row: Row) => Node,
  ): Promise<C> {
    const afterId = decodeCursor(after) ?? 0;
    const rows = await selectRows<Row>(
      this.em,
      sqlFragment(`select ${columns} ${source} where ${alias}.id > ? and (${where.sql}) order by ${alias}.id limit ?`, [afterId, ...where.bindings, first + 1]),
    );
    const nodes = rows.slice(0, first).map(toNode);
    const endCursor = nodes.length ? encodeCursor(Number(nodes[nodes.length - 1].id)) : null;
    return Object.assign(new Connection(), {
      nodes,
      pageInfo: { hasNextPage: rows.length > first, hasPreviousPage: afterId > 0, startCursor: nodes.length ? encodeCursor(Number(nodes[0].id)) : null, endCursor },
      counter: async () => (await selectRows<{ n: number }>(this.em, sqlFragment(`select count(*)::int as n ${source} where ${where.sql}`, where.bindings)))[0].n,
    });
  }
}
