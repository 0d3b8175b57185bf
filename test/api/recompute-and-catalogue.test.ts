import { ApiKeyService } from '../../src/auth/api-key.service';
import type { Principal } from '../../src/shared/principal';
import { Role } from '../../src/shared/role';
import { MEASURES_V1 } from '../../src/recommendations/catalogue/measures-v1';
import { insertCatalogueMeasure, loadCatalogue } from '../../src/recommendations/plans/catalogue.repository';
import type { Region } from '../../src/territory/region.entity';
import type { School } from '../../src/territory/school.entity';
import { TestData } from '../support/builders';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createTestApi, type TestApi } from '../support/graphql';

/**
 * What the recompute mutations queue (the schools and regions of the job's payload, narrowed to the key's
 * scope), what they write to the audit log, and the catalogue mutation: resolvers only delegate, so these pin
 * the services' behaviour as seen through the API.
 */
describe('recompute requests and catalogue additions', () => {
  let db: TestDatabase;
  let api: TestApi;
  let region: Region;
  let a1: School;
  let a2: School;
  let b1: School;
  const as: Record<string, Principal> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await createTestApi(db.orm);
    const data = new TestData(db.orm.em.fork());
    region = await data.region('61');
    const mA = await data.municipality(region, '6101');
    const mB = await data.municipality(region, '6102');
    a1 = await data.school(mA, { login: 'sch610001' });
    a2 = await data.school(mA, { login: 'sch610002' });
    b1 = await data.school(mB, { login: 'sch610101' });
    const keys = new ApiKeyService(db.orm.em.fork());
    for (const [who, input] of Object.entries({
      admin: { name: 'admin', role: Role.ADMIN },
      importer: { name: 'РЦОИ', role: Role.REGIONAL_IMPORTER, regionCode: '61' },
      analyst: { name: 'МОУО А', role: Role.MUNICIPAL_ANALYST, municipalityCode: '6101' },
      school: { name: 'ОО', role: Role.SCHOOL, schoolCode: 'sch610001' },
    })) {
      as[who] = (await keys.authenticate((await keys.create(input as never)).key))!;
    }
  });
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  /** The payload the job request was recorded with (PostgreSQL is the record of queued work). */
  const payloadOf = async (ticketId: string) => {
    const { rows } = await db.orm.em.getKnex().raw(`select payload from job_request where id = ?`, [Number(ticketId.split(':')[1])]);
    return rows[0].payload;
  };
  const sorted = (ids: number[] | null) => (ids === null ? null : [...ids].sort((x, y) => x - y));

  describe('recomputeRisk', () => {
    const RISK = `mutation($input: RecomputeRiskInput!) { recomputeRisk(input: $input) { id queue name } }`;
    const request = async (input: Record<string, unknown>, who: string) => {
      const result = await api.query(RISK, { input }, as[who]);
      if (result.errors) return { error: result.errors[0] };
      const payload = await payloadOf(result.data!.recomputeRisk.id);
      return { ticket: result.data!.recomputeRisk, payload: { ...payload, schoolIds: sorted(payload.schoolIds) } };
    };

    it('queues a region as a region for administrators and regional centres, as its visible schools for others', async () => {
      const admin = await request({ regionCode: '61', years: [2025, 2024, 2025] }, 'admin');
      expect(admin.ticket).toMatchObject({ queue: expect.any(String), name: expect.any(String) });
      expect(admin.payload).toMatchObject({ schoolIds: null, regionIds: [region.id], years: [2024, 2025] });
      expect((await request({ regionCode: '61' }, 'importer')).payload).toMatchObject({ schoolIds: null, regionIds: [region.id], years: null });
      expect((await request({ regionCode: '61' }, 'analyst')).payload).toMatchObject({ schoolIds: [a1.id, a2.id], regionIds: null });
      expect((await request({ regionCode: '62' }, 'admin')).error!.extensions!.code).toBe('BAD_USER_INPUT');
    });

    it('narrows schools and municipalities to the scope, and refuses what lies outside it', async () => {
      expect((await request({ schools: ['sch610002', String(a1.id)] }, 'analyst')).payload).toMatchObject({ schoolIds: [a1.id, a2.id], regionIds: null });
      const outside = await request({ schools: ['sch610101'] }, 'analyst');
      expect(outside.error!.message).toContain('ОО не найдены по кодам: sch610101');
      expect((await request({ municipalityCode: '6102' }, 'importer')).payload).toMatchObject({ schoolIds: [b1.id] });
      expect((await request({ municipalityCode: '6102' }, 'analyst')).error!.extensions!.code).toBe('BAD_USER_INPUT');
      expect((await request({}, 'analyst')).payload).toMatchObject({ schoolIds: [a1.id, a2.id], regionIds: null });
      expect((await request({}, 'admin')).payload).toMatchObject({ schoolIds: null, regionIds: null, reason: expect.stringContaining('mutation by') });
      expect((await request({}, 'school')).error!.extensions!.code).toBe('FORBIDDEN');
    });

    it('writes each request to the audit log', async () => {
      const audit = await api.query(`{ auditLog(action: "risk.recompute") { actor target details } }`, {}, as.admin);
      expect(audit.data!.auditLog).toHaveLength(7);
      expect(audit.data!.auditLog.every((entry: any) => /:\d+$/.test(entry.target))).toBe(true);
    });
  });

  describe('recomputeRecommendations', () => {
    const RECOMMENDATIONS = `mutation($input: RecomputeInput!) { recomputeRecommendations(input: $input) { id } }`;
    it('queues the named schools, else the scope (all for administrators), and audits', async () => {
      const run = async (input: Record<string, unknown>, who: string) => {
        const result = await api.query(RECOMMENDATIONS, { input }, as[who]);
        return result.errors ? { error: result.errors[0] } : { payload: await payloadOf(result.data!.recomputeRecommendations.id) };
      };
      expect((await run({ years: [2025] }, 'admin')).payload).toMatchObject({ schoolIds: null, years: [2025] });
      expect(sorted((await run({ years: [2025] }, 'analyst')).payload.schoolIds)).toEqual([a1.id, a2.id]);
      expect((await run({ schools: ['sch610101'], years: [2025] }, 'importer')).payload).toMatchObject({ schoolIds: [b1.id] });
      expect((await run({ schools: ['sch610101'], years: [2025] }, 'analyst')).error!.message).toContain('ОО не найдены по кодам');
      const audit = await api.query(`{ auditLog(action: "recommendations.recompute") { target } }`, {}, as.admin);
      expect(audit.data!.auditLog).toHaveLength(3);
    });
  });

  describe('addCatalogueMeasure', () => {
    const ADD = `mutation($input: CatalogueMeasureInput!) { addCatalogueMeasure(input: $input) { code section titleRu level responsible timingRu evidence sources { seed item quote } } }`;
    const template = MEASURES_V1[0];
    const input = {
      code: 'TEST_EXTRA_MEASURE',
      section: template.section,
      titleRu: 'Дополнительная мера',
      descriptionRu: 'Мера, добавленная администратором',
      level: template.level,
      responsible: template.responsible,
      timing: template.timing,
      expectedResultRu: 'результат',
      evidence: ['приказ'],
      sources: [{ seed: 'Приказ МОУО о МСОКО', item: 'п. 4.2', quote: 'проводить дополнительные контрольные работы' }],
    };

    it('is for administrators only, and refuses a measure without the document it rests on or a taken code, storing nothing', async () => {
      expect((await api.query(ADD, { input }, as.analyst)).errors![0].extensions!.code).toBe('FORBIDDEN');
      const unsourced = await api.query(ADD, { input: { ...input, sources: [] } }, as.admin);
      expect(unsourced.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
      const blank = await api.query(ADD, { input: { ...input, sources: [{ seed: 'Приказ', item: '', quote: '' }] } }, as.admin);
      expect(blank.errors![0]).toMatchObject({ message: 'Мера TEST_EXTRA_MEASURE: в источнике не заполнены seed, item или quote', extensions: { code: 'BAD_USER_INPUT', argument: 'input' } });
      const duplicate = await api.query(ADD, { input: { ...input, code: template.code } }, as.admin);
      expect(duplicate.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
      const codes = (await api.query(`{ measureCatalogue { code } }`)).data!.measureCatalogue.map((m: any) => m.code);
      expect(codes).not.toContain('TEST_EXTRA_MEASURE');
      expect((await api.query(`{ auditLog(action: "catalogue.add") { target } }`, {}, as.admin)).data!.auditLog).toEqual([]);
    });

    it('adds a measure with its source to the catalogue, audited', async () => {
      const added = await api.query(ADD, { input }, as.admin);
      expect(added.errors).toBeUndefined();
      expect(added.data!.addCatalogueMeasure).toMatchObject({ code: 'TEST_EXTRA_MEASURE', sources: input.sources });
      const codes = (await api.query(`{ measureCatalogue { code } }`)).data!.measureCatalogue.map((m: any) => m.code);
      expect(codes).toContain('TEST_EXTRA_MEASURE');
      expect((await api.query(`{ auditLog(action: "catalogue.add") { target } }`, {}, as.admin)).data!.auditLog).toEqual([{ target: 'measure:TEST_EXTRA_MEASURE' }]);
    });

    it('stores a measure with its arrays and timing intact', async () => {
      const knex = db.orm.em.getKnex();
      await insertCatalogueMeasure(knex, { ...template, code: 'TEST_STORED_MEASURE', evidence: ['приказ', 'протокол, лист'] }, 'test');
      const stored = (await loadCatalogue(knex)).find((m) => m.code === 'TEST_STORED_MEASURE')!;
      expect(stored).toMatchObject({ section: template.section, level: template.level, responsible: template.responsible, timing: template.timing, evidence: ['приказ', 'протокол, лист'] });
    });
  });
});
