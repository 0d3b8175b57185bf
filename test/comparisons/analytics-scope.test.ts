import { ApiKeyService } from '../../src/auth/api-key.service';
import type { Principal } from '../../src/shared/principal';
import { Role } from '../../src/shared/role';
import { benchmarkScope, benchmarkScopeFragment, municipalityScope, municipalityScopeFragment, regionScope, regionScopeFragment, schoolScope, schoolScopeFragment } from '../../src/auth/scope';
import { BenchmarkResult } from '../../src/assessments/benchmark-result.entity';
import { Municipality } from '../../src/territory/municipality.entity';
import { Region } from '../../src/territory/region.entity';
import { School } from '../../src/territory/school.entity';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createTestApi, type TestApi } from '../support/graphql';
import { buildComparisonRegion, type ComparisonRegion } from './support/comparison-region';

/**
 * Every comparison and BI query as every role: a municipal key never sees another municipality's school —
 * not in a comparison, a peer group, a facts page (even with another key's cursor), an aggregate or a
 * correlation; a BI reader reads facts, aggregates and correlations of its region only; a school sees itself.
 */
describe('comparisons and BI within the key’s scope', () => {
  let db: TestDatabase;
  let api: TestApi;
  let region: ComparisonRegion;
  const as: Record<string, Principal> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await createTestApi(db.orm);
    region = await buildComparisonRegion(db.orm.em.fork());
    const keys = new ApiKeyService(db.orm.em.fork());
    const principal = async (input: Parameters<ApiKeyService['create']>[0]) => (await keys.authenticate((await keys.create(input)).key))!;
    as.admin = await principal({ name: 'admin', role: Role.ADMIN });
    as.importer = await principal({ name: 'РЦОИ 77', role: Role.REGIONAL_IMPORTER, regionCode: '77' });
    as.bi = await principal({ name: 'Power BI', role: Role.BI_READER, regionCode: '77' });
    as.analyst = await principal({ name: 'МОУО А', role: Role.MUNICIPAL_ANALYST, municipalityCode: '7701' });
    as.school = await principal({ name: 'Школа А1', role: Role.SCHOOL, schoolCode: region.logins.a1 });
  }, 60_000);
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  const knex = () => db.orm.em.getKnex();
  const ok = async (query: string, variables: Record<string, unknown>, who: string) => {
    const result = await api.query(query, variables, as[who]);
    expect(result.errors).toBeUndefined();
    return result.data!;
  };
  const refused = async (query: string, variables: Record<string, unknown>, who: string) => {
    const result = await api.query(query, variables, as[who]);
    expect(result.data?.[Object.keys(result.data ?? {})[0]] ?? null).toBeNull();
    return result.errors![0];
  };

  describe('compareSchools', () => {
    const COMPARE = `query($s: [String!]!) { compareSchools(schools: $s, years: [2025]) { schools { code school { name municipality { code } }
      assessments { procedure years { metrics { share2 { municipality { value participants } region { value } russia { value } } } } } } } }`;

    it('lets a municipal key compare its own schools and no other', async () => {
      const own = await ok(COMPARE, { s: [region.logins.a1, region.logins.a2] }, 'analyst');
      expect(own.compareSchools.schools.map((s: any) => s.school.municipality.code)).toEqual(['7701', '7701']);
      for (const hidden of [region.logins.b1, region.logins.other, String(region.schools.b1.id)]) {
        const error = await refused(COMPARE, { s: [region.logins.a1, hidden] }, 'analyst');
        expect(error.extensions).toMatchObject({ code: 'NOT_FOUND', argument: 'schools' });
        expect(error.message).toContain(hidden);
      }
    });

    it('lets a school compare itself only, and refuses BI readers', async () => {
      expect((await ok(COMPARE, { s: [region.logins.a1] }, 'school')).compareSchools.schools).toHaveLength(1);
      expect((await refused(COMPARE, { s: [region.logins.a2] }, 'school')).extensions!.code).toBe('NOT_FOUND');
      expect((await refused(COMPARE, { s: [region.logins.a1] }, 'bi')).extensions!.code).toBe('FORBIDDEN');
    });

    it('compares each school with its own municipality', async () => {
      const both = await ok(COMPARE, { s: [region.logins.a1, region.logins.b1] }, 'importer');
      const municipalityOf = (i: number) => both.compareSchools.schools[i].assessments.find((a: any) => a.procedure === 'VPR').years[0].metrics.share2.municipality;
      const participants = async (code: string) =>
        (await knex().raw(`select b.participants from benchmark_result b join municipality m on m.id = b.municipality_id join assessment a on a.id = b.assessment_id
                           where m.code = ? and a.year = 2025 and a.procedure = 'VPR'`, [code])).rows[0].participants;
      expect(municipalityOf(0).participants).toBe(await participants('7701'));
      expect(municipalityOf(1).participants).toBe(await participants('7702'));
    });
  });

  describe('facts, aggregates and correlations', () => {
    const FACTS = `query($after: String, $filter: AnalyticsFilter) { facts(first: 3, after: $after, filter: $filter) {
      totalCount pageInfo { hasNextPage endCursor } nodes { id regionCode municipalityCode schoolLogin } } }`;
    const allFacts = async (who: string, filter: Record<string, unknown> | null = null) => {
      const rows: any[] = [];
      let after: string | null = null;
      let total = -1;
      for (;;) {
        const page: any = (await ok(FACTS, { after, filter }, who)).facts;
        rows.push(...page.nodes);
        total = page.totalCount;
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(rows).toHaveLength(total);
      return rows;
    };
    const sqlCount = async (where: string) =>
      Number((await knex().raw(`select count(*) as n from school_result sr join school s on s.id = sr.school_id join municipality m on m.id = s.municipality_id where ${where}`)).rows[0].n);

    it('pages facts within each key’s scope', async () => {
      const analyst = await allFacts('analyst');
      expect(new Set(analyst.map((f) => f.municipalityCode))).toEqual(new Set(['7701']));
      expect(analyst).toHaveLength(await sqlCount(`m.code = '7701'`));
      const bi = await allFacts('bi');
      expect(new Set(bi.map((f) => f.regionCode))).toEqual(new Set(['77']));
      expect(bi).toHaveLength(await sqlCount(`s.region_id = (select id from region where code = '77')`));
      const school = await allFacts('school');
      expect(new Set(school.map((f) => f.schoolLogin))).toEqual(new Set([region.logins.a1]));
      expect(await allFacts('bi', { regionCode: '78' })).toHaveLength(0);
      expect(await allFacts('admin', { regionCode: '78' })).toHaveLength(await sqlCount(`s.region_id = (select id from region where code = '78')`));
    });

    it('does not let a cursor from a wider key reach beyond the scope', async () => {
      const first = (await ok(FACTS, { after: null, filter: null }, 'admin')).facts;
      const continued = (await ok(`query($after: String) { facts(first: 1000, after: $after) { nodes { municipalityCode } } }`, { after: first.pageInfo.endCursor }, 'analyst')).facts.nodes;
      expect(continued.length).toBeGreaterThan(0);
      expect(new Set(continued.map((f: any) => f.municipalityCode))).toEqual(new Set(['7701']));
    });

    it('aggregates only the schools of the scope', async () => {
      const AGGREGATES = `{ aggregates(groupBy: [MUNICIPALITY], filter: { years: [2025], procedures: [VPR] }) { municipalityCode schools participants } }`;
      const analyst = (await ok(AGGREGATES, {}, 'analyst')).aggregates;
      expect(analyst).toEqual([{ municipalityCode: '7701', schools: 2, participants: 45 }]);
      const bi = (await ok(AGGREGATES, {}, 'bi')).aggregates;
      expect(bi.map((g: any) => g.municipalityCode)).toEqual(['7701', '7702']);
      const school = (await ok(`{ aggregates(groupBy: []) { schools } }`, {}, 'school')).aggregates;
      expect(school).toEqual([{ schools: 1 }]);
    });

    it('correlates across the schools of the scope only', async () => {
      const CORRELATIONS = `{ contextCorrelations(filter: { years: [2025], procedures: [VPR] }, variables: [SOCIAL_INDEX]) { schools correlations { pearson { n status } } } }`;
      const [analyst] = (await ok(CORRELATIONS, {}, 'analyst')).contextCorrelations;
      expect(analyst.schools).toBe(2);
      expect(analyst.correlations[0].pearson).toEqual({ n: 2, status: 'INSUFFICIENT_DATA' });
      const [bi] = (await ok(CORRELATIONS, {}, 'bi')).contextCorrelations;
      expect(bi.schools).toBe(3);
    });
  });

  describe('peer groups and cohorts', () => {
    const PEERS = `query($s: String!) { peerGroup(school: $s, year: 2025, assessment: { procedure: VPR, subjectCode: "RUS", grade: 4 }, k: 5) {
      candidates peers { school { name municipality { code } } } position { status reason } } }`;

    it('chooses peers among the schools the key may see', async () => {
      const analyst = (await ok(PEERS, { s: region.logins.a1 }, 'analyst')).peerGroup;
      expect(analyst.peers.map((p: any) => p.school.name)).toEqual(['Лицей А2']);
      expect(analyst.candidates).toBe(1);
      const importer = (await ok(PEERS, { s: region.logins.a1 }, 'importer')).peerGroup;
      expect(importer.peers.map((p: any) => p.school.name).sort()).toEqual(['Лицей А2', 'Школа Б1']);
      const school = (await ok(PEERS, { s: region.logins.a1 }, 'school')).peerGroup;
      expect(school.peers).toEqual([]);
      expect(school.position.status).toBe('INSUFFICIENT_DATA');
      expect(school.position.reason).toMatch(/области видимости/);
      expect((await refused(PEERS, { s: region.logins.b1 }, 'analyst')).extensions!.code).toBe('NOT_FOUND');
      expect((await refused(PEERS, { s: region.logins.a1 }, 'bi')).extensions!.code).toBe('FORBIDDEN');
    });

    it('tracks cohorts of visible schools only', async () => {
      const COHORTS = `query($s: [String!]!) { cohorts(schools: $s) { code chains { subject } } }`;
      expect((await ok(COHORTS, { s: [region.logins.a1] }, 'analyst')).cohorts).toEqual([{ code: region.logins.a1, chains: [] }]);
      expect((await refused(COHORTS, { s: [region.logins.other] }, 'importer')).extensions!.code).toBe('NOT_FOUND');
      expect((await refused(COHORTS, { s: [region.logins.a1] }, 'bi')).extensions!.code).toBe('FORBIDDEN');
    });
  });

  describe('raw-SQL twins of the ORM scopes', () => {
    const ids = (rows: { id: number }[]) => rows.map((r) => Number(r.id)).sort((a, b) => a - b);
    it.each(['admin', 'importer', 'bi', 'analyst', 'school'])('select exactly what the ORM scopes select for %s', async (who) => {
      const principal = as[who];
      const em = db.orm.em.fork();
      const raw = async (table: string, fragment: { sql: string; bindings: unknown[] }) =>
        ids((await knex().raw(`select t.id from ${table} t where ${fragment.sql}`, fragment.bindings as never[])).rows);
      expect(await raw('school', schoolScopeFragment(principal, 't'))).toEqual(ids(await em.find(School, schoolScope(principal))));
      expect(await raw('municipality', municipalityScopeFragment(principal, 't'))).toEqual(ids(await em.find(Municipality, municipalityScope(principal))));
      expect(await raw('region', regionScopeFragment(principal, 't'))).toEqual(ids(await em.find(Region, regionScope(principal))));
      expect(await raw('benchmark_result', benchmarkScopeFragment(principal, 't'))).toEqual(ids(await em.find(BenchmarkResult, benchmarkScope(principal))));
    });
  });
});
