import type { Job } from 'bullmq';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AggregateService, type AggregateOutcome } from '../../src/assessments/aggregate.service';
import type { Logger } from '../../src/shared/logger';
import type { RecomputeAggregatesPayload } from '../queues';

/** Thin: one EntityManager fork per job, the work itself lives in AggregateService. */
export function recomputeAggregatesProcessor(orm: MikroORM, log: Logger) {
  return async (job: Job<RecomputeAggregatesPayload>): Promise<AggregateOutcome> => {
    const started = Date.now();
    const service = new AggregateService(orm.em.fork());
    const outcome = await service.recompute(job.data, (progress) => job.updateProgress({ ...progress }));
    log.info({ jobId: job.id, reason: job.data.reason, ...outcome, ms: Date.now() - started }, 'aggregates recomputed');
    return outcome;
  };
}
