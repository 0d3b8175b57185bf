import type { MikroORM } from '@mikro-orm/postgresql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobGateway } from '../jobs/job-gateway';
import type { Principal } from '../auth/principal';
import { createAssessmentLoaders } from '../assessments/assessment.loaders';
import { createComparisonLoaders } from '../comparisons/comparison.loaders';
import { createRiskLoaders } from '../risk/graphql/risk.loaders';
import { createSchoolLoaders } from '../schools/school.loaders';
import type { Logger } from '../shared/logger';

export function createLoaders(em: EntityManager, principal: Principal) {
  return {
    ...createSchoolLoaders(em, principal),
    ...createAssessmentLoaders(em, principal),
    ...createRiskLoaders(em, principal),
    ...createComparisonLoaders(em, principal),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** Everything one GraphQL request works with: its own EntityManager fork, its principal and its DataLoaders. */
export interface RequestContext {
  em: EntityManager;
  principal: Principal;
  loaders: Loaders;
  log: Logger;
  jobs: JobGateway;
  remoteAddress: string | null;
  /** The id of the HTTP request, in its logs and in an unexpected error's answer. */
  requestId?: string;
  /** Set by the response cache when this request's answer may be kept, under that key (HTTP requests only). */
  responseCacheSlot?: { key: string | null };
}

export function createRequestContext(orm: MikroORM, log: Logger, jobs: JobGateway, principal: Principal, remoteAddress: string | null = null): RequestContext {
  const em = orm.em.fork();
  return { em, principal, loaders: createLoaders(em, principal), log, jobs, remoteAddress };
}
