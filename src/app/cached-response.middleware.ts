/**
 * Repeats answered before Apollo: a POST whose caller, query hash, operation name and variables match a stored
 * result is sent its stored body as is. Only a request that went through the whole pipeline once — validation,
 * guard rails, scope checks in SQL — can have left an entry, so skipping the pipeline skips no check the same
 * request has not passed; authentication and the rate limit still run on every request. Anything else (no
 * entry, a bypass, a batch, a caller the key does not verify) goes on to Apollo, which says what is wrong.
 * The principal and the rate-limit check travel on the request, so Apollo's context does not repeat them.
 * It lives in the composition root because it joins src/auth (authentication, the rate limit) to the cache in
 * src/graphql, and src/auth's resolvers already import src/graphql (the request context, errors).
 */
import { createHash } from 'node:crypto';
import type express from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Principal } from '../shared/principal';
import type { RateLimiter } from '../auth/rate-limiter';
import { authenticateRequest } from '../auth/request-auth';
import type { VerifiedKeys } from '../auth/verified-keys';
import { hubMetrics } from '../shared/metrics';
import { wantsFresh, type ResponseCache } from '../graphql/response-cache/response-cache';

export interface CheckedRequest {
  hubPrincipal?: Principal;
  hubRateChecked?: boolean;
  /** Where the plugin says, for a request that goes on to Apollo, whether and under which key to keep its answer. */
  hubCacheSlot?: { key: string | null };
}

/** Keeps the body Apollo sends when the plugin marked the answer as one to keep. */
function keepWhatApolloSends(res: express.Response, slot: { key: string | null }, cache: ResponseCache): void {
  const send = res.send.bind(res);
  res.send = (body?: unknown) => {
    if (slot.key !== null && res.statusCode === 200 && typeof body === 'string') cache.store.set(slot.key, Buffer.from(body));
    return send(body);
  };
}

interface GraphQLBody {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: { persistedQuery?: { sha256Hash?: unknown } };
}

/** The hash Apollo files the query under; null when Apollo must judge the request (a hash that does not match its query). */
function queryHashOf(body: GraphQLBody): string | null {
  const sent = body.extensions?.persistedQuery?.sha256Hash;
  if (typeof body.query !== 'string') return typeof sent === 'string' ? sent : null;
  const hash = createHash('sha256').update(body.query).digest('hex');
  return sent === undefined || sent === hash ? hash : null;
}

export function cachedResponseMiddleware(deps: { cache: ResponseCache; orm: MikroORM; verifiedKeys?: VerifiedKeys; rateLimiter: RateLimiter }): express.RequestHandler {
  return async (req, res, nextHandler) => {
    const checked = req as express.Request & CheckedRequest;
    const next = () => {
      checked.hubCacheSlot = { key: null };
      keepWhatApolloSends(res, checked.hubCacheSlot, deps.cache);
      nextHandler();
    };
    const body = req.body as GraphQLBody | undefined;
    if (req.method !== 'POST' || body === null || typeof body !== 'object' || Array.isArray(body) || wantsFresh((name) => req.get(name))) return next();
    const queryHash = queryHashOf(body);
    if (queryHash === null) return next();
    try {
      checked.hubPrincipal = await authenticateRequest(() => deps.orm.em.fork(), req.headers, deps.verifiedKeys);
    } catch {
      return next();
    }
    const variables = body.variables && typeof body.variables === 'object' ? (body.variables as Record<string, unknown>) : null;
    const key = deps.cache.keyFor(checked.hubPrincipal, { queryHash, operationName: typeof body.operationName === 'string' ? body.operationName : null, variables });
    const stored = key === null ? null : deps.cache.store.get(key);
    if (stored === null) return next();
    try {
      await deps.rateLimiter.check(checked.hubPrincipal.actor);
    } catch {
      // Over the limit: Apollo's context checks again and answers RATE_LIMITED in its own format.
      return next();
    }
    checked.hubRateChecked = true;
    hubMetrics.responseCache.inc({ outcome: 'hit' });
    res.status(200).set({ 'content-type': 'application/json; charset=utf-8', 'x-msoko-cache': 'hit', 'cache-control': 'private, no-store' }).end(stored.body);
  };
}
