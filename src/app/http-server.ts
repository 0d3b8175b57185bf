import { randomUUID } from 'node:crypto';
import http from 'node:http';
import express from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { JobGateway } from '../jobs/job-gateway';
import type { HubQueues } from '../jobs/queues';
import { RateLimiter, rateLimitedRoutes } from '../auth/rate-limiter';
import { Role } from '../shared/role';
import { authenticateRequest } from '../auth/request-auth';
import { VerifiedKeys } from '../auth/verified-keys';
import type { RequestContext } from '../graphql/context';
import { createRequestContext } from './request-context';
import { errorReportingPlugin, formatError } from '../graphql/errors';
import { DEFAULT_QUERY_LIMITS, queryLengthMiddleware, queryLimitsPlugin, type QueryLimits } from '../graphql/guard-rails';
import { cachedResponseMiddleware, type CheckedRequest } from './cached-response.middleware';
import { ResponseCache } from '../graphql/response-cache/response-cache';
import { responseCachePlugin } from '../graphql/response-cache/response-cache.plugin';
import { DataChangeListener } from '../shared/data-changes';
import { jitGateway } from '../graphql/jit-executor';
import { buildHubSchema } from './schema';
import { loadConfig } from '../config/config';
import { importRouteOptions, mountImportRoutes, type ImportRouteOptions } from '../imports/upload/import-routes';
import { UploadQuota, type UploadQuotaLimits } from '../imports/upload/upload-quota';
import { mountPlanExport } from '../recommendations/plans/plan-export.route';
import type { Logger } from '../shared/logger';
import { hubMetrics } from '../shared/metrics';
import { mountDashboard } from '../ui/dashboard.route';
import { mountIde } from '../ui/ide.route';
import { mountPages } from '../ui/pages/pages.route';
import { mountSignIn } from '../ui/sign-in.route';
import { collectQueueMetrics } from './metrics-collectors';

interface HubServerLimits {
  query: QueryLimits;
  /** Per key, on every authenticated route (GraphQL, uploads, downloads, pages). */
  rateLimitPerMinute: number;
  uploadQuota: UploadQuotaLimits;
  queuePrefix: string;
}

export interface HubServerDeps {
  orm: MikroORM;
  jobs: JobGateway;
  redis: Redis;
  log: Logger;
  queues?: HubQueues;
  limits?: Partial<Omit<HubServerLimits, 'query'>> & { query?: Partial<QueryLimits> };
  /** Response cache of read queries; by default from the environment (RESPONSE_CACHE_TTL_S, RESPONSE_CACHE_MB). */
  responseCache?: { ttlMs: number; maxBytes: number };
  /** Upload limit and directory of imports; by default from the environment (MAX_UPLOAD_MB, IMPORT_DIR). */
  imports?: ImportRouteOptions;
}

export interface HubServer {
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<RequestContext>;
  listen(port: number, host: string): Promise<string>;
  stop(): Promise<void>;
}

const DEFAULT_LIMITS: HubServerLimits = {
  query: DEFAULT_QUERY_LIMITS,
  rateLimitPerMinute: 1200,
  uploadQuota: { bytesPerDay: 2048 * 1024 * 1024, filesPerDay: 500 },
  queuePrefix: 'msoko',
};

/** Counts operations by name and outcome for /metrics. */
const operationMetricsPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ operationName, errors }) {
        // Names are the client's: the metric keeps a bounded number of series (shared/metrics.ts MAX_SERIES).
        hubMetrics.graphqlOperations.inc({ operation: (operationName ?? 'anonymous').slice(0, 64), outcome: errors?.length ? 'error' : 'ok' });
      },
    };
  },
};

/**
 * The last word on any request that failed outside a route's own handling — malformed JSON, a body over the
 * limit, an unexpected throw: a JSON answer with a code and the request id, never Express's page with stack
 * frames and install paths, whatever NODE_ENV says.
 */
function answerFailure(log: Logger): express.ErrorRequestHandler {
  return (error, req, res, _next) => {
    const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    const requestId = (req as express.Request & { requestId?: string }).requestId;
    const known: Record<string, [string, string]> = {
      'entity.parse.failed': ['BAD_REQUEST', 'Тело запроса — не JSON: проверьте синтаксис'],
      'entity.too.large': ['PAYLOAD_TOO_LARGE', 'Тело запроса больше допустимого (1 МБ): уменьшите запрос; файлы загружаются через POST /imports'],
      'encoding.unsupported': ['BAD_REQUEST', 'Кодировка тела запроса не поддерживается: используйте UTF-8'],
    };
    const [code, message] = known[error?.type] ?? (status < 500 ? ['BAD_REQUEST', 'Запрос не может быть обработан'] : ['INTERNAL_SERVER_ERROR', 'Внутренняя ошибка сервера; подробности записаны в журнал под номером запроса']);
    if (status >= 500) log.error({ err: error, requestId, path: req.path }, 'request failed');
    if (res.headersSent) return void res.end();
    // GraphQL clients read `errors`; the other routes answer as the upload route does.
    res.status(status).json(req.path.startsWith('/graphql') ? { errors: [{ message, extensions: { code, requestId } }] } : { error: { code, message, requestId } });
  };
}

