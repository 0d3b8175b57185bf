import type { Job } from 'bullmq';
import type { MikroORM } from '@mikro-orm/postgresql';
import { RiskRecomputeService, type RiskOutcome } from '../../src/risk/recompute/risk-recompute.service';
import type { Logger } from '../../src/shared/logger';
import type { RecomputeRiskPayload } from '../queues';

/** Thin: one EntityManager fork per job; RiskRecomputeService does the work and reports progress. */
export function recomputeRiskProcessor(orm: MikroORM, log: Logger) {
  return async (job: Job<RecomputeRiskPayload>): Promise<RiskOutcome> => {
    const started = Date.now();
    const outcome = await new RiskRecomputeService(orm.em.fork()).recompute(
      { schoolIds: job.data.schoolIds, regionIds: job.data.regionIds, years: job.data.years },
      (progress) => job.updateProgress({ ...progress }),
    );
    log.info({ jobId: job.id, reason: job.data.reason, schools: outcome.schools, flagged: outcome.flagged, ms: Date.now() - started }, 'risk recomputed');
    return outcome;
  };
}
