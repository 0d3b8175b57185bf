import http from 'node:http';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { JobGateway } from '../../jobs/job-gateway';
import { authenticateRequest } from '../auth/request-auth';
import { createRequestContext, type RequestContext } from '../graphql/context';
import { formatError } from '../graphql/errors';
import { buildHubSchema } from '../graphql/schema';
import { mountPlanExport } from '../recommendations/plans/plan-export.route';
import type { Logger } from '../shared/logger';

export interface HubServerDeps {
  orm: MikroORM;
  jobs: JobGateway;
  redis: Redis;
  log: Logger;
}

export interface HubServer {
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<RequestContext>;
  listen(port: number, host: string): Promise<string>;
  stop(): Promise<void>;
}

/** The HTTP side of the hub: GraphQL at /graphql, health probes beside it. */
export async function createHubServer(deps: HubServerDeps): Promise<HubServer> {
  const app = express();
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<RequestContext>({
    schema: await buildHubSchema(),
    formatError: formatError(deps.log),
    includeStacktraceInErrorResponses: false,
    introspection: true,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
  });
  await apollo.start();

  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const [postgres, redis] = await Promise.all([
      deps.orm.em.getConnection().execute('select 1').then(() => 'ok', (e: Error) => e.message),
      deps.redis.ping().then(() => 'ok', (e: Error) => e.message),
    ]);
    res.status(postgres === 'ok' && redis === 'ok' ? 200 : 503).json({ postgres, redis });
  });
  mountPlanExport(app, deps.orm, deps.log);
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const principal = await authenticateRequest(deps.orm.em.fork(), req.headers);
        return createRequestContext(deps.orm, deps.log, deps.jobs, principal, req.socket.remoteAddress ?? null);
      },
    }),
  );

  return {
    app,
    httpServer,
    apollo,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address();
          const actualPort = typeof address === 'object' && address ? address.port : port;
          resolve(`http://${host}:${actualPort}/graphql`);
        });
      }),
    stop: () => apollo.stop(),
  };
}
