import { Field, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, IsOptional, Max, Min } from 'class-validator';
import { Procedure } from '../../assessments/enums';

/** The most subject codes a filter takes (the hub has a few dozen subjects). */
const MAX_FILTER_SUBJECT_CODES = 100;

/**
 * Which assessments a query covers: procedures, subjects, grades (empty — all). The BI filter and the
 * comparison filter both extend it, so their fields and limits cannot drift apart. Decorated so that type-graphql
 * inherits its fields; no query takes it, so the schema does not list it.
 */
@InputType()
export abstract class AssessmentFilterFields {
  @Field(() => [Procedure], { nullable: true })
  procedures?: Procedure[] | null;

  @Field(() => [String], { nullable: true, description: 'Коды предметов (RUS, MATH, …)' })
  @IsOptional()
  @ArrayMaxSize(MAX_FILTER_SUBJECT_CODES)
  subjectCodes?: string[] | null;

  @Field(() => [Int], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(11)
  @Min(1, { each: true })
  @Max(11, { each: true })
  grades?: number[] | null;
}
