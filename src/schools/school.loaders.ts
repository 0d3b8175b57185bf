import type { EntityManager } from '@mikro-orm/postgresql';
import { manyLoader, oneLoader } from '../shared/batch';
import { Municipality } from './municipality.entity';
import { Region } from './region.entity';
import { SchoolAlias } from './school-alias.entity';
import { SchoolContext } from './school-context.entity';
import { School } from './school.entity';

export function createSchoolLoaders(em: EntityManager) {
  return {
    region: oneLoader((ids) => em.find(Region, { id: { $in: [...ids] } }), (r) => r.id),
    municipality: oneLoader((ids) => em.find(Municipality, { id: { $in: [...ids] } }), (m) => m.id),
    school: oneLoader((ids) => em.find(School, { id: { $in: [...ids] } }), (s) => s.id),
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
