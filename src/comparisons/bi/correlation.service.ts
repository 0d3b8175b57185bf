import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../shared/principal';
import type { SchoolType } from '../../territory/enums';
import { pearsonCorrelation, spearmanCorrelation, typeFamilyOf, weightedPearsonCorrelation, type CorrelationResult } from '../stats';
import { metricOf } from '../shared/metric-value';
import { ComparisonMetric } from '../shared/metrics';
import { badInput } from '../../graphql/errors';
import type { FactResultColumns } from '../shared/fact-row';
import { selectRows, sqlFragment } from '../../shared/sql';
import { finite } from '../shared/statistics.mapping';
import { StatisticStatus } from '../shared/statistics.types';
import { analyticsConditions, FACT_SOURCE } from './analytics-filter';
import { CorrelationVariable, type AssessmentCorrelationsType, type CorrelationArgs, type CorrelationStatType } from './correlation.types';

export interface CorrelationRow extends FactResultColumns {
  assessment_id: number;
  school_type: SchoolType;
  urban: boolean;
  in_depth_study: boolean | null;
  small_school: boolean | null;
  enrolment: number | null;
  share_disabled: number | null;
  social_index: number | null;
  teachers: number | null;
  vacancies: number | null;
  head_tenure_years: number | null;
  has_psychologist: boolean | null;
  has_defectologist: boolean | null;
  has_social_pedagogue: boolean | null;
}

const flag = (value: boolean | null): number | null => (value == null ? null : value ? 1 : 0);

const VARIABLE_OF: Record<CorrelationVariable, (row: CorrelationRow) => number | null> = {
  [CorrelationVariable.LOG_ENROLMENT]: (row) => (row.enrolment != null && row.enrolment > 0 ? Math.log(row.enrolment) : null),
  [CorrelationVariable.SHARE_DISABLED]: (row) => row.share_disabled,
  [CorrelationVariable.SOCIAL_INDEX]: (row) => row.social_index,
  [CorrelationVariable.URBAN]: (row) => flag(row.urban),
  [CorrelationVariable.IN_DEPTH_STUDY]: (row) => flag(row.in_depth_study),
  [CorrelationVariable.SELECTIVE_TYPE]: (row) => {
    const family = typeFamilyOf(row.school_type, row.in_depth_study ?? false);
    return family === null ? null : family === 'SELECTIVE' ? 1 : 0;
  },
  [CorrelationVariable.SMALL_SCHOOL]: (row) => flag(row.small_school),
  [CorrelationVariable.PUPILS_PER_TEACHER]: (row) => (row.enrolment != null && row.teachers ? row.enrolment / row.teachers : null),
  [CorrelationVariable.VACANCY_SHARE]: (row) => (row.teachers != null && row.vacancies != null && row.teachers + row.vacancies > 0 ? row.vacancies / (row.teachers + row.vacancies) : null),
  [CorrelationVariable.HEAD_TENURE_YEARS]: (row) => row.head_tenure_years,
  [CorrelationVariable.HAS_PSYCHOLOGIST]: (row) => flag(row.has_psychologist),
  [CorrelationVariable.HAS_DEFECTOLOGIST]: (row) => flag(row.has_defectologist),
  [CorrelationVariable.HAS_SOCIAL_PEDAGOGUE]: (row) => flag(row.has_social_pedagogue),
};

function toStat(result: CorrelationResult, n: number): CorrelationStatType {
  if (result.status !== 'OK') return { status: StatisticStatus.INSUFFICIENT_DATA, reason: result.reason, r: null, n, effectiveN: null, lower: null, upper: null, pValue: null, significant: null };
  return { status: StatisticStatus.OK, reason: null, r: result.r, n: result.n, effectiveN: finite(result.effectiveN), lower: finite(result.lower), upper: finite(result.upper), pValue: finite(result.pValue), significant: result.significant };
}

/**
 * Correlations of a result metric with context variables across the schools in scope, per assessment and
 * year: one statement (the school scope in its WHERE, so a municipal key correlates its own schools only),
 * then Pearson, participant-weighted Pearson and Spearman with Fisher-z intervals from src/comparisons/stats.
 */
export class CorrelationService {
  constructor(
    private readonly em: EntityManager,
    private readonly principal: Principal,
  ) {}

  async correlations(args: CorrelationArgs): Promise<AssessmentCorrelationsType[]> {
    // A school's ≥ 220 total is over the procedure as a whole (no subject, no assessment): there is no per-assessment
    // value to correlate, and an empty answer would read as "no schools".
    if (args.metric === ComparisonMetric.SHARE_SUM3_220) {
      throw badInput('Показатель SHARE_SUM3_220 — итог ОО по процедуре за год, без предмета: корреляции считаются по результатам ОО в процедурах по предметам. Он сравнивается в compareSchools (examTotals).', 'metric');
    }
    const where = analyticsConditions(this.principal, args.filter);
    const rows = await selectRows<CorrelationRow>(
      this.em,
      sqlFragment(
        `select sr.assessment_id, sr.year, a.procedure, su.code as subject_code, a.grade, sr.participants, sr.count2, sr.count3, sr.count4, sr.count5,
                sr.mean_percent, sr.mean_test_score, sr.journal_lowered, sr.journal_confirmed, sr.journal_raised, sr.below_minimum,
                sr.count_test_80, sr.count_test_100, coalesce(c.type, s.type) as school_type, coalesce(c.urban, s.urban) as urban, c.in_depth_study, c.small_school, c.enrolment,
                c.share_disabled, c.social_index, c.teachers, c.vacancies, c.head_tenure_years, c.has_psychologist, c.has_defectologist, c.has_social_pedagogue
         ${FACT_SOURCE} where ${where.sql}
         order by sr.year, a.procedure, su.code, a.grade, a.session, sr.assessment_id`,
        where.bindings,
      ),
    );
    const variables = args.variables?.length ? [...new Set(args.variables)] : Object.values(CorrelationVariable);
    const byAssessment = new Map<number, CorrelationRow[]>();
    for (const row of rows) byAssessment.set(row.assessment_id, [...(byAssessment.get(row.assessment_id) ?? []), row]);
    return [...byAssessment.values()].map((group) => this.correlate(group, variables, args));
  }

  private correlate(group: CorrelationRow[], variables: CorrelationVariable[], args: CorrelationArgs): AssessmentCorrelationsType {
    const measured = group.map((row) => ({ row, metric: metricOf(row, args.metric) })).filter((m) => m.metric !== null);
    const y = measured.map((m) => m.metric!.value);
    const weights = measured.map((m) => m.metric!.base);
    const options = { confidence: args.confidence };
    const first = group[0];
    return {
      assessmentId: first.assessment_id,
      year: first.year,
      procedure: first.procedure,
      subjectCode: first.subject_code,
      grade: first.grade,
      metric: args.metric,
      confidence: args.confidence,
      schools: measured.length,
      correlations: variables.map((variable) => {
        const x = measured.map((m) => finite(VARIABLE_OF[variable](m.row)));
        const n = x.filter((v) => v !== null).length;
        return {
          variable,
          pearson: toStat(pearsonCorrelation(x, y, options), n),
          weightedPearson: toStat(weightedPearsonCorrelation(x, y, weights, options), n),
          spearman: toStat(spearmanCorrelation(x, y, options), n),
        };
      }),
    };
  }
}
