/**
 * Undo for every import (issue 23): an import followed by its revert leaves every table it wrote exactly as
 * before (ids included); a revert can be reverted; a revert under a later import of the same scope is refused,
 * naming it; a dry run changes nothing and shows what would be replaced and added, per school and assessment.
 */
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
    school_result: `select school_id, assessment_id, participants, count2, count3, count4, count5, histogram, source from school_result where source = 'IMPORTED' order by school_id, assessment_id`,
    school_context: 'select * from school_context order by school_id, year',
    conduct_conditions: 'select * from conduct_conditions order by id',
    recheck_result: 'select * from recheck_result order by id',
    benchmark_result: `select * from benchmark_result where source = 'imported' order by id`,
    provisional_scale: 'select assessment_id, region_id, max_primary, mark_boundaries, tasks from provisional_scale order by assessment_id, region_id',
    // An assessment an import created stays after a revert, empty and without a scale (docs/imports.md): compared are the others.
    assessment_scale: `select id, max_primary, mark_boundaries, minimum_test_score, tasks, scale_confirmed_at, scale_confirmed_by from assessment
      where max_primary is not null or mark_boundaries is not null or tasks <> '[]'::jsonb or scale_confirmed_at is not null order by id`,
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
    expect((await reverted(first.id)).status).toBe('DONE');
    const end = await snapshot();
    expect(end.participant_result).toEqual([]);
    expect(end.participant_result).toEqual(before.participant_result);
    expect(end.provisional_scale).toEqual(before.provisional_scale);
  }, 120_000);

  it('restores every template target exactly', async () => {
    // Re-checks and reference values are held until their assessments have scales: give them scales first.
    const scales = await hub.importFile('scales/vpr-2024-rus-4-math-5.csv');
    expect(scales.status).toBe('DONE');
    for (const file of [
      'templates/schools.csv',
      'templates/school-context.csv',
      'templates/conduct-conditions.csv',
      'templates/assessment-scales.csv',
      'templates/rechecks.csv',
      'templates/benchmarks.csv',
      'valid/aggregate-marks.csv',
    ]) {
      const before = await snapshot();
      const batch = await hub.importFile(file);
      expect({ file, status: batch.status, message: batch.messageRu }).toMatchObject({ file, status: 'DONE' });
      expect(await snapshot()).not.toEqual(before);
      const undone = await reverted(batch.id);
      expect({ file, status: undone.status, message: undone.messageRu }).toMatchObject({ file, status: 'DONE' });
      expect({ file, tables: await snapshot() }).toEqual({ file, tables: before });
    }
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
