/**
 * A mean test score published per school (an imported school-results row: no pupils, no SD) is compared anyway, with
 * an assumed pupil spread said beside the answer (issue 22): the region's pupils' SD in the same assessment when at
 * least 30 of them are known, else the conservative default.
 */
import { BenchmarkResult } from '../../src/assessments/benchmark-result.entity';
import { Procedure } from '../../src/assessments/enums';
import { BenchmarkLevel } from '../../src/territory/enums';
import { AggregateService } from '../../src/assessments/aggregate.service';
import { compareWithReference, DEFAULT_TEST_SCORE_SD, fitTrend, meanObservation } from '../../src/comparisons/stats';
import { TestData } from '../support/builders';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createTestApi, type TestApi } from '../support/graphql';
import { buildComparisonRegion, EGE_TEST_SCALE, type ComparisonRegion } from './support/comparison-region';

const DIFFERENCE = `status method estimate reference difference standardError degreesOfFreedom pValue significant`;
const COMPARE = `query($schools: [String!]!, $filter: ComparisonFilter) {
  compareSchools(schools: $schools, filter: $filter) {
    schools { assessments { procedure subjectCode years { year participants meanTestScore
      metrics { meanTestScore { value base standardDeviation spreadBasis spreadNote
        russia { value difference { ${DIFFERENCE} } } region { value difference { ${DIFFERENCE} } } }
        shareTest80 { value spreadBasis spreadNote } } }
      trends { meanTestScore { spreadNote trend { status years slopePerYear standardError } } } } }
  }
}`;

const sampleSd = (values: number[]) => {
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((s, x) => s + (x - m) ** 2, 0) / (values.length - 1));
};

