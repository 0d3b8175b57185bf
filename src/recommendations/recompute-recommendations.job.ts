import type { Job } from 'bullmq';
import type { MikroORM } from '@mikro-orm/postgresql';
import { PlanRecomputeService, type PlanOutcome } from './plans/plan-recompute.service';
import type { Logger } from '../shared/logger';
import { reportProgress, type RecomputeRecommendationsPayload } from '../jobs/queues';

/** Thin: zones → recommended measures → plans; human edits survive (see plan-sync.ts). */
export function recomputeRecommendationsProcessor(orm: MikroORM, log: Logger) {
  return async (job: Job<RecomputeRecommendationsPayload>): Promise<PlanOutcome> => {
    const started = Date.now();
    const progress = reportProgress(job);
    const outcome = await new PlanRecomputeService(orm.em.fork()).recompute({ schoolIds: job.data.schoolIds, years: job.data.years }, (done, total) =>
      progress({ stage: 'plans', done, total }),
    );
    log.info({ jobId: job.id, reason: job.data.reason, ...outcome.measures, ms: Date.now() - started }, 'plans recomputed');
    return outcome;
  };
}
