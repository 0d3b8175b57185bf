import { ArgsType, Field, Float, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, IsOptional, Max, Min } from 'class-validator';
import { AssessmentFilterFields } from '../shared/assessment-filter.input';

export const MAX_COMPARED_SCHOOLS = 50;

@InputType({ description: 'Отбор процедур сравнения: процедуры, предметы, классы (пусто — все)' })
export class ComparisonFilter extends AssessmentFilterFields {}

@ArgsType()
export class CompareSchoolsArgs {
  @Field(() => [String], { description: 'От 1 до 50 ОО: любой код (логин ФИС ОКО, код РЦОИ, ИНН) или id' })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_COMPARED_SCHOOLS)
  schools!: string[];

  @Field(() => [Int], { nullable: true, description: 'Годы; по умолчанию — три последних года, за которые у этих ОО есть результаты' })
  @IsOptional()
  @ArrayMaxSize(10)
  @Min(2000, { each: true })
  @Max(2100, { each: true })
  years?: number[] | null;

  @Field(() => ComparisonFilter, { nullable: true })
  filter?: ComparisonFilter | null;

  @Field(() => Float, { defaultValue: 0.95, description: 'Уровень доверия интервалов (0,5–0,999)' })
  @Min(0.5)
  @Max(0.999)
  confidence: number = 0.95;
}
