import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobGateway } from '../jobs/job-gateway';
import type { Principal } from '../shared/principal';
import type { Logger } from '../shared/logger';

/**
 * The request's DataLoaders, by name. Each feature adds its own to this interface beside their factory
 * (`declare module '…/graphql/context' { interface Loaders extends SchoolLoaders {} }`) and the composition root
 * (src/app/request-context.ts) builds them all, so this plumbing, which every feature imports, imports no feature.
 */
export interface Loaders {}

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
