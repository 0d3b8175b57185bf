import IORedis from 'ioredis';
import { Worker } from 'bullmq';
import { bullJobId, JobGateway } from '../../src/jobs/job-gateway';
import { closeQueues, createQueues, JOB_NAMES, QUEUE_NAMES, type HubQueues } from '../../src/jobs/queues';
import { createLogger } from '../../src/shared/logger';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { TEST_REDIS_URL } from '../support/env';
import { until } from '../support/processes';
import { deleteQueueKeys, testQueuePrefix } from '../support/redis';

/** The outbox against PostgreSQL and the shared test Redis: what the reconciler and the run lock decide. */
describe('job gateway: reconcile and run once', () => {
  let db: TestDatabase;
  let redis: IORedis;
  let queues: HubQueues;
  let gateway: JobGateway;
  const prefix = testQueuePrefix();
  const request = { queue: QUEUE_NAMES.recommendations, name: JOB_NAMES.recomputeRecommendations, payload: { schoolIds: [], years: [2025], reason: 'test' }, requestedBy: 'test' };
  const state = async (ticketId: string) => (await db.orm.em.getKnex().raw('select state from job_request where id = ?', [Number(ticketId.split(':')[1])])).rows[0].state;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    queues = createQueues(redis, prefix);
    gateway = new JobGateway(db.orm.em.getKnex(), queues, createLogger('silent'));
  });
  afterAll(async () => {
    await closeQueues(queues);
    redis.disconnect();
    await deleteQueueKeys(prefix);
    await db.drop();
  });

  it('hands a dispatched job Redis lost to it again under the same id, unless a live process runs it', async () => {
    const ticket = await gateway.enqueue(request);
    const jobId = bullJobId(ticket.id.split(':')[1]);
    expect(await state(ticket.id)).toBe('DISPATCHED');
    expect(await gateway.reconcile()).toEqual({ checked: 1, redispatched: 0, running: 0, completed: 0, failed: 0 });

    await queues.recommendations.obliterate({ force: true });
    // While its run lock is held (a process still running it), it is left alone.
    let release!: () => void;
    const running = gateway.runOnce(jobId, 1, () => new Promise<string>((resolve) => (release = () => resolve('done'))));
    await until(() => release !== undefined, 5000, 'the run to start');
    expect(await gateway.reconcile()).toMatchObject({ checked: 1, redispatched: 0, running: 1 });
    expect(await queues.recommendations.getJobState(jobId)).toBe('unknown');
    release();
    expect(await running).toBe('done');
    expect(await state(ticket.id)).toBe('COMPLETED');
    expect(await gateway.reconcile()).toMatchObject({ checked: 0, redispatched: 0 });

    const lost = await gateway.enqueue(request);
    const lostJobId = bullJobId(lost.id.split(':')[1]);
    await queues.recommendations.obliterate({ force: true });
    expect(await gateway.reconcile()).toMatchObject({ checked: 1, redispatched: 1, running: 0 });
    expect(await queues.recommendations.getJobState(lostJobId)).toBe('waiting');
    expect(await state(lost.id)).toBe('DISPATCHED');
    // A second run of a request already completed returns its recorded result and does not run.
    let ran = 0;
    expect(await gateway.runOnce(jobId, 2, async () => ++ran)).toBe('done');
    expect(ran).toBe(0);
    // The resent job, run: nothing is left dispatched for the next test.
    expect(await gateway.runOnce(lostJobId, 1, async () => 'resent')).toBe('resent');
    await queues.recommendations.obliterate({ force: true });
  });

  it('writes back an outcome Redis kept but PostgreSQL missed', async () => {
    const ticket = await gateway.enqueue(request);
    // A worker that files the job in Redis without the gateway (as a worker dying before its write would leave it).
    const worker = new Worker(QUEUE_NAMES.recommendations, async () => ({ plans: 0 }), { connection: redis, prefix });
    try {
      await until(async () => (await queues.recommendations.getJobState(bullJobId(ticket.id.split(':')[1]))) === 'completed', 10_000, 'the job to complete');
    } finally {
      await worker.close();
    }
    expect(await state(ticket.id)).toBe('DISPATCHED');
    expect(await gateway.reconcile()).toEqual({ checked: 1, redispatched: 0, running: 0, completed: 1, failed: 0 });
    const { rows } = await db.orm.em.getKnex().raw('select state, result from job_request where id = ?', [Number(ticket.id.split(':')[1])]);
    expect(rows[0]).toEqual({ state: 'COMPLETED', result: { plans: 0 } });
    expect(await gateway.reconcile()).toMatchObject({ checked: 0 });
  });

  it('records a follow-up once however often its parent job asks for it', async () => {
    const parent = await gateway.record(request);
    const parentId = Number(parent.id.split(':')[1]);
    const followUp = { ...request, queue: QUEUE_NAMES.risk, name: JOB_NAMES.recomputeRisk, after: parentId };
    const first = await gateway.record(followUp);
    expect(await gateway.record(followUp)).toEqual(first);
    const { rows } = await db.orm.em.getKnex().raw(`select count(*)::int as n from job_request where payload->>'after' = ?`, [String(parentId)]);
    expect(rows[0].n).toBe(1);
  });
});
