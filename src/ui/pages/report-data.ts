import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../shared/principal';
import { benchmarkScope } from '../../auth/scope';
import { BenchmarkResult } from '../../assessments/benchmark-result.entity';
import { PROCEDURE_RU } from '../../assessments/enums';
import { BenchmarkLevel, type SchoolType } from '../../territory/enums';
import { SchoolResult } from '../../assessments/school-result.entity';
import { Assessment } from '../../assessments/assessment.entity';
import { Subject } from '../../assessments/subject.entity';
import type { School } from '../../territory/school.entity';
import { intArrayLiteral } from '../../shared/sql';

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

/** What a table row names a school by: its name, type and first code (the page's address). */
export interface SchoolLabel {
  id: number;
  name: string;
  type: SchoolType | null;
  code: string | null;
}

/** Labels of the given schools (already in the principal's scope: the ranking they come from applied it). */
export async function schoolLabels(em: EntityManager, schoolIds: number[]): Promise<Map<number, SchoolLabel>> {
  if (schoolIds.length === 0) return new Map();
  const { rows } = await em.getKnex().raw<{ rows: SchoolLabel[] }>(
    `select s.id, s.name, s.type, (select value from school_alias a where a.school_id = s.id order by a.kind, a.value limit 1) as code
     from school s where s.id = any(?::int[])`,
    [intArrayLiteral(schoolIds)],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/** Each school's ВПР mean % of maximum per year (weighted by participants over its assessments), null where none. */
export async function vprTrends(em: EntityManager, schoolIds: number[], years: number[]): Promise<(schoolId: number) => (number | null)[]> {
  const { rows } = schoolIds.length
    ? await em.getKnex().raw<{ rows: { school_id: number; year: number; value: number | null }[] }>(
        `select sr.school_id, sr.year, sum(sr.mean_percent * sr.participants) / nullif(sum(sr.participants), 0) as value
         from school_result sr join assessment a on a.id = sr.assessment_id
         where sr.school_id = any(?::int[]) and a.procedure = 'VPR' and sr.year = any(?::int[]) group by sr.school_id, sr.year`,
        [intArrayLiteral(schoolIds), intArrayLiteral(years)],
      )
    : { rows: [] };
  const byKey = new Map(rows.map((r) => [`${r.school_id}:${r.year}`, r.value === null ? null : Number(r.value)]));
  return (schoolId) => years.map((year) => byKey.get(`${schoolId}:${year}`) ?? null);
}
