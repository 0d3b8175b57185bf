/**
 * bench:import — imports end to end, as a regional centre would: a 1,000,000-row ФИС ОКО participant CSV and a
 * 200,000-row ФИС ОКО XLSX, each from the start of its upload (POST /imports by curl, streamed from disk) to the batch
 * being DONE (parsed, staged, checked and merged). The worker is started exactly as in production
 * (`node -r ts-node/register/transpile-only src/app/worker.ts`); imports run in its import process, which a small
 * warm-up import starts first (a one-time cost per worker, printed separately). The resident memory of the import
 * process is sampled from /proc every 20 ms while it imports. In the same run, a plain COPY of the same CSV rows
 * into an unindexed table of text columns gives the floor the import is compared with (the median of three runs:
 * before the warm-up, just before and just after the CSV import).
 *
 * Last line: csv_rows_per_s=… copy_ratio=… peak_rss_mb=… xlsx_rows_per_s=… revert_1m_s=…
 * (copy_ratio = CSV import time / plain COPY time; peak_rss_mb = peak RSS of the process doing the imports;
 * revert_1m_s = revertImport of the CSV import, from the mutation to the revert batch DONE)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as ExcelJS from 'exceljs';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { JobGateway } from '../src/jobs/job-gateway';
import { closeQueues, createQueues } from '../src/jobs/queues';
import { createHubServer } from '../src/app/http-server';
import { ApiKeyService } from '../src/auth/api-key.service';
import { Role } from '../src/shared/role';
import { withDatabase } from '../src/config/config';
import { createOrm, migrate } from '../src/db/orm';
import { benchLog, round } from './support';

const CSV_ROWS = Number(process.env.BENCH_CSV_ROWS ?? 1_000_000);
const XLSX_ROWS = Number(process.env.BENCH_XLSX_ROWS ?? 200_000);
const SCHOOLS = 500;
const ROOT = join(__dirname, '..');
const DATABASE = 'msoko_bench_import';
const TASKS = ['1 (1б)', '2 (2б)', '3 (1б)', '4 (2б)', '5 (1б)', '6 (2б)', '7 (1б)', '8 (2б)'];
const TASK_MAX = [1, 2, 1, 2, 1, 2, 1, 2];
const HEADER = ['ОО', 'Муниципалитет', 'Название ОО', 'Код участника', 'Класс', 'Вариант', ...TASKS, 'Первичный балл', 'Отметка', 'Отметка по журналу'];
const LEVELS = ['', '', '', '', '', 'Уровень', 'Б', 'Б', 'Б', 'П', 'Б', 'П', 'Б', 'В', '', '', ''];

const login = (school: number) => `sch66${1000 + school}`;

/** A participant row of a plausible shape; deterministic, so every run imports the same file. */
function participant(i: number): (string | number)[] {
  const school = i % SCHOOLS;
  let seed = (i * 2654435761) >>> 0;
  const scores = TASK_MAX.map((max) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed >>> 16) % (max + 1);
  });
  const primary = scores.reduce((sum, score) => sum + score, 0);
  const mark = primary >= 10 ? 5 : primary >= 7 ? 4 : primary >= 4 ? 3 : 2;
  return [login(school), 'Каменск-Уральский ГО', `МАОУ СОШ № ${school}`, 100_000 + i, `4${'АБВ'[i % 3]}`, 1 + (i % 2), ...scores, primary, mark, 2 + ((i >> 2) % 4)];
}

async function writeCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  let lines: string[] = ['ВПР 2024 Русский язык 4 класс', LEVELS.join(';'), HEADER.join(';')];
  for (let i = 0; i < rows; i++) {
    lines.push(participant(i).join(';'));
    if (lines.length >= 10_000 || i === rows - 1) {
      if (!out.write(`${lines.join('\r\n')}\r\n`)) await once(out, 'drain');
      lines = [];
    }
  }
  out.end();
  await once(out, 'finish');
}

async function writeXlsx(path: string, rows: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const sheet = workbook.addWorksheet('Результаты');
  sheet.addRow(['ВПР 2025 Математика 5 класс']).commit();
  sheet.addRow(LEVELS).commit();
  sheet.addRow(HEADER).commit();
  for (let i = 0; i < rows; i++) sheet.addRow(participant(i).map((value, column) => (column === 4 ? `5${'АБВ'[i % 3]}` : value))).commit();
  await workbook.commit();
}

