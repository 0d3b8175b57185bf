import { createHash } from 'node:crypto';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { parse, type OperationDefinitionNode } from 'graphql';
import { JobGateway } from '../../src/jobs/job-gateway';
import { closeQueues, createQueues, type HubQueues } from '../../src/jobs/queues';
import { createHubServer, type HubServer } from '../../src/app/http-server';
import { ApiKeyService } from '../../src/auth/api-key.service';
import { Role } from '../../src/shared/role';
import { CACHEABLE_ROOT_FIELDS, isCacheableOperation, UNCACHED_ROOT_FIELDS } from '../../src/graphql/response-cache/cacheable-operations';
import { ResponseStore } from '../../src/graphql/response-cache/response-store';
import { buildHubSchema } from '../../src/app/schema';
import { createLogger } from '../../src/shared/logger';
import { until } from '../support/processes';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { TestData } from '../support/builders';
import { TEST_REDIS_URL } from '../support/env';
import { deleteQueueKeys, testQueuePrefix } from '../support/redis';

describe('response store', () => {
  it('drops the least recently used entry beyond its entry count and byte budget, and expired entries', () => {
    let now = 0;
    const store = new ResponseStore({ maxEntries: 2, maxBytes: 1000, ttlMs: 50 }, () => now);
    store.set('a', Buffer.alloc(10));
    store.set('b', Buffer.alloc(10));
    expect(store.get('a')?.body.length).toBe(10);
    store.set('c', Buffer.alloc(10));
    expect(store.get('b')).toBeNull();
    expect(store.get('a')?.body.length).toBe(10);
    expect(store.set('big', Buffer.alloc(101))).toBe(false);
    store.set('d', Buffer.alloc(95));
    store.set('e', Buffer.alloc(95));
    expect(store.size).toBe(2);
    now = 60;
    expect(store.get('e')).toBeNull();
  });
});

describe('which operations are cached', () => {
  const operation = (source: string) => {
    const document = parse(source);
    return isCacheableOperation(document, document.definitions[0] as OperationDefinitionNode);
  };

  it('caches data reads only, through fragments, and never mutations or the caller’s own state', () => {
    expect(operation('{ school(code: "x") { name } }')).toBe(true);
    expect(operation('query { ...f } fragment f on Query { schools { totalCount } }')).toBe(true);
    expect(operation('{ school(code: "x") { name } me { role } }')).toBe(false);
    expect(operation('{ job(id: "risk:1") { state } }')).toBe(false);
    expect(operation('{ __schema { queryType { name } } }')).toBe(false);
    expect(operation('mutation { revokeApiKey(id: 1) { id } }')).toBe(false);
  });

  it('has decided about every query field of the schema', async () => {
    const fields = Object.keys((await buildHubSchema()).getQueryType()!.getFields()).sort();
    const decided = fields.filter((name) => CACHEABLE_ROOT_FIELDS.has(name) !== UNCACHED_ROOT_FIELDS.has(name));
    expect(decided).toEqual(fields);
  });
});

