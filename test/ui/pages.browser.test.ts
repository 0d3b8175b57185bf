import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { JobGateway } from '../../src/jobs/job-gateway';
import { closeQueues, createQueues, type HubQueues } from '../../src/jobs/queues';
import { createHubServer, type HubServer } from '../../src/app/http-server';
import { AggregateService } from '../../src/assessments/aggregate.service';
import { ApiKeyService } from '../../src/auth/api-key.service';
import { Role } from '../../src/shared/role';
import { generateDemoRegion } from '../../src/demo';
import { loadRegion } from '../../src/demo/region-loader';
import { PlanRecomputeService } from '../../src/recommendations/plans/plan-recompute.service';
import { RiskRecomputeService } from '../../src/risk/recompute/risk-recompute.service';
import { createLogger } from '../../src/shared/logger';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { TEST_REDIS_URL } from '../support/env';
import { deleteQueueKeys, testQueuePrefix } from '../support/redis';

const SHOTS = join(__dirname, '..', '..', 'test-output', 'ui');

/** The report pages, IDE and dashboard in a real headless Chromium, on localhost only. */
describe('pages in a real browser', () => {
  let db: TestDatabase;
  let server: HubServer;
  let queues: HubQueues;
  let redis: IORedis;
  let browser: Browser;
  let base: string;
  const prefix = testQueuePrefix();
  const keys: Record<string, string> = {};
  let municipalityCode: string;
  let flaggedLogin: string;
  let otherLogin: string;
  const requested: string[] = [];

  const signedIn = async (key: string): Promise<BrowserContext> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.on('request', (request) => requested.push(request.url()));
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.fill('input[name=key]', key);
    await page.click('button[type=submit]');
    // Signed in when the form has redirected away from /login (the cookie is set by then).
    await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 30_000 });
    expect((await context.cookies()).some((c) => c.name === 'msoko_key' && c.httpOnly)).toBe(true);
    await page.close();
    return context;
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    db = await createTestDatabase();
    const region = generateDemoRegion();
    await loadRegion(db.url, region, createLogger('silent'));
    await new AggregateService(db.orm.em.fork()).recompute({ schoolIds: null, years: region.years });
    await new RiskRecomputeService(db.orm.em.fork()).recompute({ schoolIds: null });
    await new PlanRecomputeService(db.orm.em.fork()).recompute({ schoolIds: null, years: null });
    const knex = db.orm.em.getKnex();
    const { rows } = await knex.raw(
      `select a.value as login, m.code, z.objectivity from risk_zone z join school s on s.id = z.school_id join municipality m on m.id = s.municipality_id
       join school_alias a on a.school_id = s.id and a.kind = 'FISOKO_LOGIN'
       where z.year = 2025 order by (z.objectivity in ('RISK', 'HIGH_RISK')) desc, z.objectivity_markers desc, s.id limit 1`,
    );
    flaggedLogin = rows[0].login;
    municipalityCode = rows[0].code;
    otherLogin = (await knex.raw(`select value from school_alias where kind = 'FISOKO_LOGIN' and value <> ? order by value limit 1`, [flaggedLogin])).rows[0].value;

    redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    queues = createQueues(redis, prefix);
    const log = createLogger('silent');
    server = await createHubServer({ orm: db.orm, jobs: new JobGateway(knex, queues, log), redis, log, queues, limits: { queuePrefix: prefix } });
    base = (await server.listen(0, '127.0.0.1')).replace(/\/graphql$/, '');
    const service = new ApiKeyService(db.orm.em.fork());
    keys.admin = (await service.create({ name: 'admin', role: Role.ADMIN })).key;
    keys.analyst = (await service.create({ name: 'МОУО', role: Role.MUNICIPAL_ANALYST, municipalityCode })).key;
    keys.school = (await service.create({ name: 'ОО', role: Role.SCHOOL, schoolCode: flaggedLogin })).key;
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (queues) await closeQueues(queues);
    redis?.disconnect();
    await deleteQueueKeys(prefix);
    await db?.drop();
  });

  it('shows the municipality ranked by zone with a three-year trend per school', async () => {
    const context = await signedIn(keys.analyst);
    const page = await context.newPage();
    await page.goto(`${base}/pages/municipalities/${municipalityCode}?year=2025`);
    const rows = await page.locator('#ranking tr[data-school]').count();
    expect(rows).toBeGreaterThan(1);
    expect(await page.locator('#ranking figure[data-chart="sparkline"][data-series="1"] svg').count()).toBe(rows);
    // The municipality's own histograms judged for a territory-wide pile-up: one verdict per assessment, in Russian.
    const verdicts = page.locator('#territory-bunching tr[data-status]');
    expect(await verdicts.count()).toBeGreaterThan(0);
    expect(await verdicts.first().innerText()).toMatch(/По муниципалитету «[^»]+», ВПР/);
    await page.screenshot({ path: join(SHOTS, 'municipality.png'), fullPage: true });
    // The report index shows the region's own verdicts.
    await page.goto(`${base}/pages?year=2025`);
    expect(await page.locator('table[id^="region-bunching-"] tr[data-status]').count()).toBeGreaterThan(0);
    // Filters: the highest zones only.
    await page.goto(`${base}/pages/municipalities/${municipalityCode}?year=2025&zone=RISK`);
    expect(await page.locator('#ranking tr[data-school]').count()).toBeLessThanOrEqual(rows);
    await context.close();
  }, 120_000);

  it('shows a flagged school’s passport: charts with their series, histograms with boundaries, markers, plan', async () => {
    const context = await signedIn(keys.analyst);
    const page = await context.newPage();
    await page.goto(`${base}/pages/schools/${flaggedLogin}?year=2025`);
    await expect(page.locator('h1').textContent()).resolves.toMatch(/Паспорт ОО/);
    const trendSeries = await page.locator('figure[data-chart="trend"]').evaluateAll((figures) => figures.map((f) => Number(f.getAttribute('data-series'))));
    expect(trendSeries.length).toBeGreaterThan(0);
    expect(Math.max(...trendSeries)).toBe(4); // school, municipality, region, Russia
    const histograms = await page.locator('figure[data-chart="histogram"] svg').count();
    expect(histograms).toBeGreaterThan(0);
    expect(await page.locator('figure[data-chart="journal"][data-series="3"] svg').count()).toBe(1);
    const { rows } = await db.orm.em.getKnex().raw(
      `select v.explanation_ru from risk_indicator_value v join school_alias a on a.school_id = v.school_id where a.value = ? and v.year = 2025 and v.status = 'FLAGGED' limit 1`,
      [flaggedLogin],
    );
    if (rows[0]) await expect(page.locator('#markers').textContent()).resolves.toContain(rows[0].explanation_ru.slice(0, 40));
    await page.screenshot({ path: join(SHOTS, 'school.png'), fullPage: true });
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: join(SHOTS, 'school-print.png') });
    await context.close();
  }, 120_000);

  it('opens the bundled IDE with the example queries, and the job dashboard for admins only', async () => {
    const admin = await signedIn(keys.admin);
    const page = await admin.newPage();
    await page.goto(`${base}/graphql`);
    await page.waitForSelector('.graphiql-container', { timeout: 30_000 });
    await expect(page.locator('.graphiql-container').textContent()).resolves.toContain('Регионы и муниципалитеты');
    await page.screenshot({ path: join(SHOTS, 'ide.png') });
    const dashboard = await page.goto(`${base}/admin/queues`);
    expect(dashboard?.status()).toBe(200);
    await page.waitForSelector('text=aggregates', { timeout: 30_000 }).catch(async (error) => {
      throw new Error(`${error.message}\n${(await page.content()).slice(0, 2000)}`);
    });
    await page.screenshot({ path: join(SHOTS, 'dashboard.png') });
    await admin.close();

    const analyst = await signedIn(keys.analyst);
    const refused = await (await analyst.newPage()).goto(`${base}/admin/queues`);
    expect(refused?.status()).toBe(403);
    await analyst.close();
  }, 120_000);

  it('gives a school key its own page, and for another school’s the same 404 as for none', async () => {
    const context = await signedIn(keys.school);
    const page = await context.newPage();
    expect((await page.goto(`${base}/pages/schools/${flaggedLogin}?year=2025`))?.status()).toBe(200);
    const other = await page.goto(`${base}/pages/schools/${otherLogin}?year=2025`);
    expect(other?.status()).toBe(404);
    const otherText = (await page.textContent('body'))!.replace(otherLogin, 'CODE');
    expect((await page.goto(`${base}/pages/schools/sch000000?year=2025`))?.status()).toBe(404);
    expect((await page.textContent('body'))!.replace('sch000000', 'CODE')).toBe(otherText);
    expect((await page.goto(`${base}/pages/municipalities/${municipalityCode}?year=2025`))?.status()).toBe(403);
    await context.close();
  }, 120_000);

  it('sent no request anywhere but this machine', () => {
    expect(requested.length).toBeGreaterThan(10);
    const outside = requested.filter((url) => !/^(https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/|data:|blob:|about:)/.test(url));
    expect(outside).toEqual([]);
  });
});
