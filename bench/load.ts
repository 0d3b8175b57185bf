/**
 * bench:load — 50 concurrent clients on loopback for 60 s on the school-card query (as a municipal analyst)
 * while a 500,000-row ФИС ОКО CSV is imported by a worker process (upload → DONE). Rate limits are off for
 * the run; everything else is as in production.
 * Last line: requests=… errors=… p95_ms=… import_rows_per_s=…
 * With `-- --no-cache`: the main queries with the response cache bypassed (bench/load-mix.ts).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { JobGateway } from '../src/jobs/job-gateway';
import { closeQueues, createQueues } from '../src/jobs/queues';
import { createHubServer } from '../src/app/http-server';
import { ApiKeyService } from '../src/auth/api-key.service';
import { Role } from '../src/shared/role';
import { generateDemoRegion } from '../src/demo';
import { closedLoop } from './closed-loop';
import { noCacheLoad } from './load-mix';
import { benchLog, percentile, prepareBenchDatabase, round } from './support';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 500_000);
const ROOT = join(__dirname, '..');
const CARD = `query SchoolCard($code: String!) { school(code: $code) { name municipality { name }
  contexts(years: [2023, 2024, 2025]) { year enrolment }
  conductConditions(years: [2025]) { procedure observers videoAtChecking }
  results(filter: { years: [2023, 2024, 2025] }) { year participants meanPercent markPercents { two fourAndFive } assessment { procedure grade subject { code } } benchmarks { level meanPercent } }
  riskZones { year objectivity lowResults } } }`;

/** ВПР «Окружающий мир», 4 класс, 2025 for the demo's schools: a subject the demo has not, so the import adds it. */
async function writeImportFile(path: string, logins: string[]): Promise<void> {
  const tasks = ['1 (2б)', '2 (2б)', '3 (3б)', '4 (2б)', '5 (3б)', '6 (2б)'];
  const max = [2, 2, 3, 2, 3, 2];
  const out = createWriteStream(path);
  let lines = ['ВПР 2025 Окружающий мир 4 класс', ['', '', '', '', '', 'Уровень', 'Б', 'Б', 'П', 'Б', 'П', 'В', '', '', ''].join(';'),
    ['ОО', 'Муниципалитет', 'Название ОО', 'Код участника', 'Класс', 'Вариант', ...tasks, 'Первичный балл', 'Отметка', 'Отметка по журналу'].join(';')];
  // A new file every run: the benchmark database is reused, and the same file twice is a no-op by its hash.
  let seed = (Date.now() ^ (process.pid << 8)) >>> 0;
  for (let i = 0; i < IMPORT_ROWS; i++) {
    const scores = max.map((m) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) % (m + 1));
    const primary = scores.reduce((a, b) => a + b, 0);
    const mark = primary >= 12 ? 5 : primary >= 8 ? 4 : primary >= 4 ? 3 : 2;
    lines.push([logins[i % logins.length], 'Заозёрская область', 'ОО', 200_000 + i, '4А', 1 + (i % 2), ...scores, primary, mark, mark].join(';'));
    if (lines.length >= 10_000 || i === IMPORT_ROWS - 1) {
      if (!out.write(`${lines.join('\r\n')}\r\n`)) await once(out, 'drain');
      lines = [];
    }
  }
  out.end();
  await once(out, 'finish');
}

async function main(): Promise<void> {
  const importDir = mkdtempSync(join(tmpdir(), 'msoko-load-'));
  const region = generateDemoRegion();
  const { orm, url: databaseUrl, load } = await prepareBenchDatabase('msoko_bench_load', region);
  const knex = orm.em.getKnex();
  const logins: string[] = (await knex.raw(`select value from school_alias where kind = 'FISOKO_LOGIN' order by value`)).rows.map((r: any) => r.value);
  const csv = join(importDir, 'load.csv');
  await writeImportFile(csv, logins);

  const prefix = `msoko-bench-load-${process.pid}`;
  const worker = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'app', 'worker.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, QUEUE_PREFIX: prefix, IMPORT_DIR: importDir, LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  const redis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const queues = createQueues(redis, prefix);
  const server = await createHubServer({
    orm, jobs: new JobGateway(knex, queues, benchLog), redis, log: benchLog, queues,
    limits: { rateLimitPerMinute: 0, queuePrefix: prefix }, imports: { maxUploadBytes: 2 * 1024 ** 3, importDir },
  });
  const graphqlUrl = await server.listen(0, '127.0.0.1');
  const base = graphqlUrl.replace(/\/graphql$/, '');
  const keys = new ApiKeyService(orm.em.fork());
  const analyst = (await keys.create({ name: 'bench:load analyst', role: Role.MUNICIPAL_ANALYST, municipalityCode: region.municipalities[0].code })).key;
  const importer = (await keys.create({ name: 'bench:load importer', role: Role.REGIONAL_IMPORTER, regionCode: region.region.code })).key;
  const analystLogins = (await knex.raw(`select a.value from school_alias a join school s on s.id = a.school_id join municipality m on m.id = s.municipality_id where a.kind = 'FISOKO_LOGIN' and m.code = ?`, [region.municipalities[0].code])).rows.map((r: any) => r.value);
  await new Promise((r) => setTimeout(r, 3000)); // the worker process starts

  try {
    // The import: upload, start, then it runs while the clients query.
    const started = Date.now();
    const upload = await fetch(`${base}/imports?name=load.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${importer}`, 'content-type': 'text/csv', 'content-length': String(statSync(csv).size) },
      body: createReadStream(csv) as unknown as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    const batchId = ((await upload.json()) as { id: string }).id;
    const gql = async (query: string, variables: object, key: string) =>
      (await (await fetch(graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) })).json()) as any;
    await gql(`mutation($id: ID!) { startImport(input: { batchId: $id }) { id } }`, { id: batchId }, importer);
    let importDone: { rows: number; seconds: number; status: string } | null = null;
    const watchImport = (async () => {
      for (;;) {
        const batch = (await gql(`query($id: ID!) { importBatch(id: $id) { status counts { rowsRead } } }`, { id: batchId }, importer)).data.importBatch;
        if (['DONE', 'FAILED', 'REJECTED', 'CANCELLED'].includes(batch.status)) {
          importDone = { rows: batch.counts.rowsRead, seconds: (Date.now() - started) / 1000, status: batch.status };
          return;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    })();

    // The clients run in a worker thread, as clients on other machines would not queue behind the server's loop.
    const run = await closedLoop({ url: graphqlUrl, key: analyst, query: CARD, codes: analystLogins, clients: CLIENTS, seconds: SECONDS });
    const latencies = run.latencies;
    const errors = run.failures;
    await watchImport;
    const done = importDone as unknown as { rows: number; seconds: number; status: string };
    console.log(`clients=${CLIENTS} seconds=${SECONDS} import_status=${done.status} import_rows=${done.rows} import_s=${round(done.seconds)} schools=${load.schools} cache=${JSON.stringify(run.cache)} p50_ms=${round(percentile(latencies, 50))}`);
    console.log(`requests=${latencies.length} errors=${errors} p95_ms=${round(percentile(latencies, 95))} import_rows_per_s=${Math.round(done.rows / done.seconds)}`);
  } finally {
    worker.kill('SIGTERM');
    await server.stop();
    await closeQueues(queues);
    redis.disconnect();
    await orm.close(true);
  }
}

(process.argv.includes('--no-cache') ? noCacheLoad() : main()).then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