describe('response cache over HTTP', () => {
  let db: TestDatabase;
  let server: HubServer;
  let queues: HubQueues;
  let redis: IORedis;
  let url: string;
  let admin: string;
  let analystA: string;
  let analystA2: string;
  let analystB: string;
  let writer: Client;
  const prefix = testQueuePrefix();
  const CARD = 'query Card($code: String!) { school(code: $code) { name } }';

  const post = async (apiKey: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, ...headers }, body: JSON.stringify({ query, variables }) });
    return { cache: response.headers.get('x-msoko-cache'), body: (await response.json()) as { data?: any; errors?: any[] } };
  };
  const card = (apiKey: string, headers: Record<string, string> = {}) => post(apiKey, CARD, { code: 'sch610001' }, headers);

  beforeAll(async () => {
    db = await createTestDatabase();
    const data = new TestData(db.orm.em.fork());
    const region = await data.region('61');
    await data.school(await data.municipality(region, '6101'), { name: 'Школа № 1', login: 'sch610001' });
    await data.school(await data.municipality(region, '6102'), { name: 'Школа № 2', login: 'sch610002' });
    redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    queues = createQueues(redis, prefix);
    const log = createLogger('silent');
    server = await createHubServer({ orm: db.orm, jobs: new JobGateway(db.orm.em.getKnex(), queues, log), redis, log, queues, limits: { queuePrefix: prefix }, responseCache: { ttlMs: 60_000, maxBytes: 1 << 24 } });
    url = await server.listen(0, '127.0.0.1');
    const keys = new ApiKeyService(db.orm.em.fork());
    admin = (await keys.create({ name: 'admin', role: Role.ADMIN })).key;
    analystA = (await keys.create({ name: 'МОУО 6101', role: Role.MUNICIPAL_ANALYST, municipalityCode: '6101' })).key;
    analystA2 = (await keys.create({ name: 'МОУО 6101, второй ключ', role: Role.MUNICIPAL_ANALYST, municipalityCode: '6101' })).key;
    analystB = (await keys.create({ name: 'МОУО 6102', role: Role.MUNICIPAL_ANALYST, municipalityCode: '6102' })).key;
    // Another process writing, as the worker does after an import.
    writer = new Client({ connectionString: db.url });
    await writer.connect();
    // The inserts above notify too: let those notifications arrive before the first cached read.
    await new Promise((resolve) => setTimeout(resolve, 200));
  });
  afterAll(async () => {
    await writer.end();
    await server.stop();
    await closeQueues(queues);
    redis.disconnect();
    await deleteQueueKeys(prefix);
    await db.drop();
  });

  it('answers a repeated read from the cache, and a write by another process makes it read afresh', async () => {
    expect(await card(analystA)).toEqual({ cache: 'miss', body: { data: { school: { name: 'Школа № 1' } } } });
    expect(await card(analystA)).toEqual({ cache: 'hit', body: { data: { school: { name: 'Школа № 1' } } } });
    await writer.query(`update school set name = 'Школа № 1 имени Пушкина' where name = 'Школа № 1'`);
    await until(async () => (await card(analystA)).cache === 'miss', 5000, 'the change notification');
    expect(await card(analystA)).toEqual({ cache: 'hit', body: { data: { school: { name: 'Школа № 1 имени Пушкина' } } } });
  });

  it('keeps entries per key and scope: another municipality is refused, not served the cached card', async () => {
    expect((await card(analystA)).cache).toBe('hit');
    const other = await card(analystB);
    expect(other.body.data?.school ?? null).toBeNull();
    expect(JSON.stringify(other.body)).not.toContain('Пушкина');
    expect((await card(analystA2)).cache).toBe('miss');
  });

  it('does not change what a rolled-back write would have shown', async () => {
    await card(analystA);
    await writer.query('begin');
    await writer.query(`update school set name = 'Не сохранено' where name like 'Школа № 1%'`);
    await writer.query('rollback');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await card(analystA)).toEqual({ cache: 'hit', body: { data: { school: { name: 'Школа № 1 имени Пушкина' } } } });
  });

  it('reads afresh after a mutation through the API, and on Cache-Control: no-cache', async () => {
    expect((await card(analystA)).cache).toBe('hit');
    const created = await post(admin, 'mutation { createApiKey(input: { name: "ещё ключ", role: ADMIN }) { key } }');
    expect(created.body.errors).toBeUndefined();
    expect((await card(analystA)).cache).toBe('miss');
    expect((await card(analystA, { 'cache-control': 'no-cache' })).cache).toBe('bypass');
  });

  it('answers a repeat with the same bytes, for a persisted query sent by hash too', async () => {
    const query = 'query Names { schools(first: 5) { edges { node { name } } } }';
    const send = async (payload: object) => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${analystA}` }, body: JSON.stringify(payload) });
      return { cache: response.headers.get('x-msoko-cache'), text: await response.text() };
    };
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const first = await send({ query, extensions });
    const again = await send({ query, extensions });
    const byHash = await send({ extensions });
    expect([first.cache, again.cache, byHash.cache]).toEqual(['miss', 'hit', 'hit']);
    expect(again.text).toBe(first.text);
    expect(byHash.text).toBe(first.text);
    expect(JSON.parse(first.text).data.schools.edges).toEqual([{ node: { name: expect.stringContaining('Школа № 1') } }]);
    // A hash that does not match its query is Apollo's to judge, even when the query itself is cached.
    const mismatched = await send({ query, extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } });
    expect(mismatched.cache).toBeNull();
    expect(JSON.parse(mismatched.text).errors).toHaveLength(1);
  });

  it('still counts cached answers against the rate limit', async () => {
    const log = createLogger('silent');
    const limited = await createHubServer({ orm: db.orm, jobs: new JobGateway(db.orm.em.getKnex(), queues, log), redis, log, queues, limits: { queuePrefix: `${prefix}-limited`, rateLimitPerMinute: 3 }, responseCache: { ttlMs: 60_000, maxBytes: 1 << 24 } });
    const limitedUrl = await limited.listen(0, '127.0.0.1');
    const { key } = await new ApiKeyService(db.orm.em.fork()).create({ name: 'болтливый клиент', role: Role.ADMIN });
    try {
      const statuses: (string | null)[] = [];
      for (let i = 0; i < 4; i++) {
        const response = await fetch(limitedUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query: CARD, variables: { code: 'sch610001' } }) });
        const body: any = await response.json();
        statuses.push(body.errors?.[0]?.extensions?.code ?? response.headers.get('x-msoko-cache'));
      }
      expect(statuses).toEqual(['miss', 'hit', 'hit', 'RATE_LIMITED']);
    } finally {
      await limited.stop();
      await deleteQueueKeys(`${prefix}-limited`);
    }
  });

  it('never caches a query about the caller or its jobs', async () => {
    const me = await post(analystA, '{ me { role } }');
    expect(me.body.data.me.role).toBe('MUNICIPAL_ANALYST');
    expect(me.cache).toBeNull();
  });

  it('caches nothing while the change listener is disconnected, and resumes when it is back', async () => {
    await card(analystA);
    const { rows } = await writer.query(`select pg_terminate_backend(pid) as done from pg_stat_activity where datname = current_database() and application_name = 'msoko-hub data-change listener'`);
    expect(rows).toHaveLength(1);
    // While it reconnects, a change would go unnoticed: nothing may be served from the cache.
    await until(async () => (await card(analystA)).cache === null, 5000, 'the cache to switch off');
    await writer.query(`update school set name = 'Школа № 1 (переименована)' where name like 'Школа № 1%'`);
    await until(async () => (await card(analystA)).cache === 'hit', 10_000, 'the listener to reconnect');
    expect((await card(analystA)).body.data.school.name).toBe('Школа № 1 (переименована)');
  });
});
