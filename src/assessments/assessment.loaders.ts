import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../auth/principal';
import { benchmarkScope } from '../auth/scope';
import { filteredManyLoader, manyLoader, oneLoader } from '../shared/batch';
import { Assessment } from './assessment.entity';
import { BenchmarkResult } from './benchmark-result.entity';
import { ConductConditions } from './conduct-conditions.entity';
import { RecheckResult } from './recheck-result.entity';
import type { ResultFilter } from './result-filter.input';
import { SchoolResult } from './school-result.entity';
import { Subject } from './subject.entity';

/**
 * Loaders of one request. Results, conditions and re-checks are asked for by school id, and school ids only
 * come from schools already read within the scope; reference values carry their own scope condition.
 */
export function createAssessmentLoaders(em: EntityManager, principal: Principal) {
  return {
    assessment: oneLoader((ids) => em.find(Assessment, { id: { $in: [...ids] } }), (a) => a.id),
    subject: oneLoader((ids) => em.find(Subject, { id: { $in: [...ids] } }), (s) => s.id),
    benchmarksByAssessment: manyLoader(
      (ids) => em.find(BenchmarkResult, { $and: [{ assessment: { $in: [...ids] } }, benchmarkScope(principal)] }, { orderBy: { level: 'asc', id: 'asc' } }),
      (b) => b.assessment.id,
    ),
    resultsBySchool: filteredManyLoader(
      (schoolIds: number[], filter: ResultFilter) =>
        em.find(
          SchoolResult,
          {
            school: { $in: schoolIds },
            ...(filter.years ? { year: { $in: filter.years } } : {}),
            ...(filter.procedure || filter.grade || filter.subjectCode
              ? {
                  assessment: {
                    ...(filter.procedure ? { procedure: filter.procedure } : {}),
                    ...(filter.grade ? { grade: filter.grade } : {}),
                    ...(filter.subjectCode ? { subject: { code: filter.subjectCode } } : {}),
                  },
                }
              : {}),
          },
          { orderBy: { year: 'asc', assessment: { id: 'asc' } } },
        ),
      (r) => r.school.id,
    ),
    conductBySchool: filteredManyLoader(
      (schoolIds: number[], years: number[] | null) =>
        em.find(
          ConductConditions,
          { school: { $in: schoolIds }, ...(years ? { year: { $in: years } } : {}) },
          { orderBy: { year: 'asc', procedure: 'asc', id: 'asc' } },
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

export type AssessmentLoaders = ReturnType<typeof createAssessmentLoaders>;
