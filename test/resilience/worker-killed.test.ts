import IORedis from 'ioredis';
import { JobGateway } from '../../src/jobs/job-gateway';
import { closeQueues, createQueues, JOB_NAMES, QUEUE_NAMES } from '../../src/jobs/queues';
import { AggregateService } from '../../src/assessments/aggregate.service';
import { generateRegion } from '../../src/demo';
import { loadRegion } from '../../src/demo/region-loader';
import { createLogger } from '../../src/shared/logger';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { TEST_REDIS_URL } from '../support/env';
import { spawnHubProcess, until } from '../support/processes';
import { deleteQueueKeys, testQueuePrefix } from '../support/redis';

/** A real worker process killed in the middle of a recompute transaction: old data stays, the job is retried. */
describe('worker killed mid-job', () => {
  let db: TestDatabase;
  const prefix = testQueuePrefix();

  beforeAll(async () => {
    db = await createTestDatabase();
    const region = generateRegion({ seed: 11, schools: 12 });
    await loadRegion(db.url, region, createLogger('silent'));
    await new AggregateService(db.orm.em.fork()).recompute({ schoolIds: null, years: region.years });
  }, 60_000);
  afterAll(async () => {
    await deleteQueueKeys(prefix);
    await db.drop();
  });

  it('leaves the committed aggregates in place and finishes after a retry', async () => {
    const knex = db.orm.em.getKnex();
    const snapshot = async () => (await knex.raw(`select school_id, assessment_id, participants, count2 from school_result order by 1, 2`)).rows;
    const before = await snapshot();
    // New data: one school loses half of its participant rows; the recompute must reflect it — or nothing.
    const { rows } = await knex.raw(`select school_id, assessment_id from school_result where participants >= 10 order by school_id, assessment_id limit 1`);
    const { school_id: schoolId, assessment_id: assessmentId } = rows[0];
    await knex.raw(`delete from participant_result where school_id = ? and assessment_id = ? and id % 2 = 0`, [schoolId, assessmentId]);
    const expected = Number((await knex.raw(`select count(*) as n from participant_result where school_id = ? and assessment_id = ?`, [schoolId, assessmentId])).rows[0].n);

    const env = { DATABASE_URL: db.url, QUEUE_PREFIX: prefix, JOB_LOCK_MS: '2000', LOG_LEVEL: 'info' };
    const doomed = spawnHubProcess('src/app/worker.ts', { ...env, MSOKO_TEST_PAUSE: 'aggregates.beforeCommit:60000' });
    // A worker process starts under ts-node: a minute and more while a busy 2-core machine runs other suites.
    await doomed.waitFor(/msoko-hub worker started/, 150_000);

    const redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const queues = createQueues(redis, prefix);
    const gateway = new JobGateway(knex, queues, createLogger('silent'));
    const ticket = await gateway.enqueue({ queue: QUEUE_NAMES.aggregates, name: JOB_NAMES.recomputeAggregates, payload: { schoolIds: null, years: [2023, 2024, 2025], reason: 'kill test' }, requestedBy: 'test' });
    try {
      await doomed.waitFor(/"testPause":"aggregates.beforeCommit"/);
      doomed.process.kill('SIGKILL');
      await doomed.exited;
      expect(await snapshot()).toEqual(before); // the open transaction died with the process

      const survivor = spawnHubProcess('src/app/worker.ts', env);
      try {
        const requestId = Number(ticket.id.split(':')[1]);
        await until(async () => (await knex.raw('select state from job_request where id = ?', [requestId])).rows[0].state === 'COMPLETED', 150_000, 'the retried job');
        // The job records its completion in PostgreSQL just before BullMQ files it as completed.
        await until(async () => (await queues.aggregates.getJobState(`r${requestId}`)) === 'completed', 10_000, 'BullMQ to file the job');
        const job = await queues.aggregates.getJob(`r${requestId}`);
        // Started twice (the killed worker, then the survivor), once found stalled, and finished by the second run.
        expect({ started: job?.attemptsStarted, stalled: job?.stalledCounter, finishedOn: typeof job?.finishedOn }).toEqual({ started: 2, stalled: 1, finishedOn: 'number' });
        const after = (await knex.raw(`select participants from school_result where school_id = ? and assessment_id = ?`, [schoolId, assessmentId])).rows[0];
        expect(after.participants).toBe(expected);
      } finally {
        survivor.process.kill('SIGTERM');
        await survivor.exited;
      }
    } finally {
      await closeQueues(queues);
      redis.disconnect();
    }
  }, 360_000);
});
