import ExcelJS from 'exceljs';
import IORedis from 'ioredis';
import { JobGateway } from '../../src/jobs/job-gateway';
import { closeQueues, createQueues } from '../../src/jobs/queues';
import { createHubServer, type HubServer } from '../../src/app/http-server';
import { ApiKeyService } from '../../src/auth/api-key.service';
import type { Principal } from '../../src/shared/principal';
import { Role } from '../../src/shared/role';
import { PlanRecomputeService } from '../../src/recommendations/plans/plan-recompute.service';
import { PLAN_COLUMNS } from '../../src/recommendations/plans/plan-export';
import { createLogger } from '../../src/shared/logger';
import type { School } from '../../src/territory/school.entity';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { TestData } from '../support/builders';
import { TEST_REDIS_URL } from '../support/env';
import { createTestApi, type TestApi } from '../support/graphql';
import { deleteQueueKeys, testQueuePrefix } from '../support/redis';

/** Stores a school × year as the risk recompute would: a zone and the markers that fired. */
async function setRisk(db: TestDatabase, school: School, year: number, objectivity: string, markers: { code: string; assessmentId?: number; value: number; explanation: string }[]) {
  const knex = db.orm.em.getKnex();
  await knex.raw(`delete from risk_indicator_value where school_id = ? and year = ?`, [school.id, year]);
  await knex.raw(`delete from risk_zone where school_id = ? and year = ?`, [school.id, year]);
  await knex.raw(
    `insert into risk_zone (school_id, year, objectivity, low_results, objectivity_markers, low_results_markers, objectivity_years, low_results_years, priority, explanation_ru, details, methodology_version)
     values (?, ?, ?::zone_level, 'NONE', ?, 0, ?, 0, 'NORMAL', 'тест', '{}'::jsonb, 1)`,
    [school.id, year, objectivity, markers.length, objectivity === 'NONE' ? 0 : 1],
  );
  for (const m of markers) {
    await knex.raw(
      `insert into risk_indicator_value (school_id, year, assessment_id, check_code, indicator, status, marker, value, explanation_ru, evidence, methodology_version)
       values (?, ?, ?, ?, ?, 'FLAGGED', ?, ?, ?, '{}'::jsonb, 1)`,
      [school.id, year, m.assessmentId ?? null, m.code, m.code, m.code, m.value, m.explanation],
    );
  }
}

