import { type Procedure } from '../../assessments/enums';
import { BenchmarkLevel } from '../../territory/enums';
import {
  compareMarkDistribution, compareWithReference, fitTrend, yearToYearChanges, type AssumedSpread, type MarkDistributionResult, type MetricObservation, type TrendPoint,
} from '../stats';
import { ALL_COMPARISON_METRICS, ComparisonMetric, METRIC_FIELD } from '../shared/metrics';
import type { ResolvedSchool } from '../shared/school-codes';
import { finite, toDifference, toTrend, toYearChange } from '../shared/statistics.mapping';
import { StatisticStatus, type DifferenceType, type TrendType } from '../shared/statistics.types';
import { markDistributionReference, metricReference, observedValue } from './compare.references';
import type { BenchmarkRow, ComparedExamTotalRow, ComparedResultRow, ExamTotalBenchmarkRow } from './compare.sql';
import {
  ComparedAssessmentType, ComparedExamTotalType, ComparedExamTotalYearType, ComparedSchoolType, ComparisonYearType, MetricTrendType, ReferenceComparisonType, SpreadBasis,
  type MarkCountsType, type MarkDistributionComparisonType, type MarkDistributionsType, type MetricComparisonType, type MetricsComparisonType,
  type TrendsComparisonType,
} from './compare.types';
import { resultInputOf, testScoreSpreadOf } from './school-observations';
import { schoolObservation } from '../shared/metric-value';

/** The reference values of one assessment that apply to one school. */
interface SchoolReferences {
  municipality: BenchmarkRow | null;
  region: BenchmarkRow | null;
  russia: BenchmarkRow | null;
}

class BenchmarkIndex {
  private readonly rows = new Map<string, BenchmarkRow>();

  /** `keyOf`: what a reference is of — an assessment, or for exam totals a year × procedure (examTotalKey). */
  constructor(benchmarks: readonly BenchmarkRow[], keyOf: (b: BenchmarkRow) => number | string = (b) => b.assessment_id) {
    for (const b of benchmarks) {
      const scopeId = b.level === BenchmarkLevel.MUNICIPALITY ? b.municipality_id : b.level === BenchmarkLevel.REGION ? b.region_id : null;
      this.rows.set(`${keyOf(b)}|${b.level}|${scopeId ?? ''}`, b);
    }
  }

  /** `key`: the assessment's id, or for exam totals `year|procedure` (examTotalKey). */
  forSchool(key: number | string, school: ResolvedSchool): SchoolReferences {
    return {
      municipality: this.rows.get(`${key}|${BenchmarkLevel.MUNICIPALITY}|${school.municipalityId}`) ?? null,
      region: this.rows.get(`${key}|${BenchmarkLevel.REGION}|${school.regionId}`) ?? null,
      russia: this.rows.get(`${key}|${BenchmarkLevel.RUSSIA}|`) ?? null,
    };
  }
}

/** The reference values of an exam total (no assessment) are those of its year and procedure. */
const examTotalKey = (row: { year: number; procedure: string }) => `${row.year}|${row.procedure}`;

/**
 * The comparison of each school, assembled from its result rows (ordered by series and year) and the
 * reference values: per year every metric against its municipality, region and Russia and the mark
 * distribution; per series the trend of every metric. All numbers come from src/comparisons/stats; the
 * differences, distributions and trends are computed when a client asks for them.
 */
export function buildComparison(
  schools: readonly ResolvedSchool[],
  results: readonly ComparedResultRow[],
  benchmarks: readonly BenchmarkRow[],
  confidence: number,
  examTotals: readonly ComparedExamTotalRow[] = [],
  totalBenchmarks: readonly ExamTotalBenchmarkRow[] = [],
): ComparedSchoolType[] {
  const index = new BenchmarkIndex(benchmarks);
  const totalIndex = new BenchmarkIndex(totalBenchmarks, (b) => examTotalKey(b as ExamTotalBenchmarkRow));
  const bySchool = groupBySchool(results);
  const totalsBySchool = groupBySchool(examTotals);
  return schools.map((school) =>
    Object.assign(new ComparedSchoolType(), {
      code: school.code,
      schoolId: school.id,
      assessmentRows: seriesOf(bySchool.get(school.id) ?? []).map((rows) => compareSeries(rows, school, index, confidence)),
      examTotalRows: totalSeriesOf(totalsBySchool.get(school.id) ?? []).map((rows) => compareExamTotals(rows, school, totalIndex, confidence)),
    }),
  );
}

