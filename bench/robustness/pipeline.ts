/**
 * A simulated region through the hub's real path: the files are uploaded to the HTTP upload route (POST /imports)
 * and started by GraphQL (startImport) as a regional centre would, the worker imports them (its import process)
 * and recomputes aggregates; then one full risk recompute runs through the worker (timed), and one school's
 * recompute five times; zones and indicator statuses are read back from PostgreSQL.
 *
 * One shortcut, said plainly: while the files are imported the risk queue is paused, and the risk recomputes each
 * import requests (one per file, each for the whole region) are dropped before the one timed full recompute —
 * otherwise a region would be recomputed a dozen times over for nothing. Aggregates run as the imports ask.
 */
import { basename } from 'node:path';
import { readFile } from 'node:fs/promises';
import IORedis from 'ioredis';
import type { Worker } from 'bullmq';
import { JobGateway } from '../../src/jobs/job-gateway';
import { closeQueues, createQueues, JOB_NAMES, QUEUE_NAMES } from '../../src/jobs/queues';
import { closeWorkers } from '../../src/jobs/workers';
import { startWorkers } from '../../src/app/workers';
import { createHubServer } from '../../src/app/http-server';
import { ApiKeyService } from '../../src/auth/api-key.service';
import { Role } from '../../src/shared/role';
import type { MikroORM } from '../../src/db/orm';
import { RiskRecomputeService } from '../../src/risk/recompute/risk-recompute.service';
import { SIGN_MARKER } from '../../src/risk/evidence/objectivity-zone';
import { MARKER_ZONE, MarkerCode } from '../../src/risk/markers';
import type { Logger } from '../../src/shared/logger';
import type { Manifest, RegionFiles } from './files';

export interface ZoneRow {
  login: string;
  schoolId: number;
  year: number;
  objectivity: string;
  lowResults: string;
  markers: string[];
  /** Direct-evidence objectivity checks that were judged (not INSUFFICIENT_DATA) / stored. */
  judged: number;
  stored: number;
}

export interface PipelineOutcome {
  importSeconds: number;
  aggregateSeconds: number;
  fullRecomputeSeconds: number;
  schoolRecomputeMs: number[];
  zones: ZoneRow[];
  schoolIdByLogin: Map<string, number>;
  imports: { file: string; status: string; rows: number; rejected: number; notes: string[] }[];
}

export interface PipelineOptions {
  orm: MikroORM;
  redisUrl: string;
  prefix: string;
  importDir: string;
  log: Logger;
  /** Single-school recomputes to time (median reported by the caller). */
  schoolRuns?: number;
  onProgress?: (message: string) => void;
}

/**
 * The checks that carry objectivity evidence in the methodology in force: its signs' markers (the confirmation sign
 * fires one of three) and re-checks — not context such as benchmarks, not the «понизили» balance finding.
 */
const DIRECT_OBJECTIVITY_CHECKS = [
  ...new Set([...Object.values(SIGN_MARKER).filter((m) => MARKER_ZONE[m] === 'OBJECTIVITY'), MarkerCode.NOT_CONFIRMED_OGE, MarkerCode.NOT_CONFIRMED_EGE, MarkerCode.RECHECK_DISCREPANCY]),
];

