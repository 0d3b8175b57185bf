import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Principal } from '../shared/principal';
import type { JobGateway } from '../jobs/job-gateway';
import type { Loaders, RequestContext } from '../graphql/context';
import { createAssessmentLoaders } from '../assessments/assessment.loaders';
import { createExamTotalLoaders } from '../assessments/exam-totals.graphql';
import { createComparisonLoaders } from '../comparisons/comparison.loaders';
import { createRiskLoaders } from '../risk/graphql/risk.loaders';
import { createSchoolLoaders } from '../schools/school.loaders';
import type { Logger } from '../shared/logger';

/** Every feature's DataLoaders for one request; typed as Loaders, so a feature's loaders left out here do not compile. */
function createLoaders(em: EntityManager, principal: Principal): Loaders {
  return {
    ...createSchoolLoaders(em, principal),
    ...createAssessmentLoaders(em, principal),
    ...createExamTotalLoaders(em),
    ...createRiskLoaders(em, principal),
    ...createComparisonLoaders(em, principal),
  };
}

export function createRequestContext(orm: MikroORM, log: Logger, jobs: JobGateway, principal: Principal, remoteAddress: string | null = null): RequestContext {
  const em = orm.em.fork();
  return { em, principal, loaders: createLoaders(em, principal), log, jobs, remoteAddress };
}
