/**
 * Response cache for read queries. A school card or a comparison is read far more often than the data under it
 * changes (imports and recomputes), so results are kept per caller and per data version:
 *  - the key holds the API key and its whole scope, so no caller is ever served what another may see;
 *  - the data version comes from PostgreSQL's change notifications (src/shared/data-changes.ts); a write
 *    anywhere makes every older entry unreachable, and while the listener is down nothing is cached at all;
 *  - a mutation through this process bumps the version itself, so the caller's next read sees its change;
 *  - guard rails run first (responseForOperation comes after validation and the limits plugin), and
 *    `Cache-Control: no-cache` from a client asks for a fresh result.
 * The response says which it was in `x-msoko-cache: hit | miss | bypass`.
 */
import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { RequestContext } from '../context';
import type { DataVersion } from '../../shared/data-changes';
import { hubMetrics } from '../../shared/metrics';
import { isCacheableOperation } from './cacheable-operations';
import { ResponseStore, type ResponseStoreLimits } from './response-store';

export interface ResponseCacheOptions extends ResponseStoreLimits {
  version: DataVersion;
}

type Outcome = 'hit' | 'miss' | 'bypass';

function wantsFresh(headers: { get(name: string): string | undefined } | undefined): boolean {
  const value = headers?.get('cache-control') ?? headers?.get('pragma') ?? '';
  return /no-cache|no-store/i.test(value);
}

export function responseCachePlugin(options: ResponseCacheOptions): { plugin: ApolloServerPlugin<RequestContext>; store: ResponseStore } {
  const store = new ResponseStore(options);
  let clearedAt: number | null = null;
  const currentVersion = (): number | null => {
    const version = options.version.current();
    // Entries of older versions can never be read again: free them at the first request that notices.
    if (version !== clearedAt) {
      store.clear();
      clearedAt = version;
    }
    return version;
  };

  const plugin: ApolloServerPlugin<RequestContext> = {
    async requestDidStart() {
      let key: string | null = null;
      let outcome: Outcome | null = null;
      return {
        async responseForOperation(request) {
          if (!request.operation || !isCacheableOperation(request.document, request.operation)) return null;
          const version = currentVersion();
          if (version === null) return null;
          const { principal } = request.contextValue;
          key = [version, principal.actor, principal.role, principal.regionId, principal.municipalityId, principal.schoolId, request.queryHash, request.operationName ?? '', JSON.stringify(request.request.variables ?? {})].join('|');
          if (wantsFresh(request.request.http?.headers)) {
            outcome = 'bypass';
            return null;
          }
          const data = store.get(key);
          if (data === null) {
            outcome = 'miss';
            return null;
          }
          outcome = 'hit';
          return { http: request.response.http, body: { kind: 'single', singleResult: { data } } };
        },
        async willSendResponse(request: GraphQLRequestContextWillSendResponse<RequestContext>) {
          if (request.operation?.operation === 'mutation') options.version.bump();
          if (outcome === null) return;
          request.response.http.headers.set('x-msoko-cache', outcome);
          hubMetrics.responseCache.inc({ outcome });
          const body = request.response.body;
          if (outcome === 'hit' || key === null || body.kind !== 'single') return;
          const result = body.singleResult;
          if (result.errors?.length || !result.data || (request.response.http.status ?? 200) !== 200) return;
          store.set(key, result.data, Buffer.byteLength(JSON.stringify(result.data)));
        },
      };
    },
  };
  return { plugin, store };
}