export async function runThroughHub(files: RegionFiles, manifest: Manifest, options: PipelineOptions): Promise<PipelineOutcome> {
  const { orm, log } = options;
  const say = options.onProgress ?? (() => undefined);
  const knex = orm.em.getKnex();
  // Reference data an operator creates once: the region (the directory file names it) and an import key.
  await knex.raw(`insert into region (code, name) values (?, ?) on conflict (code) do nothing`, [manifest.regionCode, manifest.regionName]);
  const { key } = await new ApiKeyService(orm.em.fork()).create({ name: 'bench:risk robustness', role: Role.ADMIN });

  const redis = new IORedis(options.redisUrl, { maxRetriesPerRequest: null });
  const workerRedis = new IORedis(options.redisUrl, { maxRetriesPerRequest: null });
  const queues = createQueues(redis, options.prefix);
  const gateway = new JobGateway(knex, queues, log);
  const server = await createHubServer({
    orm,
    jobs: gateway,
    redis,
    log,
    queues,
    limits: { rateLimitPerMinute: 0, queuePrefix: options.prefix },
    imports: { maxUploadBytes: 1024 * 1024 * 1024, importDir: options.importDir },
  });
  const base = (await server.listen(0, '127.0.0.1')).replace(/\/graphql$/, '');
  await queues.risk.pause();
  let workers: Worker[] = [];
  try {
    workers = startWorkers({ orm, connection: workerRedis, prefix: options.prefix, log, gateway });
    const graphql = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      const body = (await response.json()) as { data?: any; errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };

    const imports: PipelineOutcome['imports'] = [];
    const importStarted = Date.now();
    for (const path of files.files) {
      const response = await fetch(`${base}/imports?name=${encodeURIComponent(basename(path))}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/octet-stream' },
        body: await readFile(path),
      });
      const uploaded = (await response.json()) as { id?: string };
      if (response.status !== 201 || !uploaded.id) throw new Error(`upload of ${basename(path)} refused: ${JSON.stringify(uploaded)}`);
      await graphql(`mutation($id: ID!) { startImport(input: { batchId: $id }) { id } }`, { id: uploaded.id });
      for (;;) {
        const { importBatch: b } = await graphql(`query($id: ID!) { importBatch(id: $id) { status messageRu counts { rowsRead rejected } report { notes } } }`, { id: uploaded.id });
        if (['DONE', 'FAILED', 'REJECTED', 'CANCELLED'].includes(b.status)) {
          imports.push({ file: basename(path), status: b.status, rows: b.counts?.rowsRead ?? 0, rejected: b.counts?.rejected ?? 0, notes: b.report?.notes ?? [] });
          if (b.status !== 'DONE' || (b.counts?.rejected ?? 0) > 0) {
            const errors = await graphql(`query($id: ID!) { importErrors(batchId: $id, first: 5) { totalCount edges { node { row column value code messageRu } } } }`, { id: uploaded.id });
            throw new Error(`import of ${basename(path)} ended ${b.status} (${b.messageRu}), rejected ${b.counts?.rejected}: ${JSON.stringify(errors.importErrors)}`);
          }
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      say(`imported ${basename(path)} (${imports[imports.length - 1].rows} rows)`);
    }
    const importSeconds = (Date.now() - importStarted) / 1000;

    // The imports' aggregate recomputes, as the worker runs them.
    const aggregatesStarted = Date.now();
    for (;;) {
      const { rows } = await knex.raw(`select count(*)::int as n from job_request where queue = ? and state in ('PENDING', 'DISPATCHED')`, [QUEUE_NAMES.aggregates]);
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const aggregateSeconds = (Date.now() - aggregatesStarted) / 1000;
    const { rows: failed } = await knex.raw(`select count(*)::int as n from job_request where queue = ? and state = 'FAILED'`, [QUEUE_NAMES.aggregates]);
    if (failed[0].n > 0) throw new Error(`${failed[0].n} aggregate recomputes failed`);
    say(`aggregates recomputed in ${aggregateSeconds.toFixed(1)} s`);

    // The per-import risk requests are dropped (see above); one full recompute is the one that counts.
    // Their requests are first closed as superseded, so that nothing (the jobs reconciler) sends them again, then
    // their jobs are removed from the paused queue.
    await knex.raw(
      `update job_request set state = 'COMPLETED', finished_at = now(), result = ?::jsonb where queue = ? and state in ('PENDING', 'DISPATCHED')`,
      [JSON.stringify({ supersededBy: 'bench:risk full recompute' }), QUEUE_NAMES.risk],
    );
    await queues.risk.drain(true);
    await queues.risk.resume();
    const runJob = async (schoolIds: number[] | null) => {
      const ticket = await gateway.enqueue({ queue: QUEUE_NAMES.risk, name: JOB_NAMES.recomputeRisk, payload: { schoolIds, regionIds: null, years: null, reason: 'bench:risk robustness' }, requestedBy: 'bench' });
      const jobId = `r${ticket.id.split(':')[1]}`;
      for (;;) {
        const state = await (await queues.risk.getJob(jobId))?.getState();
        // Read again once completed: a job read while still active has no finishedOn yet.
        const job = state === 'completed' || state === 'failed' ? await queues.risk.getJob(jobId) : undefined;
        if (state === 'completed') return job!.finishedOn! - (job!.processedOn ?? job!.timestamp);
        if (state === 'failed') throw new Error(`risk job failed: ${job!.failedReason}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const fullStarted = Date.now();
    await runJob(null);
    const fullRecomputeSeconds = (Date.now() - fullStarted) / 1000;
    say(`full risk recompute ${fullRecomputeSeconds.toFixed(1)} s`);

    const aliases = (await knex.raw(`select value, school_id from school_alias where kind = 'FISOKO_LOGIN'`)).rows as { value: string; school_id: number }[];
    const schoolIdByLogin = new Map(aliases.map((a) => [a.value, a.school_id]));
    const ids = manifest.schools.map((s) => schoolIdByLogin.get(s.login)!).filter((id) => id !== undefined);
    const schoolRecomputeMs: number[] = [];
    for (let i = 0; i < (options.schoolRuns ?? 5); i++) schoolRecomputeMs.push(await runJob([ids[(i * 197 + 11) % ids.length]]));

    const zones = await readZones(orm, schoolIdByLogin);
    return { importSeconds, aggregateSeconds, fullRecomputeSeconds, schoolRecomputeMs, zones, schoolIdByLogin, imports };
  } finally {
    await closeWorkers(workers);
    await server.stop();
    await new Promise((resolve) => server.httpServer.close(resolve));
    await closeQueues(queues);
    const keys = await redis.keys(`${options.prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    workerRedis.disconnect();
  }
}

/** Stored zones of every school-year, with fired markers and how many objectivity checks could be judged. */
async function readZones(orm: MikroORM, schoolIdByLogin: Map<string, number>): Promise<ZoneRow[]> {
  const knex = orm.em.getKnex();
  const loginById = new Map([...schoolIdByLogin].map(([login, id]) => [id, login]));
  const zones = (await knex.raw(`select school_id, year, objectivity::text as objectivity, low_results::text as low_results from risk_zone order by school_id, year`)).rows as {
    school_id: number;
    year: number;
    objectivity: string;
    low_results: string;
  }[];
  const values = (
    await knex.raw(
      `select school_id, year,
         coalesce(array_agg(distinct check_code) filter (where status = 'FLAGGED'), '{}') as markers,
         count(*) filter (where check_code in (${DIRECT_OBJECTIVITY_CHECKS.map(() => '?').join(', ')}) and status <> 'INSUFFICIENT_DATA')::int as judged,
         count(*) filter (where check_code in (${DIRECT_OBJECTIVITY_CHECKS.map(() => '?').join(', ')}))::int as stored
       from risk_indicator_value group by school_id, year`,
      [...DIRECT_OBJECTIVITY_CHECKS, ...DIRECT_OBJECTIVITY_CHECKS],
    )
  ).rows as { school_id: number; year: number; markers: string[]; judged: number; stored: number }[];
  const byKey = new Map(values.map((v) => [`${v.school_id}|${v.year}`, v]));
  return zones.map((z) => {
    const v = byKey.get(`${z.school_id}|${z.year}`);
    return {
      login: loginById.get(z.school_id) ?? String(z.school_id),
      schoolId: z.school_id,
      year: z.year,
      objectivity: z.objectivity,
      lowResults: z.low_results,
      markers: v?.markers ?? [],
      judged: v?.judged ?? 0,
      stored: v?.stored ?? 0,
    };
  });
}

/**
 * A region imported by an earlier run (`bench:risk -- --keep`) recomputed again in this process, without the
 * queue: for judging a change of the methodology on the same data in a minute instead of ten. The timings are
 * the service's own (no worker, no queue), so they are not the benchmark's; the scoring is the same.
 */
export async function recomputeKept(orm: MikroORM, manifest: Manifest, schoolRuns = 5): Promise<Pick<PipelineOutcome, 'fullRecomputeSeconds' | 'schoolRecomputeMs' | 'zones' | 'schoolIdByLogin'>> {
  const knex = orm.em.getKnex();
  const aliases = (await knex.raw(`select value, school_id from school_alias where kind = 'FISOKO_LOGIN'`)).rows as { value: string; school_id: number }[];
  const schoolIdByLogin = new Map(aliases.map((a) => [a.value, a.school_id]));
  const service = new RiskRecomputeService(orm.em.fork());
  const started = Date.now();
  await service.recompute({ schoolIds: null });
  const fullRecomputeSeconds = (Date.now() - started) / 1000;
  const ids = manifest.schools.map((s) => schoolIdByLogin.get(s.login)!).filter((id) => id !== undefined);
  const schoolRecomputeMs: number[] = [];
  for (let i = 0; i < schoolRuns; i++) {
    const t0 = Date.now();
    await service.recompute({ schoolIds: [ids[(i * 197 + 11) % ids.length]] });
    schoolRecomputeMs.push(Date.now() - t0);
  }
  return { fullRecomputeSeconds, schoolRecomputeMs, zones: await readZones(orm, schoolIdByLogin), schoolIdByLogin };
}
