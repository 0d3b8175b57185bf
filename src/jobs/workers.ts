import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from '../shared/logger';
import { hubMetrics } from '../shared/metrics';
import { oncePerRequest, type JobGateway } from './job-gateway';
import { DEFAULT_JOB_OPTIONS, type QueueName } from './queues';

export interface WorkerOptions {
  orm: MikroORM;
  connection: ConnectionOptions;
  prefix: string;
  log: Logger;
  gateway: JobGateway;
  /** Job lock: a killed worker's active jobs go back to the queue at most 1.25 × this after the kill (see jobLocking). */
  lockMs?: number;
}

/**
 * Lock and stalled-job check of every worker. A killed worker's lock expires at most `lockMs` after the kill (it
 * was renewed every lockMs / 2); the stalled check, which runs once per `stalledInterval` for the whole queue (and
 * at once when a worker starts, unless another checked within the interval), marks active jobs on one pass and
 * moves those whose lock has gone back to the queue on the next. A check every lockMs / 4 thus bounds
 * kill → running again on a live idle worker by lockMs + lockMs / 4.
 */
function jobLocking(lockMs: number): { lockDuration: number; stalledInterval: number } {
  return { lockDuration: lockMs, stalledInterval: Math.max(250, Math.round(lockMs / 4)) };
}

/**
 * Jobs run at once per queue by one worker process. Risk recomputes hold a region lock and use the CPU: one at a
 * time (they yield to the event loop to renew the lock). Imports run one at a time, in an import process of the
 * worker's own (CPU-heavy parsing stays off this event loop).
 */
const CONCURRENCY = { aggregates: 2, risk: 1, recommendations: 1, imports: 1 } as const;

/** Database connections the running jobs' run locks hold (one each, see JobGateway.runOnce): the pool needs them on top. */
export const RUN_LOCK_CONNECTIONS = Object.values(CONCURRENCY).reduce((sum, n) => sum + n, 0);

/** Where a worker of its own is started (the imports run in a process of their own). */
export type WorkerStart = Pick<WorkerOptions, 'orm' | 'log' | 'gateway' | 'prefix'> & {
  settings: { connection: ConnectionOptions; lockDuration: number; stalledInterval: number };
};

/**
 * The work of one queue, as a feature hands it to the engine: a processor (run once per request, at the queue's
 * concurrency), or a worker of its own.
 */
export type QueueJob =
  | { queue: QueueName; processor: (job: Job) => Promise<unknown> }
  | { queue: QueueName; worker: (start: WorkerStart) => Worker };

/**
 * Starts one worker per queue job; outcomes go back to job_request. Close workers before queues and the ORM. The
 * engine knows no feature: the jobs come from the worker's entry (src/app/workers.ts).
 */
export function startQueueWorkers(options: WorkerOptions, jobs: readonly QueueJob[]): Worker[] {
  const { orm, connection, prefix, log, gateway, lockMs = 60_000 } = options;
  const common = { connection, prefix, ...jobLocking(lockMs) };
  const workers = jobs.map((job) =>
    'processor' in job
      ? new Worker(job.queue, oncePerRequest(gateway, job.processor), { ...common, concurrency: CONCURRENCY[job.queue] })
      : job.worker({ orm, log, gateway, prefix, settings: { connection, ...jobLocking(lockMs) } }),
  );
  const maxAttempts = DEFAULT_JOB_OPTIONS.attempts ?? 1;
  for (const worker of workers) {
    worker.on('completed', (job) => {
      hubMetrics.jobs.inc({ queue: worker.name, outcome: 'completed' });
      // The completion itself went to job_request inside the job (oncePerRequest).
      if (job.processedOn && job.finishedOn) hubMetrics.jobDuration.observe({ queue: worker.name }, (job.finishedOn - job.processedOn) / 1000);
    });
    worker.on('failed', (job, error) => {
      if (!job) return;
      const final = job.attemptsMade >= (job.opts.attempts ?? maxAttempts);
      hubMetrics.jobs.inc({ queue: worker.name, outcome: final ? 'failed' : 'retried' });
      log.warn({ queue: worker.name, jobId: job.id, attempts: job.attemptsMade, final, err: error }, 'job failed');
      gateway.recordFailure(job.id, { attempts: job.attemptsMade, error: error.message, final }).catch((err) => log.error({ err, jobId: job.id }, 'cannot record job outcome'));
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

/**
 * Runs gateway.reconcile() at once (a worker that starts picks up what Redis lost while no worker ran), every
 * `intervalMs`, and whenever `redis` (the queues' connection) is back after an outage, a restart being the usual
 * way to lose everything. A timer, not a BullMQ job scheduler: a scheduler lives in Redis and would be lost with
 * the jobs it is meant to find.
 */
export function startReconciler(gateway: JobGateway, log: Logger, intervalMs: number, redis?: Redis): () => void {
  let running = false;
  const pass = () => {
    if (running) return;
    running = true;
    gateway
      .reconcile()
      .then((outcome) => {
        if (outcome.redispatched || outcome.running || outcome.completed || outcome.failed) log.info({ ...outcome }, 'job requests reconciled with Redis');
      })
      .catch((err) => log.warn({ err: (err as Error).message }, 'reconciling job requests with Redis failed; next pass in the interval'))
      .finally(() => (running = false));
  };
  pass();
  const timer = setInterval(pass, intervalMs);
  timer.unref();
  redis?.on('ready', pass);
  return () => {
    clearInterval(timer);
    redis?.off('ready', pass);
  };
}
