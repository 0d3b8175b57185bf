import IORedis from 'ioredis';
import { JobGateway } from '../../src/jobs/job-gateway';
import { closeQueues, createQueues, type HubQueues } from '../../src/jobs/queues';
import { createHubServer, type HubServer, type HubServerDeps } from '../../src/app/http-server';
import { createLogger, type Logger } from '../../src/shared/logger';
import type { TestDatabase } from './database';
import { TEST_REDIS_URL } from './env';
import { deleteQueueKeys, testQueuePrefix } from './redis';

export interface TestHub {
  server: HubServer;
  /** http://127.0.0.1:<port>/graphql */
  url: string;
  /** http://127.0.0.1:<port> */
  base: string;
  prefix: string;
  redis: IORedis;
  queues: HubQueues;
  close(): Promise<void>;
}

/** The real HTTP server over a test database and the real Redis (a key prefix of its own), listening on a free port. */
export async function startTestHub(db: TestDatabase, options: { log?: Logger; limits?: HubServerDeps['limits']; imports?: HubServerDeps['imports'] } = {}): Promise<TestHub> {
  const prefix = testQueuePrefix();
  const log = options.log ?? createLogger('silent');
  const redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queues = createQueues(redis, prefix);
  const server = await createHubServer({
    orm: db.orm, jobs: new JobGateway(db.orm.em.getKnex(), queues, log), redis, log, queues,
    limits: { queuePrefix: prefix, ...options.limits }, imports: options.imports,
  });
  const url = await server.listen(0, '127.0.0.1');
  return {
    server, url, base: url.replace(/\/graphql$/, ''), prefix, redis, queues,
    async close() {
      await server.stop();
      await closeQueues(queues);
      redis.disconnect();
      await deleteQueueKeys(prefix);
    },
  };
}
