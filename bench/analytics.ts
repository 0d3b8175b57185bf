/**
 * bench:analytics — comparisons and the BI API against the generated region of bench:risk (1,000 schools ×
 * 3 years, loaded once into msoko_bench_risk_1000), over HTTP on loopback with API keys:
 *  - compareSchools: 10 schools × 3 years × 10 ВПР assessments with municipality / region / Russia, warm (median);
 *  - facts: keyset pages of 5,000 through HTTP until 100,000 rows were read (a region holds one fact per school ×
 *    assessment, ~38,000 here, so the paging starts over from the first page when it reaches the end);
 *  - a typical school card (the README's SchoolCard query) under 20 concurrent clients for a fixed time, p95, as
 *    served (repeats answered by the response cache); the same load computed every time is printed beside it;
 *    the clients run in a worker thread so that they do not share the server's event loop;
 *  - the same nested query (100 schools → their results) served by the hub and by PostGraphile 4 over the same
 *    database in this process, interleaved, medians; the ratio is ours / PostGraphile's.
 * Timed requests are sent from worker threads (bench/closed-loop.ts), so that reading a 1 MB answer is not
 * counted as the server's time on its own event loop — for the hub and PostGraphile alike.
 * Everything but the served card bypasses the response cache (Cache-Control: no-cache).
 * Last line: compare_ms=… facts_100k_s=… card_p95_ms=… postgraphile_ratio=…
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import Module from 'node:module';
import path from 'node:path';
import IORedis from 'ioredis';
import { Pool } from 'pg';
import { JobGateway } from '../src/jobs/job-gateway';
import { closeQueues, createQueues } from '../src/jobs/queues';
import { createHubServer } from '../src/app/http-server';
import { ApiKeyService } from '../src/auth/api-key.service';
import { Role } from '../src/shared/role';
import { generateRegion } from '../src/demo';
import { closedLoop, interleavedTimings } from './closed-loop';
import { benchLog, percentile, prepareBenchDatabase, round } from './support';

const COMPARE_RUNS = 20;
/** Warm: the compiled query, V8's optimised code and PostgreSQL's buffers are all in place before timing. */
const COMPARE_WARMUP = 20;
const FACTS_TARGET_ROWS = 100_000;
const FACTS_PAGE = 5_000;
const CARD_CLIENTS = 20;
const CARD_SECONDS = Number(process.env.BENCH_CARD_SECONDS ?? 10);
const NESTED_RUNS = 30;

const COMPARE = `query Compare($schools: [String!]!) {
  compareSchools(schools: $schools, filter: { procedures: [VPR] }) {
    years
    schools(first: 10) { code school { name } assessments(first: 10) { procedure subjectCode grade
      years(first: 3) { year participants marks { count2 count3 count4 count5 }
        metrics { share2 { ...metric } share45 { ...metric } meanPercent { ...metric } meanMark { ...metric } journalAgreement { ...metric } } }
      trends { share2 { ...trend } share45 { ...trend } meanPercent { ...trend } meanMark { ...trend } journalAgreement { ...trend } }
    } }
  }
}
fragment metric on MetricComparisonType { value base municipality { ...reference } region { ...reference } russia { ...reference } }
fragment reference on ReferenceComparisonType { value difference { difference lower upper pValue significant } }
fragment trend on MetricTrendType { trend { slopePerYear lower upper pValue significant } }`;

const FACTS = `query Facts($after: String) {
  facts(first: ${FACTS_PAGE}, after: $after, filter: { regionCode: "99" }) {
    pageInfo { hasNextPage endCursor }
    nodes { id schoolLogin municipalityCode year procedure subjectCode grade participants share2 share45 meanPercent
      meanTestScore belowMinimum journalAgreementShare schoolType urban enrolment shareDisabled socialIndex }
  }
}`;

const SCHOOL_CARD = `query SchoolCard($code: String!) {
  school(code: $code) {
    name type urban
    municipality { name }
    contexts(years: [2023, 2024, 2025]) { year enrolment smallSchool inDepthStudy shareDisabled socialIndex }
    conductConditions(years: [2025]) { procedure observers videoAtConduct videoAtChecking collegialChecking }
    results(filter: { years: [2023, 2024, 2025], procedure: VPR, subjectCode: "RUS" }) {
      year participants meanPercent histogram journalLowered journalConfirmed journalRaised
      markPercents { two three four five fourAndFive }
      assessment { grade scale { maxPrimary markBoundaries { mark minPrimary } tasks { number level maxPoints } } }
      benchmarks { level percent2 percent5 meanPercent }
    }
  }
}`;

const NESTED_HUB = `{ schools(first: 100) { edges { node { id name results { year participants meanPercent count2 count3 count4 count5 } } } } }`;
const NESTED_POSTGRAPHILE = `{ allSchools(first: 100, orderBy: ID_ASC) { edges { node { id name
  schoolResultsBySchoolIdList(orderBy: [YEAR_ASC, ASSESSMENT_ID_ASC]) { year participants meanPercent count2 count3 count4 count5 } } } } }`;

type Post = (query: string, variables?: Record<string, unknown>) => Promise<any>;

