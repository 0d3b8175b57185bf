import { Procedure, ResultSource } from '../../src/assessments/enums';
import { SchoolResult } from '../../src/assessments/school-result.entity';
import { ConductConditions } from '../../src/assessments/conduct-conditions.entity';
import { ObserverPresence } from '../../src/assessments/enums';
import { SchoolContext } from '../../src/schools/school-context.entity';
import { SchoolType } from '../../src/territory/enums';
import type { School } from '../../src/territory/school.entity';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { TestData } from '../support/builders';
import { createTestApi, type TestApi } from '../support/graphql';

const YEARS = [2023, 2024, 2025];

describe('GraphQL read API', () => {
  let db: TestDatabase;
  let api: TestApi;
  let schools: School[];

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await createTestApi(db.orm);
    const data = new TestData(db.orm.em.fork());
    const region = await data.region('55', 'Омская область (тест)');
    const municipalities = [await data.municipality(region, '01', 'Город А'), await data.municipality(region, '02', 'Район Б'), await data.municipality(region, '03', 'Район В')];
    schools = [];
    for (let i = 0; i < 120; i++) {
      schools.push(
        await data.school(municipalities[i % 3], {
          name: i === 0 ? 'МАОУ Лицей № 1' : `МБОУ СОШ № ${i + 1}`,
          type: i === 0 ? SchoolType.LYCEUM : SchoolType.SOSH,
          urban: i % 3 === 0,
          login: `sch55${String(i).padStart(4, '0')}`,
          rcoi: `55-${String(i).padStart(4, '0')}`,
          inn: i === 0 ? '5501234567' : undefined,
        }),
      );
    }
    const em = db.orm.em.fork();
    for (const year of YEARS) {
      const rus = await data.assessment({ year, subjectCode: 'RUS', grade: 4 });
      const oge = await data.assessment({ year, procedure: Procedure.OGE, subjectCode: 'MATH', grade: 9 });
      for (const [index, school] of schools.entries()) {
        for (const assessment of [rus, oge]) {
          em.create(SchoolResult, {
            school: school.id, assessment: assessment.id, year, participants: 20 + (index % 7),
            count2: 2, count3: 8, count4: 6, count5: 4 + (index % 7) - 0, meanPercent: 50 + (index % 10), source: ResultSource.IMPORTED,
          });
        }
        em.create(SchoolContext, { school: school.id, year, type: school.type!, urban: school.urban!, enrolment: 300 + index });
        em.create(ConductConditions, { school: school.id, year, procedure: Procedure.VPR, observers: ObserverPresence.PUBLIC, videoAtConduct: true, videoAtChecking: index % 2 === 0, collegialChecking: true });
      }
      await em.flush();
    }
  });
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  it('walks regions → municipalities → schools → results', async () => {
    const result = await api.query(`{
      regions { code name municipalities(first: 10) { totalCount edges { node { code name schools(first: 2) { totalCount edges { node { name } } } } } } }
    }`);
    expect(result.errors).toBeUndefined();
    const region = result.data!.regions[0];
    expect(region.code).toBe('55');
    expect(region.municipalities.totalCount).toBe(3);
    expect(region.municipalities.edges.map((e: any) => e.node.schools.totalCount)).toEqual([40, 40, 40]);
  });

  it('resolves a school by any alias: ФИС ОКО login, РЦОИ code, ИНН', async () => {
    for (const code of ['sch550000', '55-0000', '5501234567']) {
      const result = await api.query(`query($code: String) { school(code: $code) { name type aliases { kind value } } }`, { code });
      expect(result.errors).toBeUndefined();
      expect(result.data!.school.name).toBe('МАОУ Лицей № 1');
      expect(result.data!.school.type).toBe('LYCEUM');
    }
    const missing = await api.query(`{ school(code: "nope") { name } }`);
    expect(missing.data!.school).toBeNull();
  });

  it('pages with cursors through every school exactly once, and filters', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const result: any = await api.query(`query($after: String) { schools(first: 50, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } }`, { after });
      seen.push(...result.data.schools.edges.map((e: any) => e.node.id));
      if (!result.data.schools.pageInfo.hasNextPage) break;
      after = result.data.schools.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);

    const filtered = await api.query(`{ schools(first: 500, filter: { municipalityCodes: ["02"], urban: false }) { totalCount } lyceums: schools(filter: { types: [LYCEUM] }) { totalCount edges { node { name } } } named: schools(filter: { nameContains: "№ 1%" }) { totalCount } }`);
    expect(filtered.errors).toBeUndefined();
    expect(filtered.data!.schools.totalCount).toBe(40);
    expect(filtered.data!.lyceums.edges.map((e: any) => e.node.name)).toEqual(['МАОУ Лицей № 1']);
    expect(filtered.data!.named.totalCount).toBe(0); // "%" is literal, not a wildcard
  });

  it('filters results by year, procedure, subject and grade, with mark shares and benchmarks', async () => {
    const result = await api.query(`{ school(code: "sch550003") {
      results(filter: { years: [2024, 2025], procedure: OGE, subjectCode: "MATH", grade: 9 }) {
        year participants markPercents { two fourAndFive } assessment { procedure year grade subject { code } scale { maxPrimary markBoundaries { mark minPrimary } tasks { number level maxPoints } } }
      }
      context(year: 2024) { enrolment urban }
      conductConditions(years: [2025]) { year procedure observers videoAtChecking }
    } }`);
    expect(result.errors).toBeUndefined();
    const school = result.data!.school;
    expect(school.results.map((r: any) => [r.year, r.assessment.procedure, r.assessment.subject.code])).toEqual([
      [2024, 'OGE', 'MATH'],
      [2025, 'OGE', 'MATH'],
    ]);
    expect(school.results[0].markPercents.two).toBeCloseTo((100 * 2) / 23);
    expect(school.results[0].assessment.scale.markBoundaries).toEqual([{ mark: 3, minPrimary: 3 }, { mark: 4, minPrimary: 5 }, { mark: 5, minPrimary: 8 }]);
    expect(school.context).toEqual({ enrolment: 303, urban: true });
    expect(school.conductConditions).toEqual([{ year: 2025, procedure: 'VPR', observers: 'PUBLIC', videoAtChecking: false }]);
  });

  it('answers invalid arguments with a coded, readable error and no stack trace', async () => {
    const badCursor = await api.query(`{ schools(after: "garbage") { totalCount } }`);
    expect(badCursor.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(badCursor.errors![0].message).toMatch(/Неверный курсор/);
    const tooMany = await api.query(`{ schools(first: 100000) { totalCount } }`);
    expect(tooMany.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const both = await api.query(`{ school(code: "x", id: "1") { name } }`);
    expect(both.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const wrongType = await api.query(`{ schools(first: "ten") { totalCount } }`);
    expect(wrongType.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    for (const error of [...badCursor.errors!, ...tooMany.errors!, ...both.errors!]) {
      expect(JSON.stringify(error)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
    }
  });

  it('lists schools with three years of results and their municipality in a constant number of statements', async () => {
    const query = `query($first: Int!) { schools(first: $first) { edges { node {
      name municipality { name region { code } }
      results(filter: { years: [2023, 2024, 2025] }) { year participants meanPercent markPercents { five } assessment { procedure grade subject { code } } }
      context(year: 2025) { enrolment }
      conductConditions { videoAtChecking }
    } } } }`;
    const count = async (first: number) => {
      db.statements.length = 0;
      const result = await api.query(query, { first });
      expect(result.errors).toBeUndefined();
      expect(result.data!.schools.edges).toHaveLength(first);
      expect(result.data!.schools.edges[first - 1].node.results).toHaveLength(6);
      return db.statements.length;
    };
    const forTen = await count(10);
    const forHundred = await count(100);
    expect(forTen).toBeGreaterThanOrEqual(4); // schools, municipalities, regions, results, assessments, subjects…
    expect(forHundred).toBe(forTen);
    expect(forHundred).toBeLessThanOrEqual(8);
  });
});
