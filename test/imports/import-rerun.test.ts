/**
 * Re-running an import (issue 22, school matching): a file refused because of a school code the hub did not know keeps
 * its file; an administrator confirms the candidate as an alias and re-runs the batch (rerunImport) — a new batch with
 * the same file and options, which now goes in. Without the file (passed on to the re-run, removed after a clean import,
 * or by the sweeper after UPLOAD_RETENTION_HOURS) the re-run is refused saying so.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { sweepAbandonedUploads } from '../../src/imports/batch/abandoned-uploads';
import { createLogger } from '../../src/shared/logger';
import { FIXTURES, ImportHarness } from './support/import-harness';

function written(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'msoko-rerun-')), name);
  writeFileSync(path, '\ufeff' + content);
  return relative(FIXTURES, path);
}

const MAPPING = {
  target: 'school-results',
  columns: { schoolCode: 'ID ОО', schoolName: 'Наименование ОО', year: 'Учебный год', subjectName: 'Предмет', participants: 'Количество сдававших', meanTestScore: 'Средний балл' },
};
const START = { layout: 'mapped', mapping: MAPPING, constants: { procedure: 'ЕГЭ' } };
const HEADER = 'ID ОО;Наименование ОО;Учебный год;Предмет;Количество сдававших;Средний балл\n';
const RERUN = `mutation($id: ID!) { rerunImport(batchId: $id) { id status rerunOfBatchId fileKept layoutRequested policy constants { procedure } } }`;
const KEPT = `query($id: ID!) { importBatch(id: $id) { status fileKept rerunOfBatchId unknownSchoolCodes { code candidates { schoolId } } } }`;
const CONFIRM = `mutation($input: ConfirmSchoolAliasInput!) { confirmSchoolAlias(input: $input) { code } }`;
const GONE = 'Перезапустить её можно, только пока хранится её файл';

describe('rerunImport', () => {
  let hub: ImportHarness;
  const storedPath = async (id: string): Promise<string | null> => (await hub.sql(`select stored_path from import_batch where id = ?`, [Number(id)]))[0].stored_path;

  beforeAll(async () => {
    hub = await ImportHarness.start();
    expect((await hub.importFile('scales/ege-2021-2025.csv')).status).toBe('DONE');
  });
  afterAll(() => hub.stop());

  it('unknown school → REJECTED with its candidate and the file kept → alias confirmed → rerun → DONE with the rows; then refused without the file', async () => {
    const school = hub.schools.sch661234;
    const file = written('ege-2025-ids.csv', `${HEADER}88001;МАОУ «СОШ № 1»;2024-2025;Русский язык;50;73,1\n`);
    const first = await hub.importFile(file, START, 'importer');
    expect(first.status).toBe('REJECTED');
    const kept = (await hub.gql(KEPT, { id: first.id }, 'importer')).data!.importBatch;
    expect(kept).toEqual({ status: 'REJECTED', fileKept: true, rerunOfBatchId: null, unknownSchoolCodes: [{ code: '88001', candidates: [{ schoolId: String(school.id) }] }] });
    const path = await storedPath(first.id);
    expect(path !== null && existsSync(path)).toBe(true);

    // startImport takes only an upload not started yet; another region's key does not see the batch; an analyst may not re-run.
    expect((await hub.start(first.id, START, 'importer')).errors?.[0].extensions?.code).toBe('CONFLICT');
    expect((await hub.gql(RERUN, { id: first.id }, 'otherImporter')).errors?.[0]).toMatchObject({ message: `Пакет загрузки ${first.id} не найден`, extensions: { code: 'NOT_FOUND' } });
    expect((await hub.gql(RERUN, { id: first.id }, 'analyst')).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    expect((await hub.gql(CONFIRM, { input: { code: '88001', schoolId: String(school.id) } }, 'admin')).data!.confirmSchoolAlias).toEqual({ code: '88001' });
    const rerun = await hub.gql(RERUN, { id: first.id }, 'importer');
    expect(rerun.errors).toBeUndefined();
    const second = rerun.data!.rerunImport;
    expect(second).toMatchObject({ status: 'QUEUED', rerunOfBatchId: first.id, layoutRequested: 'mapped', policy: 'REJECT_ALL', constants: { procedure: 'ЕГЭ' } });
    expect(Number(second.id)).toBeGreaterThan(Number(first.id));
    const done = await hub.finished(second.id, 'importer');
    expect(done).toMatchObject({ status: 'DONE', duplicateOf: null, counts: { accepted: 1, rejected: 0, inserted: 1 } });
    expect(await hub.sql(`select school_id, participants, mean_test_score from school_result where source = 'IMPORTED'`)).toEqual([{ school_id: school.id, participants: 50, mean_test_score: 73.1 }]);
    // The same mapping and constants as the first batch; the file went with the re-run and was removed after it.
    const [original, copy] = await hub.sql(`select mapping, constants, read_options, options_digest, file_sha256, stored_path from import_batch where id in (?, ?) order by id`, [Number(first.id), Number(second.id)]);
    expect({ ...copy, stored_path: undefined }).toEqual({ ...original, stored_path: undefined });
    expect([original.stored_path, copy.stored_path, existsSync(path!)]).toEqual([null, null, false]);
    expect(await hub.sql(`select action, target, details from audit_log where action = 'import.rerun'`)).toEqual([
      { action: 'import.rerun', target: `import:${first.id}`, details: { rerunBatchId: Number(second.id) } },
    ]);

    const again = await hub.gql(RERUN, { id: first.id }, 'importer');
    expect(again.errors?.[0]).toMatchObject({ message: `Файл загрузки № ${first.id} передан её перезапуску — загрузке № ${second.id}: перезапускайте её, если нужно.`, extensions: { code: 'CONFLICT' } });
    const clean = await hub.gql(RERUN, { id: second.id }, 'importer');
    expect(clean.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(clean.errors?.[0].message).toBe(`Файл загрузки № ${second.id} больше не хранится. ${GONE}: файл загрузки, в которой отклонены строки (а не файл целиком), хранится UPLOAD_RETENTION_HOURS ч (по умолчанию 24) после её завершения, файлы остальных загрузок удаляются сразу. Загрузите файл заново (POST /imports).`);
    expect(await hub.sql(`select count(*)::int as n from import_batch`)).toEqual([{ n: 3 }]);
  });

  it('a DONE batch with rows left out (ACCEPT_VALID) keeps its file: the re-run is not taken for a repeat and loads the rest', async () => {
    const file = written('ege-2025-two.csv', `${HEADER}88002;МАОУ «СОШ № 2»;2024-2025;Русский язык;41;69,8\n660123;МАОУ «СОШ № 1»;2024-2025;Русский язык;50;74,0\n`);
    const first = await hub.importFile(file, { ...START, policy: 'ACCEPT_VALID', maxErrorShare: 0.5 }, 'importer');
    expect(first).toMatchObject({ status: 'DONE', counts: { accepted: 1, rejected: 1 } });
    expect((await hub.gql(KEPT, { id: first.id }, 'importer')).data!.importBatch.fileKept).toBe(true);
    await hub.gql(CONFIRM, { input: { code: '88002', schoolId: String(hub.schools.sch661235.id) } }, 'importer');
    const second = (await hub.gql(RERUN, { id: first.id }, 'admin')).data!.rerunImport;
    expect(await hub.finished(second.id)).toMatchObject({ status: 'DONE', duplicateOf: null, counts: { accepted: 2, rejected: 0 } });
    expect(await hub.sql(`select school_id, mean_test_score from school_result where source = 'IMPORTED' order by school_id`)).toEqual([
      { school_id: hub.schools.sch661234.id, mean_test_score: 74 },
      { school_id: hub.schools.sch661235.id, mean_test_score: 69.8 },
    ]);
  });

  it('the sweeper removes a kept file after UPLOAD_RETENTION_HOURS; the re-run then says the file is no longer kept', async () => {
    const file = written('ege-2025-unknown.csv', `${HEADER}88003;Неизвестная школа;2024-2025;Русский язык;12;60,0\n`);
    const batch = await hub.importFile(file, START, 'importer');
    expect(batch.status).toBe('REJECTED');
    const path = (await storedPath(batch.id))!;
    const knex = hub.db.orm.em.getKnex();
    // Not yet: finished an hour ago.
    await hub.sql(`update import_batch set finished_at = now() - interval '1 hour' where id = ?`, [Number(batch.id)]);
    expect(await sweepAbandonedUploads(knex, hub.importDir, 24 * 3_600_000, createLogger('silent'))).toEqual({ cancelledBatches: 0, removedKeptFiles: 0, removedOrphans: 0 });
    expect(existsSync(path)).toBe(true);
    await hub.sql(`update import_batch set finished_at = now() - interval '25 hours' where id = ?`, [Number(batch.id)]);
    expect(await sweepAbandonedUploads(knex, hub.importDir, 24 * 3_600_000, createLogger('silent'))).toEqual({ cancelledBatches: 0, removedKeptFiles: 1, removedOrphans: 0 });
    expect([existsSync(path), await storedPath(batch.id)]).toEqual([false, null]);
    expect((await hub.gql(KEPT, { id: batch.id }, 'importer')).data!.importBatch.fileKept).toBe(false);
    const refused = await hub.gql(RERUN, { id: batch.id }, 'importer');
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect(refused.errors?.[0].message).toMatch(new RegExp(`^Файл загрузки № ${batch.id} больше не хранится\\. ${GONE}`));
  });
});
