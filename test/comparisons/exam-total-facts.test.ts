/**
 * A school's totals over a procedure (school_exam_total: graduates who sat ЕГЭ, those with ≥ 220 test points over
 * three subjects) reach BI as a grain of their own: examTotalFacts pages them by keyset with the facts' territory and
 * context, examTotalAggregates pools them per group like aggregates, both within the key's scope, and a change of
 * the table drops cached answers like any data a read shows.
 */
import { Client } from 'pg';
import { ApiKeyService } from '../../src/auth/api-key.service';
import type { Principal } from '../../src/shared/principal';
import { Role } from '../../src/shared/role';
import { DATA_CHANGED_CHANNEL } from '../../src/shared/data-changes';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createTestApi, type TestApi } from '../support/graphql';
import { until } from '../support/processes';
import { buildComparisonRegion, type ComparisonRegion } from './support/comparison-region';

const PAGE = `query($first: Int!, $after: String, $filter: AnalyticsFilter) {
  examTotalFacts(first: $first, after: $after, filter: $filter) {
    pageInfo { hasNextPage endCursor }
    nodes { id schoolLogin schoolName regionCode municipalityCode year procedure participants countSum3_220 shareSum3_220 source
      schoolType locality enrolment sizeBand shareDisabled }
  }
}`;
const AGGREGATES = `query($groupBy: [AggregateDimension!]!, $filter: AnalyticsFilter) {
  examTotalAggregates(groupBy: $groupBy, filter: $filter) { municipalityCode municipalityName year procedure locality schools rows participants countSum3_220 shareSum3_220 }
}`;

