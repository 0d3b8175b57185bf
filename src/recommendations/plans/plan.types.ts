import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { IsIn, IsISO8601, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';

const MEASURE_STATUSES = ['PLANNED', 'IN_PROGRESS', 'DONE', 'NOT_DONE', 'CANCELLED'] as const;

@ObjectType({ description: 'Документ, подтверждающий исполнение мероприятия' })
export class MeasureEvidence {
  @Field(() => String, { nullable: true, description: 'Вид документа: приказ, протокол, лист регистрации…' })
  docType!: string | null;

  @Field(() => String, { nullable: true })
  docNumber!: string | null;

  @Field(() => String, { nullable: true, description: 'Дата документа (ГГГГ-ММ-ДД)' })
  docDate!: string | null;
}

@ObjectType({ description: 'ОО, которой касается мероприятие муниципальной дорожной карты' })
export class PlanSchoolRef {
  @Field(() => Int)
  schoolId!: number;

  @Field({ description: 'Наименование ОО' })
  name!: string;

  @Field({ description: 'Почему ОО в списке' })
  reasonRu!: string;
}

@ObjectType({ description: 'Мероприятие плана' })
export class PlannedMeasureType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true, description: 'Код меры из каталога; null — мера, добавленная вручную без каталога' })
  measureCode!: string | null;

  @Field({ description: 'AUTO — рекомендована правилами; MANUAL — добавлена вручную' })
  origin!: string;

  @Field({ description: 'INDICATED или NO_LONGER_INDICATED (данные изменились, но по мере уже велась работа)' })
  indication!: string;

  @Field({ description: 'Раздел плана' })
  section!: string;

  @Field({ description: 'Мероприятие' })
  titleRu!: string;

  @Field(() => [String], { description: 'Ответственные' })
  responsible!: string[];

  @Field({ description: 'Срок (ГГГГ-ММ-ДД)' })
  dueDate!: string;

  @Field({ description: 'Ожидаемый результат' })
  expectedResultRu!: string;

  @Field(() => Int)
  priority!: number;

  @Field({ description: 'PLANNED, IN_PROGRESS, DONE, NOT_DONE, CANCELLED' })
  status!: string;

  @Field(() => MeasureEvidence)
  evidence!: MeasureEvidence;

  @Field(() => String, { nullable: true, description: 'Выводы по итогам контроля' })
  controlConclusion!: string | null;

  @Field(() => GraphQLJSON, { description: 'Маркеры и значения, по которым рекомендована мера' })
  reasons!: unknown;

  @Field(() => [String])
  ruleCodes!: string[];

  @Field({ description: 'Обоснование одной фразой' })
  reasonRu!: string;

  @Field(() => [PlanSchoolRef], { nullable: true, description: 'Муниципальный план: ОО, которых касается мера' })
  schools!: PlanSchoolRef[] | null;

  @Field({ description: 'Просрочено: срок прошёл, мера не выполнена' })
  overdue!: boolean;

  @Field()
  updatedAt!: Date;

  @Field()
  updatedBy!: string;

  planId!: number;
}

@ObjectType({ description: 'План мероприятий (дорожная карта) ОО или муниципалитета на учебный год' })
export class ActionPlanType {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: 'Год результатов; план исполняется в учебном году с сентября этого года' })
  year!: number;

  @Field(() => Int, { nullable: true })
  schoolId!: number | null;

  @Field(() => Int, { nullable: true })
  municipalityId!: number | null;

  @Field(() => Date, { nullable: true })
  recomputedAt!: Date | null;

  @Field(() => [PlannedMeasureType])
  measures!: PlannedMeasureType[];
}

@ObjectType({ description: 'Изменение мероприятия' })
export class MeasureChange {
  @Field()
  at!: Date;

  @Field()
  actor!: string;

  @Field()
  field!: string;

  @Field(() => String, { nullable: true })
  oldValue!: string | null;

  @Field(() => String, { nullable: true })
  newValue!: string | null;
}

@InputType({ description: 'Изменение мероприятия: статус, подтверждающий документ, выводы, срок' })
export class UpdatePlannedMeasureInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIn(MEASURE_STATUSES as unknown as string[])
  status?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  evidenceDocType?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(100)
  evidenceDocNumber?: string | null;

  @Field(() => String, { nullable: true, description: 'ГГГГ-ММ-ДД' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  @IsISO8601({ strict: true })
  evidenceDocDate?: string | null;

  @Field(() => String, { nullable: true, description: 'Выводы по итогам контроля (МОУО)' })
  @IsOptional()
  @MaxLength(5000)
  controlConclusion?: string | null;

  @Field(() => String, { nullable: true, description: 'Новый срок, ГГГГ-ММ-ДД' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  @IsISO8601({ strict: true })
  dueDate?: string | null;
}

@InputType({ description: 'Мера, добавляемая вручную' })
export class AddPlannedMeasureInput {
  @Field(() => String, { nullable: true, description: 'Любой код ОО; для муниципального плана — не указывать' })
  schoolCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Код муниципалитета для муниципального плана' })
  municipalityCode?: string | null;

  @Field(() => Int)
  @Min(2000)
  @Max(2100)
  year!: number;

  @Field(() => String, { nullable: true, description: 'Мера из каталога (иначе укажите title и section)' })
  measureCode?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(1000)
  titleRu?: string | null;

  @Field(() => String, { nullable: true })
  section?: string | null;

  @Field(() => [String], { nullable: true })
  responsible?: string[] | null;

  @Field({ description: 'ГГГГ-ММ-ДД' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  @IsISO8601({ strict: true })
  dueDate!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000)
  expectedResultRu?: string | null;
}
