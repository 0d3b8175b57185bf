import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../auth/principal';
import { benchmarkScope } from '../../auth/scope';
import { BenchmarkResult } from '../../assessments/benchmark-result.entity';
import { BenchmarkLevel, PROCEDURE_RU } from '../../assessments/enums';
import { SchoolResult } from '../../assessments/school-result.entity';
import { Assessment } from '../../assessments/assessment.entity';
import { Subject } from '../../assessments/subject.entity';
import type { School } from '../../schools/school.entity';

export interface ResultLine {
  assessment: Assessment;
  subject: Subject;
  result: SchoolResult;
  municipality: number | null;
  region: number | null;
  russia: number | null;
}


/** A school's results of the given years with the municipality, region and Russia values beside each (scope applied). */
export async function resultLines(em: EntityManager, principal: Principal, school: School, years: number[]): Promise<ResultLine[]> {
  const results = await em.find(SchoolResult, { school: school.id, year: { $in: years } }, { orderBy: { year: 'asc' } });
  const assessmentIds = [...new Set(results.map((r) => r.assessment.id))];
  const [assessments, benchmarks] = await Promise.all([
    em.find(Assessment, { id: { $in: assessmentIds } }, { populate: ['subject'] }),
    em.find(BenchmarkResult, { $and: [{ assessment: { $in: assessmentIds } }, benchmarkScope(principal)] }),
  ]);
  const byId = new Map(assessments.map((a) => [a.id, a]));
  const value = (assessmentId: number, level: BenchmarkLevel) =>
    benchmarks.find(
      (b) =>
        b.assessment.id === assessmentId &&
        b.level === level &&
        (level !== BenchmarkLevel.MUNICIPALITY || b.municipality?.id === school.municipality.id) &&
        (level !== BenchmarkLevel.REGION || b.region?.id === school.region.id),
    )?.meanPercent ?? null;
  return results.map((result) => {
    const assessment = byId.get(result.assessment.id)!;
    return {
      assessment,
      subject: assessment.subject as Subject,
      result,
      municipality: value(assessment.id, BenchmarkLevel.MUNICIPALITY),
      region: value(assessment.id, BenchmarkLevel.REGION),
      russia: value(assessment.id, BenchmarkLevel.RUSSIA),
    };
  });
}

/** "ВПР, русский язык, 4 класс" */
export const assessmentLabel = (a: Assessment, s: Subject) => `${PROCEDURE_RU[a.procedure] ?? a.procedure}, ${s.name.toLowerCase()}, ${a.grade} класс`;
