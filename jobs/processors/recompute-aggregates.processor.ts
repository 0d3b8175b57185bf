import type { Job } from 'bullmq';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AggregateService, type AggregateOutcome } from '../../src/assessments/aggregate.service';
import type { Logger } from '../../src/shared/logger';
import { requestIdOf, type JobGateway } from '../job-gateway';
import { JOB_NAMES, QUEUE_NAMES, reportProgress, type RecomputeAggregatesPayload } from '../queues';

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
    if (job.data.then === 'risk') {
      const next = await gateway.enqueue({
        queue: QUEUE_NAMES.risk,
        name: JOB_NAMES.recomputeRisk,
        payload: { schoolIds: job.data.schoolIds, regionIds: null, years: job.data.years, reason: `after ${job.data.reason}`, then: 'recommendations' },
        requestedBy: String(job.data.requestedBy ?? 'system'),
        after: requestIdOf(job.id) ?? undefined,
      });
      return { ...outcome, next: next.id };
    }
    return outcome;
  };
}
