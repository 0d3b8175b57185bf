import { Arg, ArgsType, Field, Float, Int, ObjectType } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, IsOptional, Max, Min } from 'class-validator';
import { Procedure } from '../../assessments/enums';

export const MAX_COHORT_SCHOOLS = 50;

@ArgsType()
export class CohortArgs {
  @Field(() => [String], { description: 'От 1 до 50 ОО: любой код или id' })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_COHORT_SCHOOLS)
  schools!: string[];

  @Field(() => [String], { nullable: true, description: 'Предметы (MATH_PROF и MATH_BASE идут как MATH); по умолчанию — все' })
  @IsOptional()
  @ArrayMaxSize(50)
  subjectCodes?: string[] | null;

  @Field(() => Int, { defaultValue: 10, description: 'Шаги с меньшим числом участников помечаются smallSample' })
  @Min(1)
  @Max(1000)
  minParticipants: number = 10;
}

@ObjectType({ simpleResolvers: true, description: 'Шаг когорты: процедура в году и место ОО среди ОО региона' })
export class CohortStepType {
  @Field(() => Procedure) procedure!: Procedure;
  @Field(() => Int) grade!: number;
  @Field(() => Int) year!: number;
  @Field(() => Float, { description: 'Средний % от максимума ОО' }) value!: number;
  @Field(() => Int) participants!: number;
  @Field(() => Int, { description: 'ОО региона с результатом на этом шаге' }) regionSchools!: number;
  @Field(() => Float, { description: 'Процентильный ранг среди ОО региона (100 — лучшая)' }) percentile!: number;
  @Field({ description: 'Участников меньше minParticipants' }) smallSample!: boolean;
  @Field(() => Float, { nullable: true, description: 'Изменение процентиля к предыдущему шагу' }) percentileChange!: number | null;
}

@ObjectType({ simpleResolvers: true, description: 'Одна когорта (одни и те же ученики) по годам: ВПР 4 → ВПР 5 → …, ВПР 8 → ОГЭ 9' })
export class CohortChainType {
  @Field() subject!: string;
  @Field(() => Int, { description: 'Год, когда когорта была в 1 классе' }) gradeOneYear!: number;
  @Field({ description: 'BASIC — 1–9 классы; SECONDARY — 10–11 (после 9 класса состав меняется)' }) stage!: string;
  stepRows!: CohortStepType[];
  @Field(() => Float, { description: 'Процентиль последнего шага − первого' }) totalPercentileChange!: number;

  @Field(() => [CohortStepType], { description: 'Шаги по времени' })
  steps(@Arg('first', () => Int, { defaultValue: 12, description: 'Сколько шагов вернуть (учитывается в оценке стоимости запроса)' }) first: number): CohortStepType[] {
    return this.stepRows.slice(0, Math.max(0, first));
  }
}

@ObjectType({ simpleResolvers: true, description: 'Когорты одной ОО' })
export class SchoolCohortsType {
  @Field({ description: 'Код ОО, как он был передан' }) code!: string;
  schoolId!: number;
  chainRows!: CohortChainType[];

  @Field(() => [CohortChainType], { description: 'Когорты по предмету и году поступления в 1 класс' })
  chains(@Arg('first', () => Int, { defaultValue: 50, description: 'Сколько когорт вернуть (учитывается в оценке стоимости запроса)' }) first: number): CohortChainType[] {
    return this.chainRows.slice(0, Math.max(0, first));
  }
}
