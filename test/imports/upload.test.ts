/**
 * POST /imports: who may upload, raw and multipart bodies, the size limit enforced while the body streams
 * (not after), and who sees which batch.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config';
import { fixture, ImportHarness } from './support/import-harness';

/** Sends a body in small chunks (chunked encoding, no Content-Length) and stops as soon as an answer arrives. */
function trickle(url: string, key: string, bytes: Buffer, chunk = 256, delayMs = 5): Promise<{ status: number; body: any; sent: number }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' } });
    let sent = 0;
    let answered = false;
    request.on('response', (response) => {
      answered = true;
      let text = '';
      response.on('data', (data) => (text += data));
      response.on('end', () => {
        request.destroy();
        resolve({ status: response.statusCode!, body: JSON.parse(text), sent });
      });
    });
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      if (answered) return;
      if (sent >= bytes.length) {
        request.end();
        return;
      }
      request.write(bytes.subarray(sent, sent + chunk));
      sent += Math.min(chunk, bytes.length - sent);
      setTimeout(pump, delayMs);
    };
    pump();
  });
}

describe('IMPORT_DIR', () => {
  it('defaults to .data/imports under the working directory, and must not name a file', () => {
    expect(loadConfig({}).importDir).toBe(join(process.cwd(), '.data', 'imports'));
    expect(loadConfig({ IMPORT_DIR: '/var/tmp/hub-uploads' }).importDir).toBe('/var/tmp/hub-uploads');
    const file = fixture('valid/aggregate-marks.csv');
    expect(() => loadConfig({ IMPORT_DIR: file })).toThrow(`IMPORT_DIR: "${file}" exists and is not a directory; expected a directory path such as .data/imports`);
  });
});