function poster(url: string, key: string | null): Post {
  return async (query, variables) => {
    // Computed afresh every time: these figures are about the work of answering, not the response cache.
    const headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-cache' };
    if (key) headers.authorization = `Bearer ${key}`;
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    if (body.errors) throw new Error(`${url}: ${JSON.stringify(body.errors).slice(0, 500)}`);
    return body.data;
  };
}


const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);

/**
 * PostGraphile 4 is built on graphql 15, and npm installs two copies of it (under postgraphile and under the
 * hoisted graphile-build-pg); graphql refuses types from another copy. Every `graphql` import from
 * PostGraphile's own packages is pointed at one copy. The hub keeps its single graphql 16.
 */
function loadPostGraphile(): typeof import('postgraphile') {
  const postgraphileDir = path.dirname(require.resolve('postgraphile/package.json'));
  const graphqlDir = path.dirname(require.resolve('graphql/package.json', { paths: [postgraphileDir] }));
  const ownPackages = /[\\/]node_modules[\\/](postgraphile|postgraphile-core|graphile-[^\\/]+|graphql-parse-resolve-info|@graphile[\\/][^\\/]+)[\\/]/;
  const moduleApi = Module as unknown as { _resolveFilename: (request: string, parent: { filename?: string } | null, ...rest: unknown[]) => string };
  const resolve = moduleApi._resolveFilename;
  moduleApi._resolveFilename = function (request, parent, ...rest) {
    if ((request === 'graphql' || request.startsWith('graphql/')) && parent?.filename && ownPackages.test(parent.filename)) {
      return resolve.call(this, request, { ...parent, filename: path.join(graphqlDir, 'index.js'), paths: [path.dirname(graphqlDir)] } as never, ...rest);
    }
    return resolve.call(this, request, parent, ...rest);
  };
  return require('postgraphile');
}

async function startPostGraphile(databaseUrl: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const { postgraphile } = loadPostGraphile();
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  const middleware = postgraphile(pool, 'public', {
    disableDefaultMutations: true,
    simpleCollections: 'both',
    disableQueryLog: true,
    retryOnInitFail: false,
    graphiql: false,
  });
  const server = http.createServer(middleware);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await middleware.release();
      await pool.end();
    },
  };
}

