/**
 * A Redis of the test's own, restarted without its data under queued and running work: PostgreSQL is the record,
 * the worker's reconciler hands lost jobs to Redis again, and every request takes effect once.
 */
import { fixture, ImportHarness } from '../imports/support/import-harness';
import { startWorkerProcess, until, type Child } from '../support/processes';
import { startPrivateRedis, type PrivateRedis } from '../support/redis';

describe('Redis restarted empty', () => {
  let redis: PrivateRedis;
  let hub: ImportHarness;
  let env: Record<string, string>;
  const children: Child[] = [];

  const startWorker = (extra: Record<string, string> = {}): Promise<Child> => startWorkerProcess({ ...env, ...extra }, children);
  const stopWorker = async (child: Child) => {
    child.process.kill('SIGTERM');
    await child.exited;
  };
  const jobState = async (ticket: string) => (await hub.gql(`query($id: ID!) { job(id: $id) { state } }`, { id: ticket })).data?.job?.state;
  const requestId = (ticket: string) => Number(ticket.split(':')[1]);
  /** Job ids of the aggregate recomputes a worker ran to the end, from its structured log. */
  const aggregateRuns = (child: Child) =>
    child
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.msg === 'aggregates recomputed')
      .map((entry) => entry.jobId as string);

  beforeAll(async () => {
    redis = await startPrivateRedis();
    hub = await ImportHarness.start({ workers: false, redisUrl: redis.url });
    env = { DATABASE_URL: hub.db.url, REDIS_URL: redis.url, QUEUE_PREFIX: hub.prefix, JOB_LOCK_MS: '2000', JOB_RECONCILE_MS: '500', LOG_LEVEL: 'info', IMPORT_DIR: hub.importDir };
  });
  afterAll(async () => {
    for (const child of children) if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await hub.stop();
    await redis.stop();
  });

  it('dispatches again what was queued while no worker ran, once, and a second pass finds nothing', async () => {
    const uploaded = await hub.upload(fixture('valid/fisoko-vpr-individual.csv'));
    const started = await hub.start(uploaded.body.id);
    expect(started.errors).toBeUndefined();
    const recompute = await hub.gql('mutation { recomputeAggregates(input: { years: [2025] }) { id } }');
    expect(recompute.errors).toBeUndefined();
    const importTicket: string = started.data!.startImport.job.id;
    const recomputeTicket: string = recompute.data!.recomputeAggregates.id;
    const requested = [requestId(importTicket), requestId(recomputeTicket)];
    expect(await hub.sql(`select state from job_request where id in (?, ?)`, requested)).toEqual([{ state: 'DISPATCHED' }, { state: 'DISPATCHED' }]);
    expect(await jobState(recomputeTicket)).toBe('waiting');

    await redis.restartEmpty();
    expect(await hub.queues.imports.getJobState(`r${requested[0]}`)).toBe('unknown');
    // Not "waiting" for good: the request is PostgreSQL's again until it is handed over.
    await until(async () => (await jobState(recomputeTicket)) === 'pending', 10_000, 'job() to answer pending');
    expect((await hub.batch(uploaded.body.id)).status).toBe('QUEUED');

    const worker = await startWorker();
    await worker.waitFor(/"msg":"job requests reconciled with Redis"/);
    expect(worker.output()).toMatch(/"checked":2,"redispatched":2,"running":0/);
    expect(await hub.finished(uploaded.body.id, 'admin', 120_000)).toMatchObject({ status: 'DONE', attempts: 1, counts: { inserted: 5 } });
    // The import's own follow-ups (aggregates → risk → plans) run too; every request ends completed.
    await until(
      async () => (await hub.sql(`select count(*)::int as n from job_request where state not in ('COMPLETED', 'FAILED')`))[0].n === 0,
      120_000,
      'every job request to finish',
    );
    expect(await hub.sql(`select distinct state from job_request`)).toEqual([{ state: 'COMPLETED' }]);
    expect(await jobState(recomputeTicket)).toBe('completed');
    const runs = aggregateRuns(worker);
    expect(runs.filter((jobId) => jobId === `r${requested[1]}`)).toHaveLength(1);
    expect(new Set(runs).size).toBe(runs.length);
    expect(await hub.sql(`select count(*)::int as n from school_result`)).not.toEqual([{ n: 0 }]);
    await stopWorker(worker);

    const requests = await hub.sql(`select id, state, attempts from job_request order by id`);
    expect(await hub.gateway.reconcile()).toEqual({ checked: 0, redispatched: 0, running: 0, completed: 0, failed: 0 });
    expect(await hub.sql(`select id, state, attempts from job_request order by id`)).toEqual(requests);
  }, 300_000);

  it('leaves a job Redis lost while it ran to the worker that runs it, and records it once', async () => {
    const worker = await startWorker({ MSOKO_TEST_PAUSE: 'aggregates.beforeCommit:8000' });
    const recompute = await hub.gql('mutation { recomputeAggregates(input: { years: [2025] }) { id } }');
    expect(recompute.errors).toBeUndefined();
    const ticket: string = recompute.data!.recomputeAggregates.id;
    await worker.waitFor(/"testPause":"aggregates.beforeCommit"/);

    await redis.restartEmpty();
    // The reconciler sees the job gone from Redis but its run lock held: it does not send a second copy.
    await worker.waitFor(/"running":1/, 10_000);
    await until(async () => (await hub.sql(`select state from job_request where id = ?`, [requestId(ticket)]))[0].state === 'COMPLETED', 30_000, 'the job to complete');
    // A few more passes: nothing is sent again, nothing overwrites the completion.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(aggregateRuns(worker).filter((jobId) => jobId === `r${requestId(ticket)}`)).toHaveLength(1);
    expect(await hub.sql(`select state, error from job_request where id = ?`, [requestId(ticket)])).toEqual([{ state: 'COMPLETED', error: null }]);
    expect(await hub.queues.aggregates.getJobState(`r${requestId(ticket)}`)).toBe('unknown');
    await stopWorker(worker);
    expect(await hub.gateway.reconcile()).toEqual({ checked: 0, redispatched: 0, running: 0, completed: 0, failed: 0 });
  }, 240_000);

  it('reconciles as soon as Redis is back, not only on the interval', async () => {
    // One import at a time: the first holds the imports worker, the second waits in Redis when Redis goes.
    const worker = await startWorker({ MSOKO_TEST_PAUSE: 'imports.beforeCommit:6000', JOB_RECONCILE_MS: '3600000' });
    const first = await hub.upload(fixture('valid/aggregate-marks.csv'));
    expect((await hub.start(first.body.id)).errors).toBeUndefined();
    await worker.waitFor(/"testPause":"imports.beforeCommit"/, 60_000);
    const second = await hub.upload(fixture('valid/fisoko-vpr-individual-corrected.csv'));
    expect((await hub.start(second.body.id)).errors).toBeUndefined();

    await redis.restartEmpty();
    await worker.waitFor(/"checked":2,"redispatched":1,"running":1/, 10_000);
    expect(await hub.finished(first.body.id, 'admin', 120_000)).toMatchObject({ status: 'DONE', attempts: 1 });
    expect(await hub.finished(second.body.id, 'admin', 120_000)).toMatchObject({ status: 'DONE', attempts: 1 });
    await stopWorker(worker);
  }, 300_000);
});
