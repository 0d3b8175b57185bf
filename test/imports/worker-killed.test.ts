/**
 * A real worker process (src/app/worker.ts) killed with SIGKILL while its import transaction waits before COMMIT
 * (in the worker's import process, which dies with it): the database keeps the old data, never a mix, and another
 * worker retries the batch to the end.
 */
import { startWorkerProcess, until, type Child } from '../support/processes';
import { fixture, ImportHarness } from './support/import-harness';

describe('a worker killed during the merge', () => {
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

  const data = () =>
    hub.sql(
      `select a.value as school, p.participant_code as code, p.task_scores, p.primary_score, p.mark from participant_result p
       join school_alias a on a.school_id = p.school_id and a.kind = 'FISOKO_LOGIN' order by a.value, p.participant_code`,
    );

  it('leaves the old data whole, then finishes the import on a retry', async () => {
    const first = await start();
    expect((await hub.importFile('valid/fisoko-vpr-individual.csv')).status).toBe('DONE');
    await stop(first);
    const old = await data();
    expect(old).toHaveLength(5);

    const doomed = await start({ MSOKO_TEST_PAUSE: 'imports.beforeCommit:60000' });
    const uploaded = await hub.upload(fixture('valid/fisoko-vpr-individual-corrected.csv'));
    expect((await hub.start(uploaded.body.id)).errors).toBeUndefined();
    await doomed.waitFor(/"testPause":"imports.beforeCommit"/);
    // Everything is written inside the open transaction; outside it the old data is all there is.
    expect((await hub.batch(uploaded.body.id)).status).toBe('MERGING');
    expect(await data()).toEqual(old);
    doomed.process.kill('SIGKILL');
    await doomed.exited;
    // Its import process follows it at once: the session that held the transaction is gone, rolled back.
    await until(
      async () => (await hub.sql(`select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`))[0].n === 0,
      10_000,
      'the killed import to let go of its transaction',
    );

    expect(await data()).toEqual(old);
    expect(await hub.sql(`select count(*)::int as n from pg_tables where tablename like 'import_stage_%'`)).toEqual([{ n: 0 }]);
    expect(await hub.sql(`select status, rows_inserted from import_batch where id = ?`, [Number(uploaded.body.id)])).toEqual([{ status: 'MERGING', rows_inserted: 0 }]);

    const survivor = await start();
    const batch = await hub.finished(uploaded.body.id, 'admin', 60_000);
    expect(batch).toMatchObject({ status: 'DONE', attempts: 2, counts: { rowsRead: 3, inserted: 3, replaced: 3, errors: 0 } });
    expect(await data()).toEqual([
      { school: 'sch661234', code: '10001', task_scores: [1, 2, 1, 2, 3], primary_score: 9, mark: 5 },
      { school: 'sch661234', code: '10002', task_scores: [1, 1, null, 1, 0], primary_score: 3, mark: 3 },
      { school: 'sch661234', code: '10005', task_scores: [1, 2, 1, 2, 2], primary_score: 8, mark: 5 },
      ...old.filter((row) => row.school === 'sch661235'),
    ]);
    // The recompute was requested once, by the attempt that committed.
    expect(await hub.sql(`select count(*)::int as n from job_request where queue = 'aggregates' and payload->>'reason' = ?`, [`import ${uploaded.body.id}`])).toEqual([{ n: 1 }]);
    await stop(survivor);
    // Three worker processes and their import processes start under ts-node: minutes on a busy 2-core machine.
  }, 240_000);
});