describe('plans of measures', () => {
  let db: TestDatabase;
  let api: TestApi;
  let flagged: School;
  let clean: School;
  let other: School;
  let vpr4: number;
  const as: Record<string, Principal> = {};
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await createTestApi(db.orm);
    const data = new TestData(db.orm.em.fork());
    const region = await data.region('51');
    const mA = await data.municipality(region, '5101', 'Город А');
    const mB = await data.municipality(region, '5102', 'Район Б');
    flagged = await data.school(mA, { login: 'sch510001', name: 'МБОУ СОШ № 1' });
    clean = await data.school(mA, { login: 'sch510002', name: 'МБОУ СОШ № 2' });
    other = await data.school(mB, { login: 'sch510101', name: 'МБОУ СОШ № 101' });
    vpr4 = (await data.assessment({ year: 2025, grade: 4 })).id;
    await setRisk(db, flagged, 2025, 'RISK', [{ code: 'BOUNDARY_BUNCHING', assessmentId: vpr4, value: 14, explanation: 'пик у границы «3»: 14 работ сверх ожидаемого' }]);
    // Results above Russia's are context (methodology v2): a school in no zone gets no measure for them.
    await setRisk(db, clean, 2025, 'NONE', [{ code: 'ABOVE_BENCHMARK', assessmentId: vpr4, value: 12.5, explanation: 'доля «4» и «5» выше, чем по России, на 12,5 п.' }]);
    await setRisk(db, other, 2025, 'RISK', [{ code: 'JOURNAL_LOWERED', assessmentId: vpr4, value: 0.62, explanation: '62% «понизили»' }]);
    const service = new ApiKeyService(db.orm.em.fork());
    for (const [who, input] of Object.entries({
      analyst: { name: 'МОУО А', role: Role.MUNICIPAL_ANALYST, municipalityCode: '5101' },
      otherAnalyst: { name: 'МОУО Б', role: Role.MUNICIPAL_ANALYST, municipalityCode: '5102' },
      school: { name: 'СОШ 1', role: Role.SCHOOL, schoolCode: 'sch510001' },
    })) {
      keys[who] = (await service.create(input as never)).key;
      as[who] = (await service.authenticate(keys[who]))!;
    }
    await new PlanRecomputeService(db.orm.em.fork()).recompute({ schoolIds: null, years: [2025] });
  });
  afterAll(async () => {
    await api.close();
    await db.drop();
  });

  const planOf = async (code: string, principal?: Principal) =>
    (await api.query(`query($code: String) { school(code: $code) { plan(year: 2025) { id measures { id measureCode origin indication status reasons reasonRu dueDate controlConclusion evidence { docType docNumber docDate } } } } }`, { code }, principal)).data!.school.plan;

  it('recommends measures to a flagged school, citing its markers and values, and nothing to a clean one (not for results above Russia\'s either)', async () => {
    const plan = await planOf('sch510001');
    const codes = plan.measures.map((m: any) => m.measureCode);
    expect(codes).toEqual(expect.arrayContaining(['OBSERVERS_INDEPENDENT', 'VIDEO_AT_CHECKING', 'COLLEGIAL_CHECKING']));
    for (const measure of plan.measures) {
      expect(measure.origin).toBe('AUTO');
      expect(measure.reasons).toEqual(expect.arrayContaining([expect.objectContaining({ markerCode: 'BOUNDARY_BUNCHING', value: 14 })]));
      expect(measure.reasonRu).toMatch(/[а-я]/);
    }
    expect(await planOf('sch510002')).toEqual({ id: expect.any(String), measures: [] });
    const other = await planOf('sch510101');
    expect(other.measures.length).toBeGreaterThan(0);
    expect(other.measures.map((m: any) => m.measureCode)).not.toContain('OBSERVERS_INDEPENDENT'); // «понизили» calls for other measures
  });

  it('keeps every human edit through data changes and recomputes', async () => {
    const plan = await planOf('sch510001');
    // Measures that only the bunching marker calls for (the new data below brings a journal marker instead).
    const byCode = (code: string) => plan.measures.find((m: any) => m.measureCode === code);
    const [first, second, third] = [byCode('OBSERVERS_INDEPENDENT'), byCode('VIDEO_AT_CHECKING'), byCode('COLLEGIAL_CHECKING')];
    // The school reports execution of one measure; the МОУО writes a control conclusion on another.
    const reported = await api.query(
      `mutation($id: ID!) { updatePlannedMeasure(input: { id: $id, status: "DONE", evidenceDocType: "приказ", evidenceDocNumber: "45-о", evidenceDocDate: "2025-10-01" }) { status evidence { docNumber } } }`,
      { id: first.id },
      as.school,
    );
    expect(reported.errors).toBeUndefined();
    const concluded = await api.query(`mutation($id: ID!) { updatePlannedMeasure(input: { id: $id, controlConclusion: "Исполнено, замечаний нет", dueDate: "2026-02-01" }) { controlConclusion } }`, { id: second.id }, as.analyst);
    expect(concluded.errors).toBeUndefined();
    const manual = await api.query(
      `mutation { addPlannedMeasure(input: { schoolCode: "sch510001", year: 2025, titleRu: "Выездное совещание в ОО", section: "Управленческие решения", responsible: ["МОУО"], dueDate: "2025-11-15" }) { id origin } }`,
      {},
      as.analyst,
    );
    expect(manual.data!.addPlannedMeasure.origin).toBe('MANUAL');

    // New data: the bunching marker is gone, another one appeared. Recompute twice (idempotence).
    await setRisk(db, flagged, 2025, 'WATCH', [{ code: 'JOURNAL_LOWERED', assessmentId: vpr4, value: 0.55, explanation: '55% «понизили»' }]);
    await new PlanRecomputeService(db.orm.em.fork()).recompute({ schoolIds: [flagged.id], years: [2025] });
    await new PlanRecomputeService(db.orm.em.fork()).recompute({ schoolIds: [flagged.id], years: [2025] });

    const after = await planOf('sch510001');
    const byId = new Map(after.measures.map((m: any) => [m.id, m]));
    expect(byId.get(first.id)).toMatchObject({ status: 'DONE', indication: 'NO_LONGER_INDICATED', evidence: { docType: 'приказ', docNumber: '45-о', docDate: '2025-10-01' } });
    expect(byId.get(second.id)).toMatchObject({ controlConclusion: 'Исполнено, замечаний нет', dueDate: '2026-02-01', indication: 'NO_LONGER_INDICATED' });
    expect(byId.get(manual.data!.addPlannedMeasure.id)).toMatchObject({ origin: 'MANUAL', indication: 'INDICATED' });
    expect(byId.has(third.id)).toBe(false); // untouched and no longer indicated: removed
    expect(after.measures.some((m: any) => m.reasons.some((r: any) => r.markerCode === 'JOURNAL_LOWERED'))).toBe(true);

    const history = await api.query(`query($id: ID!) { measureHistory(id: $id) { actor field oldValue newValue } }`, { id: first.id });
    expect(history.data!.measureHistory.map((h: any) => h.field)).toEqual(['status', 'evidenceDocType', 'evidenceDocNumber', 'evidenceDocDate']);
    expect(history.data!.measureHistory[0]).toMatchObject({ actor: as.school.actor, oldValue: 'PLANNED', newValue: 'DONE' });
  });

  it('lets a school report execution but not write conclusions, and keeps plans within scope', async () => {
    const plan = await planOf('sch510001');
    const refused = await api.query(`mutation($id: ID!) { updatePlannedMeasure(input: { id: $id, controlConclusion: "сами себя проверили" }) { id } }`, { id: plan.measures[0].id }, as.school);
    expect(refused.errors![0].extensions!.code).toBe('FORBIDDEN');
    const foreign = await api.query(`mutation($id: ID!) { updatePlannedMeasure(input: { id: $id, status: "CANCELLED" }) { id } }`, { id: plan.measures[0].id }, as.otherAnalyst);
    expect(foreign.errors![0].extensions!.code).toBe('NOT_FOUND');
    const municipal = await api.query(`{ schools { edges { node { municipality { plan(year: 2025) { id } } } } } }`, {}, as.school);
    expect(municipal.errors![0].extensions!.code).toBe('FORBIDDEN');
  });

  it('lists overdue measures', async () => {
    const overdue = await api.query(`{ overdueMeasures(asOf: "2027-01-01") { titleRu dueDate status overdue } }`, {}, as.analyst);
    expect(overdue.errors).toBeUndefined();
    expect(overdue.data!.overdueMeasures.length).toBeGreaterThan(0);
    for (const m of overdue.data!.overdueMeasures) {
      expect(m.dueDate < '2027-01-01').toBe(true);
      expect(['PLANNED', 'IN_PROGRESS']).toContain(m.status);
    }
    const none = await api.query(`{ overdueMeasures(asOf: "2025-01-01") { id } }`, {}, as.analyst);
    expect(none.data!.overdueMeasures).toEqual([]);
  });

  describe('export of the municipal plan', () => {
    let server: HubServer;
    let url: string;
    let redis: IORedis;
    let prefix: string;

    beforeAll(async () => {
      prefix = testQueuePrefix();
      redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
      const queues = createQueues(redis, prefix);
      server = await createHubServer({ orm: db.orm, jobs: new JobGateway(db.orm.em.getKnex(), queues, createLogger('silent')), redis, log: createLogger('silent') });
      url = (await server.listen(0, '127.0.0.1')).replace(/\/graphql$/, '');
      (server as any).queues = queues;
    });
    afterAll(async () => {
      await server.stop();
      await closeQueues((server as any).queues);
      redis.disconnect();
      await deleteQueueKeys(prefix);
    });

    it('writes an XLSX with the seeds’ columns, grouped by section, that reads back', async () => {
      await setRisk(db, flagged, 2025, 'RISK', [{ code: 'BOUNDARY_BUNCHING', assessmentId: vpr4, value: 14, explanation: 'пик' }]);
      await new PlanRecomputeService(db.orm.em.fork()).recompute({ schoolIds: null, years: [2025] });
      const response = await fetch(`${url}/export/municipal-plan?municipality=5101&year=2025&format=xlsx`, { headers: { authorization: `Bearer ${keys.analyst}` } });
      expect(response.status).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
      const sheet = workbook.worksheets[0];
      const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)));
      expect(values(1)[0]).toMatch(/План \(дорожная карта\).*Город А, 2025\/2026/);
      expect(values(2)).toEqual([...PLAN_COLUMNS]);
      expect(values(3)[0]).toBe('1.');
      const all = Array.from({ length: sheet.rowCount }, (_, i) => values(i + 1));
      const measureRows = all.filter((r) => /^\d+\.\d+$/.test(r[0]));
      expect(measureRows.length).toBeGreaterThan(0);
      expect(measureRows.some((r) => r[1].includes('МБОУ СОШ № 1'))).toBe(true);
      expect(all.some((r) => r.join(' ').includes('МБОУ СОШ № 2'))).toBe(false);
      expect(all.some((r) => r.join(' ').includes('МБОУ СОШ № 101'))).toBe(false);
      for (const r of measureRows) expect(r[2]).toMatch(/^до \d{2}\.\d{2}\.\d{4}$/);
    });

    it('writes CSV for Excel and refuses schools and strangers', async () => {
      const csv = await fetch(`${url}/export/municipal-plan?municipality=5101&year=2025&format=csv`, { headers: { authorization: `Bearer ${keys.analyst}` } });
      const bytes = Buffer.from(await csv.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.toString('utf8');
      expect(text.split('\r\n')[1]).toBe(PLAN_COLUMNS.map((c) => `"${c}"`).join(';'));
      expect((await fetch(`${url}/export/municipal-plan?municipality=5101&year=2025`, { headers: { authorization: `Bearer ${keys.school}` } })).status).toBe(403);
      expect((await fetch(`${url}/export/municipal-plan?municipality=5101&year=2025`, { headers: { authorization: `Bearer ${keys.otherAnalyst}` } })).status).toBe(400);
      expect((await fetch(`${url}/export/municipal-plan?municipality=5101&year=2025`)).status).toBe(401);
    });
  });
});
