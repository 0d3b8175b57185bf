import { ApiKeyService } from '../../src/auth/api-key.service';
import type { Principal } from '../../src/shared/principal';
import { Role } from '../../src/shared/role';
import { BenchmarkResult } from '../../src/assessments/benchmark-result.entity';
import { ResultSource } from '../../src/assessments/enums';
import { BenchmarkLevel } from '../../src/territory/enums';
import { SchoolResult } from '../../src/assessments/school-result.entity';
import type { School } from '../../src/territory/school.entity';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { TestData } from '../support/builders';
import { createTestApi, type TestApi } from '../support/graphql';

/**
 * Every role × scope pair against what it may and may not see or do. Principals are obtained the way a real
 * request gets them: by authenticating a key created through ApiKeyService.
 */
describe('roles and scopes', () => {
  let db: TestDatabase;
  let api: TestApi;
  let schools: Record<'a1' | 'a2' | 'b1' | 'other', School>;
  const as: Record<string, Principal> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await createTestApi(db.orm);
    const data = new TestData(db.orm.em.fork());
    const region = await data.region('31', 'Регион 31');
    const otherRegion = await data.region('32', 'Регион 32');
    const mA = await data.municipality(region, '3101', 'Муниципалитет А');
    const mB = await data.municipality(region, '3102', 'Муниципалитет Б');
    const mOther = await data.municipality(otherRegion, '3201', 'Муниципалитет другого региона');
    schools = {
      a1: await data.school(mA, { login: 'sch310001', name: 'Школа А1' }),
      a2: await data.school(mA, { login: 'sch310002', name: 'Школа А2' }),
      b1: await data.school(mB, { login: 'sch310101', name: 'Школа Б1' }),
      other: await data.school(mOther, { login: 'sch320001', name: 'Школа другого региона' }),
    };
    const vpr = await data.assessment({ year: 2025 });
    for (const school of Object.values(schools)) {
      await data.participants(school, vpr, [{ code: 'p1', tasks: [1, 1, 1, 1], mark: 3 }]);
    }
    const em = db.orm.em.fork();
    for (const school of Object.values(schools)) {
      em.create(SchoolResult, { school: school.id, assessment: vpr.id, year: 2025, participants: 1, count2: 0, count3: 1, count4: 0, count5: 0, source: ResultSource.COMPUTED });
    }
    em.create(BenchmarkResult, { assessment: vpr.id, level: BenchmarkLevel.RUSSIA, meanPercent: 50 });
    em.create(BenchmarkResult, { assessment: vpr.id, level: BenchmarkLevel.REGION, region: region.id, meanPercent: 51 });
    em.create(BenchmarkResult, { assessment: vpr.id, level: BenchmarkLevel.REGION, region: otherRegion.id, meanPercent: 52 });
    em.create(BenchmarkResult, { assessment: vpr.id, level: BenchmarkLevel.MUNICIPALITY, region: region.id, municipality: mA.id, meanPercent: 53 });
    em.create(BenchmarkResult, { assessment: vpr.id, level: BenchmarkLevel.MUNICIPALITY, region: region.id, municipality: mB.id, meanPercent: 54 });
    await em.flush();

    const keys = new ApiKeyService(db.orm.em.fork());
    const principal = async (input: Parameters<ApiKeyService['create']>[0]) => (await keys.authenticate((await keys.create(input)).key))!;
    as.admin = await principal({ name: 'admin', role: Role.ADMIN });
    as.importer = await principal({ name: 'РЦОИ 31', role: Role.REGIONAL_IMPORTER, regionCode: '31' });
    as.bi = await principal({ name: 'Power BI', role: Role.BI_READER, regionCode: '31' });
    as.analyst = await principal({ name: 'МОУО А', role: Role.MUNICIPAL_ANALYST, municipalityCode: '3101' });
    as.school = await principal({ name: 'Школа А1', role: Role.SCHOOL, schoolCode: 'sch310001' });
  });
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  const names = async (who: string) => {
    const result = await api.query(`{ schools(first: 500) { totalCount edges { node { name } } } }`, {}, as[who]);
    expect(result.errors).toBeUndefined();
    return { total: result.data!.schools.totalCount, names: result.data!.schools.edges.map((e: any) => e.node.name).sort() };
  };

  it.each([
    ['admin', 4],
    ['importer', 3],
    ['bi', 3],
    ['analyst', 2],
    ['school', 1],
  ])('%s lists exactly the schools of its scope', async (who, count) => {
    const listed = await names(who);
    expect(listed.total).toBe(count);
    expect(listed.names).toHaveLength(count);
    if (who === 'analyst') expect(listed.names).toEqual(['Школа А1', 'Школа А2']);
    if (who === 'school') expect(listed.names).toEqual(['Школа А1']);
    if (who === 'importer' || who === 'bi') expect(listed.names).not.toContain('Школа другого региона');
  });

  it('hides out-of-scope schools by alias and by id, as if they did not exist', async () => {
    const query = `query($code: String, $id: ID) { school(code: $code, id: $id) { name } }`;
    const hiddenFrom = [
      ['analyst', schools.b1, 'sch310101'],
      ['school', schools.a2, 'sch310002'],
      ['importer', schools.other, 'sch320001'],
      ['bi', schools.other, 'sch320001'],
    ] as const;
    for (const [who, hidden, login] of hiddenFrom) {
      expect((await api.query(query, { code: login }, as[who])).data!.school).toBeNull();
      expect((await api.query(query, { id: String(hidden.id) }, as[who])).data!.school).toBeNull();
    }
    expect((await api.query(query, { code: 'sch310002' }, as.analyst)).data!.school.name).toBe('Школа А2');
  });

  it('does not let a cursor from a wider listing reach beyond the scope', async () => {
    const admin = await api.query(`{ schools(first: 1) { pageInfo { endCursor } } }`, {}, as.admin);
    const cursor = admin.data!.schools.pageInfo.endCursor;
    const page = await api.query(`query($after: String) { schools(first: 100, after: $after) { edges { node { name } } } }`, { after: cursor }, as.analyst);
    expect(page.data!.schools.edges.map((e: any) => e.node.name)).toEqual(['Школа А2']);
  });

  it('limits nested paths: regions, municipalities, their schools and reference values', async () => {
    const query = `{ regions { code municipalities { edges { node { code schools { edges { node { name } } } } } } }
      schools { edges { node { name results { benchmarks { level meanPercent } } } } } }`;
    const analyst = await api.query(query, {}, as.analyst);
    expect(analyst.errors).toBeUndefined();
    expect(analyst.data!.regions).toHaveLength(1);
    expect(analyst.data!.regions[0].municipalities.edges.map((e: any) => e.node.code)).toEqual(['3101']);
    const benchmarks = analyst.data!.schools.edges[0].node.results[0].benchmarks.map((b: any) => b.meanPercent).sort();
    expect(benchmarks).toEqual([50, 51, 53]); // Russia, own region, own municipality — not 52 (other region) nor 54 (Б)

    const importer = await api.query(`{ regions { code municipalities { totalCount } } benchmarks { meanPercent } }`, {}, as.importer);
    expect(importer.data!.regions.map((r: any) => r.code)).toEqual(['31']);
    expect(importer.data!.regions[0].municipalities.totalCount).toBe(2);
    expect(importer.data!.benchmarks.map((b: any) => b.meanPercent).sort()).toEqual([50, 51, 53, 54]);
    const otherRegion = await api.query(`{ region(code: "32") { name } }`, {}, as.importer);
    expect(otherRegion.data!.region).toBeNull();
  });

  it('gives participant rows to the roles that need them, never to BI readers', async () => {
    const query = `{ schools { edges { node { results { participantResults { totalCount edges { node { participantCode } } } } } } } }`;
    const bi = await api.query(query, {}, as.bi);
    expect(bi.errors![0].extensions!.code).toBe('FORBIDDEN');
    const school = await api.query(query, {}, as.school);
    expect(school.errors).toBeUndefined();
    expect(school.data!.schools.edges).toHaveLength(1);
    expect(school.data!.schools.edges[0].node.results[0].participantResults.totalCount).toBe(1);
  });

  it('lets only some roles recompute, and only within their scope', async () => {
    const mutation = `mutation($schools: [String!]) { recomputeAggregates(input: { schools: $schools, years: [2025] }) { id } }`;
    for (const who of ['school', 'bi']) {
      const refused = await api.query(mutation, { schools: ['sch310001'] }, as[who]);
      expect(refused.errors![0].extensions!.code).toBe('FORBIDDEN');
    }
    const outside = await api.query(mutation, { schools: ['sch310101'] }, as.analyst);
    expect(outside.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const own = await api.query(mutation, { schools: ['sch310001'] }, as.analyst);
    expect(own.errors).toBeUndefined();
    const whole = await api.query(`mutation { recomputeAggregates(input: { years: [2025] }) { id } }`, {}, as.analyst);
    const { rows } = await db.orm.em.getKnex().raw(`select payload from job_request where id = ?`, [Number(whole.data!.recomputeAggregates.id.split(':')[1])]);
    expect(rows[0].payload.schoolIds.sort()).toEqual([schools.a1.id, schools.a2.id].sort());

    // A job is visible to the key that asked for it and to admins, not to others.
    const jobQuery = `query($id: ID!) { job(id: $id) { id } }`;
    const id = own.data!.recomputeAggregates.id;
    expect((await api.query(jobQuery, { id }, as.analyst)).data!.job).not.toBeNull();
    expect((await api.query(jobQuery, { id }, as.admin)).data!.job).not.toBeNull();
    expect((await api.query(jobQuery, { id }, as.importer)).data!.job).toBeNull();
  });

  it('keeps key management and the audit log to admins', async () => {
    for (const who of ['importer', 'bi', 'analyst', 'school']) {
      const create = await api.query(`mutation { createApiKey(input: { name: "x", role: ADMIN }) { key } }`, {}, as[who]);
      expect(create.errors![0].extensions!.code).toBe('FORBIDDEN');
      expect(create.errors![0].message).toMatch(/ADMIN/);
      const audit = await api.query(`{ auditLog { action } }`, {}, as[who]);
      expect(audit.errors![0].extensions!.code).toBe('FORBIDDEN');
    }
    const audit = await api.query(`{ auditLog(action: "aggregates.recompute") { actor action target } }`, {}, as.admin);
    expect(audit.data!.auditLog.length).toBeGreaterThanOrEqual(2);
    expect(audit.data!.auditLog.every((e: any) => e.actor === as.analyst.actor)).toBe(true);
    const me = await api.query(`{ me { role schoolId } }`, {}, as.school);
    expect(me.data!.me).toEqual({ role: 'SCHOOL', schoolId: schools.a1.id });
  });
});
