/**
 * How soon a job comes back after its worker is killed: a real worker process killed mid-import while another
 * worker is live and idle. What bounds it: the killed worker's lock expires at most JOB_LOCK_MS after the kill,
 * and the queue's stalled-job check (every JOB_LOCK_MS / 4) moves the job back on its next pass.
 */
import { bullJobId } from '../../src/jobs/job-gateway';
import { fixture, ImportHarness } from '../imports/support/import-harness';
import { startWorkerProcess, until, type Child } from '../support/processes';

const LOCK_MS = 3000;

describe('a killed worker\'s job on a live worker', () => {
  let hub: ImportHarness;
  let env: Record<string, string>;
  const children: Child[] = [];

  const start = (extra: Record<string, string> = {}): Promise<Child> => startWorkerProcess({ ...env, ...extra }, children);

  beforeAll(async () => {
    hub = await ImportHarness.start({ workers: false });
    env = { DATABASE_URL: hub.db.url, QUEUE_PREFIX: hub.prefix, JOB_LOCK_MS: String(LOCK_MS), LOG_LEVEL: 'info', IMPORT_DIR: hub.importDir };
  });
  afterAll(async () => {
    for (const child of children) if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await hub.stop();
  });

  it(`runs again within 2 × JOB_LOCK_MS of the kill (JOB_LOCK_MS = ${LOCK_MS})`, async () => {
    const doomed = await start({ MSOKO_TEST_PAUSE: 'imports.beforeCommit:600000' });
    const uploaded = await hub.upload(fixture('valid/fisoko-vpr-individual.csv'));
    const started = await hub.start(uploaded.body.id);
    expect(started.errors).toBeUndefined();
    const requestId = Number(started.data!.startImport.job.id.split(':')[1]);
    const jobId = bullJobId(requestId);
    await doomed.waitFor(/"testPause":"imports.beforeCommit"/);
    const survivor = await start();
    // The survivor is live before the kill: only the lock and the stalled check stand between the job and it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await hub.queues.imports.getJob(jobId))?.attemptsStarted).toBe(1);

    doomed.process.kill('SIGKILL');
    const killedAt = Date.now();
    await doomed.exited;
    await until(async () => ((await hub.queues.imports.getJob(jobId))?.attemptsStarted ?? 0) >= 2, 4 * LOCK_MS, 'the job to run again');
    const runningAfterMs = Date.now() - killedAt;
    // Informative: the survivor first starts its import process (lazily; slow under ts-node on a busy machine).
    await until(async () => (await hub.sql(`select attempts from import_batch where id = ?`, [Number(uploaded.body.id)]))[0].attempts === 2, 120_000, 'the batch to be taken again');
    const claimedAfterMs = Date.now() - killedAt;
    process.stdout.write(`${JSON.stringify({ lockMs: LOCK_MS, runningAfterMs, claimedAfterMs })}\n`);
    expect(runningAfterMs).toBeLessThan(2 * LOCK_MS);

    expect(await hub.finished(uploaded.body.id, 'admin', 120_000)).toMatchObject({ status: 'DONE', attempts: 2, counts: { inserted: 5 } });
    await until(async () => (await hub.sql(`select state from job_request where id = ?`, [requestId]))[0].state === 'COMPLETED', 10_000, 'the request to complete');
    survivor.process.kill('SIGTERM');
    await survivor.exited;
  }, 360_000);
});
