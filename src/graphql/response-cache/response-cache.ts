/**
 * The response cache of read queries: stored results and the keys they are stored under. A key holds the data
 * version, the caller's API key and whole scope, the query's hash, the operation name the client sent and its
 * variables, so an entry is only ever served to the same caller asking the same thing about the same data.
 */
import type { Principal } from '../../shared/principal';
import type { DataVersion } from '../../shared/data-changes';
import { ResponseStore, type ResponseStoreLimits } from './response-store';

export interface CacheRequest {
  queryHash: string;
  operationName: string | null | undefined;
  variables: Record<string, unknown> | null | undefined;
}

export class ResponseCache {
  readonly store: ResponseStore;
  private clearedAt: number | null = null;

  constructor(
    readonly version: DataVersion,
    limits: ResponseStoreLimits,
  ) {
    this.store = new ResponseStore(limits);
  }

  /** The key for a request now; null while changes cannot be observed (then nothing is cached). */
  keyFor(principal: Principal, request: CacheRequest): string | null {
    const version = this.version.current();
    // Entries of older versions can never be read again: free them at the first request that notices.
    if (version !== this.clearedAt) {
      this.store.clear();
      this.clearedAt = version;
    }
    if (version === null) return null;
    return [
      version, principal.actor, principal.role, principal.regionId, principal.municipalityId, principal.schoolId,
      request.queryHash, request.operationName ?? '', JSON.stringify(request.variables ?? {}),
    ].join('|');
  }
}

export function wantsFresh(header: (name: string) => string | undefined): boolean {
  return /no-cache|no-store/i.test(header('cache-control') ?? header('pragma') ?? '');
}