describe('compareSchools: a mean test score published without its spread', () => {
  let db: TestDatabase;
  let api: TestApi;
  let region: ComparisonRegion;
  /** Test scores of the region's pupils in ЕГЭ Russian 2025 (a1, a2 and c1's pupil rows). */
  let regionScores: number[];

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await createTestApi(db.orm);
    const em = db.orm.em.fork();
    region = await buildComparisonRegion(em);
    const data = new TestData(em);
    // A third school with ЕГЭ Russian pupil rows, so that the region knows 33 pupils' test scores (a1 10, a2 8, c1 15).
    const c1 = await data.school(region.schools.b1.municipality, { login: 'sch770102', name: 'Школа Б2' });
    const c1Scores = [3, 4, 4, 5, 5, 6, 6, 6, 7, 7, 8, 8, 9, 10, 10];
    await data.participants(c1, region.ege, c1Scores.map((primary, i) => ({ code: `C${i + 1}`, primary, test: EGE_TEST_SCALE[primary] })));
    regionScores = [2, 3, 4, 5, 6, 7, 8, 9, 10, 6, 5, 6, 7, 8, 9, 10, 9, 8, ...c1Scores].map((p) => EGE_TEST_SCALE[p]);
    // b1 published its ЕГЭ Russian 2025 result as open data: 12 graduates, mean test score 55.
    await em.getKnex().raw(
      `insert into school_result (school_id, assessment_id, year, participants, mean_test_score, source) values (?, ?, 2025, 12, 55, 'IMPORTED')`,
      [region.schools.b1.id, region.ege.id],
    );
    // ЕГЭ maths 2023–2025: only published school figures in the whole region, so nobody's spread is known.
    for (const [k, year] of [2023, 2024, 2025].entries()) {
      const ege = await data.assessment({ year, procedure: Procedure.EGE, subjectCode: 'MATH', grade: 11, boundaries: null, minimumTestScore: 27 });
      for (const [school, participants, meanTestScore] of [[region.schools.a2, 20, 62 + 4 * k], [region.schools.b1, 10, 50]] as const) {
        await em.getKnex().raw(
          `insert into school_result (school_id, assessment_id, year, participants, mean_test_score, source) values (?, ?, ?, ?, ?, 'IMPORTED')`,
          [school.id, ege.id, year, participants, meanTestScore],
        );
      }
      em.persist(em.create(BenchmarkResult, { assessment: ege, level: BenchmarkLevel.RUSSIA, participants: 700_000, meanTestScore: 60, source: 'imported' }));
    }
    await em.flush();
    await new AggregateService(em).recompute({ schoolIds: null, years: [2023, 2024, 2025] });
  }, 60_000);
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  const compare = async (school: string, subjectCode: string) => {
    const result = await api.query(COMPARE, { schools: [school], filter: { procedures: ['EGE'], subjectCodes: [subjectCode] } });
    expect(result.errors).toBeUndefined();
    return result.data!.compareSchools.schools[0].assessments[0];
  };

  it('takes the spread of the region’s pupils in the same assessment and says so', async () => {
    const ege = await compare(region.logins.b1, 'RUS');
    const [year] = ege.years;
    expect(year).toMatchObject({ year: 2025, participants: 12, meanTestScore: 55 });
    const metric = year.metrics.meanTestScore;
    const sd = sampleSd(regionScores);
    expect(metric).toMatchObject({ value: 55, base: 12, spreadBasis: 'REGION_PUPILS' });
    expect(metric.standardDeviation).toBeCloseTo(sd, 10);
    expect(metric.spreadNote).toMatch(/принятом разбросе/);
    expect(metric.spreadNote).toMatch(/учеников региона .*по 33 участникам/);
    // Russia's published mean is exact: a one-sample t on the assumed spread, as the pure statistics give it.
    const expected = compareWithReference(meanObservation(55, sd, 12), { kind: 'population', value: 60 });
    if (expected.status !== 'OK') throw new Error('the expected comparison should be computed');
    expect(metric.russia.difference).toMatchObject({ status: 'OK', method: 'ONE_SAMPLE_T', degreesOfFreedom: 11 });
    expect(metric.russia.difference.difference).toBeCloseTo(-5, 10);
    expect(metric.russia.difference.standardError).toBeCloseTo(expected.standardError, 10);
    expect(metric.russia.difference.pValue).toBeCloseTo(expected.pValue, 10);
    // The region's computed mean includes b1's published one; b1 is taken out before comparing.
    expect(metric.region.difference).toMatchObject({ status: 'OK', method: 'WELCH_T' });
    const others = regionScores.reduce((a, b) => a + b, 0) / regionScores.length;
    expect(metric.region.difference.reference).toBeCloseTo(others, 8);
    // Shares carry no spread; a school with its own pupils has an observed one and no note.
    expect(year.metrics.shareTest80).toBeNull();
    const a1 = (await compare(region.logins.a1, 'RUS')).years[0].metrics.meanTestScore;
    expect(a1).toMatchObject({ spreadBasis: 'OBSERVED', spreadNote: null });
    expect(a1.standardDeviation).toBeCloseTo(sampleSd([2, 3, 4, 5, 6, 7, 8, 9, 10, 6].map((p) => EGE_TEST_SCALE[p])), 10);
  });

  it('takes the conservative default when the region knows too few pupils, over three years and their trend', async () => {
    const ege = await compare(region.logins.a2, 'MATH');
    expect(ege.years.map((y: any) => [y.year, y.meanTestScore])).toEqual([[2023, 62], [2024, 66], [2025, 70]]);
    const last = ege.years[2].metrics.meanTestScore;
    expect(last).toMatchObject({ value: 70, base: 20, standardDeviation: DEFAULT_TEST_SCORE_SD, spreadBasis: 'DEFAULT' });
    expect(last.spreadNote).toMatch(/консервативном стандартном отклонении 25 балла/);
    expect(last.russia.difference).toMatchObject({ status: 'OK', method: 'ONE_SAMPLE_T', degreesOfFreedom: 19 });
    expect(last.russia.difference.standardError).toBeCloseTo(DEFAULT_TEST_SCORE_SD / Math.sqrt(20), 10);
    // 10 points above Russia, SE 5.6: not significant at 95 % on an assumed spread this wide.
    expect(last.russia.difference.difference).toBeCloseTo(10, 10);
    expect(last.russia.difference.significant).toBe(false);
    // The region (a2 and b1, computed from their published means) without a2 is b1's 50.
    expect(last.region.value).toBeCloseTo((20 * 70 + 10 * 50) / 30, 10);
    expect(last.region.difference).toMatchObject({ status: 'OK', method: 'WELCH_T' });
    expect(last.region.difference.reference).toBeCloseTo(50, 10);

    const expected = fitTrend([62, 66, 70].map((m, k) => ({ year: 2023 + k, observation: meanObservation(m, DEFAULT_TEST_SCORE_SD, 20) })));
    if (expected.status !== 'OK') throw new Error('the expected trend should fit');
    expect(ege.trends.meanTestScore.trend).toMatchObject({ status: 'OK', years: 3 });
    expect(ege.trends.meanTestScore.trend.slopePerYear).toBeCloseTo(4, 10);
    expect(ege.trends.meanTestScore.trend.standardError).toBeCloseTo(expected.standardError, 10);
    expect(ege.trends.meanTestScore.spreadNote).toMatch(/годы: 2023, 2024, 2025/);
  });
});