/** The HTTP side of the hub: GraphQL at /graphql, exports, health probes and metrics beside it. */
export async function createHubServer(deps: HubServerDeps): Promise<HubServer> {
  const limits: HubServerLimits = { ...DEFAULT_LIMITS, ...deps.limits, query: { ...DEFAULT_LIMITS.query, ...deps.limits?.query } };
  const app = express();
  const httpServer = http.createServer(app);
  const rateLimiter = new RateLimiter(deps.redis, limits.queuePrefix, limits.rateLimitPerMinute, deps.log);
  const config = deps.responseCache === undefined || deps.imports === undefined ? loadConfig() : null;
  const cacheSettings = deps.responseCache ?? { ttlMs: config!.responseCacheTtlMs, maxBytes: config!.responseCacheBytes };
  const cachePlugins: ApolloServerPlugin<RequestContext>[] = [];
  let dataChanges: DataChangeListener | null = null;
  let verifiedKeys: VerifiedKeys | undefined;
  let responseCache: ResponseCache | null = null;
  if (cacheSettings.ttlMs > 0) {
    dataChanges = new DataChangeListener(String(deps.orm.config.get('clientUrl')), deps.log);
    await dataChanges.start();
    verifiedKeys = new VerifiedKeys(dataChanges.keys, cacheSettings.ttlMs);
    responseCache = new ResponseCache(dataChanges, { ttlMs: cacheSettings.ttlMs, maxBytes: cacheSettings.maxBytes, maxEntries: 20_000 });
    cachePlugins.push(responseCachePlugin(responseCache));
  }
  const apollo = new ApolloServer<RequestContext>({
    gateway: jitGateway(await buildHubSchema()),
    formatError,
    includeStacktraceInErrorResponses: false,
    // The parser stops at the token budget: a document is refused in linear time before validation.
    parseOptions: { maxTokens: limits.query.maxTokens },
    introspection: true,
    // The landing page would load Apollo Sandbox from a CDN (the hub serves its own offline IDE); cache-control
    // hints are unused and cost time on every field.
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), queryLimitsPlugin(limits.query), errorReportingPlugin(deps.log), ...cachePlugins, operationMetricsPlugin],
  });
  await apollo.start();
  if (deps.queues) collectQueueMetrics(deps.orm, deps.queues);
  hubMetrics.registry.collectProcessMetrics();

  app.disable('x-powered-by');
  // Every answer carries the id its log lines (and an unexpected error's message) are filed under.
  app.use((req, res, next) => {
    const requestId = randomUUID();
    (req as express.Request & { requestId?: string }).requestId = requestId;
    res.setHeader('x-request-id', requestId);
    next();
  });
  // ETags of POST answers serve no cache and cost a SHA-1 of every body (a page of facts is megabytes).
  app.set('etag', false);
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // The route pattern, never the raw path: ids in paths would make unbounded label sets.
      const route = req.route?.path ?? (req.baseUrl || 'other');
      hubMetrics.httpDuration.observe({ route: String(route), status: String(res.statusCode) }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  });
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
  // Every other route with a key presented counts against that key's rate limit, as /graphql does.
  app.use(rateLimitedRoutes({ orm: deps.orm, verifiedKeys, rateLimiter, log: deps.log }));
  app.get('/metrics', async (req, res) => {
    // Operation names, routes and queue depths are the operators' business: an administrator's key (Prometheus: bearer_token).
    const principal = await authenticateRequest(() => deps.orm.em.fork(), req.headers, verifiedKeys).catch(() => null);
    if (!principal || principal.role !== Role.ADMIN) {
      res.status(principal ? 403 : 401).json({ error: { code: principal ? 'FORBIDDEN' : 'UNAUTHENTICATED', message: 'Метрики доступны только с ключом администратора' } });
      return;
    }
    res.type(hubMetrics.registry.contentType).send(await hubMetrics.registry.expose());
  });
  mountPlanExport(app, deps.orm, deps.log);
  const uploadQuota = new UploadQuota(deps.redis, limits.queuePrefix, limits.uploadQuota, deps.log);
  mountImportRoutes(app, deps.orm, deps.log, { ...(deps.imports ?? importRouteOptions(config ?? loadConfig())), quota: uploadQuota });
  mountSignIn(app, deps.orm);
  mountIde(app);
  mountPages(app, deps.orm, deps.log);
  if (deps.queues) mountDashboard(app, deps.orm, deps.queues);
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    queryLengthMiddleware(limits.query.maxQueryLength),
    ...(responseCache ? [cachedResponseMiddleware({ cache: responseCache, orm: deps.orm, verifiedKeys, rateLimiter })] : []),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const checked = req as typeof req & CheckedRequest;
        const principal = checked.hubPrincipal ?? (await authenticateRequest(() => deps.orm.em.fork(), req.headers, verifiedKeys));
        if (!checked.hubRateChecked) await rateLimiter.check(principal.actor);
        const context = createRequestContext(deps.orm, deps.log, deps.jobs, principal, req.socket.remoteAddress ?? null);
        context.requestId = (req as typeof req & { requestId?: string }).requestId;
        context.responseCacheSlot = checked.hubCacheSlot;
        return context;
      },
    }),
  );

  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: 'Нет такого адреса' } });
  });
  app.use(answerFailure(deps.log));

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
    stop: async () => {
      await apollo.stop();
      await dataChanges?.stop();
    },
  };
}
