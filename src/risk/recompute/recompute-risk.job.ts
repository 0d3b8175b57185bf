import type { Job } from 'bullmq';
import type { MikroORM } from '@mikro-orm/postgresql';
import { RiskRecomputeService, type RiskOutcome } from './risk-recompute.service';
import type { Logger } from '../../shared/logger';
import type { JobGateway } from '../../jobs/job-gateway';
import { reportProgress, type RecomputeRiskPayload } from '../../jobs/queues';
import { afterRisk, requestFollowUp } from '../../jobs/recompute-chain';

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
    const next = await requestFollowUp(gateway, job, afterRisk(job.data), 'system');
    return next ? { ...outcome, next } : outcome;
  };
}
