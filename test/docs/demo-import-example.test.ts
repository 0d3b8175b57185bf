/**
 * The upload example of docs/imports.md works against the demo hub: the file it uploads
 * (docs/examples/demo-vpr-2025-env-4.csv, ФИС ОКО «Индивидуальные результаты» for two demo schools of region 99)
 * is imported, with an administrator's key as `npm run demo` prints one, into a hub loaded with the demo region,
 * and ends DONE.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateDemoRegion } from '../../src/demo';
import { loadRegion } from '../../src/demo/region-loader';
import { createLogger } from '../../src/shared/logger';
import { ImportHarness } from '../imports/support/import-harness';

const ROOT = path.join(__dirname, '../..');
const EXAMPLE = 'docs/examples/demo-vpr-2025-env-4.csv';

describe('the documented upload example against the demo region', () => {
  let hub: ImportHarness;

  beforeAll(async () => {
    hub = await ImportHarness.start();
    await loadRegion(hub.db.url, generateDemoRegion(), createLogger('silent'));
  }, 240_000);
  afterAll(() => hub?.stop());

  it('is the file docs/imports.md uploads', () => {
    const page = readFileSync(path.join(ROOT, 'docs/imports.md'), 'utf8');
    expect(page).toContain(`--upload-file ${EXAMPLE}`);
  });

  it('names schools of the demo region only', async () => {
    const logins = [...new Set(readFileSync(path.join(ROOT, EXAMPLE), 'utf8').split(/\r?\n/).slice(3).filter(Boolean).map((line) => line.split(';')[0]))];
    expect(logins).toEqual(['sch991228', 'sch994928']);
    const found = await hub.sql(
      `select a.value, r.code from school_alias a join school s on s.id = a.school_id join municipality m on m.id = s.municipality_id
       join region r on r.id = m.region_id where a.kind = 'FISOKO_LOGIN' and a.value = any(?) order by a.value`,
      [logins],
    );
    expect(found).toEqual(logins.map((value) => ({ value, code: '99' })));
  });

  it('imports it: DONE, every row inserted, a recompute of the two schools asked for', async () => {
    const uploaded = await hub.upload(path.join(ROOT, EXAMPLE), 'admin', { name: 'demo-vpr-2025-env-4.csv' });
    expect(uploaded.status).toBe(201);
    const started = await hub.start(uploaded.body.id, { policy: 'REJECT_ALL' });
    expect(started.errors).toBeUndefined();
    const batch = await hub.finished(uploaded.body.id, 'admin', 60_000);
    expect({ status: batch.status, fileError: batch.fileError, messageRu: batch.status === 'DONE' ? null : batch.messageRu }).toEqual({ status: 'DONE', fileError: null, messageRu: null });
    expect(batch).toMatchObject({
      layout: 'fisoko-vpr-individual',
      counts: { rowsRead: 7, accepted: 7, rejected: 0, inserted: 7, errors: 0 },
      affectedYears: [2025],
      affectedSchools: 2,
      report: { title: 'ВПР 2025 Окружающий мир 4 класс', procedure: 'VPR', year: 2025, grade: 4 },
    });
    expect(batch.recomputeJobs.length).toBeGreaterThan(0);
  }, 90_000);
});
