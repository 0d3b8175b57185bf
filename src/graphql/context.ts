import type { MikroORM } from '@mikro-orm/postgresql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createAssessmentLoaders } from '../assessments/assessment.loaders';
import { createSchoolLoaders } from '../schools/school.loaders';
import type { Logger } from '../shared/logger';
import type { JobGateway } from '../../jobs/job-gateway';

export function createLoaders(em: EntityManager) {
  return { ...createSchoolLoaders(em), ...createAssessmentLoaders(em) };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** Everything one GraphQL request works with: its own EntityManager fork and its own DataLoaders. */
export interface RequestContext {
  em: EntityManager;
  loaders: Loaders;
  log: Logger;
  jobs: JobGateway;
}

export function createRequestContext(orm: MikroORM, log: Logger, jobs: JobGateway): RequestContext {
  const em = orm.em.fork();
  return { em, loaders: createLoaders(em), log, jobs };
}
