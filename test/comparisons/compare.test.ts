import { parse } from 'graphql';
import { measureOperation } from '../../src/graphql/guard-rails';
import { buildHubSchema } from '../../src/app/schema';
import { BenchmarkResult } from '../../src/assessments/benchmark-result.entity';
import { Procedure } from '../../src/assessments/enums';
import { BenchmarkLevel } from '../../src/territory/enums';
import { AggregateService } from '../../src/assessments/aggregate.service';
import { DEFAULT_TEST_SCORE_SD, fitTrend, meanObservation, shareObservation } from '../../src/comparisons/stats';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { TestData } from '../support/builders';
import { createTestApi, type TestApi } from '../support/graphql';
import { a1VprScores, buildComparisonRegion, EGE_TEST_SCALE, type ComparisonRegion } from './support/comparison-region';

const REFERENCE = `value participants source difference { status reason method estimate reference difference lower upper degreesOfFreedom pValue significant }`;
const METRIC = `value base standardDeviation municipality { ${REFERENCE} } region { ${REFERENCE} } russia { ${REFERENCE} }`;
const COMPARE = `query($schools: [String!]!, $years: [Int!], $filter: ComparisonFilter) {
  compareSchools(schools: $schools, years: $years, filter: $filter) {
    years confidence
    schools { code school { name municipality { code } } assessments { procedure subjectCode grade session subject { code }
      years { year participants assessment { year } marks { count2 count3 count4 count5 marked share2 share45 } meanPercent meanTestScore belowMinimum countTest80 countTest100
        metrics { share2 { ${METRIC} } share45 { ${METRIC} } meanPercent { ${METRIC} } meanMark { ${METRIC} } journalAgreement { ${METRIC} }
                  meanTestScore { ${METRIC} } belowMinimum { ${METRIC} } shareTest80 { ${METRIC} } shareTest100 { ${METRIC} } }
        markDistributions { municipality { status chiSquare pValue byMark { mark difference { difference } } } russia { status degreesOfFreedom } } }
      trends { share2 { trend { status slopePerYear } } shareTest80 { trend { status years slopePerYear standardError } changes { yearFrom yearTo change { difference } } }
        belowMinimum { trend { status years } } meanPercent { trend { status years slopePerYear standardError lower upper pValue } changes { yearFrom yearTo change { difference } } } }
    } }
  }
}`;

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('compareSchools', () => {
  let db: TestDatabase;
  let api: TestApi;
  let region: ComparisonRegion;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await createTestApi(db.orm);
    region = await buildComparisonRegion(db.orm.em.fork());
  }, 60_000);
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  const compare = async (variables: Record<string, unknown>) => {
    const result = await api.query(COMPARE, variables);
    expect(result.errors).toBeUndefined();
    return result.data!.compareSchools;
  };
  const vprOf = (school: any) => school.assessments.find((a: any) => a.procedure === 'VPR');

  it('compares the last three years by default, side by side with municipality, region and Russia', async () => {
    const comparison = await compare({ schools: [region.logins.a1] });
    expect(comparison.years).toEqual([2023, 2024, 2025]);
    expect(comparison.confidence).toBe(0.95);
    const [a1] = comparison.schools;
    expect(a1.school).toEqual({ name: 'Школа А1', municipality: { code: '7701' } });
    expect(a1.assessments.map((a: any) => `${a.procedure} ${a.subject.code} ${a.grade}`)).toEqual(['VPR RUS 4', 'OGE MATH 9', 'EGE RUS 11']);
    const vpr = vprOf(a1);
    expect(vpr.years.map((y: any) => [y.year, y.assessment.year, y.participants])).toEqual([[2023, 2023, 20], [2024, 2024, 20], [2025, 2025, 20]]);
    const share2 = vpr.years[2].metrics.share2;
    expect([share2.municipality.difference.status, share2.region.difference.status, share2.russia.difference.status]).toEqual(['OK', 'OK', 'OK']);
  });

  it('removes the school itself from its municipality and region before comparing', async () => {
    const comparison = await compare({ schools: [region.logins.a1, region.logins.a2], years: [2025], filter: { procedures: ['VPR'] } });
    const [a1, a2] = comparison.schools.map((s: any) => vprOf(s).years[0]);
    // Municipality 7701 is a1 and a2: without a1 it is exactly a2.
    expect(a1.metrics.share45.municipality.difference.reference).toBeCloseTo(a2.marks.share45, 12);
    expect(a1.metrics.share45.municipality.difference.method).toBe('NEWCOMBE_HYBRID_SCORE');
    expect(a1.metrics.meanPercent.municipality.difference.reference).toBeCloseTo(a2.meanPercent, 10);
    expect(a1.metrics.meanPercent.municipality.difference.method).toBe('WELCH_T');
    // The published value of the municipality still includes a1.
    expect(a1.metrics.share45.municipality.value).toBeCloseTo((a1.marks.count4 + a1.marks.count5 + a2.marks.count4 + a2.marks.count5) / (a1.marks.marked + a2.marks.marked), 12);
    // Region 77 without a1 is a2 and b1 pooled.
    const b1 = vprOf((await compare({ schools: [region.logins.b1], years: [2025], filter: { procedures: ['VPR'] } })).schools[0]).years[0];
    expect(a1.metrics.share2.region.difference.reference).toBeCloseTo((a2.marks.count2 + b1.marks.count2) / (a2.marks.marked + b1.marks.marked), 12);
  });

  it('compares with Russia as a published value, with a Wilson interval around the school’s share', async () => {
    const comparison = await compare({ schools: [region.logins.b1], years: [2025], filter: { procedures: ['VPR'] } });
    const b1 = vprOf(comparison.schools[0]).years[0];
    const share2 = b1.metrics.share2;
    expect(share2.value).toBeCloseTo(4 / 8, 12); // scores 0, 1, 2, 2 are «2»
    expect(share2.russia.value).toBeCloseTo(region.russia.percent2 / 100, 12);
    expect(share2.russia.difference).toMatchObject({ method: 'WILSON_SCORE_VS_FIXED', significant: true });
    expect(share2.russia.difference.difference).toBeCloseTo(0.5 - 0.1, 12);
    expect(share2.russia.difference.lower).toBeGreaterThan(0);
    // Eight pupils: the interval is wide, and honest about it.
    expect(share2.russia.difference.upper - share2.russia.difference.lower).toBeGreaterThan(0.4);
    expect(b1.markDistributions.russia.degreesOfFreedom).toBe(3);
  });

  it('reads ЕГЭ test scores through the year’s conversion and ОГЭ below-minimum counts', async () => {
    const comparison = await compare({ schools: [region.logins.a1], years: [2025] });
    const byProcedure = (procedure: string) => comparison.schools[0].assessments.find((a: any) => a.procedure === procedure);
    const [ege, oge] = [byProcedure('EGE'), byProcedure('OGE')];
    const scores = [2, 3, 4, 5, 6, 7, 8, 9, 10, 6].map((p) => EGE_TEST_SCALE[p]);
    const testScore = ege.years[0].metrics.meanTestScore;
    expect(testScore.value).toBeCloseTo(mean(scores), 10);
    const sd = Math.sqrt(scores.reduce((s, x) => s + (x - mean(scores)) ** 2, 0) / (scores.length - 1));
    expect(testScore.standardDeviation).toBeCloseTo(sd, 10);
    expect(testScore.russia.difference).toMatchObject({ method: 'ONE_SAMPLE_T', degreesOfFreedom: 9 });
    expect(ege.years[0].belowMinimum).toBe(1); // primary 2 → test score 16 < 24
    expect(ege.years[0].metrics.belowMinimum.value).toBeCloseTo(0.1, 12);
    expect(ege.years[0].metrics.belowMinimum.russia.difference.status).toBe('INSUFFICIENT_DATA'); // no published ЕГЭ value
    expect(ege.years[0].metrics.share2).toBeNull();
    expect(oge.years[0].belowMinimum).toBe(2); // scores 1 and 2
    expect(oge.years[0].metrics.belowMinimum.value).toBeCloseTo(2 / 12, 12);
    expect(oge.years[0].metrics.belowMinimum.russia.value).toBeCloseTo(region.russia.percent2 / 100, 12);
  });

  it('fits the trend over the years from pupil sampling and lists year-to-year changes', async () => {
    const comparison = await compare({ schools: [region.logins.a1], filter: { procedures: ['VPR'] } });
    const trend = vprOf(comparison.schools[0]).trends.meanPercent;
    const expected = fitTrend(
      [2023, 2024, 2025].map((year) => {
        const percents = a1VprScores(year).map((s) => s * 10);
        const m = mean(percents);
        return { year, observation: meanObservation(m, Math.sqrt(percents.reduce((s, x) => s + (x - m) ** 2, 0) / (percents.length - 1)), percents.length) };
      }),
    );
    if (expected.status !== 'OK') throw new Error('the expected trend should fit');
    expect(trend.trend.status).toBe('OK');
    expect(trend.trend.years).toBe(3);
    expect(trend.trend.slopePerYear).toBeCloseTo(expected.slopePerYear, 10);
    expect(trend.trend.slopePerYear).toBeGreaterThan(0);
    expect(trend.trend.standardError).toBeCloseTo(expected.standardError, 10);
    expect(trend.changes.map((c: any) => [c.yearFrom, c.yearTo])).toEqual([[2023, 2024], [2024, 2025]]);
    expect(trend.changes[1].change.difference).toBeCloseTo(mean(a1VprScores(2025)) * 10 - mean(a1VprScores(2024)) * 10, 10);
    const shortTrend = vprOf((await compare({ schools: [region.logins.a1], years: [2024, 2025], filter: { procedures: ['VPR'] } })).schools[0]).trends.share2;
    expect(shortTrend.trend).toEqual({ status: 'INSUFFICIENT_DATA', slopePerYear: null });
  });

  it('checks shares against the pure statistics', async () => {
    const comparison = await compare({ schools: [region.logins.a1], years: [2025], filter: { procedures: ['VPR'] } });
    const year = vprOf(comparison.schools[0]).years[0];
    const observed = shareObservation(year.marks.count4 + year.marks.count5, year.marks.marked);
    expect(year.metrics.share45.value).toBeCloseTo(observed.successes / observed.trials, 12);
    expect(year.metrics.share45.base).toBe(20);
    expect(year.metrics.journalAgreement.base).toBe(20);
    // Every third pupil's journal mark is one higher than the ВПР mark, unless the ВПР mark is already «5».
    const marks = a1VprScores(2025).map((s) => (s >= 8 ? 5 : s >= 5 ? 4 : s >= 3 ? 3 : 2));
    const confirmed = marks.filter((mark, i) => i % 3 !== 0 || mark === 5).length;
    expect(year.metrics.journalAgreement.value).toBeCloseTo(confirmed / 20, 12);
    expect(year.metrics.journalAgreement.municipality.value).not.toBeNull();
  });

  it('answers in the same number of statements for one school and for three', async () => {
    const count = async (schools: string[]) => {
      db.statements.length = 0;
      await compare({ schools });
      return db.statements.length;
    };
    const one = await count([region.logins.a1]);
    const three = await count([region.logins.a1, region.logins.a2, region.logins.b1]);
    expect(three).toBe(one);
    expect(one).toBeLessThanOrEqual(8); // codes, results, benchmarks, exam totals (their benchmarks only when there are totals), then schools, municipalities, assessments, subjects
  });

  it('resolves any alias or the id, and says which codes it does not know', async () => {
    const byRcoi = await compare({ schools: ['77-0001', String(region.schools.a2.id)], years: [2025] });
    expect(byRcoi.schools.map((s: any) => s.school.name)).toEqual(['Школа А1', 'Лицей А2']);
    const unknown = await api.query(COMPARE, { schools: [region.logins.a1, 'sch000000'] });
    expect(unknown.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', argument: 'schools' });
    expect(unknown.errors![0].message).toMatch(/sch000000/);
    const tooMany = await api.query(COMPARE, { schools: Array.from({ length: 51 }, (_, i) => `x${i}`) });
    expect(tooMany.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const badConfidence = await api.query(`{ compareSchools(schools: ["${region.logins.a1}"], confidence: 1.5) { years } }`);
    expect(badConfidence.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('compares ЕГЭ threshold shares (≥ 80, 100 points, below the minimum) of imported school results with Russia and the region over three years', async () => {
    // What open data publishes per school (no pupils, no marks): a2 and b1, ЕГЭ maths 2023–2025.
    const em = db.orm.em.fork();
    const data = new TestData(em);
    const published: Record<'a2' | 'b1', [number, number, number, number][]> = {
      // participants, ≥ 80, 100 points, below the minimum
      a2: [[20, 2, 0, 2], [20, 5, 1, 1], [20, 9, 2, 0]],
      b1: [[10, 1, 0, 3], [10, 1, 0, 3], [10, 1, 0, 3]],
    };
    const russia = { percentTest80: 10, percentTest100: 0.5, percentBelowMinimum: 5 };
    for (const [k, year] of [2023, 2024, 2025].entries()) {
      const ege = await data.assessment({ year, procedure: Procedure.EGE, subjectCode: 'MATH', grade: 11, boundaries: null, minimumTestScore: 27 });
      for (const school of ['a2', 'b1'] as const) {
        const [participants, test80, test100, below] = published[school][k];
        await em.getKnex().raw(
          `insert into school_result (school_id, assessment_id, year, participants, mean_test_score, count_test_80, count_test_100, below_minimum, source)
           values (?, ?, ?, ?, 60, ?, ?, ?, 'IMPORTED')`,
          [region.schools[school].id, ege.id, year, participants, test80, test100, below],
        );
      }
      em.persist(em.create(BenchmarkResult, { assessment: ege, level: BenchmarkLevel.RUSSIA, participants: 700_000, ...russia, source: 'imported' }));
    }
    await em.flush();
    // The region's and municipalities' reference values are computed from the school results, imported ones included.
    await new AggregateService(em).recompute({ schoolIds: null, years: [2023, 2024, 2025] });

    const comparison = await compare({ schools: [region.logins.a2], filter: { procedures: ['EGE'], subjectCodes: ['MATH'] } });
    expect(comparison.years).toEqual([2023, 2024, 2025]);
    const [ege] = comparison.schools[0].assessments;
    expect(ege.years.map((y: any) => [y.year, y.participants, y.countTest80, y.countTest100, y.belowMinimum])).toEqual([
      [2023, 20, 2, 0, 2],
      [2024, 20, 5, 1, 1],
      [2025, 20, 9, 2, 0],
    ]);
    const last = ege.years[2].metrics;
    expect(last.shareTest80).toMatchObject({ value: 9 / 20, base: 20, standardDeviation: null });
    // Russia's published share is exact: a Wilson interval around the school's share.
    expect(last.shareTest80.russia.value).toBeCloseTo(0.1, 12);
    expect(last.shareTest80.russia.difference).toMatchObject({ status: 'OK', method: 'WILSON_SCORE_VS_FIXED', significant: true });
    expect(last.shareTest80.russia.difference.difference).toBeCloseTo(9 / 20 - 0.1, 12);
    // The region (a2 + b1) is computed and contains a2: without it, it is b1's 1 of 10.
    expect(last.shareTest80.region.value).toBeCloseTo(10 / 30, 12);
    expect(last.shareTest80.region.difference).toMatchObject({ status: 'OK', method: 'NEWCOMBE_HYBRID_SCORE' });
    expect(last.shareTest80.region.difference.reference).toBeCloseTo(1 / 10, 12);
    expect(last.shareTest100.value).toBeCloseTo(2 / 20, 12);
    expect(last.shareTest100.russia.value).toBeCloseTo(0.005, 12);
    expect(last.shareTest100.region.difference.reference).toBeCloseTo(0, 12);
    // ЕГЭ below the minimum now has its reference values too (Russia's published, the region's computed).
    expect(last.belowMinimum.value).toBe(0);
    expect(last.belowMinimum.russia.value).toBeCloseTo(0.05, 12);
    expect(last.belowMinimum.russia.difference.status).toBe('OK');
    expect(last.belowMinimum.region.difference.reference).toBeCloseTo(3 / 10, 12);
    // Published without a pupil SD, the mean test score is compared on an assumed spread, and says so (the region has no
    // ЕГЭ maths pupils: the default; test/comparisons/imported-means.test.ts has the rest).
    expect(ege.years[2].meanTestScore).toBe(60);
    expect(last.meanTestScore).toMatchObject({ value: 60, base: 20, standardDeviation: DEFAULT_TEST_SCORE_SD });

    // Three years: the trend of the share ≥ 80 from pupil sampling, and the year-to-year changes.
    const expected = fitTrend(published.a2.map(([participants, test80], k) => ({ year: 2023 + k, observation: shareObservation(test80, participants) })));
    if (expected.status !== 'OK') throw new Error('the expected trend should fit');
    expect(ege.trends.shareTest80.trend).toMatchObject({ status: 'OK', years: 3 });
    expect(ege.trends.shareTest80.trend.slopePerYear).toBeCloseTo(expected.slopePerYear, 10);
    expect(ege.trends.shareTest80.trend.slopePerYear).toBeGreaterThan(0);
    expect(ege.trends.shareTest80.trend.standardError).toBeCloseTo(expected.standardError, 10);
    expect(ege.trends.shareTest80.changes.map((c: any) => [c.yearFrom, c.yearTo, c.change.difference])).toEqual([
      [2023, 2024, expect.closeTo(3 / 20, 12)],
      [2024, 2025, expect.closeTo(4 / 20, 12)],
    ]);
    expect(ege.trends.belowMinimum.trend).toMatchObject({ status: 'OK', years: 3 });
    // ВПР has no ЕГЭ thresholds.
    const vpr = vprOf((await compare({ schools: [region.logins.a2], years: [2025] })).schools[0]);
    expect([vpr.years[0].countTest80, vpr.years[0].metrics.shareTest80, vpr.years[0].metrics.shareTest100]).toEqual([null, null, null]);
  });

  it('passes the hub’s query depth and cost limits for ten schools, ten assessments and three years', async () => {
    const schema = await buildHubSchema();
    const query = `query($s: [String!]!) { compareSchools(schools: $s) { schools(first: 10) { assessments(first: 10) { years(first: 3) {
      metrics { share2 { ${METRIC} } share45 { ${METRIC} } meanPercent { ${METRIC} } meanMark { ${METRIC} } journalAgreement { ${METRIC} } } } } } } }`;
    const document = parse(query);
    const measure = measureOperation(schema, document, document.definitions[0] as never, {});
    expect(measure.depth).toBeLessThanOrEqual(15);
    expect(measure.cost).toBeLessThanOrEqual(250_000);
  });
});
