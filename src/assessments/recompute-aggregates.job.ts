import type { Job } from 'bullmq';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AggregateService, type AggregateOutcome } from './aggregate.service';
import type { Logger } from '../shared/logger';
import type { JobGateway } from '../jobs/job-gateway';
import { reportProgress, type RecomputeAggregatesPayload } from '../jobs/queues';
import { afterAggregates, requestFollowUp } from '../jobs/recompute-chain';

/**
 * Thin: one EntityManager fork per job, the work itself lives in AggregateService. With `then: 'risk'` the
 * risk recompute of the same schools and years is requested once the aggregates are fresh (through the outbox,
 * so it survives a Redis outage; `after` keeps a retried job from requesting it twice).
 */
export function recomputeAggregatesProcessor(orm: MikroORM, log: Logger, gateway: JobGateway) {
  return async (job: Job<RecomputeAggregatesPayload>): Promise<AggregateOutcome & { next?: string }> => {
    const started = Date.now();
    const service = new AggregateService(orm.em.fork());
    const outcome = await service.recompute(job.data, reportProgress(job));
    log.info({ jobId: job.id, reason: job.data.reason, ...outcome, ms: Date.now() - started }, 'aggregates recomputed');
    const next = await requestFollowUp(gateway, job, afterAggregates(job.data), String(job.data.requestedBy ?? 'system'));
    return next ? { ...outcome, next } : outcome;
  };
}
