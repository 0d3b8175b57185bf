import { ApolloServer } from '@apollo/server';
import IORedis from 'ioredis';
import { BullJobGateway } from '../../jobs/job-gateway';
import { closeQueues, createQueues, type HubQueues } from '../../jobs/queues';
import type { MikroORM } from '../../src/db/orm';
import { createRequestContext, type RequestContext } from '../../src/graphql/context';
import { formatError } from '../../src/graphql/errors';
import { buildHubSchema } from '../../src/graphql/schema';
import { createLogger } from '../../src/shared/logger';
import { TEST_REDIS_URL } from './env';
import { deleteQueueKeys, testQueuePrefix } from './redis';

export interface GraphQLResult {
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: Record<string, any>; path?: readonly (string | number)[] }[];
}

export interface TestApi {
  query(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult>;
  queues: HubQueues;
  prefix: string;
  close(): Promise<void>;
}

/** The real schema and context over a test database and the real Redis (own key prefix), without HTTP. */
export async function createTestApi(orm: MikroORM): Promise<TestApi> {
  const log = createLogger('silent');
  const prefix = testQueuePrefix();
  const redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queues = createQueues(redis, prefix);
  const jobs = new BullJobGateway(queues);
  const server = new ApolloServer<RequestContext>({ schema: await buildHubSchema(), formatError: formatError(log), includeStacktraceInErrorResponses: false });
  await server.start();
  return {
    queues,
    prefix,
    async query(query, variables) {
      const response = await server.executeOperation({ query, variables }, { contextValue: createRequestContext(orm, log, jobs) });
      if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
      return response.body.singleResult as GraphQLResult;
    },
    async close() {
      await server.stop();
      await closeQueues(queues);
      redis.disconnect();
      await deleteQueueKeys(prefix);
    },
  };
}
