import { createHash } from 'node:crypto';
import IORedis from 'ioredis';
import { JobGateway } from '../../src/jobs/job-gateway';
import { closeQueues, createQueues, type HubQueues } from '../../src/jobs/queues';
import { createHubServer, type HubServer } from '../../src/app/http-server';
import { ApiKeyService } from '../../src/auth/api-key.service';
import { Role } from '../../src/shared/role';
import { createOrm } from '../../src/db/orm';
import { createLogger } from '../../src/shared/logger';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { TestData } from '../support/builders';
import { TEST_REDIS_URL } from '../support/env';
import { deleteQueueKeys, testQueuePrefix } from '../support/redis';

describe('limits, persisted queries and metrics over HTTP', () => {
  let db: TestDatabase;
  let server: HubServer;
  let queues: HubQueues;
  let redis: IORedis;
  let url: string;
  let key: string;
  let limitedKey: string;
  const prefix = testQueuePrefix();

  const post = (body: unknown, apiKey = key, extraHeaders: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, ...extraHeaders }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  beforeAll(async () => {
    db = await createTestDatabase();
    const data = new TestData(db.orm.em.fork());
    await data.school(await data.municipality(await data.region('61'), '6101'));
    redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    queues = createQueues(redis, prefix);
    const log = createLogger('silent');
    server = await createHubServer({ orm: db.orm, jobs: new JobGateway(db.orm.em.getKnex(), queues, log), redis, log, queues, limits: { query: { maxDepth: 8, maxCost: 20_000 }, rateLimitPerMinute: 1000, queuePrefix: prefix } });
    url = await server.listen(0, '127.0.0.1');
    const keys = new ApiKeyService(db.orm.em.fork());
    key = (await keys.create({ name: 'limits test', role: Role.ADMIN })).key;
    limitedKey = (await keys.create({ name: 'chatty client', role: Role.ADMIN })).key;
  });
  afterAll(async () => {
    await server.stop();
    await closeQueues(queues);
    redis.disconnect();
    await deleteQueueKeys(prefix);
    await db.drop();
  });

  it('refuses a query nested deeper than the limit, saying the limit', async () => {
    const response = await post({ query: '{ regions { municipalities { edges { node { schools { edges { node { municipality { region { code } } } } } } } } } }' });
    expect(response.status).toBe(400);
    const body: any = await response.json();
    expect(body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maxDepth: 8 });
    expect(body.errors[0].message).toMatch(/допустимых 8/);
  });

  it('refuses a query whose nested pages could touch too many rows, counting variables too', async () => {
    const query = 'query($n: Int) { schools(first: $n) { edges { node { results { participants } } } } }';
    const cheap = await (await post({ query, variables: { n: 10 } })).json();
    expect((cheap as any).errors).toBeUndefined();
    const costly: any = await (await post({ query, variables: { n: 500 } })).json();
    expect(costly.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maxCost: 20_000 });
    expect(costly.errors[0].extensions.cost).toBeGreaterThan(20_000);
  });

  it('supports automatic persisted queries', async () => {
    const query = '{ regions { code } }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const unknown: any = await (await post({ extensions })).json();
    expect(unknown.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered: any = await (await post({ query, extensions })).json();
    expect(registered.data.regions).toEqual([{ code: '61' }]);
    const byHash: any = await (await post({ extensions })).json();
    expect(byHash.data.regions).toEqual([{ code: '61' }]);
  });

  it('limits requests per key per minute with RATE_LIMITED and Retry-After', async () => {
    const limited = await createHubServer({
      orm: db.orm, jobs: new JobGateway(db.orm.em.getKnex(), queues, createLogger('silent')), redis, log: createLogger('silent'),
      limits: { rateLimitPerMinute: 3, queuePrefix: `${prefix}-rl` },
    });
    const limitedUrl = await limited.listen(0, '127.0.0.1');
    try {
      const ask = () => fetch(limitedUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${limitedKey}` }, body: JSON.stringify({ query: '{ me { role } }' }) });
      const statuses: number[] = [];
      let last: Response | null = null;
      for (let i = 0; i < 4; i++) {
        last = await ask();
        statuses.push(last.status);
      }
      // A window boundary can fall between requests; then the 4th is the first of a new minute.
      if (statuses[3] === 200) return expect(statuses).toEqual([200, 200, 200, 200]);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const body: any = await last!.json();
      expect(body.errors[0].extensions.code).toBe('RATE_LIMITED');
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.stop();
    }
  });

  it('refuses a request body over the limit', async () => {
    const response = await post(JSON.stringify({ query: `{ regions { code } }`, variables: { padding: 'x'.repeat(1_200_000) } }));
    expect(response.status).toBe(413);
  });

  it('exposes Prometheus metrics: request latency, operations, queue depth', async () => {
    await post({ query: 'query Ping { me { role } }' });
    expect((await fetch(url.replace(/\/graphql$/, '/metrics'))).status).toBe(401);
    const text = await (await fetch(url.replace(/\/graphql$/, '/metrics'), { headers: { authorization: `Bearer ${key}` } })).text();
    expect(text).toMatch(/# TYPE msoko_http_request_duration_seconds histogram/);
    expect(text).toMatch(/msoko_http_request_duration_seconds_bucket\{le="0.05",route="\/graphql",status="200"\} \d+/);
    // The process's own, from prom-client's default metrics.
    expect(text).toMatch(/# TYPE msoko_nodejs_eventloop_lag_seconds gauge/);
    expect(text).toMatch(/msoko_process_resident_memory_bytes \d+/);
    expect(text).toMatch(/# TYPE msoko_nodejs_gc_duration_seconds histogram/);
    expect(text).toMatch(/msoko_graphql_operations_total\{operation="Ping",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/msoko_queue_jobs\{queue="aggregates",state="waiting"\} 0/);
    expect(text).toMatch(/msoko_job_requests_pending\{queue="risk"\} 0/);
  });

  it('cuts statements that run longer than the statement timeout', async () => {
    const orm = await createOrm({ databaseUrl: db.url, statementTimeoutMs: 200 });
    try {
      await expect(orm.em.getKnex().raw('select pg_sleep(2)')).rejects.toThrow(/statement timeout/);
    } finally {
      await orm.close(true);
    }
  });
});
