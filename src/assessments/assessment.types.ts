import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { TaskLevel, Procedure } from './enums';

@ObjectType('AssessmentTask', { simpleResolvers: true, description: 'Задание работы' })
export class AssessmentTaskType {
  @Field({ description: 'Номер задания (например, 4.1)' })
  number!: string;

  @Field(() => TaskLevel)
  level!: TaskLevel;

  @Field(() => Int)
  maxPoints!: number;
}

@ObjectType({ simpleResolvers: true, description: 'Граница отметки: минимальный первичный балл' })
export class MarkBoundary {
  @Field(() => Int)
  mark!: number;

  @Field(() => Int)
  minPrimary!: number;
}

@ObjectType({ simpleResolvers: true, description: 'Шкала перевода процедуры за год' })
export class AssessmentScale {
  @Field(() => Int)
  maxPrimary!: number;

  @Field(() => [MarkBoundary], { description: 'Границы отметок «3», «4», «5»' })
  markBoundaries!: MarkBoundary[];

  @Field(() => Int, { nullable: true, description: 'ЕГЭ: минимальный тестовый балл' })
  minimumTestScore!: number | null;

  @Field(() => [Int], { nullable: true, description: 'ЕГЭ: тестовый балл для каждого первичного' })
  testScale!: number[] | null;

  @Field(() => [AssessmentTaskType])
  tasks!: AssessmentTaskType[];

  @Field({ description: 'true — шкала подтверждена администратором и общая для всех регионов; false — предварительная шкала региона, взятая из его файла' })
  confirmed!: boolean;

  @Field(() => Date, { nullable: true, description: 'Когда шкала подтверждена (если известно)' })
  confirmedAt!: Date | null;
}

@ObjectType({ simpleResolvers: true, description: 'Доли отметок, %' })
export class MarkPercents {
  @Field(() => Float) two!: number;
  @Field(() => Float) three!: number;
  @Field(() => Float) four!: number;
  @Field(() => Float) five!: number;
  @Field(() => Float, { description: 'Доля «4» и «5», %' }) fourAndFive!: number;
}

@InputType({ description: 'Отбор процедур' })
export class AssessmentFilter {
  @Field(() => [Int], { nullable: true })
  years?: number[] | null;

  @Field(() => Procedure, { nullable: true })
  procedure?: Procedure | null;

  @Field(() => String, { nullable: true })
  subjectCode?: string | null;

  @Field(() => Int, { nullable: true })
  grade?: number | null;
}
