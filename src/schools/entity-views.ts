import { ReferenceKind, type EntityClass, type EntityMetadata, type FilterQuery, type QueryOrderMap } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Read-only entity views for the GraphQL read path. Hydrating managed entities is the dominant cost of a school
 * card or a list of schools (identity map, change-tracking setters, relation propagation for every row), and
 * reads never write. A view is an `instanceof` its entity class — type-graphql passes it to field resolvers as
 * is — whose values live in plain properties, with relations as `{ id }` references, exactly what the resolvers
 * and loaders read. Views are never managed by an EntityManager and must never be persisted.
 *
 * `findViews` builds the statement with the ORM's query builder from the same FilterQuery conditions as
 * `em.find` (so scope conditions from src/auth/scope.ts apply unchanged) and reads the rows raw; the statement
 * is logged and counted like any other.
 */

interface ViewShape {
  prototype: object;
  columns: { property: string; column: string; reference: boolean }[];
}

const shapes = new WeakMap<EntityMetadata, ViewShape>();

function shapeOf(meta: EntityMetadata): ViewShape {
  let shape = shapes.get(meta);
  if (shape) return shape;
  const columns = meta.props
    .filter((prop) => prop.persist !== false && prop.fieldNames?.length === 1 && [ReferenceKind.SCALAR, ReferenceKind.MANY_TO_ONE].includes(prop.kind))
    .map((prop) => ({ property: prop.name, column: prop.fieldNames[0], reference: prop.kind === ReferenceKind.MANY_TO_ONE }));
  const descriptors: PropertyDescriptorMap = {};
  for (const { property } of columns) descriptors[property] = { value: null, writable: true, enumerable: true, configurable: true };
  shape = { prototype: Object.create(meta.class.prototype, descriptors), columns };
  shapes.set(meta, shape);
  return shape;
}

/** Rows as read from the table (column names) → views of `entity`. */
export function toViews<T extends object>(em: EntityManager, entity: EntityClass<T>, rows: readonly Record<string, unknown>[]): T[] {
  const { prototype, columns } = shapeOf(em.getMetadata().get(entity.name));
  return rows.map((row) => {
    const view = Object.create(prototype);
    for (const { property, column, reference } of columns) {
      const value = row[column] ?? null;
      view[property] = reference && value !== null ? { id: value } : value;
    }
    return view as T;
  });
}

export interface ViewOptions<T> {
  orderBy?: QueryOrderMap<T>;
  limit?: number;
}

/** `em.find` for reads: the same conditions and order, rows as views instead of managed entities. */
export async function findViews<T extends object>(em: EntityManager, entity: EntityClass<T>, where: FilterQuery<T>, options: ViewOptions<T> = {}): Promise<T[]> {
  const query = em.createQueryBuilder(entity).select('*').where(where);
  if (options.orderBy) query.orderBy(options.orderBy);
  if (options.limit !== undefined) query.limit(options.limit);
  return toViews(em, entity, await query.execute('all', false));
}

/** A hand-written statement whose rows are those of `entity`'s table, as views. */
export async function selectViews<T extends object>(em: EntityManager, entity: EntityClass<T>, sql: string, bindings: readonly unknown[]): Promise<T[]> {
  return toViews(em, entity, await em.getConnection().execute(sql, [...bindings], 'all'));
}