describe('BI: schools’ totals over a procedure (≥ 220 over three ЕГЭ subjects)', () => {
  let db: TestDatabase;
  let api: TestApi;
  let region: ComparisonRegion;
  const as: Record<string, Principal> = {};
  // school, year: graduates who sat ЕГЭ, of them ≥ 220 over three subjects (null: not published)
  const totals: [keyof ComparisonRegion['schools'], number, number | null, number | null][] = [
    ['a1', 2024, 40, 6],
    ['a1', 2025, 42, 9],
    ['a2', 2024, 30, 12],
    ['a2', 2025, 31, null],
    ['b1', 2025, 8, 0],
    ['other', 2025, 25, 5],
  ];

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await createTestApi(db.orm);
    region = await buildComparisonRegion(db.orm.em.fork());
    for (const [school, year, participants, count] of totals) {
      await db.orm.em.getKnex().raw(`insert into school_exam_total (school_id, year, procedure, participants, count_sum3_220) values (?, ?, 'EGE', ?, ?)`, [
        region.schools[school].id, year, participants, count,
      ]);
    }
    const keys = new ApiKeyService(db.orm.em.fork());
    const principal = async (input: Parameters<ApiKeyService['create']>[0]) => (await keys.authenticate((await keys.create(input)).key))!;
    as.bi = await principal({ name: 'Power BI', role: Role.BI_READER, regionCode: '77' });
    as.analyst = await principal({ name: 'МОУО А', role: Role.MUNICIPAL_ANALYST, municipalityCode: '7701' });
  }, 60_000);
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  const ok = async (query: string, variables: Record<string, unknown>, who?: string) => {
    const result = await api.query(query, variables, who ? as[who] : undefined);
    expect(result.errors).toBeUndefined();
    return result.data!;
  };

  it('pages a BI reader’s region by keyset, one statement per page, with the school’s territory and context', async () => {
    const nodes: any[] = [];
    let after: string | null = null;
    for (;;) {
      db.statements.length = 0;
      const page: any = (await ok(PAGE, { first: 2, after }, 'bi')).examTotalFacts;
      expect(db.statements.filter((s) => /from school_exam_total et/.test(s))).toHaveLength(1);
      expect(db.statements.find((s) => /from school_exam_total et/.test(s))).toMatch(/where et\.id > \$1 .* order by et\.id limit \$\d+/);
      expect(page.nodes.length).toBeLessThanOrEqual(2);
      nodes.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    // Region 78's school is not the BI reader's.
    const inRegion = totals.filter(([school]) => school !== 'other');
    expect(nodes.map((n) => [n.schoolLogin, n.year, n.participants, n.countSum3_220])).toEqual(
      inRegion.map(([school, year, participants, count]) => [region.logins[school], year, participants, count]),
    );
    expect(new Set(nodes.map((n) => n.id)).size).toBe(nodes.length);
    const a1 = nodes.find((n) => n.schoolLogin === region.logins.a1 && n.year === 2025);
    expect(a1).toEqual(expect.objectContaining({
      schoolName: 'Школа А1', regionCode: '77', municipalityCode: '7701', procedure: 'EGE', source: 'IMPORTED',
      schoolType: 'SOSH', locality: 'URBAN', enrolment: 600, shareDisabled: 0.04,
    }));
    expect(a1.shareSum3_220).toBeCloseTo(9 / 42, 12);
    expect(nodes.find((n) => n.schoolLogin === region.logins.a2 && n.year === 2025).shareSum3_220).toBeNull();
    expect((await ok(`{ examTotalFacts(first: 1) { totalCount } }`, {}, 'bi')).examTotalFacts.totalCount).toBe(inRegion.length);
  });

  it('filters like the facts, keeps a municipal key to its municipality, and refuses a filter on subjects or grades', async () => {
    const filtered = (await ok(PAGE, { first: 100, filter: { years: [2025], municipalityCodes: ['7701', '7702'], procedures: ['EGE'] } })).examTotalFacts.nodes;
    expect(filtered.map((n: any) => n.schoolLogin)).toEqual([region.logins.a1, region.logins.a2, region.logins.b1]);
    expect((await ok(PAGE, { first: 100, filter: { procedures: ['OGE'] } })).examTotalFacts.nodes).toEqual([]);
    const own = (await ok(PAGE, { first: 100 }, 'analyst')).examTotalFacts.nodes;
    expect(new Set(own.map((n: any) => n.municipalityCode))).toEqual(new Set(['7701']));
    expect(own).toHaveLength(4);
    for (const filter of [{ subjectCodes: ['RUS'] }, { grades: [11] }]) {
      const refused = await api.query(PAGE, { first: 10, filter });
      expect(refused.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
      expect(refused.errors![0].message).toMatch(/по всем предметам и классам/);
    }
  });

  it('aggregates per group over the graduates of the rows that state both figures, with the bases', async () => {
    const groups = (await ok(AGGREGATES, { groupBy: ['MUNICIPALITY', 'YEAR'] }, 'bi')).examTotalAggregates;
    expect(groups).toEqual([
      { municipalityCode: '7701', municipalityName: 'Муниципалитет А', year: 2024, procedure: null, locality: null, schools: 2, rows: 2, participants: 70, countSum3_220: 18, shareSum3_220: 18 / 70 },
      // a2's 2025 count is not published: its 31 graduates count as participants but not in the share's base.
      { municipalityCode: '7701', municipalityName: 'Муниципалитет А', year: 2025, procedure: null, locality: null, schools: 2, rows: 2, participants: 73, countSum3_220: 9, shareSum3_220: 9 / 42 },
      { municipalityCode: '7702', municipalityName: 'Муниципалитет Б', year: 2025, procedure: null, locality: null, schools: 1, rows: 1, participants: 8, countSum3_220: 0, shareSum3_220: 0 },
    ]);
    const byLocality = (await ok(AGGREGATES, { groupBy: ['LOCALITY'], filter: { years: [2025] } })).examTotalAggregates;
    expect(byLocality.map((g: any) => [g.locality, g.schools, g.countSum3_220])).toEqual([['RURAL', 1, 0], ['URBAN', 3, 14]]);
    const bySubject = await api.query(AGGREGATES, { groupBy: ['YEAR', 'SUBJECT'] });
    expect(bySubject.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('notifies a change of the table, so cached answers are dropped', async () => {
    const listener = new Client({ connectionString: db.url });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (message) => heard.push(message.payload ?? ''));
    await listener.query(`listen ${DATA_CHANGED_CHANNEL}`);
    try {
      await db.orm.em.getKnex().raw(`update school_exam_total set count_sum3_220 = 10 where school_id = ? and year = 2025`, [region.schools.a2.id]);
      await until(() => heard.includes('school_exam_total'), 5_000, 'the notification of school_exam_total');
    } finally {
      await listener.end();
    }
    expect(heard).toContain('school_exam_total');
  });
});
