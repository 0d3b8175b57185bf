import { Field, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, IsOptional, Max, MaxLength, Min } from 'class-validator';
import type { Principal } from '../../shared/principal';
import { SchoolType } from '../../territory/enums';
import { allOf, intArrayLiteral, jsonParam, sqlFragment, type SqlFragment } from '../../shared/sql';
import { schoolScopeFragment } from '../../auth/scope';
import { badInput } from '../../graphql/errors';
import { AssessmentFilterFields } from '../shared/assessment-filter.input';

@InputType({ description: 'Отбор фактов для BI: территория, тип ОО, годы, процедуры, предметы, классы (пусто — всё в области видимости ключа)' })
export class AnalyticsFilter extends AssessmentFilterFields {
  @Field(() => String, { nullable: true, description: 'Код региона' })
  @IsOptional()
  @MaxLength(20)
  regionCode?: string | null;

  @Field(() => [String], { nullable: true, description: 'Коды муниципалитетов' })
  @IsOptional()
  @ArrayMaxSize(500)
  municipalityCodes?: string[] | null;

  @Field(() => [SchoolType], { nullable: true, description: 'Тип ОО в году результата' })
  schoolTypes?: SchoolType[] | null;

  @Field(() => Boolean, { nullable: true, description: 'true — городские, false — сельские (в году результата)' })
  urban?: boolean | null;

  @Field(() => [Int], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(30)
  @Min(2000, { each: true })
  @Max(2100, { each: true })
  years?: number[] | null;
}

/** A BI row's school with its municipality, region and context of the row's year (`alias`: the row's table). */
const schoolJoins = (alias: string) => `
  join school s on s.id = ${alias}.school_id
  join municipality m on m.id = s.municipality_id
  join region r on r.id = s.region_id
  left join school_context c on c.school_id = ${alias}.school_id and c.year = ${alias}.year`;

/**
 * The FROM of every BI statement on results: one school_result row with its school, municipality, region,
 * assessment, subject and the school's context of the result's year.
 */
export const FACT_SOURCE = `
  from school_result sr ${schoolJoins('sr')}
  join assessment a on a.id = sr.assessment_id
  join subject su on su.id = a.subject_id`;

/**
 * The FROM of the BI statements on a school's totals over a procedure (school_exam_total: no subject, no grade),
 * with the same school, territory and context as the facts.
 */
export const EXAM_TOTAL_SOURCE = `
  from school_exam_total et ${schoolJoins('et')}`;

/** Where a BI source keeps the year and the assessment of its rows; null — its rows have none. */
interface FactGrain {
  year: string;
  procedure: string;
  subject: string | null;
  grade: string | null;
}

const RESULT_GRAIN: FactGrain = { year: 'sr.year', procedure: 'a.procedure', subject: 'su.code', grade: 'a.grade' };
export const EXAM_TOTAL_GRAIN: FactGrain = { year: 'et.year', procedure: 'et.procedure', subject: null, grade: null };

const inList = (expression: string, values: readonly string[]): SqlFragment =>
  sqlFragment(`${expression} in (select jsonb_array_elements_text(?::jsonb))`, [jsonParam(values)]);

/**
 * The filter and the principal's school scope as one condition over the source's aliases (FACT_SOURCE by default).
 * A source without subjects or grades refuses a filter on them rather than answer as if it had not been given.
 */
export function analyticsConditions(principal: Principal, filter: AnalyticsFilter | null | undefined, grain: FactGrain = RESULT_GRAIN): SqlFragment {
  const conditions: SqlFragment[] = [schoolScopeFragment(principal, 's')];
  if (filter?.regionCode) conditions.push(sqlFragment('r.code = ?', [filter.regionCode]));
  if (filter?.municipalityCodes?.length) conditions.push(inList('m.code', filter.municipalityCodes));
  if (filter?.schoolTypes?.length) conditions.push(inList('coalesce(c.type, s.type)::text', filter.schoolTypes));
  if (filter?.urban != null) conditions.push(sqlFragment('coalesce(c.urban, s.urban) = ?', [filter.urban]));
  if (filter?.years?.length) conditions.push(sqlFragment(`${grain.year} = any(?::int[])`, [intArrayLiteral(filter.years)]));
  if (filter?.procedures?.length) conditions.push(inList(`${grain.procedure}::text`, filter.procedures));
  if (filter?.subjectCodes?.length) conditions.push(inList(columnOf(grain.subject, 'subjectCodes'), filter.subjectCodes));
  if (filter?.grades?.length) conditions.push(sqlFragment(`${columnOf(grain.grade, 'grades')} = any(?::int[])`, [intArrayLiteral(filter.grades)]));
  return allOf(conditions);
}

function columnOf(column: string | null, field: string): string {
  if (column === null) throw badInput(`Итоги ОО по процедуре даны по всем предметам и классам: уберите из отбора ${field}`, `filter.${field}`);
  return column;
}
