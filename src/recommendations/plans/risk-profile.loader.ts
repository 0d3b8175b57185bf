import type { Knex } from '@mikro-orm/postgresql';
import { PROCEDURE_RU } from '../../assessments/enums';
import type { MarkerCode, ZoneLevel } from '../../risk/markers';
import { intArrayLiteral } from '../../shared/sql';
import type { SchoolRiskProfile } from '../rules/profile';


/**
 * What the recommendation rules see of each school × year: the stored zones, the markers that fired with
 * their values and explanations, and how the year's ВПР was conducted. Three statements for any number of schools.
 */
export async function loadRiskProfiles(knex: Knex, schoolIds: number[], years: number[]): Promise<SchoolRiskProfile[]> {
  const ids = intArrayLiteral(schoolIds);
  const yearList = intArrayLiteral(years);
  const [{ rows: zones }, { rows: markers }, { rows: conduct }] = await Promise.all([
    knex.raw(`select school_id, year, objectivity, low_results, objectivity_years, low_results_years from risk_zone where school_id = any(?::int[]) and year = any(?::int[])`, [ids, yearList]),
    knex.raw(
      `select v.school_id, v.year, v.check_code, v.value, v.explanation_ru, a.procedure, a.grade, s.name as subject
       from risk_indicator_value v left join assessment a on a.id = v.assessment_id left join subject s on s.id = a.subject_id
       where v.school_id = any(?::int[]) and v.year = any(?::int[]) and v.status = 'FLAGGED'
       order by v.school_id, v.year, v.check_code, a.grade`,
      [ids, yearList],
    ),
    knex.raw(
      `select school_id, year, bool_or(observers = 'NONE') as no_observers, bool_or(not video_at_checking) as no_video
       from conduct_conditions where school_id = any(?::int[]) and year = any(?::int[]) and procedure = 'VPR' group by school_id, year`,
      [ids, yearList],
    ),
  ]);
  const key = (schoolId: number, year: number) => `${schoolId}:${year}`;
  const conductByKey = new Map(conduct.map((c: any) => [key(c.school_id, c.year), c]));
  const profiles = new Map<string, SchoolRiskProfile>();
  for (const z of zones) {
    const c: any = conductByKey.get(key(z.school_id, z.year));
    profiles.set(key(z.school_id, z.year), {
      schoolId: String(z.school_id),
      year: z.year,
      objectivityZone: z.objectivity as ZoneLevel,
      lowResultsZone: z.low_results as ZoneLevel,
      consecutiveYearsFlagged: { objectivity: z.objectivity_years, lowResults: z.low_results_years },
      markers: [],
      conduct: { noObservers: Boolean(c?.no_observers), noVideoAtChecking: Boolean(c?.no_video) },
    });
  }
  for (const m of markers) {
    profiles.get(key(m.school_id, m.year))?.markers.push({
      code: m.check_code as MarkerCode,
      procedure: m.procedure ? PROCEDURE_RU[m.procedure as keyof typeof PROCEDURE_RU] : 'по ОО в целом',
      subject: m.subject ? String(m.subject).toLowerCase() : '',
      grade: m.grade ?? null,
      value: m.value,
      explanationRu: m.explanation_ru,
    });
  }
  return [...profiles.values()];
}