describe('the upload route', () => {
  let hub: ImportHarness;
  const LIMIT = 2048;

  beforeAll(async () => {
    hub = await ImportHarness.start({ maxUploadBytes: LIMIT });
  });
  afterAll(() => hub.stop());

  const batches = async () => (await hub.sql(`select count(*)::int as n from import_batch`))[0].n;

  it('asks for a key, and refuses keys that do not import data', async () => {
    const anonymous = await hub.upload(fixture('valid/aggregate-marks.csv'), null);
    expect(anonymous).toEqual({ status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'Нужен ключ доступа: заголовок Authorization: Bearer <ключ> или X-Api-Key: <ключ>' } } });
    const analyst = await hub.upload(fixture('valid/aggregate-marks.csv'), 'analyst');
    expect(analyst.status).toBe(403);
    expect(analyst.body.error).toEqual({ code: 'FORBIDDEN', message: 'Недостаточно прав: действие доступно ролям ADMIN, REGIONAL_IMPORTER, у ключа роль MUNICIPAL_ANALYST' });
    expect(await batches()).toBe(0);
    expect(await hub.uploadedFiles()).toEqual([]);
  });

  it('stores a raw upload with its hash and answers the batch id; the name can come from X-File-Name', async () => {
    const bytes = readFileSync(fixture('valid/aggregate-marks.csv'));
    const response = await fetch(`${hub.baseUrl}/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hub.keys.importer}`, 'x-file-name': encodeURIComponent('Отметки ВПР 2024.csv') },
      body: bytes,
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as any;
    expect(body).toEqual({
      id: expect.stringMatching(/^\d+$/),
      status: 'UPLOADED',
      fileName: 'Отметки ВПР 2024.csv',
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    const stored = await hub.uploadedFiles();
    expect(stored).toHaveLength(1);
    expect(readFileSync(`${hub.importDir}/${stored[0]}`)).toEqual(bytes);
    const [audit] = await hub.sql(`select action, details from audit_log where target = ?`, [`import:${body.id}`]);
    expect(audit).toEqual({ action: 'import.upload', details: { size: bytes.length, sha256: body.sha256 } });
    await hub.gql(`mutation($id: ID!) { cancelImport(id: $id) { id } }`, { id: body.id }, 'importer');
  });

  it('refuses a raw upload without a file name', async () => {
    const response = await fetch(`${hub.baseUrl}/imports`, { method: 'POST', headers: { authorization: `Bearer ${hub.keys.admin}` }, body: 'a;b\n1;2\n' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error).toEqual({ code: 'BAD_USER_INPUT', message: 'Укажите имя файла: POST /imports?name=results.csv (или заголовок X-File-Name).' });
  });

  it('takes multipart/form-data and imports from it', async () => {
    // A distribution is read against its scale: it is held until the assessment has one.
    expect((await hub.importFile('scales/vpr-2024-math-5-max20.csv')).status).toBe('DONE');
    const uploaded = await hub.upload(fixture('valid/aggregate-distribution.csv'), 'admin', { multipart: true, name: 'распределение.csv' });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.fileName).toBe('распределение.csv');
    await hub.start(uploaded.body.id);
    const batch = await hub.finished(uploaded.body.id);
    expect(batch).toMatchObject({ status: 'DONE', fileName: 'распределение.csv', layout: 'aggregate-distribution', counts: { inserted: 2 } });
  });

  it('refuses a file over the limit at once when its declared length is too large', async () => {
    const before = await batches();
    const response = await fetch(`${hub.baseUrl}/imports?name=big.xlsx`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hub.keys.admin}` },
      body: readFileSync(fixture('valid/fisoko-vpr-individual.xlsx')),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'Файл больше допустимых 2 КБ: загрузка прервана. Разделите файл на части и загрузите их по отдельности.' } });
    expect(await batches()).toBe(before);
    expect(await hub.uploadedFiles()).toEqual([]);
  });

  it('refuses a file over the limit while it streams, before the client has sent it all, keeping nothing', async () => {
    const before = await batches();
    const bytes = readFileSync(fixture('valid/fisoko-vpr-individual.xlsx'));
    const result = await trickle(`${hub.baseUrl}/imports?name=big.xlsx`, hub.keys.admin, bytes);
    expect(result.status).toBe(413);
    expect(result.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(result.sent).toBeGreaterThan(LIMIT);
    expect(result.sent).toBeLessThan(bytes.length); // the answer came while the file was still being sent
    expect(await batches()).toBe(before);
    expect(await hub.uploadedFiles()).toEqual([]);
    // The server is fine afterwards.
    const next = await hub.upload(fixture('valid/aggregate-marks.csv'));
    expect(next.status).toBe(201);
    await hub.gql(`mutation($id: ID!) { cancelImport(id: $id) { id } }`, { id: next.body.id });
  });

  it('refuses a multipart upload whose file is over the limit, keeping nothing', async () => {
    const before = await batches();
    const form = new FormData();
    form.append('file', new Blob([readFileSync(fixture('valid/fisoko-vpr-individual.xlsx'))]), 'big.xlsx');
    const response = await fetch(`${hub.baseUrl}/imports`, { method: 'POST', headers: { authorization: `Bearer ${hub.keys.admin}` }, body: form });
    expect(response.status).toBe(413);
    expect(((await response.json()) as any).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await batches()).toBe(before);
    expect(await hub.uploadedFiles()).toEqual([]);
  });

  it('shows a regional centre the batches of its region only; an administrator sees all', async () => {
    const own = await hub.upload(fixture('valid/mapped-regional.csv'), 'importer');
    const foreign = await hub.upload(fixture('valid/mapped-regional.csv'), 'otherImporter');
    const list = async (key: 'admin' | 'importer' | 'otherImporter') =>
      (await hub.gql(`{ importBatches(first: 100) { totalCount edges { node { id actor } } } }`, {}, key)).data!.importBatches;
    const importerIds = (await list('importer')).edges.map((edge: any) => edge.node.id);
    expect(importerIds).toContain(own.body.id);
    expect(importerIds).not.toContain(foreign.body.id);
    expect((await list('otherImporter')).edges.map((edge: any) => edge.node.id)).toEqual([foreign.body.id]);
    expect((await list('admin')).totalCount).toBe(await batches());
    // Newest first, page by page.
    const first = (await hub.gql(`{ importBatches(first: 1) { pageInfo { hasNextPage endCursor } edges { node { id } } } }`)).data!.importBatches;
    expect(first.edges[0].node.id).toBe(foreign.body.id);
    const second = (await hub.gql(`query($after: String) { importBatches(first: 1, after: $after) { edges { node { id } } } }`, { after: first.pageInfo.endCursor })).data!.importBatches;
    expect(second.edges[0].node.id).toBe(own.body.id);

    // Another region's batch is as unknown as a missing one: by id, to start, and for its errors.
    expect((await hub.gql(`query($id: ID!) { importBatch(id: $id) { id } }`, { id: foreign.body.id }, 'importer')).data!.importBatch).toBeNull();
    const start = await hub.start(foreign.body.id, {}, 'importer');
    expect(start.errors![0]).toMatchObject({ message: `Пакет загрузки ${foreign.body.id} не найден`, extensions: { code: 'NOT_FOUND' } });
    const csv = await fetch(`${hub.baseUrl}/imports/${foreign.body.id}/errors.csv`, { headers: { authorization: `Bearer ${hub.keys.importer}` } });
    expect(csv.status).toBe(404);
    const analyst = await hub.gql(`{ importBatches { totalCount } }`, {}, 'analyst');
    expect(analyst.errors![0].extensions!.code).toBe('FORBIDDEN');
  });

  it('starts a batch once, and cancels only what has not started', async () => {
    expect((await hub.importFile('scales/vpr-2024-rus-4-math-5.csv')).status).toBe('DONE'); // marks are held without a scale
    const uploaded = await hub.upload(fixture('valid/aggregate-marks.csv'), 'importer', { name: 'marks-start.csv' });
    const started = await hub.start(uploaded.body.id, {}, 'importer');
    expect(started.data!.startImport).toMatchObject({ status: 'QUEUED', job: { queue: 'imports', name: 'import-file' } });
    const again = await hub.start(uploaded.body.id, {}, 'importer');
    expect(again.errors![0].extensions!.code).toBe('CONFLICT');
    const done = await hub.finished(uploaded.body.id, 'importer');
    const cancel = await hub.gql(`mutation($id: ID!) { cancelImport(id: $id) { id } }`, { id: done.id }, 'importer');
    expect(cancel.errors![0]).toMatchObject({ message: `Пакет загрузки ${done.id} уже загружен: отменить можно только загрузку, которая ещё не началась`, extensions: { code: 'CONFLICT' } });
    const [audit] = await hub.sql(`select action, details from audit_log where target = ? and action = 'import.start'`, [`import:${done.id}`]);
    expect(audit.details).toMatchObject({ policy: 'REJECT_ALL', layout: null });
  });

  it('checks the start options: mapping shape, policy share', async () => {
    const uploaded = await hub.upload(fixture('valid/mapped-regional.csv'));
    const badMapping = await hub.start(uploaded.body.id, { layout: 'mapped', mapping: { target: 'participant-result', columns: { pupil: 'Ученик (код)' } } });
    expect(badMapping.errors![0].message).toBe(
      'Сопоставление столбцов (mapping): поле «pupil» не известно для participant-result; допустимо: schoolCode, schoolName, municipality, participantCode, classLabel, variant, primaryScore, mark, journalMark, testScore, procedure, year, subjectName, grade',
    );
    const noShare = await hub.start(uploaded.body.id, { policy: 'ACCEPT_VALID' });
    expect(noShare.errors![0].message).toBe('Для правила ACCEPT_VALID укажите maxErrorShare — наибольшую долю строк с ошибками (0–1)');
    expect((await hub.batch(uploaded.body.id)).status).toBe('UPLOADED');
  });
});
