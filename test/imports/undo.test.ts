/**
 * Undo for every import (issue 23): an import followed by its revert leaves every table it wrote exactly as
 * before (ids included); a revert can be reverted; a revert under a later import of the same scope is refused,
 * naming it; a dry run changes nothing and shows what would be replaced and added, per school and assessment.
 * An assessment, a year partition, a region, municipality or school the import created goes with its revert —
 * refused while data loaded since refers to it; `revertible` and `revertBlockedReason` say what revertImport would.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/config';
import { expireUndo } from '../../src/imports/undo/expire-undo';
import { fixture, ImportHarness } from './support/import-harness';

describe('undo of imports', () => {
  let hub: ImportHarness;

  beforeAll(async () => {
    hub = await ImportHarness.start();
  });
  afterAll(() => hub.stop());

  /** Whole tables, every column, in id order (or key order where a table has no id). */
  const TABLES: Record<string, string> = {
    participant_result: 'select * from participant_result order by id',
    // Imported rows only: computed ones follow the data through the recompute jobs, which run on their own time.
    school_result: `select * from school_result where source = 'IMPORTED' order by school_id, assessment_id`,
    school_exam_total: 'select * from school_exam_total order by school_id, year, procedure',
    school_context: 'select * from school_context order by school_id, year',
    conduct_conditions: 'select * from conduct_conditions order by id',
    recheck_result: 'select * from recheck_result order by id',
    benchmark_result: `select * from benchmark_result where source = 'imported' order by id`,
    provisional_scale: 'select assessment_id, region_id, max_primary, mark_boundaries, tasks from provisional_scale order by assessment_id, region_id',
    // An assessment or a year partition an import created goes with its revert, like the rows.
    assessment: 'select * from assessment order by id',
    participant_partitions: `select inhrelid::regclass::text as name from pg_inherits where inhparent = 'participant_result'::regclass order by 1`,
    school: 'select * from school order by id',
    school_alias: 'select school_id, kind, value from school_alias order by school_id, kind, value',
    municipality: 'select * from municipality order by id',
    region: 'select * from region order by id',
  };
  const snapshot = async (): Promise<Record<string, unknown[]>> => {
    const result: Record<string, unknown[]> = {};
    for (const [name, query] of Object.entries(TABLES)) result[name] = await hub.sql(query);
    return result;
  };

  async function revert(batchId: string, key: 'admin' | 'importer' | 'otherImporter' = 'admin') {
    const result = await hub.gql(`mutation($id: ID!) { revertImport(batchId: $id) { id status revertsBatchId } }`, { id: batchId }, key);
    return result;
  }

  /** What importBatch says of reverting the batch now. */
  async function revertState(batchId: string): Promise<{ revertible: boolean; revertBlockedReason: string | null }> {
    const result = await hub.gql(`query($id: ID!) { importBatch(id: $id) { revertible revertBlockedReason } }`, { id: batchId });
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data!.importBatch;
  }

  /** Imports a file written by the test (upload + startImport + wait). */
  const scratch = mkdtempSync(join(tmpdir(), 'msoko-undo-'));
  async function importText(name: string, text: string): Promise<any> {
    const path = join(scratch, name);
    writeFileSync(path, text);
    const uploaded = await hub.upload(path);
    expect(uploaded.status).toBe(201);
    const started = await hub.start(uploaded.body.id);
    expect(started.errors).toBeUndefined();
    return hub.finished(uploaded.body.id);
  }

  async function reverted(batchId: string): Promise<any> {
    const result = await revert(batchId);
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    const revertBatch = result.data!.revertImport;
    expect(revertBatch).toMatchObject({ status: 'QUEUED', revertsBatchId: batchId });
    return hub.gql(`query($id: ID!) { importBatch(id: $id) { id } }`, { id: revertBatch.id }).then(() => hub.finished(revertBatch.id));
  }

  it('restores participant rows exactly, reverts a revert, and refuses a revert under a later import', async () => {
    const before = await snapshot();
    const first = await hub.importFile('valid/fisoko-vpr-individual.csv');
    expect(first).toMatchObject({ status: 'DONE', counts: { inserted: 5, replaced: 0 } });
    expect(first.messageRu).toMatch(/можно отменить \(revertImport\) до \d\d\.\d\d\.\d{4}/);
    const afterFirst = await snapshot();
    expect(afterFirst.participant_result).toHaveLength(5);

    const second = await hub.importFile('valid/fisoko-vpr-individual-corrected.csv');
    expect(second).toMatchObject({ status: 'DONE', counts: { inserted: 3, replaced: 3 } });
    const afterSecond = await snapshot();
    expect(afterSecond.participant_result).not.toEqual(afterFirst.participant_result);
    const [undo] = await hub.sql(`select undo_until > now() + interval '89 days' as kept from import_batch where id = ?`, [Number(second.id)]);
    expect(undo.kept).toBe(true);

    // The earlier import cannot be reverted under the later one: the message names it.
    const refused = await revert(first.id);
    expect(refused.data?.revertImport ?? null).toBeNull();
    expect(refused.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(refused.errors?.[0].message).toContain(`позже загрузка № ${second.id} заменила часть тех же данных`);
    // importBatch says the same before anyone asks: the one check revertImport makes.
    expect(await revertState(first.id)).toEqual({ revertible: false, revertBlockedReason: refused.errors?.[0].message });
    expect(await revertState(second.id)).toEqual({ revertible: true, revertBlockedReason: null });
    expect(await hub.sql(`select count(*)::int as n from import_batch where reverts_batch_id = ?`, [Number(first.id)])).toEqual([{ n: 0 }]);

    // Reverting the later one gives back exactly what the first one wrote.
    const revertSecond = await reverted(second.id);
    expect(revertSecond).toMatchObject({ status: 'DONE', counts: { inserted: 3, replaced: 3 }, recordKind: 'participant-result' });
    expect(await snapshot()).toEqual(afterFirst);
    const [marked] = await hub.sql(`select reverted_by_batch_id from import_batch where id = ?`, [Number(second.id)]);
    expect(marked.reverted_by_batch_id).toBe(Number(revertSecond.id));
    // The revert asked for the same recomputes as the import.
    expect(await hub.sql(`select payload->'schoolIds' as schools, payload->'years' as years from job_request where payload->>'reason' = ?`, [`revert of import ${second.id}`])).toEqual(
      await hub.sql(`select payload->'schoolIds' as schools, payload->'years' as years from job_request where payload->>'reason' = ?`, [`import ${second.id}`]),
    );
    const audit = await hub.sql(`select action from audit_log where target = ? order by id`, [`import:${second.id}`]);
    expect(audit.map((row: any) => row.action)).toContain('import.revert');

    // The same batch cannot be reverted twice.
    const twice = await revert(second.id);
    expect(twice.errors?.[0].message).toContain(`уже отменена (пакет № ${revertSecond.id})`);

    // A revert is a batch: reverting it applies the second import again.
    const reapplied = await reverted(revertSecond.id);
    expect(reapplied.status).toBe('DONE');
    expect(await snapshot()).toEqual(afterSecond);
    expect((await revert(first.id)).errors?.[0].message).toContain(`№ ${second.id}`);

    // Undo the re-application, then the first import: back to the empty hub.
    expect((await reverted(reapplied.id)).status).toBe('DONE');
    expect(await snapshot()).toEqual(afterFirst);
    expect(await revertState(first.id)).toEqual({ revertible: true, revertBlockedReason: null });
    expect((await reverted(first.id)).status).toBe('DONE');
    const end = await snapshot();
    expect(end.participant_result).toEqual([]);
    // The assessment the first import created (and the rows the recomputes derived for it) went with it.
    expect(end.assessment).toEqual([]);
    expect(end).toEqual(before);
  }, 120_000);

  it('drops a year partition and an assessment the import created, and puts them back when the revert is reverted', async () => {
    const before = await snapshot();
    expect(before.participant_partitions).not.toContainEqual({ name: 'participant_result_2022' });
    const file = readFileSync(fixture('valid/fisoko-vpr-individual.csv'), 'utf8').replace('ВПР 2024', 'ВПР 2022');
    const batch = await importText('vpr-2022.csv', file);
    expect(batch).toMatchObject({ status: 'DONE', counts: { inserted: 5, replaced: 0 } });
    const imported = await snapshot();
    expect(imported.participant_partitions).toContainEqual({ name: 'participant_result_2022' });
    expect(imported.assessment).toHaveLength(before.assessment.length + 1);

    const undone = await reverted(batch.id);
    expect(undone.status).toBe('DONE');
    expect(await snapshot()).toEqual(before);
    const again = await reverted(undone.id);
    expect(again.status).toBe('DONE');
    expect(await snapshot()).toEqual(imported);
    expect((await reverted(again.id)).status).toBe('DONE');
    expect(await snapshot()).toEqual(before);
  }, 60_000);

  it('refuses to revert a directory import while data loaded since refers to the region, municipality or school it created, then reverts it whole', async () => {
    const header = 'Код региона;Регион;Код муниципалитета;Муниципалитет;Наименование ОО;Краткое наименование;Логин ФИС ОКО;Тип ОО;Местность';
    const before = await snapshot();
    const directory = await importText('directory-74.csv', `${header}\n74;Челябинская область;7401;Новый ГО;МАОУ «Школа № 741»;Школа № 741;sch741001;СОШ;городская\n`);
    expect(directory.status).toBe('DONE');
    const created = await hub.sql(
      `select r.name as region, m.name as municipality, s.name as school from school s join municipality m on m.id = s.municipality_id join region r on r.id = s.region_id where r.code = '74'`,
    );
    expect(created).toEqual([{ region: 'Челябинская область', municipality: 'Новый ГО', school: 'МАОУ «Школа № 741»' }]);
    expect(await revertState(directory.id)).toEqual({ revertible: true, revertBlockedReason: null });

    // Results for the new school, and a second school in the new municipality (and region), loaded since.
    const vpr = readFileSync(fixture('valid/fisoko-vpr-individual.csv'), 'utf8').split('\n').filter((line) => !line.startsWith('sch661235'));
    const results = await importText('vpr-741.csv', vpr.join('\n').replace(/sch661234/g, 'sch741001'));
    expect({ status: results.status, message: results.messageRu, inserted: results.counts.inserted }).toMatchObject({ status: 'DONE', inserted: 3 });
    const second = await importText('directory-74-2.csv', `${header}\n74;;7401;Новый ГО;МАОУ «Школа № 742»;Школа № 742;sch741002;СОШ;городская\n`);
    expect(second.status).toBe('DONE');

    const refused = await revert(directory.id);
    expect(refused.errors?.[0].extensions?.code).toBe('CONFLICT');
    const message = refused.errors?.[0].message;
    expect(message).toContain(`Загрузку № ${directory.id} отменить нельзя: она добавила записи, к которым уже относятся данные, загруженные позже`);
    expect(message).toContain('к региону «Челябинская область» — ОО (1)');
    expect(message).toContain('к муниципалитету «Новый ГО» — ОО (1)');
    expect(message).toContain('к ОО «МАОУ «Школа № 741»» — результаты участников (3)');
    expect(message).toContain(`Сначала отмените загрузки № ${results.id}, № ${second.id}.`);
    expect(await hub.sql(`select count(*)::int as n from import_batch where reverts_batch_id = ?`, [Number(directory.id)])).toEqual([{ n: 0 }]);
    expect(await revertState(directory.id)).toEqual({ revertible: false, revertBlockedReason: message });

    // Once the later school is gone, only the results still refer to what the directory created.
    expect((await reverted(second.id)).status).toBe('DONE');
    const { revertBlockedReason } = await revertState(directory.id);
    expect(revertBlockedReason).toContain('к ОО «МАОУ «Школа № 741»» — результаты участников (3)');
    expect(revertBlockedReason).not.toContain('к муниципалитету');
    expect(revertBlockedReason).toContain(`Сначала отмените загрузку № ${results.id}.`);

    expect((await reverted(results.id)).status).toBe('DONE');
    expect(await revertState(directory.id)).toEqual({ revertible: true, revertBlockedReason: null });
    const undone = await reverted(directory.id);
    expect(undone.status).toBe('DONE');
    expect(await hub.sql(`select count(*)::int as n from region where code = '74'`)).toEqual([{ n: 0 }]);
    expect(await snapshot()).toEqual(before);
  }, 60_000);

  it('a directory import renames the region and municipality it names differently (audited, in the notes); its revert puts the old names back', async () => {
    const header = 'Код региона;Регион;Код муниципалитета;Муниципалитет;Наименование ОО;Краткое наименование;Логин ФИС ОКО;Тип ОО;Местность';
    const names = () => hub.sql(`select r.name as region, m.name as municipality from region r join municipality m on m.region_id = r.id where r.code = '66' and m.code = '6608'`);
    const before = await snapshot();
    expect(await names()).toEqual([{ region: 'Свердловская область', municipality: 'Каменск-Уральский ГО' }]);
    const renaming = await importText(
      'directory-66-renamed.csv',
      `${header}\n66;Свердловская обл.;6608;Каменск-Уральский городской округ;МАОУ «СОШ № 1»;СОШ № 1;sch661234;СОШ;городская\n`,
    );
    expect(renaming).toMatchObject({ status: 'DONE', counts: { accepted: 1, replaced: 1 } });
    expect(renaming.report.notes).toEqual(
      expect.arrayContaining([
        'Переименованы регионы (1): 66 «Свердловская область» → «Свердловская обл.».',
        'Переименованы муниципалитеты (1): 6608 «Каменск-Уральский ГО» → «Каменск-Уральский городской округ».',
      ]),
    );
    const renamed = [{ region: 'Свердловская обл.', municipality: 'Каменск-Уральский городской округ' }];
    expect(await names()).toEqual(renamed);
    expect(await hub.sql(`select action, target, details from audit_log where action in ('region.rename', 'municipality.rename') order by id`)).toEqual([
      { action: 'region.rename', target: 'region:66', details: { from: 'Свердловская область', to: 'Свердловская обл.', importBatchId: Number(renaming.id) } },
      {
        action: 'municipality.rename',
        target: 'municipality:66/6608',
        details: { from: 'Каменск-Уральский ГО', to: 'Каменск-Уральский городской округ', importBatchId: Number(renaming.id) },
      },
    ]);

    const undone = await reverted(renaming.id);
    expect(undone.status).toBe('DONE');
    expect(await names()).toEqual([{ region: 'Свердловская область', municipality: 'Каменск-Уральский ГО' }]);
    expect(await snapshot()).toEqual(before);
    const again = await reverted(undone.id);
    expect(again.status).toBe('DONE');
    expect(await names()).toEqual(renamed);
    expect((await reverted(again.id)).status).toBe('DONE');
    expect(await snapshot()).toEqual(before);
  }, 60_000);

  it('restores every template target exactly', async () => {
    // Re-checks and reference values are held until their assessments have scales: give them scales first.
    const scales = await hub.importFile('scales/vpr-2024-rus-4-math-5.csv');
    expect(scales.status).toBe('DONE');
    // School results replace a school's imported figures: they go over other values of the same schools and
    // assessments (read against their scales), which the revert must give back whole.
    const SCALES_OGE_EGE = [
      'Процедура;Год;Предмет;Класс;Максимальный первичный балл;Граница «3»;Граница «4»;Граница «5»;Минимальный балл ЕГЭ;Задания',
      'ОГЭ;2024;Математика;9;14;5;9;12;;',
      'ЕГЭ;2024;Русский язык;11;50;;;;36;',
    ].join('\n');
    const schoolResultsBefore = readFileSync(fixture('templates/school-results.csv'), 'utf8')
      .replace('54;;71,3;;;;;1;12;1;', '50;;68,5;;;;;2;10;0;')
      .replace('60;11,2;;3;20;25;12;', '58;10,4;;4;21;23;10;')
      .replace('54;;;;;;;;;;9', '50;;;;;;;;;;7');
    const setUp: Record<string, () => Promise<any[]>> = {
      'templates/school-results.csv': async () => [await importText('scales-oge-ege-2024.csv', SCALES_OGE_EGE), await importText('school-results-before.csv', schoolResultsBefore)],
    };
    const prepared: any[] = [];
    for (const file of [
      'templates/schools.csv',
      'templates/school-context.csv',
      'templates/conduct-conditions.csv',
      'templates/assessment-scales.csv',
      'templates/rechecks.csv',
      'templates/benchmarks.csv',
      'valid/aggregate-marks.csv',
      'templates/school-results.csv',
    ]) {
      for (const batch of (await setUp[file]?.()) ?? []) {
        expect({ file, status: batch.status, message: batch.messageRu }).toMatchObject({ file, status: 'DONE' });
        prepared.push(batch);
      }
      const before = await snapshot();
      const batch = await hub.importFile(file);
      expect({ file, status: batch.status, message: batch.messageRu }).toMatchObject({ file, status: 'DONE' });
      if (setUp[file] !== undefined) expect({ file, counts: batch.counts }).toMatchObject({ file, counts: { inserted: 0, replaced: 3 } });
      expect(await snapshot()).not.toEqual(before);
      const undone = await reverted(batch.id);
      expect({ file, status: undone.status, message: undone.messageRu }).toMatchObject({ file, status: 'DONE' });
      expect({ file, tables: await snapshot() }).toEqual({ file, tables: before });
    }
    // What the school results went over was there, and differed.
    expect(prepared.at(-1).counts).toMatchObject({ inserted: 3 });
    const imported = await hub.sql(`select participants, mean_test_score, count_test_80 from school_result where source = 'IMPORTED' and mean_test_score is not null`);
    expect(imported).toEqual([{ participants: 50, mean_test_score: 68.5, count_test_80: 10 }]);
    expect(await hub.sql(`select participants, count_sum3_220 from school_exam_total`)).toEqual([{ participants: 50, count_sum3_220: 7 }]);
    for (const batch of prepared.reverse()) expect((await reverted(batch.id)).status).toBe('DONE');
    expect((await reverted(scales.id)).status).toBe('DONE'); // the next tests start without these scales
  }, 180_000);

  it('refuses a regional centre another region\'s batch', async () => {
    const batch = await hub.importFile('templates/school-context.csv', {}, 'importer');
    expect(batch.status).toBe('DONE');
    const foreign = await revert(batch.id, 'otherImporter');
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const own = await revert(batch.id, 'importer');
    expect(own.errors).toBeUndefined();
    expect((await hub.finished(own.data!.revertImport.id)).status).toBe('DONE');
  }, 60_000);

  it('a dry run changes nothing and shows what would be replaced and added per school and assessment', async () => {
    const base = await hub.importFile('valid/fisoko-vpr-individual.csv');
    expect(base.status).toBe('DONE');
    const before = await snapshot();
    const uploaded = await hub.upload(fixture('valid/fisoko-vpr-individual-corrected.csv'));
    const started = await hub.start(uploaded.body.id, { dryRun: true });
    expect(started.errors).toBeUndefined();
    const deadline = Date.now() + 30_000;
    let batch: any;
    for (;;) {
      const result = await hub.gql(
        `query($id: ID!) { importBatch(id: $id) { status messageRu undoUntil revertible counts { inserted replaced }
           preview { table schoolId schoolName assessmentId assessment year replaced added } } }`,
        { id: uploaded.body.id },
      );
      batch = result.data!.importBatch;
      if (batch.preview !== null && batch.status === 'UPLOADED') break;
      if (Date.now() > deadline) throw new Error(`dry run still ${batch.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await snapshot()).toEqual(before);
    expect(batch.messageRu).toMatch(/^Пробный запуск: данные не изменены/);
    expect(batch.revertible).toBe(false);
    // Nothing to revert: refused, saying it was only a dry run, and no revert batch written.
    const refused = await revert(uploaded.body.id);
    expect(refused.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(refused.errors?.[0].message).toBe(
      `Загрузка № ${uploaded.body.id} была только пробным запуском (dryRun): данные не изменялись, отменять нечего. Чтобы загрузить файл, запустите startImport без dryRun.`,
    );
    expect(await revertState(uploaded.body.id)).toEqual({ revertible: false, revertBlockedReason: refused.errors?.[0].message });
    expect(await hub.sql(`select count(*)::int as n from import_batch where reverts_batch_id = ?`, [Number(uploaded.body.id)])).toEqual([{ n: 0 }]);
    expect(batch.preview).toEqual([
      expect.objectContaining({ table: 'participant_result', schoolId: String(hub.schools.sch661234.id), schoolName: expect.any(String), year: 2024, replaced: 3, added: 3, assessment: expect.stringMatching(/^VPR 2024 .* 4 класс$/) }),
    ]);
    expect(await hub.sql(`select count(*)::int as n from pg_tables where tablename ~ '^import_undo_[0-9]+_[0-9]+$'`)).toEqual(
      await hub.sql(`select count(distinct t)::int as n from import_undo_target, unnest(moved_tables) t`),
    );

    // The batch waits with its file: started for real, it replaces what the preview said.
    const real = await hub.start(uploaded.body.id);
    expect(real.errors).toBeUndefined();
    const done = await hub.finished(uploaded.body.id);
    expect(done).toMatchObject({ status: 'DONE', counts: { inserted: 3, replaced: 3 } });
    expect(await snapshot()).not.toEqual(before);
  }, 60_000);

  it('a dry run or a rejected file of a new year leaves no year partition behind', async () => {
    const partitions = async () =>
      (await hub.sql(`select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent where p.relname = 'participant_result'`)).map((r: { relname: string }) => r.relname);
    const original = readFileSync(fixture('valid/fisoko-vpr-individual.csv'), 'utf8');
    expect(await partitions()).not.toContain('participant_result_2021');

    const path = join(scratch, 'vpr-2021.csv');
    writeFileSync(path, original.replace('ВПР 2024', 'ВПР 2021'));
    const uploaded = await hub.upload(path);
    expect((await hub.start(uploaded.body.id, { dryRun: true })).errors).toBeUndefined();
    const deadline = Date.now() + 60_000;
    for (;;) {
      const batch = (await hub.gql(`query($id: ID!) { importBatch(id: $id) { status preview { year } } }`, { id: uploaded.body.id })).data!.importBatch;
      if (batch.preview !== null && batch.status === 'UPLOADED') {
        expect(batch.preview.map((p: { year: number }) => p.year)).toContain(2021);
        break;
      }
      if (Date.now() > deadline) throw new Error(`dry run still ${batch.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await partitions()).not.toContain('participant_result_2021');

    // A file of 2020 with a row of an unknown school is refused whole (REJECT_ALL): its partition goes too.
    const lines = original.replace('ВПР 2024', 'ВПР 2020').split('\n');
    const row = lines.findIndex((line) => line.startsWith('sch661234'));
    lines.splice(row + 1, 0, lines[row].replace('sch661234', 'sch669999'));
    const refused = await importText('vpr-2020.csv', lines.join('\n'));
    expect(refused.status).toBe('REJECTED');
    expect(await partitions()).not.toContain('participant_result_2020');

    // The real import of 2021 creates it, as before.
    const imported = await hub.start(uploaded.body.id);
    expect(imported.errors).toBeUndefined();
    expect((await hub.finished(uploaded.body.id)).status).toBe('DONE');
    expect(await partitions()).toContain('participant_result_2021');
    expect((await reverted(uploaded.body.id)).status).toBe('DONE');
    expect(await partitions()).not.toContain('participant_result_2021');
  });

  it('removes undo data past IMPORT_UNDO_DAYS (the sweeper), after which a revert is refused saying when it ended', async () => {
    // The first file again, after the corrected one replaced part of it: a correction, merged.
    const batch = await hub.importFile('valid/fisoko-vpr-individual.csv');
    expect(batch).toMatchObject({ status: 'DONE', duplicateOf: null });
    const moved = await hub.sql(`select unnest(moved_tables) as t from import_undo_target where batch_id = ?`, [Number(batch.id)]);
    expect(moved).toHaveLength(1);
    expect(await expireUndo(hub.knex)).toBe(0);
    await hub.sql(`update import_batch set undo_until = now() - interval '1 day' where id = ?`, [Number(batch.id)]);
    expect(await expireUndo(hub.knex)).toBe(1);
    expect(await hub.sql(`select to_regclass(?) as present`, [moved[0].t])).toEqual([{ present: null }]);
    for (const table of ['import_undo_target', 'import_undo_key', 'import_undo_row']) {
      expect(await hub.sql(`select count(*)::int as n from ${table} where batch_id = ?`, [Number(batch.id)])).toEqual([{ n: 0 }]);
    }
    const refused = await revert(batch.id);
    expect(refused.errors?.[0].message).toMatch(new RegExp(`^Загрузку № ${batch.id} отменить нельзя: срок отмены истёк \\d\\d\\.\\d\\d\\.\\d{4} \\(IMPORT_UNDO_DAYS\\)`));
  }, 60_000);

  it('IMPORT_UNDO_DAYS is validated like the other settings', () => {
    const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x', REDIS_URL: 'redis://127.0.0.1:6379' };
    expect(loadConfig({ ...env }).importUndoDays).toBe(90);
    expect(loadConfig({ ...env, IMPORT_UNDO_DAYS: '7' }).importUndoDays).toBe(7);
    expect(() => loadConfig({ ...env, IMPORT_UNDO_DAYS: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, IMPORT_UNDO_DAYS: 'месяц' })).toThrow(/IMPORT_UNDO_DAYS/);
  });
});
