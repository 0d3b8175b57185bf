import { Queue, type ConnectionOptions, type Job, type JobsOptions } from 'bullmq';

/** Queue names: one per kind of work, so each can be scaled and watched on its own. */
export const QUEUE_NAMES = {
  aggregates: 'aggregates',
  risk: 'risk',
  recommendations: 'recommendations',
  imports: 'imports',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

export interface RecomputeAggregatesPayload extends Record<string, unknown> {
  /** Schools to recompute; null = all. */
  schoolIds: number[] | null;
  years: number[];
  /** Why the recompute was asked for (mutation, import batch id…), for the logs and the dashboard. */
  reason: string;
  /** Follow-up work once the aggregates are fresh (the import → aggregates → risk flow). */
  then?: 'risk';
}

export interface RecomputeRiskPayload extends Record<string, unknown> {
  /** Schools to recompute; null = every school of `regionIds` (or of every region). */
  schoolIds: number[] | null;
  regionIds: number[] | null;
  /** Years to recompute; null = every year with results. */
  years: number[] | null;
  reason: string;
  /** Follow-up once zones are fresh. */
  then?: 'recommendations';
}

export interface RecomputeRecommendationsPayload extends Record<string, unknown> {
  schoolIds: number[] | null;
  years: number[] | null;
  reason: string;
}

export interface ImportFilePayload extends Record<string, unknown> {
  /** The import batch to run (its options and file are in PostgreSQL). */
  batchId: number;
}

export const JOB_NAMES = {
  recomputeAggregates: 'recompute-aggregates',
  recomputeRisk: 'recompute-risk',
  recomputeRecommendations: 'recompute-recommendations',
  importFile: 'import-file',
} as const;

/** Retries with exponential backoff; finished jobs are kept long enough to be queried, then trimmed. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

export type HubQueues = Record<QueueName, Queue>;

/** A job's progress reporter. Progress is advisory: a job whose record Redis lost (restart, eviction) still finishes its work. */
export function reportProgress(job: Job): (progress: object) => Promise<void> {
  return (progress) => job.updateProgress({ ...progress }).catch(() => undefined);
}

export function createQueues(connection: ConnectionOptions, prefix: string): HubQueues {
  return {
    aggregates: new Queue(QUEUE_NAMES.aggregates, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS }),
    risk: new Queue(QUEUE_NAMES.risk, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS }),
    recommendations: new Queue(QUEUE_NAMES.recommendations, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS }),
    imports: new Queue(QUEUE_NAMES.imports, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS }),
  };
}

export async function closeQueues(queues: HubQueues): Promise<void> {
  await Promise.all(Object.values(queues).map((queue) => queue.close()));
}
