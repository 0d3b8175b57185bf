import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../auth/principal';
import { municipalityScope, regionScope, schoolScope } from '../auth/scope';
import { manyLoader, oneLoader } from '../shared/batch';
import { Municipality } from './municipality.entity';
import { Region } from './region.entity';
import { SchoolAlias } from './school-alias.entity';
import { SchoolContext } from './school-context.entity';
import { School } from './school.entity';

/** Loaders of one request; those reaching regions, municipalities and schools by id apply the scope in SQL. */
export function createSchoolLoaders(em: EntityManager, principal: Principal) {
  return {
    region: oneLoader((ids) => em.find(Region, { $and: [{ id: { $in: [...ids] } }, regionScope(principal)] }), (r) => r.id),
    municipality: oneLoader((ids) => em.find(Municipality, { $and: [{ id: { $in: [...ids] } }, municipalityScope(principal)] }), (m) => m.id),
    school: oneLoader((ids) => em.find(School, { $and: [{ id: { $in: [...ids] } }, schoolScope(principal)] }), (s) => s.id),
    aliasesBySchool: manyLoader(
      (ids) => em.find(SchoolAlias, { school: { $in: [...ids] } }, { orderBy: { kind: 'asc', value: 'asc' } }),
      (a) => a.school.id,
    ),
    contextsBySchool: manyLoader(
      (ids) => em.find(SchoolContext, { school: { $in: [...ids] } }, { orderBy: { year: 'asc' } }),
      (c) => c.school.id,
    ),
  };
}

export type SchoolLoaders = ReturnType<typeof createSchoolLoaders>;
