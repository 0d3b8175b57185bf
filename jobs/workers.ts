import { Worker, type ConnectionOptions } from 'bullmq';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../src/shared/logger';
import { hubMetrics } from '../src/shared/metrics';
import type { JobGateway } from './job-gateway';
import { createImportWorker } from './processors/import.processor';
import { recomputeAggregatesProcessor } from './processors/recompute-aggregates.processor';
import { recomputeRecommendationsProcessor } from './processors/recompute-recommendations.processor';
import { recomputeRiskProcessor } from './processors/recompute-risk.processor';
import { DEFAULT_JOB_OPTIONS, QUEUE_NAMES } from './queues';

export interface WorkerOptions {
  orm: MikroORM;
  connection: ConnectionOptions;
  prefix: string;
  log: Logger;
  gateway: JobGateway;
  /** Job lock and stalled-check interval: a killed worker's active jobs go back to the queue after this. */
  lockMs?: number;
}

/** Starts one worker per queue; outcomes go back to job_request. Close workers before queues and the ORM. */
export function startWorkers({ orm, connection, prefix, log, gateway, lockMs = 60_000 }: WorkerOptions): Worker[] {
  const common = { connection, prefix, lockDuration: lockMs, stalledInterval: lockMs };
  const workers = [
    new Worker(QUEUE_NAMES.aggregates, recomputeAggregatesProcessor(orm, log, gateway), { ...common, concurrency: 2 }),
    // Risk recomputes hold a region lock and use the CPU: one at a time (they yield to the event loop to renew the lock).
    new Worker(QUEUE_NAMES.risk, recomputeRiskProcessor(orm, log, gateway), { ...common, concurrency: 1 }),
    new Worker(QUEUE_NAMES.recommendations, recomputeRecommendationsProcessor(orm, log), { ...common, concurrency: 1 }),
    // Imports run one at a time, in an import process of the worker's own (CPU-heavy parsing stays off this event loop).
    createImportWorker(orm, log, prefix, { connection, lockDuration: lockMs, stalledInterval: lockMs }),
  ];
  const maxAttempts = DEFAULT_JOB_OPTIONS.attempts ?? 1;
  for (const worker of workers) {
    worker.on('completed', (job, result) => {
      hubMetrics.jobs.inc({ queue: worker.name, outcome: 'completed' });
      if (job.processedOn && job.finishedOn) hubMetrics.jobDuration.observe({ queue: worker.name }, (job.finishedOn - job.processedOn) / 1000);
      gateway.recordOutcome(job.id, { completed: true, attempts: job.attemptsMade, result, final: true }).catch((err) => log.error({ err, jobId: job.id }, 'cannot record job outcome'));
    });
    worker.on('failed', (job, error) => {
      if (!job) return;
      const final = job.attemptsMade >= (job.opts.attempts ?? maxAttempts);
      hubMetrics.jobs.inc({ queue: worker.name, outcome: final ? 'failed' : 'retried' });
      log.warn({ queue: worker.name, jobId: job.id, attempts: job.attemptsMade, final, err: error }, 'job failed');
      gateway.recordOutcome(job.id, { completed: false, attempts: job.attemptsMade, error: error.message, final }).catch((err) => log.error({ err, jobId: job.id }, 'cannot record job outcome'));
    });
    worker.on('error', (error) => log.error({ queue: worker.name, err: error }, 'worker error'));
  }
  return workers;
}

export async function closeWorkers(workers: Worker[]): Promise<void> {
  await Promise.all(workers.map((worker) => worker.close()));
}

/** Hands pending job requests to Redis every `intervalMs` (they pile up in PostgreSQL while Redis is down). */
export function startDispatcher(gateway: JobGateway, log: Logger, intervalMs = 2000): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    gateway
      .dispatchPending()
      .then((sent) => sent && log.info({ sent }, 'pending job requests handed to Redis'))
      .catch((err) => log.warn({ err }, 'dispatching pending job requests failed'))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
