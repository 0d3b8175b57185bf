/**
 * Versions of stored rows, for the region inputs a recompute keeps between jobs (region-results.ts): a copy is reused only while the version of the rows it was read from is unchanged.
 *
 * The version of a set of rows is their count and the sum of a 64-bit hash of each row's `xmin` (the
 * transaction that wrote that row version). Every INSERT or UPDATE gives a row a new `xmin` — a transaction
 * id never handed out before — and a DELETE takes one away, so any committed change of the set changes its
 * version, whoever wrote it (imports, aggregates, a CLI, psql) and without triggers or an `updated_at`
 * every writer would have to remember; a rolled-back change leaves the old row versions, and the old version.
 * Two different sets share a version only by a 64-bit hash collision. Reading the versions costs one scan of
 * the rows' visibility information, not of their contents (no histogram, no JSON is read or converted).
 * Computed in the same statement as any data read with it, so a copy and its version come from one snapshot.
 *
 * Versions are compared only within one database (the caches are per connection pool): clones of a
 * template database start with the same `xmin`s.
 */
export const rowVersionSum = (alias: string) => `sum(hashint8extended(${alias}.xmin::text::bigint, 0))`;

/** One version text from the parts `concat_ws` puts together (NULL parts — no rows — are skipped, counts are not). */
export const versionText = (...parts: string[]) => `concat_ws(':', ${parts.join(', ')})`;

/**
 * Per connection pool (a knex instance: one database), a small map of the last copies kept; the least
 * recently used goes first. A copy is never trusted because it is here — callers compare versions.
 */
export class PerDatabaseCache<V> {
  private readonly byDatabase = new WeakMap<object, Map<string, V>>();

  constructor(private readonly limit: number) {}

  get(database: object, key: string): V | undefined {
    const map = this.byDatabase.get(database);
    const value = map?.get(key);
    if (map && value !== undefined) {
      map.delete(key);
      map.set(key, value);
    }
    return value;
  }

  set(database: object, key: string, value: V): void {
    const map = this.byDatabase.get(database) ?? this.byDatabase.set(database, new Map()).get(database)!;
    map.delete(key);
    map.set(key, value);
    while (map.size > this.limit) map.delete(map.keys().next().value as string);
  }
}
