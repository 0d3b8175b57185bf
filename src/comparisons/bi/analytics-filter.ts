import { Field, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, IsOptional, Max, MaxLength, Min } from 'class-validator';
import type { Principal } from '../../auth/principal';
import { SchoolType } from '../../schools/enums';
import { allOf, intArrayLiteral, jsonParam, sqlFragment, type SqlFragment } from '../../shared/sql';
import { schoolScopeFragment } from '../../auth/scope';
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

/**
 * The FROM of every BI statement: one school_result row with its school, municipality, region, assessment,
 * subject and the school's context of the result's year.
 */
export const FACT_SOURCE = `
  from school_result sr
  join school s on s.id = sr.school_id
  join municipality m on m.id = s.municipality_id
  join region r on r.id = s.region_id
  join assessment a on a.id = sr.assessment_id
  join subject su on su.id = a.subject_id
  left join school_context c on c.school_id = sr.school_id and c.year = sr.year`;

const inList = (expression: string, values: readonly string[]): SqlFragment =>
  sqlFragment(`${expression} in (select jsonb_array_elements_text(?::jsonb))`, [jsonParam(values)]);

/** The filter and the principal's school scope as one condition over FACT_SOURCE's aliases. */
export function analyticsConditions(principal: Principal, filter: AnalyticsFilter | null | undefined): SqlFragment {
  const conditions: SqlFragment[] = [schoolScopeFragment(principal, 's')];
  if (filter?.regionCode) conditions.push(sqlFragment('r.code = ?', [filter.regionCode]));
  if (filter?.municipalityCodes?.length) conditions.push(inList('m.code', filter.municipalityCodes));
  if (filter?.schoolTypes?.length) conditions.push(inList('coalesce(c.type, s.type)::text', filter.schoolTypes));
  if (filter?.urban != null) conditions.push(sqlFragment('coalesce(c.urban, s.urban) = ?', [filter.urban]));
  if (filter?.years?.length) conditions.push(sqlFragment('sr.year = any(?::int[])', [intArrayLiteral(filter.years)]));
  if (filter?.procedures?.length) conditions.push(inList('a.procedure::text', filter.procedures));
  if (filter?.subjectCodes?.length) conditions.push(inList('su.code', filter.subjectCodes));
  if (filter?.grades?.length) conditions.push(sqlFragment('a.grade = any(?::int[])', [intArrayLiteral(filter.grades)]));
  return allOf(conditions);
}
