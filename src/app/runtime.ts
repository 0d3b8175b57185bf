import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { JobGateway } from '../jobs/job-gateway';
import { closeQueues, createQueues, type HubQueues } from '../jobs/queues';
import { closeWorkers, RUN_LOCK_CONNECTIONS, startDispatcher, startReconciler } from '../jobs/workers';
import { startWorkers } from './workers';
import type { HubConfig } from '../config/config';
import { checkPostgres, ServiceUnavailableError } from '../db/database-admin';
import { createOrm, DEFAULT_POOL_MAX, type MikroORM } from '../db/orm';
import { checkRedis, createProducerRedis, createWorkerRedis } from '../shared/redis';
import type { Logger } from '../shared/logger';
import { startUploadSweeper } from '../imports/batch/abandoned-uploads';
import { createHubServer, type HubServer } from './http-server';

export interface RunningHub {
  orm: MikroORM;
  queues: HubQueues;
  gateway: JobGateway;
  server: HubServer | null;
  workers: Worker[];
  url: string | null;
  /** Closes, in order: HTTP (draining requests), workers (waiting for active jobs), queues, Redis, the ORM. */
  stop(): Promise<void>;
}

export interface StartOptions {
  api: boolean;
  worker: boolean;
  log: Logger;
}

export async function startHub(config: HubConfig, { api, worker, log }: StartOptions): Promise<RunningHub> {
  await checkPostgres(config.databaseUrl);
  // The worker cannot work without Redis: it stops with one line. The API serves reads without it (requests for
  // work wait in PostgreSQL), so it starts, warns once, and /readyz reports Redis until it answers.
  let redisDown = false;
  if (worker) await checkRedis(config.redisUrl);
  else {
    redisDown = await checkRedis(config.redisUrl).then(
      () => false,
      (error: Error) => {
        log.warn({ redis: 'unreachable' }, `${error.message}; the API starts anyway: reads go on, requests for work wait in PostgreSQL, /readyz answers 503 until Redis answers`);
        return true;
      },
    );
  }
  const orm = await createOrm({
    databaseUrl: config.databaseUrl,
    statementTimeoutMs: config.statementTimeoutMs,
    poolMax: worker ? DEFAULT_POOL_MAX + RUN_LOCK_CONNECTIONS : DEFAULT_POOL_MAX,
  });
  const pending = await orm.getMigrator().getPendingMigrations();
  if (pending.length > 0) {
    await orm.close(true);
    throw new ServiceUnavailableError(`DATABASE_URL: the database schema is not up to date (${pending.length} pending migrations); run \`npm run migrate\``);
  }
  const redisConnections: Redis[] = [];
  const track = (redis: Redis) => {
    // One warning per outage (ioredis retries every ~2 s and reports each failed attempt), and one line when it is back.
    let down = redisDown;
    redis.on('error', (error) => {
      if (!down) log.warn({ err: error.message }, 'redis connection error');
      down = true;
    });
    redis.on('ready', () => {
      if (down) log.info('redis connection restored');
      down = false;
    });
    redisConnections.push(redis);
    return redis;
  };
  const producer = track(createProducerRedis(config.redisUrl));
  const queues = createQueues(producer, config.queuePrefix);
  // A queue repeats its connection's errors, to stderr when nobody listens: track() above already reports the outage.
  for (const queue of Object.values(queues)) queue.on('error', () => undefined);
  const gateway = new JobGateway(orm.em.getKnex(), queues, log);
  const stopDispatcher = startDispatcher(gateway, log);
  // The worker owns the import directory's housekeeping (the API only adds files to it).
  const stopSweeper = worker ? startUploadSweeper(orm.em.getKnex(), config.importDir, config.uploadRetentionMs, log, undefined, config.rowErrorRetentionMs) : () => undefined;
  const workers = worker ? startWorkers({ orm, connection: track(createWorkerRedis(config.redisUrl)), prefix: config.queuePrefix, log, gateway, lockMs: config.jobLockMs }) : [];
  // PostgreSQL is the record: at start and then periodically, jobs Redis lost are handed to it again.
  const stopReconciler = worker ? startReconciler(gateway, log, config.jobReconcileMs, producer) : () => undefined;
  const server = api
    ? await createHubServer({
        orm, jobs: gateway, redis: producer, log, queues,
        limits: {
          query: config.queryLimits,
          rateLimitPerMinute: config.rateLimitPerMinute,
          uploadQuota: { bytesPerDay: config.uploadQuotaBytesPerDay, filesPerDay: config.uploadQuotaFilesPerDay },
          queuePrefix: config.queuePrefix,
        },
      })
    : null;
  const url = server ? await server.listen(config.port, config.host) : null;

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      if (server) await server.stop();
      stopDispatcher();
      stopSweeper();
      stopReconciler();
      await closeWorkers(workers);
      await closeQueues(queues);
      for (const redis of redisConnections) redis.disconnect();
      await orm.close(true);
    })());
  return { orm, queues, gateway, server, workers, url, stop };
}

/** SIGTERM / SIGINT: stop in order, then exit; a second signal exits at once. */
export function stopOnSignals(hub: { stop(): Promise<void> }, log: Logger): void {
  let received = false;
  const handler = (signal: NodeJS.Signals) => {
    if (received) process.exit(1);
    received = true;
    log.info({ signal }, 'shutting down');
    hub.stop().then(
      () => process.exit(0),
      (error) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
