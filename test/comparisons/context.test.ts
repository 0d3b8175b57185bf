import { AggregateService } from '../../src/assessments/aggregate.service';
import { ApiKeyService } from '../../src/auth/api-key.service';
import type { Principal } from '../../src/shared/principal';
import { Role } from '../../src/shared/role';
import { weightedPearsonCorrelation } from '../../src/comparisons/stats';
import { percentileRank } from '../../src/stats/percentile-rank';
import { generateRegion } from '../../src/demo';
import { loadRegion } from '../../src/demo/region-loader';
import { createLogger } from '../../src/shared/logger';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createTestApi, type TestApi } from '../support/graphql';

const MODEL = `query($region: String, $exclude: [ContextVariable!]) {
  contextModel(regionCode: $region, year: 2025, assessment: { procedure: VPR, subjectCode: "MATH", grade: 5 }, exclude: $exclude) {
    status reason year response formula documentation weighting n participants parameters residualDf rSquared adjustedRSquared residualSd
    referenceSchoolType coefficients { name estimate standardError lower upper pValue } variables { variable treatment missing }
    region { code } assessment { procedure grade year }
    schools { school { id municipality { code } } participants actual expected residual standardizedResidual leverage }
  }
}`;

describe('peer groups, the context model, cohorts and correlations over a generated region', () => {
  let db: TestDatabase;
  let api: TestApi;
  let analyst: Principal;
  let municipality: string;
  let login: (schoolId: number) => Promise<string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await createTestApi(db.orm);
    const region = generateRegion({ seed: 5, schools: 40, anomalyRate: 0 });
    await loadRegion(db.url, region, createLogger('silent'));
    await new AggregateService(db.orm.em.fork()).recompute({ schoolIds: null, years: region.years });
    municipality = region.municipalities[0].code;
    const keys = new ApiKeyService(db.orm.em.fork());
    analyst = (await keys.authenticate((await keys.create({ name: 'МОУО', role: Role.MUNICIPAL_ANALYST, municipalityCode: municipality })).key))!;
    login = async (schoolId) => (await sql<{ value: string }>(`select min(value) as value from school_alias where school_id = ? and kind = 'FISOKO_LOGIN'`, [schoolId]))[0].value;
  }, 120_000);
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  const sql = async <T>(query: string, bindings: unknown[] = []): Promise<T[]> => (await db.orm.em.getKnex().raw(query, bindings as never[])).rows;
  const vprMath5 = `select sr.school_id, sr.mean_percent, sr.participants, m.code as municipality from school_result sr join assessment a on a.id = sr.assessment_id
    join subject su on su.id = a.subject_id join school s on s.id = sr.school_id join municipality m on m.id = s.municipality_id
    where a.procedure = 'VPR' and su.code = 'MATH' and a.grade = 5 and a.year = 2025 order by sr.school_id`;

  it('fits the region’s context model and reports its fit and the variables used', async () => {
    const result = await api.query(MODEL, { region: '99' });
    expect(result.errors).toBeUndefined();
    const model = result.data!.contextModel;
    const rows = await sql<{ school_id: number; mean_percent: number; participants: number }>(vprMath5);
    expect(model).toMatchObject({ status: 'OK', reason: null, year: 2025, weighting: 'PARTICIPANTS', documentation: 'src/comparisons/stats/MODEL.md', region: { code: '99' } });
    expect(model.n).toBe(rows.length);
    expect(model.participants).toBe(rows.reduce((a, r) => a + r.participants, 0));
    expect(model.residualDf).toBe(model.n - model.parameters);
    expect(model.rSquared).toBeGreaterThan(0);
    expect(model.rSquared).toBeLessThan(1);
    expect(model.residualSd).toBeGreaterThan(0);
    expect(model.coefficients[0].name).toBe('INTERCEPT');
    expect(model.coefficients.map((c: any) => c.name)).toEqual(expect.arrayContaining(['URBAN', 'LOG_ENROLMENT', 'SHARE_DISABLED_PCT']));
    expect(model.variables.map((v: any) => v.variable)).toEqual(['SCHOOL_TYPE', 'IN_DEPTH_STUDY', 'URBAN', 'LOG_ENROLMENT', 'SHARE_DISABLED_PCT', 'SOCIAL_INDEX']);
    expect(model.schools).toHaveLength(rows.length);
    for (const school of model.schools) expect(school.actual - school.expected).toBeCloseTo(school.residual, 10);
    const byId = new Map(rows.map((r) => [String(r.school_id), r.mean_percent]));
    for (const school of model.schools) expect(school.actual).toBeCloseTo(byId.get(school.school.id)!, 10);

    const without = (await api.query(MODEL, { region: '99', exclude: ['SOCIAL_INDEX'] })).data!.contextModel;
    expect(without.variables.find((v: any) => v.variable === 'SOCIAL_INDEX').treatment).toBe('EXCLUDED');
    expect(without.coefficients.map((c: any) => c.name)).not.toContain('SOCIAL_INDEX');
  });

  it('fits the model over the region for a municipal key but names only its own schools', async () => {
    const own = await api.query(MODEL, {}, analyst);
    expect(own.errors).toBeUndefined();
    const everyone = (await api.query(MODEL, { region: '99' })).data!.contextModel;
    expect(own.data!.contextModel.n).toBe(everyone.n);
    expect(own.data!.contextModel.rSquared).toBeCloseTo(everyone.rSquared, 12);
    const mine = (await sql<{ school_id: number; municipality: string }>(vprMath5)).filter((r) => r.municipality === municipality);
    expect(own.data!.contextModel.schools).toHaveLength(mine.length);
    for (const school of own.data!.contextModel.schools) expect(school.school.municipality.code).toBe(municipality);
    const admin = await api.query(MODEL, {});
    expect(admin.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'regionCode' });
    const otherRegion = await api.query(MODEL, { region: '98' }, analyst);
    expect(otherRegion.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const unknownAssessment = await api.query(`{ contextModel(regionCode: "99", year: 2025, assessment: { procedure: VPR, subjectCode: "MATH", grade: 11 }) { n } }`);
    expect(unknownAssessment.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', argument: 'assessment' });
  });

  it('places a school among its peers and gives its context-adjusted result from the same model', async () => {
    const rows = await sql<{ school_id: number; mean_percent: number; participants: number }>(vprMath5);
    const target = rows[0];
    const result = await api.query(`query($s: String!) { peerGroup(school: $s, year: 2025, assessment: { procedure: VPR, subjectCode: "MATH", grade: 5 }, k: 6) {
      school { id } value participants restriction candidates variablesUsed bands { typeFamily locality sizeBand }
      peers { school { id } distance value participants }
      position { status rank groupSize percentile peerMean peerMedian differenceFromPeerMean }
      contextAdjusted { status actual expected residual }
      model { n } } }`, { s: await login(target.school_id) });
    expect(result.errors).toBeUndefined();
    const group = result.data!.peerGroup;
    expect(group.value).toBeCloseTo(target.mean_percent, 10);
    expect(group.candidates).toBeGreaterThanOrEqual(6);
    expect(group.peers).toHaveLength(6);
    const peerIds = group.peers.map((p: any) => p.school.id);
    expect(new Set(peerIds).size).toBe(6);
    expect(peerIds).not.toContain(String(target.school_id));
    const values = new Map(rows.map((r) => [String(r.school_id), r.mean_percent]));
    for (const peer of group.peers) expect(peer.value).toBeCloseTo(values.get(peer.school.id)!, 10);
    const distances = group.peers.map((p: any) => p.distance);
    expect(distances).toEqual([...distances].sort((a: number, b: number) => a - b));
    const peerValues = group.peers.map((p: any) => p.value);
    expect(group.position.groupSize).toBe(7);
    expect(group.position.rank).toBe(1 + peerValues.filter((v: number) => v > group.value).length);
    expect(group.position.peerMean).toBeCloseTo(peerValues.reduce((a: number, b: number) => a + b, 0) / 6, 10);
    const model = (await api.query(MODEL, { region: '99' })).data!.contextModel;
    const expectation = model.schools.find((s: any) => s.school.id === String(target.school_id));
    expect(group.contextAdjusted.status).toBe('OK');
    expect(group.contextAdjusted.residual).toBeCloseTo(expectation.residual, 10);
    expect(group.model.n).toBe(model.n);
  });

  it('places a school among its peers on the ЕГЭ thresholds, read as compareSchools and the correlations read them', async () => {
    const rows = await sql<{ school_id: number; participants: number; count_test_80: number; count_test_100: number; below_minimum: number }>(
      `select sr.school_id, sr.participants, sr.count_test_80, sr.count_test_100, sr.below_minimum from school_result sr
       join assessment a on a.id = sr.assessment_id join subject su on su.id = a.subject_id
       where a.procedure = 'EGE' and su.code = 'RUS' and a.year = 2025 and sr.participants > 0 and sr.count_test_80 is not null order by sr.school_id`,
    );
    expect(rows.length).toBeGreaterThan(6);
    // A school with graduates over 80 and under the minimum among its peers, so that both orders are checked on real values.
    const target = rows.find((r) => r.count_test_80 > 0 && r.below_minimum > 0) ?? rows.find((r) => r.count_test_80 > 0)!;
    const byId = new Map(rows.map((r) => [String(r.school_id), r]));
    const PEERS = `query($s: String!, $metric: PeerMetric!) { peerGroup(school: $s, year: 2025, assessment: { procedure: EGE, subjectCode: "RUS", grade: 11 }, k: 6, metric: $metric) {
      metric value participants peers { school { id } value } position { status higherIsBetter rank groupSize peerWeightedMean } } }`;
    const share = (r: (typeof rows)[number], metric: string) =>
      (metric === 'SHARE_TEST_80' ? r.count_test_80 : metric === 'SHARE_TEST_100' ? r.count_test_100 : r.below_minimum) / r.participants;
    for (const metric of ['SHARE_TEST_80', 'SHARE_TEST_100', 'BELOW_MINIMUM']) {
      const result = await api.query(PEERS, { s: await login(target.school_id), metric });
      expect(result.errors).toBeUndefined();
      const group = result.data!.peerGroup;
      expect(group.metric).toBe(metric);
      expect(group.value).toBeCloseTo(share(target, metric), 12);
      expect(group.peers).toHaveLength(6);
      for (const peer of group.peers) expect(peer.value).toBeCloseTo(share(byId.get(peer.school.id)!, metric), 12);
      const lowerIsBetter = metric === 'BELOW_MINIMUM';
      const better = group.peers.filter((p: any) => (lowerIsBetter ? p.value < group.value : p.value > group.value)).length;
      expect(group.position).toMatchObject({ status: 'OK', higherIsBetter: !lowerIsBetter, rank: 1 + better, groupSize: 7 });
      // Pupil-weighted: the peers' graduates over (or under) the threshold among all their graduates.
      const peerRows = group.peers.map((p: any) => byId.get(p.school.id)!);
      const pooled = peerRows.reduce((a: number, r: any) => a + share(r, metric) * r.participants, 0) / peerRows.reduce((a: number, r: any) => a + r.participants, 0);
      expect(group.position.peerWeightedMean).toBeCloseTo(pooled, 12);
    }
  });

  it('follows a cohort from ВПР 4 to ВПР 5 to ВПР 6 by its percentile among the region’s schools', async () => {
    const [chosen] = await sql<{ school_id: number }>(
      `select sr.school_id from school_result sr join assessment a on a.id = sr.assessment_id join subject su on su.id = a.subject_id
       where a.procedure = 'VPR' and su.code = 'RUS' and ((a.grade = 4 and a.year = 2023) or (a.grade = 5 and a.year = 2024) or (a.grade = 6 and a.year = 2025))
       group by sr.school_id having count(*) = 3 order by sr.school_id limit 1`,
    );
    const result = await api.query(`query($s: [String!]!) { cohorts(schools: $s) { school { id } chains { subject gradeOneYear stage totalPercentileChange
      steps { procedure grade year value participants regionSchools percentile percentileChange } } } }`, { s: [await login(chosen.school_id)] });
    expect(result.errors).toBeUndefined();
    const chain = result.data!.cohorts[0].chains.find((c: any) => c.subject === 'RUS' && c.gradeOneYear === 2020);
    expect(chain.steps.map((s: any) => `${s.procedure} ${s.grade} ${s.year}`)).toEqual(['VPR 4 2023', 'VPR 5 2024', 'VPR 6 2025']);
    for (const step of chain.steps) {
      const population = await sql<{ school_id: number; mean_percent: number }>(
        `select sr.school_id, sr.mean_percent from school_result sr join assessment a on a.id = sr.assessment_id join subject su on su.id = a.subject_id
         where a.procedure = 'VPR' and su.code = 'RUS' and a.grade = ? and a.year = ? and sr.participants > 0`,
        [step.grade, step.year],
      );
      expect(step.regionSchools).toBe(population.length);
      const own = population.find((p) => p.school_id === chosen.school_id)!;
      expect(step.value).toBeCloseTo(own.mean_percent, 10);
      expect(step.percentile).toBeCloseTo(percentileRank(own.mean_percent, population.map((p) => p.mean_percent)), 10);
    }
    expect(chain.totalPercentileChange).toBeCloseTo(chain.steps[2].percentile - chain.steps[0].percentile, 10);
    expect(chain.steps[1].percentileChange).toBeCloseTo(chain.steps[1].percentile - chain.steps[0].percentile, 10);

    // ВПР 8 → ОГЭ 9, for a school found here to have both steps, so that the check always runs.
    const [withOge] = await sql<{ school_id: number; subject: string; year: number }>(
      `select oge.school_id, su.code as subject, oa.year from school_result oge join assessment oa on oa.id = oge.assessment_id join subject su on su.id = oa.subject_id
       join school_result vpr on vpr.school_id = oge.school_id join assessment va on va.id = vpr.assessment_id
       where oa.procedure = 'OGE' and oa.grade = 9 and va.procedure = 'VPR' and va.grade = 8 and va.year = oa.year - 1 and va.subject_id = oa.subject_id
         and oge.participants > 0 and vpr.participants > 0 and oge.mean_percent is not null and vpr.mean_percent is not null
       order by oge.school_id, su.code, oa.year limit 1`,
    );
    expect(withOge).toBeDefined();
    const oge = await api.query(`query($s: [String!]!) { cohorts(schools: $s) { chains { subject gradeOneYear steps { procedure grade year } } } }`, { s: [await login(withOge.school_id)] });
    expect(oge.errors).toBeUndefined();
    const ogeChain = oge.data!.cohorts[0].chains.find((c: any) => c.subject === withOge.subject && c.gradeOneYear === withOge.year - 8);
    expect(ogeChain.steps.slice(-2)).toEqual([
      { procedure: 'VPR', grade: 8, year: withOge.year - 1 },
      { procedure: 'OGE', grade: 9, year: withOge.year },
    ]);
  });

  it('correlates results with context per assessment and year, with N and Fisher intervals', async () => {
    const result = await api.query(`{ contextCorrelations(filter: { years: [2025], procedures: [VPR], subjectCodes: ["MATH"], grades: [5] }, variables: [SOCIAL_INDEX, URBAN, LOG_ENROLMENT]) {
      year procedure subjectCode grade metric schools assessment { id }
      correlations { variable pearson { status r n lower upper pValue significant } weightedPearson { r effectiveN lower upper } spearman { r n lower upper } } } }`);
    expect(result.errors).toBeUndefined();
    const [assessment] = result.data!.contextCorrelations;
    const rows = await sql<{ school_id: number }>(vprMath5);
    expect(assessment).toMatchObject({ year: 2025, procedure: 'VPR', subjectCode: 'MATH', grade: 5, metric: 'MEAN_PERCENT', schools: rows.length });
    expect(assessment.correlations.map((c: any) => c.variable)).toEqual(['SOCIAL_INDEX', 'URBAN', 'LOG_ENROLMENT']);
    for (const { pearson, weightedPearson, spearman } of assessment.correlations) {
      expect(pearson.status).toBe('OK');
      expect(pearson.n).toBe(rows.length);
      expect(pearson.lower).toBeLessThan(pearson.r);
      expect(pearson.upper).toBeGreaterThan(pearson.r);
      expect(weightedPearson.effectiveN).toBeLessThanOrEqual(rows.length);
      expect(spearman.upper - spearman.lower).toBeGreaterThan(0);
    }
    const social = assessment.correlations[0].pearson;
    expect(social.significant).toBe(social.pValue < 0.05);
  });

  it('refuses to correlate the ≥ 220 total, which has no assessment to correlate within', async () => {
    const result = await api.query(`{ contextCorrelations(metric: SHARE_SUM3_220, filter: { years: [2025], procedures: [EGE] }, variables: [SOCIAL_INDEX]) { schools } }`);
    expect(result.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'metric' });
    expect(result.errors![0].message).toContain('compareSchools');
  });

  it('correlates the ЕГЭ share with ≥ 80 test points like any metric: the school’s count over its participants', async () => {
    const result = await api.query(`{ contextCorrelations(metric: SHARE_TEST_80, filter: { years: [2025], procedures: [EGE], subjectCodes: ["RUS"] }, variables: [SOCIAL_INDEX]) {
      subjectCode metric schools correlations { pearson { status r n } weightedPearson { r } } } }`);
    expect(result.errors).toBeUndefined();
    const [assessment] = result.data!.contextCorrelations;
    const rows = await sql<{ share: number; participants: number; social_index: number }>(
      `select sr.count_test_80::float / sr.participants as share, sr.participants, c.social_index
       from school_result sr join assessment a on a.id = sr.assessment_id join subject su on su.id = a.subject_id
       join school_context c on c.school_id = sr.school_id and c.year = sr.year
       where a.procedure = 'EGE' and su.code = 'RUS' and sr.year = 2025 and sr.count_test_80 is not null and sr.participants > 0 and c.social_index is not null`,
    );
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.some((row) => row.share > 0)).toBe(true);
    expect(assessment).toMatchObject({ subjectCode: 'RUS', metric: 'SHARE_TEST_80', schools: rows.length });
    const { pearson, weightedPearson } = assessment.correlations[0];
    expect(pearson).toMatchObject({ status: 'OK', n: rows.length });
    expect(pearson.r).toBeCloseTo(pearsonOf(rows.map((row) => row.social_index), rows.map((row) => row.share)), 10);
    // Weighted by participants, as the share's base.
    const expectedWeighted = weightedPearsonCorrelation(rows.map((row) => row.social_index), rows.map((row) => row.share), rows.map((row) => row.participants));
    expect(weightedPearson.r).toBeCloseTo(expectedWeighted.status === 'OK' ? expectedWeighted.r : NaN, 10);
  });
});

function pearsonOf(x: number[], y: number[]): number {
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const [mx, my] = [mean(x), mean(y)];
  const cov = x.reduce((sum, xi, i) => sum + (xi - mx) * (y[i] - my), 0);
  return cov / Math.sqrt(x.reduce((sum, xi) => sum + (xi - mx) ** 2, 0) * y.reduce((sum, yi) => sum + (yi - my) ** 2, 0));
}
