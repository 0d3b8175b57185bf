/**
 * A real worker process killed with SIGKILL while a revert's transaction waits before COMMIT: the hub keeps the
 * imported data whole (never a mix of restored and imported rows), and another worker finishes the revert on a
 * retry, leaving exactly the data from before the import.
 */
import { startWorkerProcess, until, type Child } from '../support/processes';
import { ImportHarness } from './support/import-harness';

describe('a worker killed during a revert', () => {
  let hub: ImportHarness;
  let env: Record<string, string>;
  const children: Child[] = [];

  const start = (extra: Record<string, string> = {}): Promise<Child> => startWorkerProcess({ ...env, ...extra }, children, 45_000);
  const stop = async (child: Child) => {
    child.process.kill('SIGTERM');
    await child.exited;
  };

  beforeAll(async () => {
    hub = await ImportHarness.start({ workers: false });
    env = { DATABASE_URL: hub.db.url, QUEUE_PREFIX: hub.prefix, JOB_LOCK_MS: '2000', LOG_LEVEL: 'info', IMPORT_DIR: hub.importDir };
  });
  afterAll(async () => {
    for (const child of children) if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await hub.stop();
  });

  const data = () => hub.sql(`select * from participant_result order by id`);

  it('leaves either the imported or the restored data, never a mix, then finishes the revert on a retry', async () => {
    const first = await start();
    expect((await hub.importFile('valid/fisoko-vpr-individual.csv')).status).toBe('DONE');
    const original = await data();
    const corrected = await hub.importFile('valid/fisoko-vpr-individual-corrected.csv');
    expect(corrected.status).toBe('DONE');
    const imported = await data();
    expect(imported).not.toEqual(original);
    await stop(first);

    const doomed = await start({ MSOKO_TEST_PAUSE: 'imports.revertBeforeCommit:60000' });
    const requested = await hub.gql(`mutation($id: ID!) { revertImport(batchId: $id) { id status } }`, { id: corrected.id });
    expect(requested.errors).toBeUndefined();
    const revertId = requested.data!.revertImport.id;
    await doomed.waitFor(/"testPause":"imports.revertBeforeCommit"/);
    // Restored inside the open transaction; outside it the imported data is all there is.
    expect(await data()).toEqual(imported);
    doomed.process.kill('SIGKILL');
    await doomed.exited;
    await until(
      async () => (await hub.sql(`select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`))[0].n === 0,
      10_000,
      'the killed revert to let go of its transaction',
    );
    expect(await data()).toEqual(imported);
    expect(await hub.sql(`select status, reverted_by_batch_id from import_batch where id = ?`, [Number(corrected.id)])).toEqual([{ status: 'DONE', reverted_by_batch_id: null }]);
    expect(await hub.sql(`select count(*)::int as n from import_undo_key where batch_id = ?`, [Number(revertId)])).toEqual([{ n: 0 }]);

    const survivor = await start();
    const revert = await hub.finished(revertId, 'admin', 60_000);
    expect(revert).toMatchObject({ status: 'DONE', attempts: 2, counts: { inserted: 3, replaced: 3 } });
    expect(await data()).toEqual(original);
    expect(await hub.sql(`select reverted_by_batch_id from import_batch where id = ?`, [Number(corrected.id)])).toEqual([{ reverted_by_batch_id: Number(revertId) }]);
    // The recompute was requested once, by the attempt that committed.
    expect(await hub.sql(`select count(*)::int as n from job_request where queue = 'aggregates' and payload->>'reason' = ?`, [`revert of import ${corrected.id}`])).toEqual([{ n: 1 }]);
    await stop(survivor);
  }, 240_000);
});
