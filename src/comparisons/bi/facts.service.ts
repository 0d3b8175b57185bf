import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../auth/principal';
import type { Procedure, ResultSource } from '../../assessments/enums';
import { decodeCursor, encodeCursor } from '../../graphql/pagination';
import type { SchoolType } from '../../schools/enums';
import { disabledShareBandOf, sizeBandOf, typeFamilyOf } from '../stats';
import { Locality, type DisabledShareBand, type SizeBand, type TypeFamily } from '../shared/bands';
import { selectRows, sqlFragment } from '../../shared/sql';
import { analyticsConditions, FACT_SOURCE, type AnalyticsFilter } from './analytics-filter';
import { FactConnection, type Fact } from './facts.types';

export interface FactRow {
  id: number;
  school_id: number;
  school_name: string;
  school_login: string | null;
  region_code: string;
  municipality_code: string;
  municipality_name: string;
  year: number;
  procedure: Procedure;
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

const FACT_COLUMNS = `
  sr.id, sr.school_id, s.name as school_name,
  (select min(al.value) from school_alias al where al.school_id = s.id and al.kind = 'FISOKO_LOGIN') as school_login,
  r.code as region_code, m.code as municipality_code, m.name as municipality_name,
  sr.year, a.procedure, a.session, su.code as subject_code, su.name as subject_name, a.grade,
  (select sc.max_primary from applicable_scale sc where sc.assessment_id = a.id and sc.region_id = s.region_id) as max_primary,
  sr.participants, sr.count2, sr.count3, sr.count4, sr.count5, sr.mean_primary, sr.mean_percent, sr.sd_percent,
  sr.mean_test_score, sr.below_minimum, sr.count_test_80, sr.count_test_100, sr.journal_lowered, sr.journal_confirmed, sr.journal_raised, sr.journal_mismatch2, sr.source,
  coalesce(c.type, s.type) as school_type, coalesce(c.urban, s.urban) as urban, c.enrolment, c.classes, c.small_school,
  c.in_depth_study, c.share_disabled, c.social_index, c.teachers, c.vacancies`;

const ratio = (part: number | null, base: number | null): number | null => (part != null && base != null && base > 0 ? part / base : null);

export function toFact(row: FactRow): Fact {
  const { count2, count3, count4, count5 } = row;
  const marked = count2 != null && count3 != null && count4 != null && count5 != null ? count2 + count3 + count4 + count5 : null;
  const journal = row.journal_lowered != null && row.journal_confirmed != null && row.journal_raised != null ? row.journal_lowered + row.journal_confirmed + row.journal_raised : null;
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

/**
 * Flat facts for BI, paged by keyset on school_result.id: a page is one statement reading `first + 1` rows
 * after the cursor, so paging 100,000 facts never holds more than one page. The school scope is part of
 * the statement's WHERE; a cursor from elsewhere only says where to continue.
 */
export class FactsService {
  constructor(
    private readonly em: EntityManager,
    private readonly principal: Principal,
  ) {}

  async page(filter: AnalyticsFilter | null | undefined, first: number, after: string | null | undefined): Promise<FactConnection> {
    const afterId = decodeCursor(after) ?? 0;
    const where = analyticsConditions(this.principal, filter);
    const rows = await selectRows<FactRow>(
      this.em,
      sqlFragment(`select ${FACT_COLUMNS} ${FACT_SOURCE} where sr.id > ? and (${where.sql}) order by sr.id limit ?`, [afterId, ...where.bindings, first + 1]),
    );
    const nodes = rows.slice(0, first).map(toFact);
    const endCursor = nodes.length ? encodeCursor(Number(nodes[nodes.length - 1].id)) : null;
    return Object.assign(new FactConnection(), {
      nodes,
      pageInfo: { hasNextPage: rows.length > first, hasPreviousPage: afterId > 0, startCursor: nodes.length ? encodeCursor(Number(nodes[0].id)) : null, endCursor },
      counter: async () => (await selectRows<{ n: number }>(this.em, sqlFragment(`select count(*)::int as n ${FACT_SOURCE} where ${where.sql}`, where.bindings)))[0].n,
    });
  }
}
