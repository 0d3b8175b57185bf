import type { ChildProcess } from 'node:child_process';
import IORedis from 'ioredis';
import type { Worker } from 'bullmq';
import { JobGateway } from '../../src/jobs/job-gateway';
import { closeQueues, createQueues, type HubQueues } from '../../src/jobs/queues';
import { startDispatcher } from '../../src/jobs/workers';
import { startWorkers } from '../../src/app/workers';
import { createHubServer, type HubServer } from '../../src/app/http-server';
import { ApiKeyService } from '../../src/auth/api-key.service';
import { Role } from '../../src/shared/role';
import { SchoolResult } from '../../src/assessments/school-result.entity';
import { createLogger } from '../../src/shared/logger';
import { createProducerRedis, createWorkerRedis } from '../../src/shared/redis';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { TestData } from '../support/builders';
import { startRedisServer, until } from '../support/processes';
import { redisAnswers } from '../support/redis';

/** Stops and restarts a real Redis under a running hub: reads go on, requests wait in PostgreSQL, nothing is lost. */
describe('Redis outage', () => {
  const port = 16_000 + (process.pid % 10_000);
  const redisUrl = `redis://127.0.0.1:${port}`;
  let redisServer: ChildProcess;
  let db: TestDatabase;
  let producer: IORedis;
  let workerConnection: IORedis;
  let queues: HubQueues;
  let gateway: JobGateway;
  let server: HubServer;
  let workers: Worker[];
  let stopDispatcher: () => void;
  let url: string;
  let key: string;
  const log = createLogger('silent');

  const ping = () => redisAnswers(redisUrl);
  const post = async (query: string) =>
    (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query }) })).json() as Promise<any>;

  beforeAll(async () => {
    redisServer = startRedisServer(port);
    await until(ping, 10_000, 'redis-server to start');
    db = await createTestDatabase();
    const data = new TestData(db.orm.em.fork());
    const school = await data.school(await data.municipality(await data.region('71'), '7101'), { login: 'sch710001' });
    await data.participants(school, await data.assessment({ year: 2025 }), [{ code: '1', tasks: [1, 1, 1, 1], mark: 3 }]);
    producer = createProducerRedis(redisUrl);
    workerConnection = createWorkerRedis(redisUrl);
    producer.on('error', () => undefined);
    workerConnection.on('error', () => undefined);
    queues = createQueues(producer, 'outage');
    gateway = new JobGateway(db.orm.em.getKnex(), queues, log);
    stopDispatcher = startDispatcher(gateway, log, 250);
    workers = startWorkers({ orm: db.orm, connection: workerConnection, prefix: 'outage', log, gateway, lockMs: 5000 });
    server = await createHubServer({ orm: db.orm, jobs: gateway, redis: producer, log, queues, limits: { queuePrefix: 'outage' } });
    url = await server.listen(0, '127.0.0.1');
    key = (await new ApiKeyService(db.orm.em.fork()).create({ name: 'outage', role: Role.ADMIN })).key;
  });
  afterAll(async () => {
    stopDispatcher();
    await server.stop();
    // Forced: every assertion is done, and a worker whose blocking connection went through the outage can wait long
    // for its next poll to return (this teardown once hit jest's hook limit on a loaded machine).
    await Promise.all(workers.map((worker) => worker.close(true)));
    await closeQueues(queues).catch(() => undefined);
    producer.disconnect();
    workerConnection.disconnect();
    redisServer.kill('SIGKILL');
    await db.drop();
  }, 120_000);

  it('keeps reads working, keeps requests in PostgreSQL, and runs them when Redis returns', async () => {
    expect((await post('{ schools { totalCount } }')).data.schools.totalCount).toBe(1);

    redisServer.kill('SIGTERM');
    await until(async () => !(await ping()), 10_000, 'redis-server to stop');

    const read = await post('{ school(code: "sch710001") { name results { participants } } }');
    expect(read.errors).toBeUndefined();
    const ready = await fetch(url.replace(/\/graphql$/, '/readyz'));
    expect(ready.status).toBe(503);

    const enqueued = await post('mutation { recomputeAggregates(input: { years: [2025] }) { id } }');
    expect(enqueued.errors).toBeUndefined();
    const ticket = enqueued.data.recomputeAggregates.id;
    const pending = await post(`{ job(id: "${ticket}") { state } }`);
    expect(pending.data.job.state).toBe('pending');
    const requestId = Number(ticket.split(':')[1]);
    const state = async () => (await db.orm.em.getKnex().raw('select state from job_request where id = ?', [requestId])).rows[0].state;
    expect(await state()).toBe('PENDING');

    redisServer = startRedisServer(port);
    await until(ping, 10_000, 'redis-server to restart');
    await until(async () => (await state()) === 'COMPLETED', 30_000, 'the kept request to run');
    expect(await db.orm.em.fork().count(SchoolResult, {})).toBe(1);
    expect((await post(`{ job(id: "${ticket}") { state } }`)).data.job.state).toBe('completed');
  });
});
