import DataLoader from 'dataloader';

/** Groups rows by a key, keeping the order of the keys asked for (DataLoader's contract). */
function groupBy<K, T>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): T[][] {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(row);
  }
  return keys.map((key) => groups.get(key) ?? []);
}

export function byKey<K, T>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): (T | null)[] {
  const map = new Map<K, T>();
  for (const row of rows) map.set(keyOf(row), row);
  return keys.map((key) => map.get(key) ?? null);
}

/** A loader of many rows per key: one query for all the keys of a tick. */
export function manyLoader<T>(load: (keys: readonly number[]) => Promise<T[]>, keyOf: (row: T) => number): DataLoader<number, T[]> {
  return new DataLoader(async (keys) => groupBy(keys, await load(keys), keyOf));
}

/** A loader of one row per key. */
export function oneLoader<T>(load: (keys: readonly number[]) => Promise<T[]>, keyOf: (row: T) => number): DataLoader<number, T | null> {
  return new DataLoader(async (keys) => byKey(keys, await load(keys), keyOf));
}

/**
 * A loader of many rows per (key, filter): keys sharing a filter are loaded in one query, so a list of
 * schools asking for the same results filter costs one statement whatever its length.
 */
export function filteredManyLoader<F, T>(
  load: (keys: number[], filter: F) => Promise<T[]>,
  keyOf: (row: T) => number,
): DataLoader<{ id: number; filter: F }, T[], string> {
  return new DataLoader(
    async (requests) => {
      const byFilter = new Map<string, { filter: F; ids: number[] }>();
      for (const { id, filter } of requests) {
        const signature = JSON.stringify(filter ?? null);
        const entry = byFilter.get(signature) ?? { filter, ids: [] };
        entry.ids.push(id);
        byFilter.set(signature, entry);
      }
      const loaded = new Map<string, T[][]>();
      await Promise.all(
        [...byFilter].map(async ([signature, { filter, ids }]) => {
          loaded.set(signature, groupBy(ids, await load(ids, filter), keyOf));
        }),
      );
      const cursor = new Map<string, number>();
      return requests.map(({ filter }) => {
        const signature = JSON.stringify(filter ?? null);
        const position = cursor.get(signature) ?? 0;
        cursor.set(signature, position + 1);
        return loaded.get(signature)![position];
      });
    },
    { cacheKeyFn: ({ id, filter }) => `${id}|${JSON.stringify(filter ?? null)}` },
  );
}