function groupBySchool<T extends { school_id: number }>(rows: readonly T[]): Map<number, T[]> {
  const bySchool = new Map<number, T[]>();
  for (const row of rows) {
    const list = bySchool.get(row.school_id);
    if (list) list.push(row);
    else bySchool.set(row.school_id, [row]);
  }
  return bySchool;
}

/** Consecutive exam totals of one procedure (the SQL orders them so). */
function totalSeriesOf(rows: readonly ComparedExamTotalRow[]): ComparedExamTotalRow[][] {
  const series: ComparedExamTotalRow[][] = [];
  for (const [i, row] of rows.entries()) {
    if (i === 0 || rows[i - 1].procedure !== row.procedure) series.push([]);
    series[series.length - 1].push(row);
  }
  return series;
}

/**
 * A school's totals over one procedure, year by year: the share ≥ 220 over three subjects against the exam-total
 * references of its municipality, region and Russia, and its trend — through the same observation, comparison and
 * trend as every metric of an assessment.
 */
function compareExamTotals(rows: readonly ComparedExamTotalRow[], school: ResolvedSchool, index: BenchmarkIndex, confidence: number): ComparedExamTotalType {
  const metric = ComparisonMetric.SHARE_SUM3_220;
  const points: TrendPoint[] = [];
  const years = rows.map((row) => {
    const metrics = emptyMetrics();
    const observation = row.participants == null ? null : schoolObservation({ participants: row.participants, countSum3_220: row.count_sum3_220 }, metric);
    if (observation) {
      points.push({ year: row.year, observation });
      metrics[METRIC_FIELD[metric]] = metricComparison(metric, observation, index.forSchool(examTotalKey(row), school), row.procedure, confidence, null);
    }
    return Object.assign(new ComparedExamTotalYearType(), { year: row.year, participants: row.participants, countSum3_220: row.count_sum3_220, metrics });
  });
  const trends = emptyTrends();
  if (points.length > 0) trends[METRIC_FIELD[metric]] = metricTrend(points, confidence, null);
  return Object.assign(new ComparedExamTotalType(), { procedure: rows[0].procedure, yearRows: years, trends });
}

/** Consecutive rows of one procedure × subject × grade × session (the SQL orders them so). */
function seriesOf(rows: readonly ComparedResultRow[]): ComparedResultRow[][] {
  const series: ComparedResultRow[][] = [];
  let key = '';
  for (const row of rows) {
    const rowKey = `${row.procedure}|${row.subject_id}|${row.grade}|${row.session}`;
    if (rowKey !== key) series.push([]);
    series[series.length - 1].push(row);
    key = rowKey;
  }
  return series;
}

