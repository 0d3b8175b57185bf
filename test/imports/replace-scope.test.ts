/**
 * What an import replaces: exactly its scope (school × assessment for participant rows), so a corrected file
 * replaces the old rows and leaves everything else; the same file twice changes nothing; the partition rebuild
 * of large imports gives the same data as the row-by-row merge and keeps the partition whole.
 */
import { ImportBatchRunner } from '../../src/imports/loading/import-batch-runner';
import type { ImportSettings } from '../../src/imports/loading/import-settings';
import { createLogger } from '../../src/shared/logger';
import { fixture, ImportHarness } from './support/import-harness';

describe('import scope, repeats and the partition rebuild', () => {
  let hub: ImportHarness;
  const log = createLogger('silent');

  beforeAll(async () => {
    // No workers: the test runs the import job's batch runner itself, with the settings it needs.
    hub = await ImportHarness.start({ workers: false });
  });
  afterAll(() => hub.stop());

  async function run(file: string, settings: Partial<ImportSettings> = {}, progress: string[] = []) {
    const uploaded = await hub.upload(fixture(file));
    const started = await hub.start(uploaded.body.id);
    if (started.errors) throw new Error(JSON.stringify(started.errors));
    if (started.data!.startImport.status === 'QUEUED') {
      const runner = new ImportBatchRunner(hub.knex, hub.gateway, log, {
        participantCodeSecret: 'test-secret-of-the-hub-0123456789',
        maxFileBytes: 10 * 1024 * 1024,
        rebuildMinRows: 50_000,
        maxStoredRowErrors: 10_000,
        ...settings,
      });
      await runner.run(Number(uploaded.body.id), (p) => {
        progress.push(p.stage);
      });
    }
    return hub.batch(uploaded.body.id);
  }

  const rows = () =>
    hub.sql(
      `select p.id, a.value as school, p.participant_code as code, p.primary_score, p.mark from participant_result p
       join school_alias a on a.school_id = p.school_id and a.kind = 'FISOKO_LOGIN' join assessment s on s.id = p.assessment_id
       where s.procedure = 'VPR' order by a.value, p.participant_code`,
    );
  const withoutIds = (list: any[]) => list.map(({ id: _id, ...rest }) => rest);

  const ORIGINAL = [
    { school: 'sch661234', code: '10001', primary_score: 9, mark: 5 },
    { school: 'sch661234', code: '10002', primary_score: 2, mark: 2 },
    { school: 'sch661234', code: '10003', primary_score: 3, mark: 3 },
    { school: 'sch661235', code: '10001', primary_score: 7, mark: 4 },
    { school: 'sch661235', code: '10004', primary_score: 0, mark: null },
  ];
  const CORRECTED = [
    { school: 'sch661234', code: '10001', primary_score: 9, mark: 5 },
    { school: 'sch661234', code: '10002', primary_score: 3, mark: 3 },
    { school: 'sch661234', code: '10005', primary_score: 8, mark: 5 },
    { school: 'sch661235', code: '10001', primary_score: 7, mark: 4 },
    { school: 'sch661235', code: '10004', primary_score: 0, mark: null },
  ];

  it('reports each stage, and a corrected file replaces exactly its school × assessment, leaving the other school’s rows as they were', async () => {
    const progress: string[] = [];
    const original = await run('valid/fisoko-vpr-individual.csv', {}, progress);
    expect(progress).toEqual(['PARSING', 'VALIDATING', 'MERGING']);
    expect(original).toMatchObject({ status: 'DONE', counts: { inserted: 5, replaced: 0 } });
    const before = await rows();
    expect(withoutIds(before)).toEqual(ORIGINAL);

    const corrected = await run('valid/fisoko-vpr-individual-corrected.csv');
    expect(corrected).toMatchObject({ status: 'DONE', counts: { rowsRead: 3, inserted: 3, replaced: 3 }, affectedSchools: 1 });
    const after = await rows();
    expect(withoutIds(after)).toEqual(CORRECTED);
    // The other school's rows are the very same rows.
    expect(after.filter((r) => r.school === 'sch661235')).toEqual(before.filter((r) => r.school === 'sch661235'));
  });

  it('recognises the same file sent again: nothing changes, nothing is recomputed, the batch says which import it repeats', async () => {
    const before = await rows();
    const previous = (await hub.sql(`select id from import_batch where file_name = 'fisoko-vpr-individual-corrected.csv' and status = 'DONE' order by id`))[0].id;
    const repeat = await run('valid/fisoko-vpr-individual-corrected.csv');
    expect(repeat).toMatchObject({
      status: 'DONE',
      duplicateOf: String(previous),
      job: null,
      recomputeJobs: [],
      counts: { inserted: 0, replaced: 0 },
      messageRu: `Этот файл с теми же параметрами уже загружен (пакет № ${previous}): данные не изменены.`,
    });
    expect(await rows()).toEqual(before);
    expect(await hub.uploadedFiles()).toEqual([]);
  });

  it('takes the original file again as a correction (it no longer matches the data), then recognises it as a repeat', async () => {
    const back = await run('valid/fisoko-vpr-individual.csv');
    expect(back).toMatchObject({ status: 'DONE', duplicateOf: null, counts: { inserted: 5, replaced: 5 } });
    expect(withoutIds(await rows())).toEqual(ORIGINAL);
    const repeat = await run('valid/fisoko-vpr-individual.csv');
    expect(repeat.duplicateOf).toBe(back.id);
  });

  it('rebuilds the year’s partition for a large import: same data, other rows kept as they were, indexes and foreign keys intact', async () => {
    expect((await run('scales/oge-2024-math-9.csv')).status).toBe('DONE'); // a ГИА protocol is held until its scale is there
    expect((await run('valid/gia-protocol.xlsx')).status).toBe('DONE'); // rows of another assessment in the same year
    const otherRows = await hub.sql(`select * from participant_result where assessment_id not in (select id from assessment where procedure = 'VPR') order by id`);
    const shape = () =>
      hub.sql(
        `select c.relname as index, pg_get_indexdef(c.oid) as definition from pg_index x join pg_class c on c.oid = x.indexrelid
         where x.indrelid = 'participant_result_2024'::regclass order by c.relname`,
      );
    const indexesBefore = await shape();
    const before = await rows();

    const rebuilt = await run('valid/fisoko-vpr-individual-corrected.csv', { rebuildMinRows: 1 });
    expect(rebuilt).toMatchObject({ status: 'DONE', counts: { inserted: 3, replaced: 3 } });
    expect(rebuilt.report.notes).toContain('Раздел 2024 года пересобран целиком (быстрая загрузка).');
    const after = await rows();
    expect(withoutIds(after)).toEqual(CORRECTED);
    expect(after.filter((r) => r.school === 'sch661235')).toEqual(before.filter((r) => r.school === 'sch661235'));
    expect(await hub.sql(`select * from participant_result where assessment_id not in (select id from assessment where procedure = 'VPR') order by id`)).toEqual(otherRows);

    expect(await shape()).toEqual(indexesBefore);
    const [attached] = await hub.sql(`select pg_get_expr(c.relpartbound, c.oid) as bound from pg_class c where c.relname = 'participant_result_2024' and c.relispartition`);
    expect(attached.bound).toBe("FOR VALUES IN ('2024')");
    expect(await hub.sql(`select count(*)::int as n from pg_tables where tablename like 'import_stage_%'`)).toEqual([{ n: 0 }]);
    const [school] = await hub.sql(`select id from school order by id desc limit 1`);
    const [assessment] = await hub.sql(`select id from assessment limit 1`);
    await expect(
      hub.knex.raw(`insert into participant_result (year, assessment_id, school_id, participant_code, primary_score) values (2024, ?, ?, 'X', 1)`, [assessment.id, school.id + 1000]),
    ).rejects.toThrow(/participant_result_school_id_fkey/);
    await expect(
      hub.knex.raw(`insert into participant_result (year, assessment_id, school_id, participant_code, primary_score) select year, assessment_id, school_id, participant_code, 1 from participant_result limit 1`),
    ).rejects.toThrow(/duplicate key value/);
  });
});
