import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../shared/principal';
import { benchmarkScopeFragment } from '../auth/scope';
import { selectViews } from '../schools/entity-views';
import { intArrayLiteral } from '../shared/sql';
import DataLoader from 'dataloader';
import { byKey, filteredManyLoader, manyLoader, oneLoader } from '../shared/batch';
import { Assessment } from './assessment.entity';
import type { AssessmentScale } from './assessment.types';
import { BenchmarkResult } from './benchmark-result.entity';
import { ConductConditions } from './conduct-conditions.entity';
import { RecheckResult } from './recheck-result.entity';
import type { ResultFilter } from './result-filter.input';
import { provisionalRegionOf, provisionalScaleOf, type ProvisionalScaleRow } from './scale';
import { loadResultArrays, loadSchoolResultViews } from './row-views.loaders';
import { Subject } from './subject.entity';

/**
 * Loaders of one request. Results, conditions and re-checks are asked for by school id, and school ids only
 * come from schools already read within the scope; reference values carry their own scope condition (the raw
 * twin of benchmarkScope). The hot ones are hand-written statements read as read-only views
 * (src/schools/entity-views.ts, row-views.loaders.ts), not managed entities.
 */
export function createAssessmentLoaders(em: EntityManager, principal: Principal) {
  const byId = <T extends object>(entity: EntityClass<T>, table: string) => (ids: readonly number[]) =>
    selectViews(em, entity, `select * from ${table} where id = any(?::int[])`, [intArrayLiteral(ids)]);
  const benchmarks = benchmarkScopeFragment(principal, 'b');
  return {
    assessment: oneLoader(byId(Assessment, 'assessment'), (a) => a.id),
    subject: oneLoader(byId(Subject, 'subject'), (s) => s.id),
    // The caller's region's provisional scale, for assessments without a confirmed one (none for administrators).
    provisionalScale: new DataLoader<number, AssessmentScale | null>(async (ids) => {
      const regionId = provisionalRegionOf(principal);
      if (regionId === null) return ids.map(() => null);
      const { rows } = await em.getKnex().raw(`select * from provisional_scale where region_id = ? and assessment_id = any(?::int[])`, [regionId, intArrayLiteral(ids)]);
      return byKey(ids, rows as ProvisionalScaleRow[], (row) => row.assessment_id).map((row) => (row ? provisionalScaleOf(row) : null));
    }),
    benchmarksByAssessment: manyLoader(
      (ids) =>
        selectViews(em, BenchmarkResult, `select b.* from benchmark_result b where b.assessment_id = any(?::int[]) and (${benchmarks.sql}) order by b.level, b.id`, [
          intArrayLiteral(ids),
          ...benchmarks.bindings,
        ]),
      (b) => b.assessment.id,
    ),
    resultsBySchool: filteredManyLoader((schoolIds: number[], filter: ResultFilter) => loadSchoolResultViews(em, schoolIds, filter), (r) => r.school.id),
    // Only for results read by resultsBySchool, whose ids come from the scope-checked schools.
    resultArrays: oneLoader((ids) => loadResultArrays(em, ids), (r) => r.id),
    conductBySchool: filteredManyLoader(
      (schoolIds: number[], years: number[] | null) =>
        selectViews(
          em,
          ConductConditions,
          `select * from conduct_conditions where school_id = any(?::int[]) ${years ? 'and year = any(?::int[])' : ''} order by year, procedure, id`,
          years ? [intArrayLiteral(schoolIds), intArrayLiteral(years)] : [intArrayLiteral(schoolIds)],
        ),
      (c) => c.school.id,
    ),
    rechecksBySchool: filteredManyLoader(
      (schoolIds: number[], years: number[] | null) =>
        em.find(
          RecheckResult,
          { school: { $in: schoolIds }, ...(years ? { assessment: { year: { $in: years } } } : {}) },
          { orderBy: { assessment: { id: 'asc' }, participantCode: 'asc' } },
        ),
      (r) => r.school.id,
    ),
  };
}

type AssessmentLoaders = ReturnType<typeof createAssessmentLoaders>;

declare module '../graphql/context' {
  interface Loaders extends AssessmentLoaders {}
}