function compareSeries(rows: readonly ComparedResultRow[], school: ResolvedSchool, index: BenchmarkIndex, confidence: number): ComparedAssessmentType {
  const first = rows[0];
  const trendPoints = new Map<ComparisonMetric, TrendPoint[]>(ALL_COMPARISON_METRICS.map((m) => [m, []]));
  const assumedYears: number[] = [];
  const yearRows = rows.map((row) => {
    const references = index.forSchool(row.assessment_id, school);
    // A mean test score published without its pupils' SD is compared with an assumed one (stats/assumed-spread.ts).
    const testScoreSpread = testScoreSpreadOf(row, references.region?.histogram ?? null);
    const input = resultInputOf(row, testScoreSpread);
    const metrics = emptyMetrics();
    for (const metric of ALL_COMPARISON_METRICS) {
      const observation = schoolObservation(input, metric);
      if (!observation) continue;
      trendPoints.get(metric)!.push({ year: row.year, observation });
      const spread = metric === ComparisonMetric.MEAN_TEST_SCORE ? testScoreSpread : null;
      if (spread) assumedYears.push(row.year);
      metrics[METRIC_FIELD[metric]] = metricComparison(metric, observation, references, row.procedure, confidence, spread);
    }
    return yearOf(row, metrics, references, confidence);
  });
  const trends = emptyTrends();
  for (const [metric, points] of trendPoints) {
    if (points.length === 0) continue;
    trends[METRIC_FIELD[metric]] = metricTrend(
      points,
      confidence,
      metric === ComparisonMetric.MEAN_TEST_SCORE && assumedYears.length > 0
        ? `Средний тестовый балл ОО опубликован без разброса по ученикам (годы: ${assumedYears.join(', ')}): ` +
            'ошибки тренда и изменений рассчитаны при принятом разбросе (см. spreadNote показателя за год) и ориентировочны'
        : null,
    );
  }
  return Object.assign(new ComparedAssessmentType(), {
    procedure: first.procedure,
    subjectCode: first.subject_code,
    subjectId: first.subject_id,
    grade: first.grade,
    session: first.session,
    yearRows,
    trends,
  });
}

/** A metric's trend over the years and its year-to-year changes, computed when asked for. */
function metricTrend(points: readonly TrendPoint[], confidence: number, spreadNote: string | null): MetricTrendType {
  return Object.assign(new MetricTrendType(), {
    computeTrend: () => trendOf(points, confidence),
    computeChanges: () => yearToYearChanges(points, { confidence }).map(toYearChange),
    spreadNote,
  });
}

function metricComparison(
  metric: ComparisonMetric,
  observation: MetricObservation,
  references: SchoolReferences,
  procedure: Procedure,
  confidence: number,
  assumed: AssumedSpread | null,
): MetricComparisonType {
  const against = (b: BenchmarkRow | null) => (b ? referenceComparison(metric, observation, b, procedure, confidence) : null);
  const spreadBasis = observation.kind === 'share' ? null : assumed ? SpreadBasis[assumed.basis] : SpreadBasis.OBSERVED;
  return {
    ...observedValue(observation),
    spreadBasis,
    spreadNote: assumed ? spreadNote(assumed) : null,
    municipality: against(references.municipality),
    region: against(references.region),
    russia: against(references.russia),
  };
}

const sdRu = (sd: number) => String(Math.round(sd * 10) / 10).replace('.', ',');

/** The assumption a comparison of a mean published without its spread rests on, in words. */
function spreadNote(assumed: AssumedSpread): string {
  const given = 'Опубликован только средний тестовый балл ОО, без разброса по ученикам: сравнение основано на принятом разбросе — ';
  const spread =
    assumed.basis === 'REGION_PUPILS'
      ? `стандартном отклонении учеников региона в этой процедуре (${sdRu(assumed.sd)} балла по ${assumed.pupils} участникам)`
      : `консервативном стандартном отклонении ${sdRu(assumed.sd)} балла (учеников региона с индивидуальными результатами слишком мало, чтобы оценить разброс)`;
  return `${given}${spread}. Доверительные интервалы и p-value ориентировочные.`;
}

function referenceComparison(metric: ComparisonMetric, observation: MetricObservation, b: BenchmarkRow, procedure: Procedure, confidence: number): ReferenceComparisonType {
  const reference = metricReference(metric, b, procedure);
  return Object.assign(new ReferenceComparisonType(), {
    level: b.level,
    participants: b.participants,
    source: b.source,
    value: reference ? finite(reference.value) : null,
    computeDifference: reference
      ? () => guardedDifference(() => toDifference(compareWithReference(observation, reference.reference, { confidence })))
      : () => toDifference({ status: 'INSUFFICIENT_DATA', reason: 'эталон не содержит значения этого показателя' }),
  });
}

