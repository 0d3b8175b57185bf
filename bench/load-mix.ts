/**
 * bench:load -- --no-cache: the README's main queries with the response cache bypassed (Cache-Control: no-cache),
 * so every request runs the whole pipeline — guard rails, compiled execution, SQL. 50 clients for 30 s against an
 * API running as a process of its own, as production runs it (compiled: `npm run build`, `node dist/src/main.js`;
 * its RSS sampled from /proc), keys of several roles, and one request in ten a cheap query under an operation name
 * never seen before (what grew the API's memory in the attack run).
 * Last line: nocache_rps=… nocache_p95_ms=… card_p95_ms=… compare_p95_ms=… facts_p95_ms=… api_rss_mb=…
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ApiKeyService } from '../src/auth/api-key.service';
import { Role } from '../src/shared/role';
import { generateDemoRegion } from '../src/demo';
import { percentile, prepareBenchDatabase, round } from './support';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const ROOT = join(__dirname, '..');
const PORT = Number(process.env.BENCH_PORT ?? 4517);

const QUERIES = {
  card: `query SchoolCard($code: String!) { school(code: $code) { name municipality { name }
    contexts(years: [2023, 2024, 2025]) { year enrolment }
    results(filter: { years: [2023, 2024, 2025] }) { year participants meanPercent markPercents { two fourAndFive } assessment { procedure grade subject { code } } benchmarks { level meanPercent } }
    riskZones { year objectivity lowResults } } }`,
  compare: `query Compare($schools: [String!]!) { compareSchools(schools: $schools, filter: { procedures: [VPR] }) { years
    schools(first: 3) { code assessments(first: 10) { procedure subjectCode grade
      years(first: 3) { year participants marks { share2 share45 } metrics { share2 { ...metric } meanPercent { ...metric } } }
      trends { meanPercent { trend { slopePerYear lower upper significant } } } } } } }
    fragment metric on MetricComparisonType { value base municipality { value difference { difference lower upper significant } } region { value difference { difference lower upper significant } } }`,
  facts: `query Facts($region: String!) { facts(first: 500, filter: { regionCode: $region, years: [2023, 2024, 2025] }) { pageInfo { hasNextPage endCursor }
    nodes { schoolLogin schoolName municipalityCode year procedure subjectCode grade participants share2 share45 meanPercent journalAgreementShare schoolType locality sizeBand } } }`,
  aggregates: `query ByMunicipality { aggregates(groupBy: [MUNICIPALITY, YEAR], filter: { procedures: [VPR], subjectCodes: ["RUS"], grades: [4] }) {
    municipalityCode year schools participants meanPercent share2 share45 } }`,
  zones: `query Zones($year: Int!) { riskRanking(filter: { year: $year, minObjectivity: WATCH }, first: 50) { totalCount edges { node { rank zone { objectivity lowResults explanationRu } } } } }`,
};

type Kind = keyof typeof QUERIES | 'unique';

const SOURCE = `
const { parentPort, workerData: w } = require('node:worker_threads');
(async () => {
  const latencies = {}; const failures = {}; let next = 0; let unique = 0;
  const deadline = Date.now() + w.seconds * 1000;
  await Promise.all(Array.from({ length: w.clients }, async () => {
    while (Date.now() < deadline) {
      const n = next++;
      let request = w.requests[n % w.requests.length];
      if (n % 10 === 9) request = { kind: 'unique', key: request.key, body: { query: 'query Unique' + (unique++) + '_' + w.pid + ' { me { role } }' } };
      const started = process.hrtime.bigint();
      let ok = false;
      try {
        const response = await fetch(w.url, { method: 'POST',
          headers: { 'content-type': 'application/json', 'cache-control': 'no-cache', authorization: 'Bearer ' + request.key },
          body: JSON.stringify(request.body) });
        const body = await response.json();
        ok = response.ok && !body.errors && body.data;
      } catch {}
      (latencies[request.kind] = latencies[request.kind] || []).push(Number(process.hrtime.bigint() - started) / 1e6);
      if (!ok) failures[request.kind] = (failures[request.kind] || 0) + 1;
    }
  }));
  parentPort.postMessage({ latencies, failures });
})().catch((error) => parentPort.postMessage({ error: String(error) }));`;

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function waitForApi(url: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the API did not start');
}

export async function noCacheLoad(): Promise<void> {
  const region = generateDemoRegion();
  const { orm, url: databaseUrl } = await prepareBenchDatabase('msoko_bench_load', region);
  const knex = orm.em.getKnex();
  const keys = new ApiKeyService(orm.em.fork());
  const municipality = region.municipalities[0].code;
  const logins: string[] = (await knex.raw(`select a.value from school_alias a join school s on s.id = a.school_id join municipality m on m.id = s.municipality_id where a.kind = 'FISOKO_LOGIN' and m.code = ? order by a.value`, [municipality])).rows.map((r: any) => r.value);
  const lastYear = Math.max(...region.years);
  const analysts = await Promise.all([0, 1, 2].map(async (i) => (await keys.create({ name: `bench:load analyst ${i}`, role: Role.MUNICIPAL_ANALYST, municipalityCode: municipality })).key));
  const regional = (await keys.create({ name: 'bench:load region', role: Role.REGIONAL_IMPORTER, regionCode: region.region.code })).key;
  const bi = (await keys.create({ name: 'bench:load bi', role: Role.BI_READER, regionCode: region.region.code })).key;
  await orm.close(true);

  const requests: { kind: Kind; key: string; body: { query: string; variables?: Record<string, unknown> } }[] = [];
  for (let i = 0; i < 24; i++) {
    const analyst = analysts[i % analysts.length];
    const code = logins[i % logins.length];
    requests.push({ kind: 'card', key: analyst, body: { query: QUERIES.card, variables: { code } } });
    requests.push({ kind: 'compare', key: analyst, body: { query: QUERIES.compare, variables: { schools: [0, 1, 2].map((k) => logins[(i + k) % logins.length]) } } });
    requests.push({ kind: 'facts', key: i % 2 ? bi : regional, body: { query: QUERIES.facts, variables: { region: region.region.code } } });
    requests.push({ kind: 'aggregates', key: i % 2 ? bi : analyst, body: { query: QUERIES.aggregates } });
    requests.push({ kind: 'zones', key: i % 2 ? regional : analyst, body: { query: QUERIES.zones, variables: { year: lastYear } } });
  }

  // The API as `npm run start:prod` runs it (its node flags bound the heap); BENCH_API_NODE_ARGS replaces the flags.
  const production = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts['start:prod'] as string).split(' ').slice(1);
  const args = process.env.BENCH_API_NODE_ARGS === undefined ? production : [...process.env.BENCH_API_NODE_ARGS.split(' ').filter(Boolean), production[production.length - 1]];
  // BENCH_API_ROOT: another checkout, built the same way (e.g. the commit before a change), to compare in one run.
  const apiRoot = process.env.BENCH_API_ROOT ?? ROOT;
  if (apiRoot === ROOT) execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
  console.log(`api: node ${args.join(' ')} in ${apiRoot}`);
  const api = spawn(process.execPath, args.map((arg) => (arg.endsWith('.js') ? join(apiRoot, arg) : arg)), {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(PORT), HOST: '127.0.0.1', RATE_LIMIT_PER_MINUTE: '0', QUEUE_PREFIX: `msoko-bench-mix-${process.pid}`, LOG_LEVEL: 'warn', NODE_ENV: 'production', PARTICIPANT_CODE_SECRET: 'bench-secret-0123456789abcdef0123456789' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitForApi(`http://127.0.0.1:${PORT}/healthz`);
    let peakRss = rssMb(api.pid!);
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, rssMb(api.pid!));
    }, 250);
    const started = Date.now();
    const run = await new Promise<{ latencies: Record<string, number[]>; failures: Record<string, number> }>((resolve, reject) => {
      const worker = new Worker(SOURCE, { eval: true, workerData: { url: `http://127.0.0.1:${PORT}/graphql`, requests, clients: CLIENTS, seconds: SECONDS, pid: process.pid } });
      worker.once('message', (message) => {
        void worker.terminate();
        if (message.error) reject(new Error(message.error));
        else resolve(message);
      });
      worker.once('error', reject);
    });
    const seconds = (Date.now() - started) / 1000;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, rssMb(api.pid!));
    for (const list of Object.values(run.latencies)) list.sort((a, b) => a - b);
    const all = Object.values(run.latencies).flat().sort((a, b) => a - b);
    const p95 = (kind: Kind) => round(percentile(run.latencies[kind] ?? [], 95));
    const failures = Object.values(run.failures).reduce((a, b) => a + b, 0);
    for (const kind of Object.keys(run.latencies) as Kind[]) {
      console.log(`${kind}: requests=${run.latencies[kind].length} failures=${run.failures[kind] ?? 0} p50_ms=${round(percentile(run.latencies[kind], 50))} p95_ms=${p95(kind)}`);
    }
    console.log(`clients=${CLIENTS} seconds=${round(seconds)} requests=${all.length} failures=${failures} p50_ms=${round(percentile(all, 50))}`);
    console.log(
      `nocache_rps=${round(all.length / seconds, 1)} nocache_p95_ms=${round(percentile(all, 95))} card_p95_ms=${p95('card')} compare_p95_ms=${p95('compare')} facts_p95_ms=${p95('facts')} api_rss_mb=${Math.round(peakRss)}`,
    );
  } finally {
    api.kill('SIGTERM');
  }
}
