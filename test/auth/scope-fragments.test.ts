import { ApiKeyService } from '../../src/auth/api-key.service';
import type { Principal } from '../../src/shared/principal';
import { Role } from '../../src/shared/role';
import {
  municipalityScopeFragment, municipalPlanScopeFragment, ownRegionFragment, regionScopeFragment, regionStatisticsFragment,
  schoolScopeFragment, sharedOrOwnRegionFragment,
} from '../../src/auth/scope';
import type { SqlFragment } from '../../src/shared/sql';
import { TestData } from '../support/builders';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * The raw-SQL scope rules of src/auth/scope.ts, each for every role, against rows stated by hand (the ORM twins are
 * compared in test/comparisons/analytics-scope.test.ts; benchmark values there too).
 */
describe('raw-SQL scope fragments, role by role', () => {
  let db: TestDatabase;
  const as: Record<string, Principal> = {};
  /** Names of the rows in each table, by id. */
  const names = new Map<string, string>();

  beforeAll(async () => {
    db = await createTestDatabase();
    const data = new TestData(db.orm.em.fork());
    const r41 = await data.region('41');
    const r42 = await data.region('42');
    const mA = await data.municipality(r41, '4101');
    const mB = await data.municipality(r41, '4102');
    const mC = await data.municipality(r42, '4201');
    const schools = { a1: await data.school(mA, { login: 'sch410001' }), a2: await data.school(mA), b1: await data.school(mB), c1: await data.school(mC) };
    for (const [name, row] of Object.entries({ r41, r42 })) names.set(`region:${row.id}`, name);
    for (const [name, row] of Object.entries({ mA, mB, mC })) names.set(`municipality:${row.id}`, name);
    for (const [name, row] of Object.entries(schools)) names.set(`school:${row.id}`, name);
    names.set('school:0', 'shared');
    const keys = new ApiKeyService(db.orm.em.fork());
    for (const [who, input] of Object.entries({
      admin: { name: 'admin', role: Role.ADMIN },
      importer: { name: 'РЦОИ', role: Role.REGIONAL_IMPORTER, regionCode: '41' },
      bi: { name: 'BI', role: Role.BI_READER, regionCode: '41' },
      analyst: { name: 'МОУО А', role: Role.MUNICIPAL_ANALYST, municipalityCode: '4101' },
      school: { name: 'ОО', role: Role.SCHOOL, schoolCode: 'sch410001' },
    })) {
      as[who] = (await keys.authenticate((await keys.create(input as never)).key))!;
    }
  });
  afterAll(async () => {
    await db.drop();
  });

  /** The names of the rows of `source` (aliased t, with an id) that the fragment keeps. */
  async function kept(table: 'region' | 'municipality' | 'school', source: string, fragment: SqlFragment): Promise<string[]> {
    const { rows } = await db.orm.em.getKnex().raw(`select t.id from ${source} t where ${fragment.sql}`, fragment.bindings);
    return (rows as { id: number }[]).map((row) => names.get(`${table}:${row.id}`) ?? `${table}:${row.id}`).sort();
  }

  const ROLES = ['admin', 'importer', 'bi', 'analyst', 'school'] as const;

  it.each(ROLES)('school, municipality and region scopes for %s', async (who) => {
    const expected = {
      admin: { school: ['a1', 'a2', 'b1', 'c1'], municipality: ['mA', 'mB', 'mC'], region: ['r41', 'r42'] },
      importer: { school: ['a1', 'a2', 'b1'], municipality: ['mA', 'mB'], region: ['r41'] },
      bi: { school: ['a1', 'a2', 'b1'], municipality: ['mA', 'mB'], region: ['r41'] },
      analyst: { school: ['a1', 'a2'], municipality: ['mA'], region: ['r41'] },
      school: { school: ['a1'], municipality: ['mA'], region: ['r41'] },
    }[who];
    expect(await kept('school', 'school', schoolScopeFragment(as[who], 't'))).toEqual(expected.school);
    expect(await kept('municipality', 'municipality', municipalityScopeFragment(as[who], 't'))).toEqual(expected.municipality);
    expect(await kept('region', 'region', regionScopeFragment(as[who], 't'))).toEqual(expected.region);
  });

  it.each(ROLES)('region-wide rows (statistics, own region, shared or own region) for %s', async (who) => {
    const wholeRegion = who === 'admin' ? ['a1', 'a2', 'b1', 'c1'] : ['a1', 'a2', 'b1'];
    expect(await kept('school', 'school', regionStatisticsFragment(as[who], 't'))).toEqual(wholeRegion);
    expect(await kept('school', 'school', ownRegionFragment(as[who], 't'))).toEqual(wholeRegion);
    // A shared row (no region) beside the schools: every key may use it.
    const withShared = `(select id, region_id from school union all select 0, null) `;
    expect(await kept('school', withShared, sharedOrOwnRegionFragment(as[who], 't'))).toEqual([...wholeRegion, 'shared']);
  });

  it.each(ROLES)('municipal plans for %s', async (who) => {
    const expected = { admin: ['mA', 'mB', 'mC'], importer: ['mA', 'mB'], bi: ['mA', 'mB'], analyst: ['mA'], school: [] }[who];
    const plans = `(select id, id as municipality_id from municipality) `;
    expect(await kept('municipality', plans, municipalPlanScopeFragment(as[who], 't'))).toEqual(expected);
  });

  it('a key bound to a region it has lost sees no region-bound rows', async () => {
    const orphan: Principal = { ...as.importer, regionId: null };
    expect(await kept('school', 'school', ownRegionFragment(orphan, 't'))).toEqual([]);
    expect(await kept('school', `(select id, region_id from school union all select 0, null) `, sharedOrOwnRegionFragment(orphan, 't'))).toEqual(['shared']);
  });
});
