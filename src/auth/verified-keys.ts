/**
 * Verified API keys kept in memory, so that a request answered from the response cache needs no database
 * round trip to know who asks. Safe because forgetting is immediate: every change of api_key (a revocation)
 * and of the data a key's scope comes from notifies at commit (src/shared/data-changes.ts), and while the
 * listener is disconnected every request is verified in the database. Expiry is checked on each use; only
 * keys that verified are kept (a wrong key always goes to the database), by the SHA-256 of what was presented.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { DataVersion } from '../shared/data-changes';
import { ApiKeyService, LAST_USED_RESOLUTION_MS, type VerifiedKey } from './api-key.service';
import type { Principal } from '../shared/principal';

interface Entry extends VerifiedKey {
  version: number;
  verifiedAt: number;
}

export class VerifiedKeys {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly version: DataVersion,
    private readonly ttlMs = 60_000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** `em`: an EntityManager, or how to get one when the database must be asked (most requests do not). */
  async authenticate(em: EntityManager | (() => EntityManager), presented: string): Promise<Principal | null> {
    const version = this.version.current();
    const service = () => new ApiKeyService(typeof em === 'function' ? em() : em);
    if (version === null) return service().authenticate(presented);
    const id = createHash('sha256').update(presented).digest('base64');
    const now = this.now();
    const entry = this.entries.get(id);
    if (entry && entry.version === version && now - entry.verifiedAt < this.ttlMs && (entry.expiresAt === null || entry.expiresAt > now)) {
      if (now - entry.lastUsedAt > LAST_USED_RESOLUTION_MS) {
        entry.lastUsedAt = now;
        await service().touch(entry.principal.keyId!);
      }
      return entry.principal;
    }
    this.entries.delete(id);
    const verified = await service().verify(presented);
    if (!verified) return null;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    // Stored under the version read before the database was asked: a change meanwhile makes it stale at once.
    this.entries.set(id, { ...verified, version, verifiedAt: now });
    return verified.principal;
  }
}
