/**
 * Issue «Hardening the API surface», items 1–3: documents refused by their size before they run, aliases
 * counted, and errors that say what happened (bad values named, unexpected ones logged under a request id).
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { ApiKeyService } from '../../src/auth/api-key.service';
import { Role } from '../../src/shared/role';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { TestData } from '../support/builders';
import { startTestHub, type TestHub } from '../support/hub-server';

describe('query limits and honest errors over HTTP', () => {
  let db: TestDatabase;
  let hub: TestHub;
  let url: string;
  let key: string;
  const logged: Record<string, any>[] = [];

  const post = async (body: unknown, apiKey = key) => {
    const started = Date.now();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }, body: JSON.stringify(body) });
    const json: any = await response.json();
    return { status: response.status, body: json, ms: Date.now() - started, requestId: response.headers.get('x-request-id') };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const data = new TestData(db.orm.em.fork());
    await data.school(await data.municipality(await data.region('61'), '6101'), { login: 'sch610001' });
    const sink = new Writable({ write(chunk, _encoding, done) { for (const line of String(chunk).split('\n')) if (line) logged.push(JSON.parse(line)); done(); } });
    hub = await startTestHub(db, { log: pino({ level: 'error' }, sink), limits: { rateLimitPerMinute: 0 } });
    url = hub.url;
    key = (await new ApiKeyService(db.orm.em.fork()).create({ name: 'attacker with a key', role: Role.ADMIN })).key;
  });
  afterAll(async () => {
    await hub.close();
    await db.drop();
  });

  it('refuses a fragment bomb within milliseconds, and the API keeps answering', async () => {
    let query = 'query Q { ...F0 }\n';
    for (let i = 0; i < 20; i++) query += `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }\n`;
    query += 'fragment F20 on Query { __typename }';
    expect(query.length).toBeLessThan(1000);
    const health = fetch(url.replace(/\/graphql$/, '/healthz')).then((r) => r.status);
    const answer = await post({ query });
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', rootFields: 2 ** 20, maxRootFields: 20 });
    expect(answer.body.errors[0].message).toMatch(/1048576 корневых полей/);
    // Below the root, the expanded field count stops it.
    const nested = await post({ query: query.replace('query Q { ...F0 }', 'query Q { region(code: "61") { ...F0 } }').replace(/on Query/g, 'on Region').replace('__typename }', 'code }') });
    expect(nested.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', fields: 2 ** 20 + 1, maxFields: 2000 });
    // The proof of linearity is the 60-level bomb below (2^60 expansions would never end); the bound is loose for a shared machine.
    expect(answer.ms).toBeLessThan(5000);
    expect(await health).toBe(200);
    // A deeper bomb costs the same: the walk is linear in the document.
    let deeper = 'query Q { ...F0 }\n';
    for (let i = 0; i < 60; i++) deeper += `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }\n`;
    deeper += 'fragment F60 on Query { __typename }';
    const refusedDeeper = await post({ query: deeper });
    expect(refusedDeeper.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect(refusedDeeper.ms).toBeLessThan(5000);
  });

  it('counts aliases: a thousand copies of one analytical query are refused', async () => {
    const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: contextCorrelations { __typename }`).join(' ');
    const thousand = await post({ query: `{ ${aliases(1000)} }` });
    expect(thousand.status).toBe(400);
    expect(thousand.body.errors[0].extensions.code).toMatch(/QUERY_TOO_COMPLEX|GRAPHQL_PARSE_FAILED/);
    const many = await post({ query: `{ ${aliases(21)} }` });
    expect(many.status).toBe(400);
    expect(many.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', rootFields: 21, maxRootFields: 20 });
    const few = await post({ query: `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: regions { code }`).join(' ')} }` });
    expect(few.body.errors).toBeUndefined();
    expect(few.body.data.a19).toEqual([{ code: '61' }]);
  });

  it('refuses a query text over the length limit before parsing it, and one over the token budget', async () => {
    const long = await post({ query: `{ regions { code } } # ${'x'.repeat(40_000)}` });
    expect(long.status).toBe(400);
    expect(long.body.errors[0]).toMatchObject({ extensions: { code: 'QUERY_TOO_COMPLEX', maxQueryLength: 32_768 } });
    const tokens = await post({ query: `{ __typename ${'... on Query { __typename } '.repeat(1000)}}` });
    expect(tokens.status).toBe(400);
    expect(tokens.body.errors[0].message).toMatch(/more tha[nt] 5000 tokens/);
    expect(tokens.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    const manyFragments = await post({ query: `{ ...G0 } ${Array.from({ length: 101 }, (_, i) => `fragment G${i} on Query { __typename }`).join(' ')}` });
    expect(manyFragments.body.errors[0].extensions.code).toMatch(/QUERY_TOO_COMPLEX|GRAPHQL_VALIDATION_FAILED/);
  });

  const addMeasure = (overrides: string) =>
    `addPlannedMeasure(input: { schoolCode: "sch610001", year: 2025, titleRu: "Выездное совещание", section: "Управленческие решения", dueDate: "2025-11-15"${overrides} }) { id }`;

  it('answers bad values with BAD_USER_INPUT naming the field, never a silent internal error', async () => {
    const nul = await post({ query: `mutation($t: String) { addPlannedMeasure(input: { schoolCode: "sch610001", year: 2025, titleRu: $t, section: "Управленческие решения", dueDate: "2025-11-15" }) { id } }`, variables: { t: 'a\u0000b' } });
    expect(nul.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(nul.body.errors[0].message).toMatch(/\$t/);
    const nulLiteral = await post({ query: `mutation { ${addMeasure(', expectedResultRu: "x\\u0000y"')} }` });
    expect(nulLiteral.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(nulLiteral.body.errors[0].message).toMatch(/expectedResultRu/);

    const year = await post({ query: `mutation { ${addMeasure('').replace('year: 2025', 'year: 99999')} }` });
    expect(year.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(year.body.errors[0])).toMatch(/year/);

    const created = await post({ query: `mutation { ${addMeasure('')} }` });
    const id = created.body.data.addPlannedMeasure.id;
    const date = await post({ query: `mutation { updatePlannedMeasure(input: { id: "${id}", evidenceDocDate: "2025-13-45" }) { id } }` });
    expect(date.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(date.body.errors[0])).toMatch(/evidenceDocDate/);

    const history = await post({ query: `{ measureHistory(id: "99999999999") { field } }` });
    expect(history.body.errors[0].extensions.code).toMatch(/BAD_USER_INPUT|NOT_FOUND/);
    expect(logged.filter((line) => line.level >= 50)).toEqual([]);
  });

  it('tells what a two-mutation operation committed when the second fails', async () => {
    const answer = await post({ query: `mutation { first: ${addMeasure('')} second: ${addMeasure('').replace('year: 2025', 'year: 99999')} }` });
    expect(answer.body.data.first.id).toMatch(/^\d+$/);
    expect(answer.body.data.second).toBeNull();
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.body.errors[0]).toMatchObject({ path: ['second'], extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('logs an unexpected error with a request id the client gets too, without internals', async () => {
    const measures = await post({ query: `mutation { ${addMeasure('')} }` });
    await db.orm.em.getKnex().raw('alter table planned_measure_history rename to planned_measure_history_gone');
    try {
      const broken = await post({ query: `{ measureHistory(id: "${measures.body.data.addPlannedMeasure.id}") { field } }` });
      const error = broken.body.errors[0];
      expect(error.extensions.code).toBe('INTERNAL_SERVER_ERROR');
      expect(error.extensions.requestId).toMatch(/^[0-9a-f-]{8,}$/);
      expect(broken.requestId).toBe(error.extensions.requestId);
      expect(JSON.stringify(broken.body)).not.toMatch(/planned_measure_history|select|at /);
      const line = logged.find((entry) => entry.requestId === error.extensions.requestId);
      expect(line).toBeDefined();
      expect(JSON.stringify(line)).toMatch(/planned_measure_history/);
    } finally {
      await db.orm.em.getKnex().raw('alter table planned_measure_history_gone rename to planned_measure_history');
    }
  });
});
