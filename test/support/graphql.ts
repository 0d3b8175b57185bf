import { ApolloServer } from '@apollo/server';
import { JobGateway } from '../../src/jobs/job-gateway';
import { closeQueues, createQueues, type HubQueues } from '../../src/jobs/queues';
import { SYSTEM_PRINCIPAL, type Principal } from '../../src/shared/principal';
import type { MikroORM } from '../../src/db/orm';
import { createRequestContext } from '../../src/app/request-context';
import type { RequestContext } from '../../src/graphql/context';
import { errorReportingPlugin, formatError } from '../../src/graphql/errors';
import { jitGateway } from '../../src/graphql/jit-executor';
import { buildHubSchema } from '../../src/app/schema';
import { createLogger } from '../../src/shared/logger';
import { createProducerRedis } from '../../src/shared/redis';
import { TEST_REDIS_URL } from './env';
import { deleteQueueKeys, testQueuePrefix } from './redis';

interface GraphQLResult {
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: Record<string, any>; path?: readonly (string | number)[] }[];
}

export interface TestApi {
  /** Runs an operation as `principal` (an admin by default). */
  query(query: string, variables?: Record<string, unknown>, principal?: Principal): Promise<GraphQLResult>;
  queues: HubQueues;
  gateway: JobGateway;
  prefix: string;
  close(): Promise<void>;
}

const TEST_ADMIN: Principal = { ...SYSTEM_PRINCIPAL, actor: 'test-admin' };

/** The real schema and context over a test database and the real Redis (own key prefix), without HTTP. */
export async function createTestApi(orm: MikroORM): Promise<TestApi> {
  const log = createLogger('silent');
  const prefix = testQueuePrefix();
  const redis = createProducerRedis(TEST_REDIS_URL);
  redis.on('error', () => undefined);
  const queues = createQueues(redis, prefix);
  const gateway = new JobGateway(orm.em.getKnex(), queues, log);
  const server = new ApolloServer<RequestContext>({ gateway: jitGateway(await buildHubSchema()), formatError, plugins: [errorReportingPlugin(log)], includeStacktraceInErrorResponses: false });
  await server.start();
  return {
    queues,
    gateway,
    prefix,
    async query(query, variables, principal = TEST_ADMIN) {
      const response = await server.executeOperation({ query, variables }, { contextValue: createRequestContext(orm, log, gateway, principal) });
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
