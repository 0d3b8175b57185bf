/**
 * Cached GraphQL results in memory: least recently used first out, within an entry count and a byte budget,
 * each entry for a limited time (a few fields depend on the date, such as whether a measure is overdue).
 * Keys carry the data version they were read at, so entries of an older version are never served; clear()
 * just frees their memory sooner.
 */
export interface StoredResult {
  /** The whole response body as Apollo sent it, `{"data":…}`: a hit is written without serialising again. */
  body: Buffer;
  expiresAt: number;
}

export interface ResponseStoreLimits {
  maxEntries: number;
  maxBytes: number;
  ttlMs: number;
}

export class ResponseStore {
  /** Map order is recency order: a hit re-inserts its entry at the end. */
  private readonly entries = new Map<string, StoredResult>();
  private bytes = 0;

  constructor(
    private readonly limits: ResponseStoreLimits,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): StoredResult | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) {
      this.bytes -= entry.body.length;
      return null;
    }
    this.entries.set(key, entry);
    return entry;
  }

  /** Stores a serialised result; results too big for a tenth of the budget are not kept. */
  set(key: string, body: Buffer): boolean {
    if (body.length > this.limits.maxBytes / 10) return false;
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.bytes -= previous.body.length;
    }
    this.entries.set(key, { body, expiresAt: this.now() + this.limits.ttlMs });
    this.bytes += body.length;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.body.length;
    }
    return true;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}
