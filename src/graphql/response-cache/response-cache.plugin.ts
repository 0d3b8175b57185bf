/**
 * The Apollo side of the response cache: after parsing, validation and the guard rails (responseForOperation
 * runs after them), a cacheable query is looked up, and a fresh result without errors is marked for storing:
 * the middleware (src/app/cached-response.middleware.ts) keeps the body Apollo sends, so nothing is serialised twice.
 * Repeats are usually answered by that middleware without entering Apollo at all; this path serves the rest.
 *  - a mutation through this process bumps the data version itself, so the caller's next read sees its change;
 *  - `Cache-Control: no-cache` from a client asks for a fresh result.
 * The response says which it was in `x-msoko-cache: hit | miss | bypass`.
 */
import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { RequestContext } from '../context';
import { hubMetrics } from '../../shared/metrics';
import { isCacheableOperation } from './cacheable-operations';
import { wantsFresh, type ResponseCache } from './response-cache';

type Outcome = 'hit' | 'miss' | 'bypass';

export function responseCachePlugin(cache: ResponseCache): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      let key: string | null = null;
      let outcome: Outcome | null = null;
      return {
        async responseForOperation(request) {
          if (!request.operation || !request.queryHash || !isCacheableOperation(request.document, request.operation)) return null;
          key = cache.keyFor(request.contextValue.principal, {
            queryHash: request.queryHash,
            operationName: request.request.operationName,
            variables: request.request.variables,
          });
          if (key === null) return null;
          if (wantsFresh((name) => request.request.http?.headers.get(name))) {
            outcome = 'bypass';
            return null;
          }
          const stored = cache.store.get(key);
          if (stored === null) {
            outcome = 'miss';
            return null;
          }
          outcome = 'hit';
          const { data } = JSON.parse(stored.body.toString('utf8')) as { data: Record<string, unknown> };
          return { http: request.response.http, body: { kind: 'single', singleResult: { data } } };
        },
        async willSendResponse(request: GraphQLRequestContextWillSendResponse<RequestContext>) {
          if (request.operation?.operation === 'mutation') cache.version.bump();
          if (outcome === null) return;
          request.response.http.headers.set('x-msoko-cache', outcome);
          hubMetrics.responseCache.inc({ outcome });
          const body = request.response.body;
          if (outcome === 'hit' || key === null || body.kind !== 'single') return;
          const result = body.singleResult;
          if (result.errors?.length || !result.data || (request.response.http.status ?? 200) !== 200) return;
          const slot = request.contextValue.responseCacheSlot;
          if (slot) slot.key = key;
        },
      };
    },
  };
}
