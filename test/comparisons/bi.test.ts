import { AggregateService } from '../../src/assessments/aggregate.service';
import { generateRegion, type DemoRegion } from '../../src/demo';
import { loadRegion } from '../../src/demo/region-loader';
import { createLogger } from '../../src/shared/logger';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createTestApi, type TestApi } from '../support/graphql';

const FACTS = `query($first: Int!, $after: String, $filter: AnalyticsFilter) {
  facts(first: $first, after: $after, filter: $filter) {
    pageInfo { hasNextPage endCursor }
    nodes { id schoolId schoolName schoolLogin regionCode municipalityCode year procedure subjectCode grade participants count2 count3 count4 count5
      marked share2 share45 meanPercent meanTestScore belowMinimum journalAgreementShare schoolType typeFamily urban locality enrolment sizeBand shareDisabled socialIndex }
  }
}`;

describe('BI: facts and aggregates over a generated region', () => {
  let db: TestDatabase;
  let api: TestApi;
  let municipalities: string[];
  let region: DemoRegion;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await createTestApi(db.orm);
    region = generateRegion({ seed: 11, schools: 30, anomalyRate: 0 });
    await loadRegion(db.url, region, createLogger('silent'));
    await new AggregateService(db.orm.em.fork()).recompute({ schoolIds: null, years: region.years });
    municipalities = region.municipalities.map((m) => m.code);
  }, 120_000);
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  const sql = async <T>(query: string, bindings: unknown[] = []): Promise<T[]> => (await db.orm.em.getKnex().raw(query, bindings as never[])).rows;

  it('pages through every fact by keyset, one statement per page, without repeating or skipping a row', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      db.statements.length = 0;
      const result = await api.query(FACTS, { first: 100, after });
      expect(result.errors).toBeUndefined();
      expect(db.statements).toHaveLength(1);
      expect(db.statements[0]).toMatch(/where sr\.id > \$1 .* order by sr\.id limit \$\d+ \[took \d+ ms, \d+ results?\]/);
      expect(Number(db.statements[0].match(/, (\d+) results?\]/)![1])).toBeLessThanOrEqual(101);
      const page = result.data!.facts;
      expect(page.nodes.length).toBeLessThanOrEqual(100);
      seen.push(...page.nodes.map((n: any) => n.id));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const [{ n }] = await sql<{ n: string }>(`select count(*) as n from school_result`);
    expect(seen).toHaveLength(Number(n));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.map(Number)).toEqual([...seen.map(Number)].sort((a, b) => a - b));
    expect(pages).toBe(Math.ceil(Number(n) / 100));
  });

  it('carries the result, its territory and the school’s context of that year in every row', async () => {
    const page = (await api.query(FACTS, { first: 1, filter: { procedures: ['VPR'], years: [2024] } })).data!.facts.nodes[0];
    const [expected] = await sql<any>(
      `select sr.participants, sr.count2, sr.mean_percent, c.enrolment, c.share_disabled, c.social_index, m.code as municipality, a.login
       from school_result sr join school s on s.id = sr.school_id join municipality m on m.id = s.municipality_id
       join school_context c on c.school_id = s.id and c.year = sr.year
       join lateral (select min(value) as login from school_alias where school_id = s.id and kind = 'FISOKO_LOGIN') a on true
       where sr.id = ?`,
      [Number(page.id)],
    );
    expect(page).toMatchObject({
      year: 2024, procedure: 'VPR', participants: expected.participants, count2: expected.count2, enrolment: expected.enrolment,
      shareDisabled: expected.share_disabled, socialIndex: expected.social_index, municipalityCode: expected.municipality, schoolLogin: expected.login,
    });
    expect(page.meanPercent).toBeCloseTo(expected.mean_percent, 10);
    expect(page.share2).toBeCloseTo(page.count2 / page.marked, 12);
    expect(page.locality).toBe(page.urban ? 'URBAN' : 'RURAL');
  });

  it('filters by territory, year, procedure, subject, grade, school type and locality', async () => {
    const filter = { municipalityCodes: [municipalities[0]], years: [2025], procedures: ['VPR', 'OGE'], subjectCodes: ['MATH'], grades: [5, 9], urban: true };
    const result = await api.query(`query($f: AnalyticsFilter) { facts(first: 10000, filter: $f) { totalCount nodes { schoolLogin municipalityCode year procedure subjectCode grade urban } } }`, { f: filter });
    expect(result.errors).toBeUndefined();
    const { nodes, totalCount } = result.data!.facts;
    // Expected from the generator itself, not from SQL: the (school, assessment) pairs with participants.
    const schools = region.schools.filter((school) => school.municipalityCode === municipalities[0] && school.urban);
    const assessments = region.assessments.filter((a) => a.year === 2025 && ['VPR', 'OGE'].includes(a.procedure) && a.subjectCode === 'MATH' && [5, 9].includes(a.grade));
    const login = new Map(schools.map((school) => [school.id, school.aliases.find((alias) => alias.kind === 'FISOKO_LOGIN')!.value]));
    const procedureOf = new Map(assessments.map((a) => [a.key, `${a.procedure} ${a.grade}`]));
    const expected = new Set<string>();
    for (const row of region.participantResults({ schoolIds: schools.map((school) => school.id), assessmentKeys: [...procedureOf.keys()] })) {
      expected.add(`${login.get(row.schoolId)} ${procedureOf.get(row.assessmentKey)}`);
    }
    expect(new Set([...expected].map((key) => key.split(' ')[1]))).toEqual(new Set(['VPR', 'OGE']));
    expect(totalCount).toBe(expected.size);
    expect(nodes.map((node: any) => `${node.schoolLogin} ${node.procedure} ${node.grade}`).sort()).toEqual([...expected].sort());
    for (const node of nodes) expect(node).toMatchObject({ municipalityCode: municipalities[0], year: 2025, subjectCode: 'MATH', urban: true });
    const badCursor = await api.query(`{ facts(after: "nonsense") { totalCount } }`);
    expect(badCursor.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const tooBig = await api.query(`{ facts(first: 10001) { totalCount } }`);
    expect(tooBig.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('aggregates with participant-weighted means and pupil-pooled shares, equal to the same sums in SQL', async () => {
    const result = await api.query(`{ aggregates(groupBy: [YEAR, MUNICIPALITY], filter: { procedures: [VPR], subjectCodes: ["RUS"] }) {
      year municipalityCode municipalityName procedure schools rows participants meanPercent marked share2 share45 journalCompared journalAgreementShare } }`);
    expect(result.errors).toBeUndefined();
    const groups = result.data!.aggregates;
    const expected = await sql<any>(
      `select sr.year, m.code, count(distinct sr.school_id)::int as schools, count(*)::int as rows, sum(sr.participants)::int as participants,
              sum(sr.mean_percent * sr.participants) / sum(sr.participants) as mean_percent,
              sum(sr.count2)::float / sum(sr.count2 + sr.count3 + sr.count4 + sr.count5) as share2,
              sum(sr.journal_confirmed)::float / sum(sr.journal_lowered + sr.journal_confirmed + sr.journal_raised) as agreement
       from school_result sr join school s on s.id = sr.school_id join municipality m on m.id = s.municipality_id
       join assessment a on a.id = sr.assessment_id join subject su on su.id = a.subject_id
       where a.procedure = 'VPR' and su.code = 'RUS' group by sr.year, m.code order by sr.year, m.code`,
    );
    expect(groups).toHaveLength(expected.length);
    groups.forEach((group: any, i: number) => {
      const row = expected[i];
      expect(group).toMatchObject({ year: row.year, municipalityCode: row.code, procedure: null, schools: row.schools, rows: row.rows, participants: row.participants });
      expect(group.municipalityName).toEqual(expect.any(String));
      expect(group.meanPercent).toBeCloseTo(row.mean_percent, 9);
      expect(group.share2).toBeCloseTo(row.share2, 12);
      expect(group.journalAgreementShare).toBeCloseTo(row.agreement, 12);
    });
  });

  it('groups by school type, locality, size band, grade and subject', async () => {
    const result = await api.query(`{ aggregates(groupBy: [SCHOOL_TYPE, LOCALITY, SIZE_BAND, GRADE, SUBJECT], filter: { years: [2025] }) {
      schoolType locality sizeBand grade subjectCode year schools participants } }`);
    expect(result.errors).toBeUndefined();
    const groups = result.data!.aggregates;
    expect(groups.length).toBeGreaterThan(5);
    for (const group of groups) {
      expect(group.year).toBeNull();
      expect(['URBAN', 'RURAL']).toContain(group.locality);
      expect(group.schoolType).toEqual(expect.any(String));
    }
    const [{ n }] = await sql<{ n: string }>(`select sum(participants) as n from school_result where year = 2025`);
    expect(groups.reduce((total: number, g: any) => total + g.participants, 0)).toBe(Number(n));
  });
});
