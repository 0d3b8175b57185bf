import type { Job } from 'bullmq';
import type { MikroORM } from '@mikro-orm/postgresql';
import { RiskRecomputeService, type RiskOutcome } from '../../src/risk/recompute/risk-recompute.service';
import type { Logger } from '../../src/shared/logger';
import { requestIdOf, type JobGateway } from '../job-gateway';
import { JOB_NAMES, QUEUE_NAMES, reportProgress, type RecomputeRiskPayload } from '../queues';

/**
 * Thin: one EntityManager fork per job; RiskRecomputeService does the work and reports progress.
 * With `then: 'recommendations'` (the import flow) the plans of the same schools follow.
 */
export function recomputeRiskProcessor(orm: MikroORM, log: Logger, gateway: JobGateway) {
  return async (job: Job<RecomputeRiskPayload>): Promise<RiskOutcome & { next?: string }> => {
    const started = Date.now();
    const outcome = await new RiskRecomputeService(orm.em.fork()).recompute(
      { schoolIds: job.data.schoolIds, regionIds: job.data.regionIds, years: job.data.years },
      reportProgress(job),
    );
    log.info({ jobId: job.id, reason: job.data.reason, schools: outcome.schools, flagged: outcome.flagged, ms: Date.now() - started }, 'risk recomputed');
    if (job.data.then === 'recommendations') {
      const next = await gateway.enqueue({
        queue: QUEUE_NAMES.recommendations,
        name: JOB_NAMES.recomputeRecommendations,
        payload: { schoolIds: job.data.schoolIds, years: job.data.years, reason: `after ${job.data.reason}` },
        requestedBy: 'system',
        after: requestIdOf(job.id) ?? undefined,
      });
      return { ...outcome, next: next.id };
    }
    return outcome;
  };
}
