import { Field, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, IsOptional, Max, Min } from 'class-validator';
import { Procedure } from './enums';

@InputType({ description: 'Отбор результатов: годы, процедура, предмет, класс' })
export class ResultFilter {
  @Field(() => [Int], { nullable: true, description: 'Годы; по умолчанию — все' })
  @IsOptional()
  @ArrayMaxSize(20)
  @Min(2000, { each: true })
  @Max(2100, { each: true })
  years?: number[] | null;

  @Field(() => Procedure, { nullable: true })
  procedure?: Procedure | null;

  @Field(() => String, { nullable: true, description: 'Код предмета (RUS, MATH, …)' })
  subjectCode?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  @Max(11)
  grade?: number | null;
}

/** A plain, comparable copy of the filter: DataLoader keys are compared by their JSON. */
export function normaliseResultFilter(filter: ResultFilter | null | undefined): ResultFilter {
  return {
    years: filter?.years?.length ? [...filter.years].sort() : null,
    procedure: filter?.procedure ?? null,
    subjectCode: filter?.subjectCode ?? null,
    grade: filter?.grade ?? null,
  };
}
