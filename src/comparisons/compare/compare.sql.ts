import type { Principal } from '../../shared/principal';
import type { Procedure } from '../../assessments/enums';
import type { BenchmarkLevel } from '../../territory/enums';
import { allOf, intArrayLiteral, jsonParam, sqlFragment, type SqlFragment } from '../../shared/sql';
import { benchmarkScopeFragment, schoolScopeFragment } from '../../auth/scope';
import type { ComparisonFilter } from './compare.args';

export interface ComparedResultRow {
  school_id: number;
  assessment_id: number;
  year: number;
  participants: number;
  count2: number | null;
  count3: number | null;
  count4: number | null;
  count5: number | null;
  mean_percent: number | null;
  sd_percent: number | null;
  histogram: number[] | null;
  journal_lowered: number | null;
  journal_confirmed: number | null;
  journal_raised: number | null;
  journal_mismatch2: number | null;
  below_minimum: number | null;
  mean_test_score: number | null;
  count_test_80: number | null;
  count_test_100: number | null;
  procedure: Procedure;
  session: string;
  grade: number;
  max_primary: number | null;
  test_scale: number[] | null;
  subject_id: number;
  subject_code: string;
}

export interface BenchmarkRow {
  assessment_id: number;
  level: BenchmarkLevel;
  region_id: number | null;
  municipality_id: number | null;
  participants: number | null;
  percent2: number | null;
  percent3: number | null;
  percent4: number | null;
  percent5: number | null;
  mean_percent: number | null;
  mean_test_score: number | null;
  /** Shares of the territory's participants, % (ЕГЭ: test score below the minimum, ≥ 80, 100; ОГЭ, ГВЭ: «2»). */
  percent_below_minimum: number | null;
  percent_test_80: number | null;
  percent_test_100: number | null;
  /** Exam totals only (benchmark_exam_total: no assessment, a year × procedure): ЕГЭ ≥ 220 over three subjects, %. */
  percent_sum3_220: number | null;
  journal_lowered: number | null;
  journal_confirmed: number | null;
  journal_raised: number | null;
  source: string;
  /** REGION: the region's primary-score histogram (its schools with pupil distributions); the others have none. */
  histogram: number[] | null;
}

/** Conditions on `a` (assessment) and `su` (subject) from the comparison filter. */
function assessmentFilterFragment(filter: ComparisonFilter | null | undefined): SqlFragment {
  const conditions: SqlFragment[] = [];
  if (filter?.procedures?.length) conditions.push(sqlFragment(`a.procedure::text in (select jsonb_array_elements_text(?::jsonb))`, [jsonParam(filter.procedures)]));
  if (filter?.subjectCodes?.length) conditions.push(sqlFragment(`su.code in (select jsonb_array_elements_text(?::jsonb))`, [jsonParam(filter.subjectCodes)]));
  if (filter?.grades?.length) conditions.push(sqlFragment(`a.grade = any(?::int[])`, [intArrayLiteral(filter.grades)]));
  return allOf(conditions);
}

/**
 * The results of the schools in the years (given, or the last three with results), one statement whatever
 * the number of schools. The school scope is repeated here although the ids were resolved within it.
 */
export function comparedResultsQuery(principal: Principal, schoolIds: number[], years: number[] | null, filter: ComparisonFilter | null | undefined): SqlFragment {
  const ids = intArrayLiteral(schoolIds);
  const assessments = assessmentFilterFragment(filter);
  const scope = schoolScopeFragment(principal, 's');
  const yearCondition = years
    ? sqlFragment(`sr.year = any(?::int[])`, [intArrayLiteral(years)])
    : sqlFragment(
        `sr.year in (select distinct r.year from school_result r join assessment a on a.id = r.assessment_id join subject su on su.id = a.subject_id
                     where r.school_id = any(?::int[]) and ${assessments.sql} order by r.year desc limit 3)`,
        [ids, ...assessments.bindings],
      );
  const where = allOf([sqlFragment(`sr.school_id = any(?::int[])`, [ids]), yearCondition, assessments, scope]);
  return sqlFragment(
    `select sr.school_id, sr.assessment_id, sr.year, sr.participants, sr.count2, sr.count3, sr.count4, sr.count5,
            sr.mean_percent, sr.sd_percent, sr.histogram, sr.journal_lowered, sr.journal_confirmed, sr.journal_raised,
            sr.journal_mismatch2, sr.below_minimum, sr.mean_test_score, sr.count_test_80, sr.count_test_100,
            a.procedure, a.session, a.grade, sc.max_primary, sc.test_scale, su.id as subject_id, su.code as subject_code
     from school_result sr
     join school s on s.id = sr.school_id
     join assessment a on a.id = sr.assessment_id
     join applicable_scale sc on sc.assessment_id = a.id and sc.region_id = s.region_id
     join subject su on su.id = a.subject_id
     where ${where.sql}
     order by sr.school_id, a.procedure, su.code, a.grade, a.session, sr.year`,
    where.bindings,
  );
}

