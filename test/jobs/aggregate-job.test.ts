import IORedis from 'ioredis';
import type { Worker } from 'bullmq';
import { closeWorkers } from '../../src/jobs/workers';
import { startWorkers } from '../../src/app/workers';
import { SchoolResult } from '../../src/assessments/school-result.entity';
import { createLogger } from '../../src/shared/logger';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { TestData } from '../support/builders';
import { TEST_REDIS_URL } from '../support/env';
import { createTestApi, type TestApi } from '../support/graphql';

async function waitForJob(api: TestApi, id: string, timeoutMs = 30_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await api.query(`query($id: ID!) { job(id: $id) { id state progress attemptsMade failedReason result finishedAt } }`, { id });
    const job = result.data!.job;
    if (job && (job.state === 'completed' || job.state === 'failed')) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job?.state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('recompute-aggregates job through real Redis and PostgreSQL', () => {
  let db: TestDatabase;
  let api: TestApi;
  let redis: IORedis;
  let workers: Worker[];

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await createTestApi(db.orm);
    redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    workers = startWorkers({ orm: db.orm, connection: redis, prefix: api.prefix, log: createLogger('silent'), gateway: api.gateway });
  });
  afterAll(async () => {
    await closeWorkers(workers);
    redis.disconnect();
    await api.close();
    await db.drop();
  });

  it('is enqueued by a mutation, reports progress and state, and writes the aggregates', async () => {
    const data = new TestData(db.orm.em.fork());
    const region = await data.region('21');
    const municipality = await data.municipality(region, '01');
    const a = await data.school(municipality, { login: 'sch210001' });
    const b = await data.school(municipality, { login: 'sch210002' });
    const vpr2024 = await data.assessment({ year: 2024 });
    const vpr2025 = await data.assessment({ year: 2025 });
    await data.participants(a, vpr2024, [{ code: '1', tasks: [2, 2, 3, 3], mark: 5 }, { code: '2', tasks: [0, 0, 1, 0], mark: 2 }]);
    await data.participants(a, vpr2025, [{ code: '1', tasks: [1, 1, 1, 1], mark: 3 }]);
    await data.participants(b, vpr2024, [{ code: '1', tasks: [1, 1, 0, 0], mark: 2 }]);

    const enqueued = await api.query(`mutation { recomputeAggregates(input: { schools: ["sch210001"], years: [2024, 2025] }) { id queue name } }`);
    expect(enqueued.errors).toBeUndefined();
    const ticket = enqueued.data!.recomputeAggregates;
    expect(ticket).toMatchObject({ queue: 'aggregates', name: 'recompute-aggregates' });
    expect(ticket.id).toMatch(/^aggregates:\d+$/);

    const job = await waitForJob(api, ticket.id);
    expect(job.state).toBe('completed');
    expect(job.progress).toEqual({ stage: 'done', done: 2, total: 2 });
    expect(job.result).toMatchObject({ schools: 1, years: [2024, 2025], upserted: 2 });
    expect(job.finishedAt).not.toBeNull();
    // PostgreSQL keeps the outcome too, for when Redis has forgotten the job.
    const { rows: requests } = await db.orm.em.getKnex().raw('select state, result, requested_by from job_request where id = ?', [Number(ticket.id.split(':')[1])]);
    expect(requests[0]).toMatchObject({ state: 'COMPLETED', requested_by: 'test-admin', result: { schools: 1, upserted: 2 } });

    const rows = await db.orm.em.fork().find(SchoolResult, {}, { orderBy: { year: 'asc' } });
    expect(rows.map((r) => [r.school.id, r.year, r.participants])).toEqual([
      [a.id, 2024, 2],
      [a.id, 2025, 1],
    ]); // school b was not in scope

    // Same request again: idempotent, nothing rewritten.
    const again = await api.query(`mutation { recomputeAggregates(input: { schools: ["${a.id}"], years: [2024, 2025] }) { id } }`);
    const second = await waitForJob(api, again.data!.recomputeAggregates.id);
    expect(second.result).toMatchObject({ upserted: 0, deleted: 0 });
  });

  it('refuses unknown schools and bad years before anything is enqueued', async () => {
    const unknown = await api.query(`mutation { recomputeAggregates(input: { schools: ["sch-nowhere"], years: [2024] }) { id } }`);
    expect(unknown.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(unknown.errors![0].message).toContain('sch-nowhere');
    const badYear = await api.query(`mutation { recomputeAggregates(input: { years: [1800] }) { id } }`);
    expect(badYear.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(await api.queues.aggregates.count()).toBe(0);
    expect(Number((await db.orm.em.getKnex().raw(`select count(*) as n from job_request where state = 'PENDING'`)).rows[0].n)).toBe(0);
  });

  it('answers null for a job id that does not exist', async () => {
    const result = await api.query(`{ a: job(id: "aggregates:999999") { id } b: job(id: "nope") { id } }`);
    expect(result.data).toEqual({ a: null, b: null });
  });
});
