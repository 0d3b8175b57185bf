import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../shared/principal';
import { municipalityScopeFragment, regionScopeFragment, schoolScopeFragment } from '../auth/scope';
import { intArrayLiteral, type SqlFragment } from '../shared/sql';
import { manyLoader, oneLoader } from '../shared/batch';
import { selectViews } from './entity-views';
import { Municipality } from '../territory/municipality.entity';
import { Region } from '../territory/region.entity';
import { SchoolAlias } from '../territory/school-alias.entity';
import { SchoolContext } from './school-context.entity';
import { School } from '../territory/school.entity';

/**
 * Loaders of one request; those reaching regions, municipalities and schools by id apply the scope in SQL (the
 * raw twins of src/auth/scope.ts). Hand-written statements and read-only views (src/schools/entity-views.ts):
 * the ORM's query builder and hydration cost more than the statements themselves on this hot path.
 */
export function createSchoolLoaders(em: EntityManager, principal: Principal) {
  const scoped = <T extends object>(entity: EntityClass<T>, table: string, scope: SqlFragment) => (ids: readonly number[]) =>
    selectViews(em, entity, `select t.* from ${table} t where t.id = any(?::int[]) and (${scope.sql})`, [intArrayLiteral(ids), ...scope.bindings]);
  const bySchool = <T extends object>(entity: EntityClass<T>, table: string, order: string) => (ids: readonly number[]) =>
    selectViews(em, entity, `select * from ${table} where school_id = any(?::int[]) order by ${order}`, [intArrayLiteral(ids)]);
  return {
    region: oneLoader(scoped(Region, 'region', regionScopeFragment(principal, 't')), (r) => r.id),
    municipality: oneLoader(scoped(Municipality, 'municipality', municipalityScopeFragment(principal, 't')), (m) => m.id),
    school: oneLoader(scoped(School, 'school', schoolScopeFragment(principal, 't')), (s) => s.id),
    aliasesBySchool: manyLoader(bySchool(SchoolAlias, 'school_alias', 'kind, value'), (a) => a.school.id),
    contextsBySchool: manyLoader(bySchool(SchoolContext, 'school_context', 'year'), (c) => c.school.id),
  };
}

type SchoolLoaders = ReturnType<typeof createSchoolLoaders>;

declare module '../graphql/context' {
  interface Loaders extends SchoolLoaders {}
}