function yearOf(row: ComparedResultRow, metrics: MetricsComparisonType, references: SchoolReferences, confidence: number): ComparisonYearType {
  const marks = markCounts(row);
  const against = (b: BenchmarkRow | null) => (b && marks ? markDistribution(marks, b, confidence) : null);
  return Object.assign(new ComparisonYearType(), {
    year: row.year,
    assessmentId: row.assessment_id,
    participants: row.participants,
    marks,
    meanPercent: row.mean_percent,
    meanTestScore: row.mean_test_score,
    belowMinimum: row.below_minimum,
    countTest80: row.count_test_80,
    countTest100: row.count_test_100,
    journalLowered: row.journal_lowered,
    journalConfirmed: row.journal_confirmed,
    journalRaised: row.journal_raised,
    journalMismatch2: row.journal_mismatch2,
    metrics,
    computeMarkDistributions: (): MarkDistributionsType | null =>
      marks && marks.marked > 0 ? { municipality: against(references.municipality), region: against(references.region), russia: against(references.russia) } : null,
  });
}

function markCounts(row: ComparedResultRow): MarkCountsType | null {
  const { count2, count3, count4, count5 } = row;
  if (count2 == null || count3 == null || count4 == null || count5 == null) return null;
  const marked = count2 + count3 + count4 + count5;
  const share = (n: number) => (marked > 0 ? n / marked : null);
  return { count2, count3, count4, count5, marked, share2: share(count2), share3: share(count3), share4: share(count4), share5: share(count5), share45: share(count4 + count5) };
}

function markDistribution(marks: MarkCountsType, b: BenchmarkRow, confidence: number): MarkDistributionComparisonType {
  const reference = markDistributionReference(b);
  const result: MarkDistributionResult = reference
    ? rangeErrorAsInsufficient(() => compareMarkDistribution(marks, reference, { confidence }))
    : { status: 'INSUFFICIENT_DATA', reason: 'эталон не содержит распределения отметок' };
  if (result.status !== 'OK') {
    return { level: b.level, status: StatisticStatus.INSUFFICIENT_DATA, reason: result.reason, chiSquare: null, degreesOfFreedom: null, pValue: null, significant: null, smallExpectedCounts: null, byMark: [], share45: null };
  }
  return {
    level: b.level,
    status: StatisticStatus.OK,
    reason: null,
    chiSquare: finite(result.chiSquare),
    degreesOfFreedom: result.degreesOfFreedom,
    pValue: finite(result.pValue),
    significant: result.significant,
    smallExpectedCounts: result.smallExpectedCounts,
    byMark: result.byMark.map((m) => ({ mark: m.mark, difference: toDifference(m.difference) })),
    share45: toDifference(result.share45),
  };
}

function trendOf(points: readonly TrendPoint[], confidence: number): TrendType {
  return toTrend(rangeErrorAsInsufficient(() => fitTrend(points, { confidence })));
}

function guardedDifference(compute: () => DifferenceType): DifferenceType {
  try {
    return compute();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return toDifference({ status: 'INSUFFICIENT_DATA', reason: `данные несовместимы: ${error.message}` });
  }
}

/** A RangeError from the statistics means stored values contradict each other: reported, not thrown. */
function rangeErrorAsInsufficient<T>(compute: () => T): T | { status: 'INSUFFICIENT_DATA'; reason: string } {
  try {
    return compute();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return { status: 'INSUFFICIENT_DATA', reason: `данные несовместимы: ${error.message}` };
  }
}

/** Every metric's field, null until observed: metrics and trends share the shape of METRIC_FIELD. */
const emptyPerMetric = () => Object.fromEntries(ALL_COMPARISON_METRICS.map((m) => [METRIC_FIELD[m], null])) as Record<(typeof METRIC_FIELD)[ComparisonMetric], null>;
const emptyMetrics = (): MetricsComparisonType => emptyPerMetric();
const emptyTrends = (): TrendsComparisonType => emptyPerMetric();
