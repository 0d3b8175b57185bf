/**
 * Issue «Hardening the API surface», items 4–8: bounded metrics, limits on every route (rate, upload quota,
 * inflated XLSX), no redirect off the hub, no internals in any error, and out of scope answered as absent.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeyService } from '../../src/auth/api-key.service';
import { Role } from '../../src/shared/role';
import { XlsxReader } from '../../src/imports/parsing/xlsx-reader';
import { MAX_SERIES } from '../../src/shared/metrics';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { TestData } from '../support/builders';
import { startTestHub, type TestHub } from '../support/hub-server';
import { book, sheetXml, zip } from '../support/xlsx-zip';
import { ImportHarness } from '../imports/support/import-harness';

describe('the HTTP surface beyond /graphql', () => {
  let db: TestDatabase;
  let hub: TestHub;
  let base: string;
  const keys: Record<'admin' | 'analyst' | 'importer' | 'limited', string> = { admin: '', analyst: '', importer: '', limited: '' };
  const dir = mkdtempSync(join(tmpdir(), 'msoko-surface-'));

  const gql = (query: string, key = keys.admin, operationName?: string) =>
    fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, operationName }) });
  const upload = (key: string, body = 'Код ОО;Класс\n', name = 'small.csv') =>
    fetch(`${base}/imports?name=${name}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' }, body });

  beforeAll(async () => {
    db = await createTestDatabase();
    const data = new TestData(db.orm.em.fork());
    const region = await data.region('61');
    await data.school(await data.municipality(region, '6101'), { login: 'sch610001', inn: '6101000001' });
    await data.school(await data.municipality(region, '6102'), { login: 'sch610201' });
    hub = await startTestHub(db, { limits: { rateLimitPerMinute: 400, uploadQuota: { bytesPerDay: 10_000, filesPerDay: 3 } }, imports: { maxUploadBytes: 1024 * 1024, importDir: dir } });
    base = hub.base;
    const service = new ApiKeyService(db.orm.em.fork());
    keys.admin = (await service.create({ name: 'admin', role: Role.ADMIN })).key;
    keys.analyst = (await service.create({ name: 'МОУО 6101', role: Role.MUNICIPAL_ANALYST, municipalityCode: '6101' })).key;
    keys.importer = (await service.create({ name: 'РЦОИ 61', role: Role.REGIONAL_IMPORTER, regionCode: '61' })).key;
    keys.limited = (await service.create({ name: 'chatty', role: Role.REGIONAL_IMPORTER, regionCode: '61' })).key;
  });
  afterAll(async () => {
    await hub.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps /metrics for administrators and a bounded number of series whatever names clients send', async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${keys.analyst}` } })).status).toBe(403);
    for (let i = 0; i < MAX_SERIES + 50; i++) await gql(`query Unique${i} { __typename }`, keys.admin, `Unique${i}`);
    const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${keys.admin}` } })).text();
    const series = text.split('\n').filter((line) => line.startsWith('msoko_graphql_operations_total{'));
    expect(series.length).toBeLessThanOrEqual(MAX_SERIES);
    expect(series.some((line) => line.startsWith('msoko_graphql_operations_total{operation="other",outcome="other"}'))).toBe(true);
    expect(series.some((line) => line.includes('operation="Unique0"'))).toBe(true);
  }, 120_000);

  it('applies a key’s rate limit to uploads and pages too, not only to /graphql', async () => {
    const window = Math.floor(Date.now() / 60_000);
    for (let i = 0; i < 400; i++) await gql('{ me { role } }', keys.limited);
    const page = await fetch(`${base}/pages`, { headers: { authorization: `Bearer ${keys.limited}` }, redirect: 'manual' });
    const uploaded = await upload(keys.limited);
    // A minute boundary between the requests starts a new window; then the limit was not reached.
    if (Math.floor(Date.now() / 60_000) !== window) return;
    expect(page.status).toBe(429);
    expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(uploaded.status).toBe(429);
    expect(((await uploaded.json()) as any).error.code).toBe('RATE_LIMITED');
  });

  it('counts uploads against a daily quota per key, in files and in bytes', async () => {
    for (let i = 0; i < 3; i++) expect((await upload(keys.importer)).status).toBe(201);
    const fourth = await upload(keys.importer);
    expect(fourth.status).toBe(429);
    expect(((await fourth.json()) as any).error).toMatchObject({ code: 'UPLOAD_QUOTA_EXCEEDED', message: expect.stringMatching(/3 файлов в сутки/) });
    // Another key has its own quota; a declared size past the bytes left is refused before the body is read.
    const big = await upload(keys.admin, 'x'.repeat(20_000));
    expect(big.status).toBe(429);
    expect(((await big.json()) as any).error.message).toMatch(/квота загрузок/);
  });

  it('refuses an XLSX whose parts would inflate out of all proportion, from its directory, before inflating', async () => {
    const path = join(dir, 'bomb.xlsx');
    const rows = Array.from({ length: 2000 }, (_, i) => `<row r="${i + 1}"/>`).join('');
    writeFileSync(path, zip(book({ sheet: sheetXml(rows), sheetPart: { claimedSize: 2_100_000_000 } })));
    const started = Date.now();
    const reader = new XlsxReader(path, { fileName: 'bomb.xlsx', maxUncompressedBytes: 4 * 1024 ** 3 });
    const failure = await (async () => {
      for await (const _batch of reader.batches()) return null;
      return null;
    })().catch((error) => error);
    expect(failure?.issue?.code ?? failure?.code).toBe('XLSX_CORRUPT');
    expect(String(failure?.issue?.messageRu ?? failure?.message)).toMatch(/слишком велик после распаковки/);
    expect(Date.now() - started).toBeLessThan(1000);

    const beyond = join(dir, 'beyond.xlsx');
    writeFileSync(beyond, zip(book({ sheet: sheetXml('<row r="1"><c r="A1"><v>1</v></c></row><row r="1048577"/>') })));
    const late = await (async () => {
      for await (const _batch of new XlsxReader(beyond, { fileName: 'beyond.xlsx', maxUncompressedBytes: 1e9 }).batches()) void _batch;
      return null;
    })().catch((error) => error);
    expect(String(late?.issue?.messageRu ?? late?.message)).toMatch(/за пределами листа Excel/);
  });

  it('follows only same-origin paths after sign-in', async () => {
    const signIn = (next: string) =>
      fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ key: keys.admin, next }).toString() });
    for (const next of ['/\\evil.example/x', '//evil.example/x', '/\\/evil.example', 'https://evil.example/', '/%0d%0aSet-Cookie:x', '\\\\evil.example']) {
      const answer = await signIn(next);
      expect(answer.status).toBe(303);
      const location = answer.headers.get('location')!;
      expect(new URL(location, base).origin).toBe(new URL(base).origin);
      expect(location).not.toMatch(/evil|\\/);
    }
    expect((await signIn('/pages/schools/sch610001?year=2025')).headers.get('location')).toBe('/pages/schools/sch610001?year=2025');
  });

  it('answers malformed and oversized bodies with a JSON error, no stack frames or paths', async () => {
    const malformed = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ me { role } ' });
    const huge = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }', variables: { x: 'y'.repeat(1_100_000) } }) });
    const nowhere = await fetch(`${base}/no/such/route`);
    for (const [answer, status] of [[malformed, 400], [huge, 413], [nowhere, 404]] as const) {
      expect(answer.status).toBe(status);
      expect(answer.headers.get('content-type')).toMatch(/json/);
      const text = await answer.text();
      expect(text).not.toMatch(/ at |node_modules|\/work\/|<html|<pre/i);
      expect(text).toMatch(/[а-я]/);
    }
  });

  it('answers a school or municipality out of scope exactly as one that does not exist', async () => {
    const page = async (path: string, key: string) => {
      const answer = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` }, redirect: 'manual' });
      return { status: answer.status, text: await answer.text() };
    };
    const outside = await page('/pages/schools/sch610201', keys.analyst);
    const absent = await page('/pages/schools/sch619999', keys.analyst);
    expect(outside.status).toBe(404);
    expect(absent.status).toBe(404);
    expect(outside.text.replace('sch610201', 'X')).toBe(absent.text.replace('sch619999', 'X'));
    const otherMunicipality = await page('/pages/municipalities/6102', keys.analyst);
    const noMunicipality = await page('/pages/municipalities/6199', keys.analyst);
    expect(otherMunicipality.status).toBe(404);
    expect(otherMunicipality.text.replace('6102', 'X')).toBe(noMunicipality.text.replace('6199', 'X'));
    // An all-digit code (ИНН) is a code, not a hub id.
    expect((await page('/pages/schools/6101000001', keys.admin)).status).toBe(200);
  });
});

describe('the school directory import and codes held outside the key’s region', () => {
  let hub: ImportHarness;
  beforeAll(async () => {
    hub = await ImportHarness.start();
  });
  afterAll(() => hub.stop());

  it('refuses a code another region’s school holds without saying where it is held', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'msoko-alias-')), 'schools.csv');
    writeFileSync(path, '\ufeffКод региона;Код муниципалитета;Муниципалитет;Наименование ОО;Краткое наименование;Логин ФИС ОКО;Код ОО (РЦОИ);ИНН;Тип ОО;Местность;Другие коды\n77;7701;Район 1;МБОУ «Школа № 5»;Школа № 5;sch771005;;6612001234;СОШ;городская;\n');
    const uploaded = await hub.upload(path, 'otherImporter');
    await hub.start(uploaded.body.id, {}, 'otherImporter');
    const batch = await hub.finished(uploaded.body.id, 'otherImporter');
    expect(batch.status).toBe('REJECTED');
    const [error] = await hub.errors(uploaded.body.id, 'otherImporter');
    expect(error.code).toBe('ALIAS_TAKEN');
    expect(error.messageRu).not.toMatch(/регион/);
    expect(error.messageRu).toMatch(/ИНН «6612001234» нельзя закрепить за этой ОО/);
  });
});