/** Russia's values and those of the schools' own regions and municipalities, within the benchmark scope. */
export function comparedBenchmarksQuery(principal: Principal, assessmentIds: number[], regionIds: number[], municipalityIds: number[]): SqlFragment {
  const where = allOf([
    sqlFragment(`b.assessment_id = any(?::int[])`, [intArrayLiteral(assessmentIds)]),
    sqlFragment(
      `b.level = 'RUSSIA' or (b.level = 'REGION' and b.region_id = any(?::int[])) or (b.level = 'MUNICIPALITY' and b.municipality_id = any(?::int[]))`,
      [intArrayLiteral(regionIds), intArrayLiteral(municipalityIds)],
    ),
    benchmarkScopeFragment(principal, 'b'),
  ]);
  return sqlFragment(
    `select b.assessment_id, b.level, b.region_id, b.municipality_id, b.participants, b.percent2, b.percent3, b.percent4, b.percent5,
            b.mean_percent, b.mean_test_score, b.percent_below_minimum, b.percent_test_80, b.percent_test_100, null::float8 as percent_sum3_220,
            b.journal_lowered, b.journal_confirmed, b.journal_raised, b.source, b.histogram
     from benchmark_result b where ${where.sql}`,
    where.bindings,
  );
}

/** A school's total over a procedure in a year, across subjects (school_exam_total). */
export interface ComparedExamTotalRow {
  school_id: number;
  year: number;
  procedure: Procedure;
  participants: number | null;
  count_sum3_220: number | null;
}

/** The exam totals of the schools in the years (given, or each school's last three with totals), by school, procedure, year. */
export function comparedExamTotalsQuery(principal: Principal, schoolIds: number[], years: number[] | null, filter: ComparisonFilter | null | undefined): SqlFragment {
  const ids = intArrayLiteral(schoolIds);
  const yearCondition = years
    ? sqlFragment(`t.year = any(?::int[])`, [intArrayLiteral(years)])
    : sqlFragment(`t.year in (select distinct e.year from school_exam_total e where e.school_id = t.school_id order by e.year desc limit 3)`);
  const procedures = filter?.procedures?.length ? sqlFragment(`t.procedure::text in (select jsonb_array_elements_text(?::jsonb))`, [jsonParam(filter.procedures)]) : sqlFragment('true');
  const where = allOf([sqlFragment(`t.school_id = any(?::int[])`, [ids]), yearCondition, procedures, schoolScopeFragment(principal, 's')]);
  return sqlFragment(
    `select t.school_id, t.year, t.procedure, t.participants, t.count_sum3_220
     from school_exam_total t join school s on s.id = t.school_id
     where ${where.sql}
     order by t.school_id, t.procedure, t.year`,
    where.bindings,
  );
}

export type ExamTotalBenchmarkRow = BenchmarkRow & { year: number; procedure: Procedure };

/**
 * Reference values of the exam totals (benchmark_exam_total) as BenchmarkRow — the columns an assessment's reference
 * has are null — with their year and procedure: Russia's and the schools' own regions' and municipalities'.
 */
export function comparedExamTotalBenchmarksQuery(principal: Principal, years: number[], regionIds: number[], municipalityIds: number[]): SqlFragment {
  const where = allOf([
    sqlFragment(`b.year = any(?::int[])`, [intArrayLiteral(years)]),
    sqlFragment(
      `b.level = 'RUSSIA' or (b.level = 'REGION' and b.region_id = any(?::int[])) or (b.level = 'MUNICIPALITY' and b.municipality_id = any(?::int[]))`,
      [intArrayLiteral(regionIds), intArrayLiteral(municipalityIds)],
    ),
    benchmarkScopeFragment(principal, 'b'),
  ]);
  return sqlFragment(
    `select b.year, b.procedure, 0 as assessment_id, b.level, b.region_id, b.municipality_id, b.participants, null::float8 as percent2, null::float8 as percent3,
            null::float8 as percent4, null::float8 as percent5, null::float8 as mean_percent, null::float8 as mean_test_score, null::float8 as percent_below_minimum,
            null::float8 as percent_test_80, null::float8 as percent_test_100, b.percent_sum3_220, null::int as journal_lowered, null::int as journal_confirmed,
            null::int as journal_raised, b.source, null::int[] as histogram
     from benchmark_exam_total b where ${where.sql}`,
    where.bindings,
  );
}
