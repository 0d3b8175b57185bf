import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../shared/principal';
import type { Procedure } from '../../assessments/enums';
import { intArrayLiteral, selectRows, sqlFragment } from '../../shared/sql';
import { buildCohortChains, type CohortChain, type CohortResultRow } from './cohort-chains';
import { resolveSchoolCodes } from '../shared/school-codes';
import { regionStatisticsFragment } from '../../auth/scope';
import { CohortChainType, MAX_COHORT_SCHOOLS, SchoolCohortsType, type CohortArgs } from './cohort.types';

interface CohortRow {
  region_id: number;
  school_id: number;
  assessment_id: number;
  procedure: Procedure;
  grade: number;
  year: number;
  subject_code: string;
  mean_percent: number | null;
  participants: number;
}

/** ЕГЭ maths comes as profile or base; a cohort's maths is one subject across ВПР, ОГЭ and ЕГЭ. */
function cohortSubjectOf(code: string): string {
  return code === 'MATH_PROF' || code === 'MATH_BASE' ? 'MATH' : code;
}

/**
 * One result per school and step (procedure × grade × year × harmonised subject): where a school has two
 * (ВПР spring and autumn, ЕГЭ profile and base maths), the one with more participants stands for the step.
 */
function oneResultPerStep(rows: readonly CohortRow[]): CohortResultRow[] {
  const chosen = new Map<string, CohortRow>();
  for (const row of rows) {
    const key = `${row.school_id}|${row.procedure}|${row.grade}|${row.year}|${cohortSubjectOf(row.subject_code)}`;
    const current = chosen.get(key);
    if (!current || row.participants > current.participants || (row.participants === current.participants && row.assessment_id < current.assessment_id)) chosen.set(key, row);
  }
  return [...chosen.values()].map((row) => ({
    schoolId: String(row.school_id),
    procedure: row.procedure,
    grade: row.grade,
    year: row.year,
    subject: cohortSubjectOf(row.subject_code),
    value: row.mean_percent,
    participants: row.participants,
  }));
}

/**
 * Cohort chains of schools, placed at each step by their percentile among the region's schools. Two
 * statements: the codes within the school scope, and the region's results of the assessments these
 * schools took part in, under the region statistics scope (only the schools asked for are shown).
 */
export class CohortService {
  constructor(
    private readonly em: EntityManager,
    private readonly principal: Principal,
  ) {}

  async cohorts(args: CohortArgs): Promise<SchoolCohortsType[]> {
    const schools = await resolveSchoolCodes(this.em, this.principal, args.schools, 'schools', MAX_COHORT_SCHOOLS);
    const scope = regionStatisticsFragment(this.principal, 's');
    const rows = await selectRows<CohortRow>(
      this.em,
      sqlFragment(
        `select s.region_id, sr.school_id, sr.assessment_id, a.procedure, a.grade, a.year, su.code as subject_code, sr.mean_percent, sr.participants
         from school_result sr
         join school s on s.id = sr.school_id
         join assessment a on a.id = sr.assessment_id
         join subject su on su.id = a.subject_id
         where s.region_id = any(?::int[]) and (${scope.sql})
           and sr.assessment_id in (select r.assessment_id from school_result r where r.school_id = any(?::int[]))`,
        [intArrayLiteral([...new Set(schools.map((s) => s.regionId))]), ...scope.bindings, intArrayLiteral(schools.map((s) => s.id))],
      ),
    );
    const subjects = args.subjectCodes?.length ? new Set(args.subjectCodes.map(cohortSubjectOf)) : null;
    const byRegion = new Map<number, CohortResultRow[]>();
    for (const regionId of new Set(schools.map((s) => s.regionId))) {
      byRegion.set(regionId, oneResultPerStep(rows.filter((r) => r.region_id === regionId)).filter((r) => !subjects || subjects.has(r.subject)));
    }
    return schools.map((school) =>
      Object.assign(new SchoolCohortsType(), {
        code: school.code,
        schoolId: school.id,
        chainRows: buildCohortChains(String(school.id), byRegion.get(school.regionId) ?? [], { minParticipants: args.minParticipants }).map(toChainType),
      }),
    );
  }
}

/** Steps carry the hub's Procedure values (the pure functions keep them as strings). */
function toChainType({ steps, ...chain }: CohortChain): CohortChainType {
  return Object.assign(new CohortChainType(), { ...chain, stepRows: steps.map((step) => ({ ...step, procedure: step.procedure as Procedure })) });
}
