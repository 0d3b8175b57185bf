import type { Worker } from 'bullmq';
import { recomputeAggregatesProcessor } from '../assessments/recompute-aggregates.job';
import { createImportWorker } from '../imports/import.job';
import { QUEUE_NAMES } from '../jobs/queues';
import { startQueueWorkers, type QueueJob, type WorkerOptions } from '../jobs/workers';
import { recomputeRecommendationsProcessor } from '../recommendations/recompute-recommendations.job';
import { recomputeRiskProcessor } from '../risk/recompute/recompute-risk.job';

/**
 * The hub's jobs, registered with the queue engine: each lives in its feature (imports, aggregates, risk,
 * recommendations), and only this entry knows them all — the engine (src/jobs) knows none, and no feature
 * imports another's job.
 */
function hubJobs({ orm, log, gateway }: Pick<WorkerOptions, 'orm' | 'log' | 'gateway'>): QueueJob[] {
  return [
    { queue: QUEUE_NAMES.aggregates, processor: recomputeAggregatesProcessor(orm, log, gateway) },
    { queue: QUEUE_NAMES.risk, processor: recomputeRiskProcessor(orm, log, gateway) },
    { queue: QUEUE_NAMES.recommendations, processor: recomputeRecommendationsProcessor(orm, log) },
    { queue: QUEUE_NAMES.imports, worker: createImportWorker },
  ];
}

/** One worker per queue of the hub. Close them (closeWorkers) before the queues and the ORM. */
export function startWorkers(options: WorkerOptions): Worker[] {
  return startQueueWorkers(options, hubJobs(options));
}
