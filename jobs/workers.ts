import { Worker, type ConnectionOptions } from 'bullmq';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../src/shared/logger';
import { recomputeAggregatesProcessor } from './processors/recompute-aggregates.processor';
import { QUEUE_NAMES } from './queues';

export interface WorkerOptions {
  orm: MikroORM;
  connection: ConnectionOptions;
  prefix: string;
  log: Logger;
}

/** Starts one worker per queue. Close them before the queues and the ORM on shutdown. */
export function startWorkers({ orm, connection, prefix, log }: WorkerOptions): Worker[] {
  const workers = [
    new Worker(QUEUE_NAMES.aggregates, recomputeAggregatesProcessor(orm, log), { connection, prefix, concurrency: 2 }),
  ];
  for (const worker of workers) {
    worker.on('failed', (job, error) => log.warn({ queue: worker.name, jobId: job?.id, attempts: job?.attemptsMade, err: error }, 'job failed'));
    worker.on('error', (error) => log.error({ queue: worker.name, err: error }, 'worker error'));
  }
  return workers;
}

export async function closeWorkers(workers: Worker[]): Promise<void> {
  await Promise.all(workers.map((worker) => worker.close()));
}
