import type { EntityManager } from '@mikro-orm/postgresql';

/** A piece of SQL with its `?` bindings, so that conditions compose without counting placeholders by hand. */
export interface SqlFragment {
  sql: string;
  bindings: SqlBinding[];
}

/** What a `?` takes: scalars only (arrays travel as literals or JSON, see below). */
export type SqlBinding = string | number | boolean | null;

export const sqlFragment = (sql: string, bindings: SqlBinding[] = []): SqlFragment => ({ sql, bindings });

/** Conditions joined by AND; an empty list is `true`. */
export function allOf(fragments: readonly SqlFragment[]): SqlFragment {
  if (fragments.length === 0) return sqlFragment('true');
  return { sql: fragments.map((f) => `(${f.sql})`).join(' and '), bindings: fragments.flatMap((f) => f.bindings) };
}

/**
 * Runs one statement through the ORM connection, so that it is logged (and counted by the tests) like every
 * other statement of the request, and returns plain rows: no entity hydration on analytics paths.
 */
export async function selectRows<T>(em: EntityManager, query: SqlFragment): Promise<T[]> {
  return (await em.getConnection().execute(query.sql, query.bindings, 'all')) as T[];
}

/** A JSON array parameter (`?::jsonb`): safe for any text, unlike a hand-built array literal. */
export const jsonParam = (values: readonly unknown[]): string => JSON.stringify(values);

/**
 * Array parameters for raw SQL through knex: knex expands a JS array binding into a list of
 * placeholders, so arrays travel as PostgreSQL array literals and are cast in SQL (`?::int[]`).
 */
export function intArrayLiteral(values: readonly number[]): string {
  for (const value of values) {
    if (!Number.isSafeInteger(value)) throw new TypeError(`not an integer: ${value}`);
  }
  return `{${values.join(',')}}`;
}

/** An array literal of any values: numbers bare, text double-quoted with \ and " escaped, NULL for null. */
export function arrayLiteral(values: readonly (string | number | null)[]): string {
  return `{${values
    .map((value) => (value === null ? 'NULL' : typeof value === 'number' ? String(value) : `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`))
    .join(',')}}`;
}

/**
 * A value in COPY's text format (where \N is NULL): backslash, tab and line breaks inside it are escaped.
 * Called per cell of million-row imports: almost no value holds one of them, and a scan is several times
 * cheaper than a regular expression per value.
 */
export function copyText(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 92 || c === 9 || c === 10 || c === 13) {
      return value.replace(/[\\\t\n\r]/g, (m) => (m === '\\' ? '\\\\' : m === '\t' ? '\\t' : m === '\n' ? '\\n' : '\\r'));
    }
  }
  return value;
}

/** Splits a list into chunks of at most `size` items. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