async function main(): Promise<void> {
  // Run as deployed (the Dockerfile sets NODE_ENV=production). The bench imports nothing, so any secret will do
  // for the production check of the participant-code key.
  process.env.PARTICIPANT_CODE_SECRET ??= randomBytes(32).toString('hex');
  const region = generateRegion({ seed: 424242, schools: 1000, anomalyRate: 0.1 });
  const { orm, url: databaseUrl } = await prepareBenchDatabase('msoko_bench_risk_1000', region);
  const knex = orm.em.getKnex();
  // The region is loaded by COPY and this server may run without autovacuum: give the planner the statistics a
  // production database would have.
  await knex.raw('analyze region, municipality, school, school_alias, school_context, assessment, subject, school_result, benchmark_result, conduct_conditions, api_key');
  const redis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const prefix = `msoko-bench-analytics-${process.pid}`;
  const queues = createQueues(redis, prefix);
  // The per-key rate limit stays on (its Redis round trip is part of every request) but high enough for the load.
  const hub = await createHubServer({ orm, jobs: new JobGateway(knex, queues, benchLog), redis, log: benchLog, queues, limits: { rateLimitPerMinute: 10_000_000, queuePrefix: prefix } });
  const hubUrl = await hub.listen(0, '127.0.0.1');
  const postgraphile = await startPostGraphile(databaseUrl);
  try {
    const keys = new ApiKeyService(orm.em.fork());
    const admin = (await keys.create({ name: 'bench:analytics admin', role: Role.ADMIN })).key;
    const bi = (await keys.create({ name: 'bench:analytics BI', role: Role.BI_READER, regionCode: '99' })).key;

    // compareSchools: ten schools that wrote all ten ВПР in each of the three years.
    const compared: string[] = (
      await knex.raw(`select min(al.value) as code from school_result sr join assessment a on a.id = sr.assessment_id join school_alias al on al.school_id = sr.school_id and al.kind = 'FISOKO_LOGIN'
                      where a.procedure = 'VPR' group by sr.school_id having count(distinct sr.assessment_id) = 30 order by sr.school_id limit 10`)
    ).rows.map((r: { code: string }) => r.code);
    const postAdmin = poster(hubUrl, admin);
    const comparison = await postAdmin(COMPARE, { schools: compared });
    const series = comparison.compareSchools.schools.reduce((n: number, s: any) => n + s.assessments.reduce((m: number, a: any) => m + a.years.length, 0), 0);
    const fresh = { 'cache-control': 'no-cache' };
    const [compareTimes] = await interleavedTimings([{ url: hubUrl, key: admin, body: { query: COMPARE, variables: { schools: compared } }, headers: fresh }], COMPARE_RUNS, COMPARE_WARMUP);
    console.log(`compare: ${compared.length} schools, ${series} school × assessment × year results, median of ${COMPARE_RUNS}: ${round(median(compareTimes), 1)} ms`);

    // facts: keyset pages through HTTP as a BI reader, starting over at the end, until 100,000 rows.
    const postBi = poster(hubUrl, bi);
    const regionFacts = Number((await knex.raw(`select count(*) as n from school_result sr join school s on s.id = sr.school_id join region r on r.id = s.region_id where r.code = '99'`)).rows[0].n);
    let read = 0;
    let pages = 0;
    let after: string | null = null;
    let firstPass = 0;
    let passes = 0;
    const factsStarted = process.hrtime.bigint();
    while (read < FACTS_TARGET_ROWS) {
      const page: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: unknown[] } = (await postBi(FACTS, { after })).facts;
      read += page.nodes.length;
      pages++;
      if (passes === 0) firstPass += page.nodes.length;
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      if (after === null) passes++;
    }
    const factsSeconds = Number(process.hrtime.bigint() - factsStarted) / 1e9;
    if (firstPass !== regionFacts) throw new Error(`facts paging returned ${firstPass} rows, the region holds ${regionFacts}`);
    console.log(`facts: ${read} rows in ${pages} pages of ${FACTS_PAGE} (the region's ${regionFacts} facts read ${round(read / regionFacts, 2)} times), ${round(factsSeconds, 2)} s`);

    // school card: a municipal analyst opens the cards of its municipality's schools, 20 clients at once.
    const municipality: { code: string } = (await knex.raw(`select m.code from municipality m join school s on s.municipality_id = m.id group by m.code order by count(*) desc, m.code limit 1`)).rows[0];
    const analyst = (await keys.create({ name: 'bench:analytics МОУО', role: Role.MUNICIPAL_ANALYST, municipalityCode: municipality.code })).key;
    const cardCodes: string[] = (
      await knex.raw(`select min(al.value) as code from school s join municipality m on m.id = s.municipality_id join school_alias al on al.school_id = s.id and al.kind = 'FISOKO_LOGIN'
                      where m.code = ? group by s.id order by s.id`, [municipality.code])
    ).rows.map((r: { code: string }) => r.code);
    const postAnalyst = poster(hubUrl, analyst);
    for (const code of cardCodes.slice(0, 20)) await postAnalyst(SCHOOL_CARD, { code });
    // Cards are read far more often than their data changes: the response cache answers repeats. The same load
    // with the cache bypassed (Cache-Control: no-cache) shows what a card costs to compute.
    const cardLoad = { url: hubUrl, key: analyst, query: SCHOOL_CARD, codes: cardCodes, clients: CARD_CLIENTS, seconds: CARD_SECONDS };
    const uncached = await closedLoop({ ...cardLoad, headers: { 'cache-control': 'no-cache' } });
    const cached = await closedLoop(cardLoad);
    for (const run of [uncached, cached]) if (run.failures > 0) throw new Error(`${run.failures} school-card requests failed`);
    const cardTimes = cached.latencies;
    const describe = (run: typeof cached) => `${run.latencies.length} requests (${round(run.latencies.length / CARD_SECONDS, 0)}/s), p50 ${round(percentile(run.latencies, 50), 1)} ms, p95 ${round(percentile(run.latencies, 95), 1)} ms, cache ${JSON.stringify(run.cache)}`;
    console.log(`card: ${CARD_CLIENTS} clients × ${CARD_SECONDS} s over ${cardCodes.length} schools of municipality ${municipality.code}; computed every time: ${describe(uncached)}; with the response cache: ${describe(cached)}`);

    // nested query: the hub (admin key) and PostGraphile over the same database, interleaved.
    const postGraphile = poster(postgraphile.url, null);
    const ours = await postAdmin(NESTED_HUB);
    const theirs = await postGraphile(NESTED_POSTGRAPHILE);
    const count = (edges: any[], field: string) => edges.reduce((n, e) => n + e.node[field].length, 0);
    const ourResults = count(ours.schools.edges, 'results');
    if (ourResults !== count(theirs.allSchools.edges, 'schoolResultsBySchoolIdList')) throw new Error('the hub and PostGraphile returned different nested results');
    const [hubTimes, graphileTimes] = await interleavedTimings(
      [{ url: hubUrl, key: admin, body: { query: NESTED_HUB }, headers: fresh }, { url: postgraphile.url, key: null, body: { query: NESTED_POSTGRAPHILE } }],
      NESTED_RUNS,
      10,
    );
    const ratio = median(hubTimes) / median(graphileTimes);
    console.log(`nested: 100 schools → ${ourResults} results, median of ${NESTED_RUNS}: hub ${round(median(hubTimes), 1)} ms, PostGraphile ${round(median(graphileTimes), 1)} ms`);
    console.log(`compare_ms=${round(median(compareTimes), 1)} facts_100k_s=${round((factsSeconds * FACTS_TARGET_ROWS) / read, 2)} card_p95_ms=${round(percentile(cardTimes, 95), 1)} postgraphile_ratio=${round(ratio, 2)}`);
  } finally {
    await postgraphile.stop();
    await hub.stop();
    await closeQueues(queues);
    redis.disconnect();
    await orm.close(true);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