/** A fresh database with one region of 500 schools, so every run starts from the same state. */
async function prepareDatabase(): Promise<string> {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/msoko';
  const admin = new Client({ connectionString: withDatabase(base, 'postgres') });
  await admin.connect();
  await admin.query(`drop database if exists ${DATABASE} with (force)`);
  await admin.query(`create database ${DATABASE}`);
  await admin.end();
  const url = withDatabase(base, DATABASE);
  const orm = await createOrm({ databaseUrl: url });
  await migrate(orm);
  await orm.close(true);
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query(`insert into region (code, name) values ('66', 'Свердловская область')`);
  await client.query(`insert into municipality (region_id, code, name) select 1, '66' || lpad(g::text, 2, '0'), 'Муниципалитет ' || g from generate_series(1, 5) g`);
  await client.query(`insert into school (region_id, municipality_id, name, type, urban) select 1, 1 + g % 5, 'МАОУ СОШ № ' || g, 'SOSH', g % 3 <> 0 from generate_series(0, $1 - 1) g`, [SCHOOLS]);
  await client.query(`insert into school_alias (school_id, kind, value) select id, 'FISOKO_LOGIN', 'sch66' || (1000 + id - 1) from school`);
  await client.end();
  return url;
}

/** Drops the first `lines` lines of a stream (the title, level and header rows of the CSV). */
class SkipLines extends Transform {
  private skipping: number;

  constructor(lines: number) {
    super();
    this.skipping = lines;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let start = 0;
    while (this.skipping > 0 && start < chunk.length) {
      const newline = chunk.indexOf(10, start);
      if (newline < 0) {
        start = chunk.length;
        break;
      }
      start = newline + 1;
      this.skipping--;
    }
    callback(null, start === 0 ? chunk : chunk.subarray(start));
  }
}

/** The floor: the CSV's data rows COPYed as they are into an unindexed table of text columns. */
async function plainCopySeconds(url: string, csvPath: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop table if exists bench_plain_copy`);
    await client.query(`create table bench_plain_copy (${HEADER.map((_, i) => `c${i} text`).join(', ')})`);
    const started = process.hrtime.bigint();
    await pipeline(createReadStream(csvPath, { highWaterMark: 256 * 1024 }), new SkipLines(3), client.query(copyFrom(`copy bench_plain_copy from stdin with (format csv, delimiter ';')`)));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const { rows } = await client.query('select count(*)::int as n from bench_plain_copy');
    if (rows[0].n !== CSV_ROWS) throw new Error(`plain COPY loaded ${rows[0].n} rows, expected ${CSV_ROWS}`);
    await client.query(`drop table bench_plain_copy`);
    return seconds;
  } finally {
    await client.end();
  }
}

/** The worker's import process (its child running import-process.child), once started. */
async function importProcessPid(workerPid: number): Promise<number | null> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parent !== workerPid) continue;
    const command = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (command.includes('import-process.child')) return Number(entry);
  }
  return null;
}

/** Resident memory of a process, MB, from /proc. */
async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : 0;
}

/** CPU seconds (user + system) a process has used so far; 0 when it is gone. */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields.length > 13 ? (Number(fields[11]) + Number(fields[12])) / 100 : 0;
}

/** CPU seconds used so far by every PostgreSQL process (the server's, not only this bench's backends). */
async function postgresCpuSeconds(): Promise<number> {
  let total = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const comm = await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === 'postgres') total += await cpuSeconds(Number(entry));
  }
  return total;
}

function startWorker(url: string, prefix: string, importDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'app', 'worker.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, QUEUE_PREFIX: prefix, IMPORT_DIR: importDir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk;
      if (out.includes('msoko-hub worker started')) {
        child.stdout!.off('data', onData);
        child.stdout!.resume(); // the worker's log lines are not needed
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before starting: ${out.slice(-2000)}`)));
  });
}

/**
 * POST /imports with the file streamed from disk — by curl, as an operator would (a client in this process would
 * share its event loop with the server it uploads to); by Node's http client where curl is missing.
 */
async function uploadFile(url: string, key: string, path: string): Promise<{ id: string }> {
  const curl = await new Promise<{ code: number | null; out: string } | null>((resolve) => {
    // --upload-file streams the file (--data-binary @file would read all of it into memory first); no Expect: 100-continue.
    const child = spawn('curl', ['-s', '-X', 'POST', url, '-H', `Authorization: Bearer ${key}`, '-H', 'content-type: application/octet-stream', '-H', 'Expect:', '--upload-file', path]);
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', () => resolve(null));
    child.on('exit', (code) => resolve({ code, out }));
  });
  if (curl !== null) {
    if (curl.code !== 0) throw new Error(`curl failed (${curl.code}): ${curl.out}`);
    const body = JSON.parse(curl.out) as { id?: string };
    if (!body.id) throw new Error(`upload refused: ${curl.out}`);
    return { id: body.id };
  }
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/octet-stream' } }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => (response.statusCode === 201 ? resolve(JSON.parse(text)) : reject(new Error(`upload refused: ${text}`))));
    });
    request.on('error', reject);
    createReadStream(path, { highWaterMark: 1024 * 1024 }).on('error', reject).pipe(request);
  });
}

