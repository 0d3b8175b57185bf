/**
 * The import process: a child of the worker that runs imports one at a time. It loads only what imports need
 * (no ORM, no GraphQL server) and runs with a heap sized for streaming (see import-process-host.ts), so a million-row
 * file neither bloats the worker nor stalls its event loop. If the worker dies, this process exits at once: its
 * open transaction is rolled back by PostgreSQL and the job is retried elsewhere.
 */
import IORedis from 'ioredis';
import { knex as createKnex, type Knex } from '@mikro-orm/postgresql';
import { JobGateway } from '../../jobs/job-gateway';
import { closeQueues, createQueues, type HubQueues } from '../../jobs/queues';
import { loadConfig } from '../../config/config';
import { createLogger } from '../../shared/logger';
import { ImportBatchRunner } from './import-batch-runner';
import type { FromImportProcess, ToImportProcess } from './import-process.protocol';

const log = createLogger(undefined, 'msoko-hub-import');
let connections: { key: string; knex: Knex; redis: IORedis; queues: HubQueues; gateway: JobGateway } | null = null;

function send(message: FromImportProcess): void {
  process.send?.(message);
}

/** One database pool and one Redis connection, reused for every import of this worker. */
function connect(databaseUrl: string, queuePrefix: string) {
  const key = `${databaseUrl} ${queuePrefix}`;
  if (connections?.key === key) return connections;
  const knex = createKnex({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: 4 } });
  const redis = new IORedis(loadConfig().redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', (error) => log.warn({ err: error.message }, 'redis connection error'));
  const queues = createQueues(redis, queuePrefix);
  connections = { key, knex, redis, queues, gateway: new JobGateway(knex, queues, log) };
  return connections;
}

async function run(message: ToImportProcess): Promise<void> {
  try {
    const { knex, gateway } = connect(message.databaseUrl, message.queuePrefix);
    const outcome = await new ImportBatchRunner(knex, gateway, log, message.settings).run(message.batchId, (progress) => send({ type: 'progress', progress }));
    send({ type: 'done', outcome });
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
}

async function shutDown(code: number): Promise<never> {
  if (connections) {
    await closeQueues(connections.queues).catch(() => undefined);
    connections.redis.disconnect();
    await connections.knex.destroy().catch(() => undefined);
  }
  process.exit(code);
}

// The worker is gone (killed or crashed): stop now, so nothing of an unfinished import is committed.
process.on('disconnect', () => process.exit(1));
process.on('SIGTERM', () => void shutDown(0));
process.on('message', (message: ToImportProcess) => {
  if (message.type === 'run') void run(message);
});
send({ type: 'ready' });