interface Measured {
  seconds: number;
  peakRssMb: number;
  /** CPU seconds used meanwhile by the import process and by PostgreSQL. */
  cpu: { importProcess: number; postgres: number };
  batch: any;
}

/** Upload → startImport → DONE, timed, with the RSS of process `pid` sampled every 20 ms meanwhile. */
async function importEndToEnd(base: string, key: string, path: string, name: string, pid: number): Promise<Measured> {
  const auth = { authorization: `Bearer ${key}` };
  const graphql = async (query: string, variables: Record<string, unknown>) => {
    const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  let peak = await rssMb(pid);
  const cpuBefore = { importProcess: await cpuSeconds(pid), postgres: await postgresCpuSeconds() };
  const sampler = setInterval(() => {
    void rssMb(pid).then((mb) => (peak = Math.max(peak, mb)));
  }, 20);
  const started = process.hrtime.bigint();
  const startedAt = Date.now();
  try {
    const uploaded = await uploadFile(`${base}/imports?name=${encodeURIComponent(name)}`, key, path);
    await graphql(`mutation($id: ID!) { startImport(input: { batchId: $id }) { id } }`, { id: uploaded.id });
    for (;;) {
      const { importBatch } = await graphql(
        `query($id: ID!) { importBatch(id: $id) { id status messageRu createdAt startedAt finishedAt counts { rowsRead inserted rejected } timings { parseMs validateMs mergeMs } report { notes } } }`,
        { id: uploaded.id },
      );
      if (['DONE', 'FAILED', 'REJECTED', 'CANCELLED'].includes(importBatch.status)) {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (importBatch.status !== 'DONE') throw new Error(`import ended ${importBatch.status}: ${importBatch.messageRu}`);
        const at = (iso: string) => (Date.parse(iso) - startedAt) / 1000;
        const phases = {
          upload: round(at(importBatch.createdAt)),
          queued: round(at(importBatch.startedAt) - at(importBatch.createdAt)),
          parseAndStage: round(importBatch.timings.parseMs / 1000),
          check: round(importBatch.timings.validateMs / 1000),
          merge: round(importBatch.timings.mergeMs / 1000),
          commitAndReport: round(seconds - at(importBatch.startedAt) - (importBatch.timings.parseMs + importBatch.timings.validateMs + importBatch.timings.mergeMs) / 1000),
        };
        // Backends that ended during the import are not counted: the figure is a lower bound for PostgreSQL.
        const cpu = { importProcess: round((await cpuSeconds(pid)) - cpuBefore.importProcess), postgres: round((await postgresCpuSeconds()) - cpuBefore.postgres) };
        return { seconds, peakRssMb: peak, cpu, batch: { ...importBatch, phases } };
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    clearInterval(sampler);
  }
}

/** revertImport of a batch → the revert batch DONE, timed. */
async function revertEndToEnd(base: string, key: string, batchId: string): Promise<{ seconds: number; batch: any }> {
  const graphql = async (query: string, variables: Record<string, unknown>) => {
    const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const started = process.hrtime.bigint();
  const { revertImport } = await graphql(`mutation($id: ID!) { revertImport(batchId: $id) { id } }`, { id: batchId });
  for (;;) {
    const { importBatch } = await graphql(`query($id: ID!) { importBatch(id: $id) { id status messageRu counts { inserted replaced } timings { mergeMs } } }`, { id: revertImport.id });
    if (['DONE', 'FAILED', 'REJECTED', 'CANCELLED'].includes(importBatch.status)) {
      if (importBatch.status !== 'DONE') throw new Error(`revert ended ${importBatch.status}: ${importBatch.messageRu}`);
      return { seconds: Number(process.hrtime.bigint() - started) / 1e9, batch: importBatch };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until every job request (the imports' recomputes) has run, so the next import has the worker to itself. */
async function drainJobs(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (;;) {
      const { rows } = await client.query(`select count(*)::int as n from job_request where state in ('PENDING', 'DISPATCHED')`);
      if (rows[0].n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'msoko-bench-import-'));
  const csvPath = join(dir, 'participants.csv');
  const xlsxPath = join(dir, 'fisoko.xlsx');
  const prefix = `msoko-bench-import-${process.pid}`;
  const redis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const queues = createQueues(redis, prefix);
  let worker: ChildProcess | null = null;
  try {
    const generating = process.hrtime.bigint();
    await Promise.all([writeCsv(csvPath, CSV_ROWS), writeXlsx(xlsxPath, XLSX_ROWS)]);
    const sizes = { csvMb: round((await stat(csvPath)).size / 1024 / 1024, 1), xlsxMb: round((await stat(xlsxPath)).size / 1024 / 1024, 1) };
    console.log(`files: ${CSV_ROWS} CSV rows (${sizes.csvMb} MB), ${XLSX_ROWS} XLSX rows (${sizes.xlsxMb} MB), generated in ${round(Number(process.hrtime.bigint() - generating) / 1e9, 1)} s`);

    const url = await prepareDatabase();
    // The floor is taken three times (before, just before and just after the CSV import) and the median kept:
    // one COPY on a shared machine can take half as long again as the next.
    const copyRuns = [await plainCopySeconds(url, csvPath)];

    const orm = await createOrm({ databaseUrl: url });
    const server = await createHubServer({
      orm,
      jobs: new JobGateway(orm.em.getKnex(), queues, benchLog),
      redis,
      log: benchLog,
      queues,
      limits: { rateLimitPerMinute: 0, queuePrefix: prefix },
      imports: { maxUploadBytes: 1024 * 1024 * 1024, importDir: join(dir, 'uploads') },
    });
    const base = (await server.listen(0, '127.0.0.1')).replace(/\/graphql$/, '');
    const { key } = await new ApiKeyService(orm.em.fork()).create({ name: 'bench:import', role: Role.ADMIN });
    worker = await startWorker(url, prefix, join(dir, 'uploads'));
    try {
      // Warm-up: the first import job starts the worker's import process (ts-node compiles its modules once).
      const warmPath = join(dir, 'warm-up.csv');
      await writeCsv(warmPath, 100);
      const warm = await importEndToEnd(base, key, warmPath, 'warm-up.csv', worker.pid!);
      const importPid = await importProcessPid(worker.pid!);
      if (importPid === null) throw new Error('the worker has no import process after the warm-up import');
      await drainJobs(url);
      const idleRss = await rssMb(importPid);
      const workerRss = await rssMb(worker.pid!);
      console.log(`warm-up (starts the import process): ${round(warm.seconds)} s; import process ${round(idleRss, 0)} MB idle, worker ${round(workerRss, 0)} MB`);
      copyRuns.push(await plainCopySeconds(url, csvPath));
      const csv = await importEndToEnd(base, key, csvPath, 'participants.csv', importPid);
      await drainJobs(url);
      copyRuns.push(await plainCopySeconds(url, csvPath));
      const copySeconds = [...copyRuns].sort((a, b) => a - b)[1];
      console.log(`plain COPY of the CSV rows into an unindexed table: ${copyRuns.map((s) => round(s)).join(', ')} s (median ${round(copySeconds)} s)`);
      console.log(`CSV import: ${round(csv.seconds)} s, seconds by phase ${JSON.stringify(csv.batch.phases)}, CPU seconds ${JSON.stringify(csv.cpu)}, ${JSON.stringify(csv.batch.counts)}; ${csv.batch.report.notes.join(' ')}`);
      await drainJobs(url);
      const xlsx = await importEndToEnd(base, key, xlsxPath, 'fisoko.xlsx', importPid);
      console.log(`XLSX import: ${round(xlsx.seconds)} s, seconds by phase ${JSON.stringify(xlsx.batch.phases)}, ${JSON.stringify(xlsx.batch.counts)}; ${xlsx.batch.report.notes.join(' ')}`);
      await drainJobs(url);
      const revert = await revertEndToEnd(base, key, csv.batch.id);
      console.log(`revert of the CSV import: ${round(revert.seconds)} s (CSV import ${round(csv.seconds)} s), merge ${round(revert.batch.timings.mergeMs / 1000)} s; ${revert.batch.messageRu}`);
      console.log(`import process RSS: peak while importing CSV ${round(csv.peakRssMb, 0)} MB, XLSX ${round(xlsx.peakRssMb, 0)} MB; worker now ${round(await rssMb(worker.pid!), 0)} MB`);
      console.log(`load average during the run: ${(await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ')} (${(await readFile('/proc/cpuinfo', 'utf8')).match(/^processor/gm)?.length ?? '?'} CPUs)`);
      console.log(
        `csv_rows_per_s=${Math.round(CSV_ROWS / csv.seconds)} copy_ratio=${round(csv.seconds / copySeconds)} peak_rss_mb=${Math.round(Math.max(csv.peakRssMb, xlsx.peakRssMb))} xlsx_rows_per_s=${Math.round(XLSX_ROWS / xlsx.seconds)} revert_1m_s=${round(revert.seconds)}`,
      );
    } finally {
      await drainJobs(url);
      await server.stop();
      await new Promise((resolve) => server.httpServer.close(resolve));
      await orm.close(true);
    }
  } finally {
    if (worker && worker.exitCode === null) {
      worker.kill('SIGTERM');
      await once(worker, 'exit');
    }
    await closeQueues(queues);
    const cleaner = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const keys = await cleaner.keys(`${prefix}:*`);
    if (keys.length > 0) await cleaner.del(...keys);
    cleaner.disconnect();
    redis.disconnect();
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
