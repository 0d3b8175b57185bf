import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { JobTicketType } from '../graphql/job.types';
import { Region } from '../territory/region.entity';
import { Assessment } from './assessment.entity';
import { AssessmentScale } from './assessment.types';

@ObjectType({ simpleResolvers: true, description: 'Предварительная шкала региона: взята из файла регионального центра и действует только для строк этого региона, пока шкала процедуры не подтверждена' })
export class ProvisionalScale {
  @Field(() => Region)
  region!: Region;

  @Field(() => AssessmentScale)
  scale!: AssessmentScale;

  @Field({ description: 'Шкала словами, для сравнения регионов: «максимум 9, заданий 5: 1 (1б), 2 (2б), …»' })
  summaryRu!: string;

  @Field({ description: 'Когда шкала появилась' })
  createdAt!: Date;

  @Field({ description: 'Кто её загрузил: key:<id>' })
  createdBy!: string;

  @Field(() => ID, { nullable: true, description: 'Загрузка, из которой она взята' })
  importBatchId!: string | null;

  @Field(() => Int, { description: 'Строк участников региона по этой процедуре' })
  participantRows!: number;
}

@ObjectType({ simpleResolvers: true, description: 'Процедура без подтверждённой шкалы и предварительные шкалы регионов по ней' })
export class ProvisionalScales {
  @Field(() => Assessment)
  assessment!: Assessment;

  @Field({ description: 'true — шкалы регионов различаются: администратору нужно подтвердить одну' })
  disagree!: boolean;

  @Field(() => [ProvisionalScale])
  scales!: ProvisionalScale[];
}

@InputType({ description: 'Подтвердить предварительную шкалу региона как общую для всех регионов' })
export class ConfirmScaleInput {
  @Field(() => ID)
  assessmentId!: string;

  @Field(() => ID, { description: 'Регион, чья предварительная шкала подтверждается' })
  regionId!: string;
}

@ObjectType({ simpleResolvers: true, description: 'Строки участников региона, не подходящие под подтверждённую шкалу' })
export class RegionRowsNotFitting {
  @Field(() => Region)
  region!: Region;

  @Field(() => Int, { description: 'Строк, где балл выше максимума или число заданий другое: их нужно загрузить заново' })
  rows!: number;
}

@ObjectType({ simpleResolvers: true, description: 'Итог подтверждения шкалы' })
export class ScaleConfirmation {
  @Field(() => Assessment)
  assessment!: Assessment;

  @Field(() => AssessmentScale, { description: 'Подтверждённая шкала' })
  scale!: AssessmentScale;

  @Field(() => [Region], { description: 'Регионы, чьи предварительные шкалы отличались от подтверждённой и больше не действуют' })
  replacedRegions!: Region[];

  @Field(() => [RegionRowsNotFitting], { description: 'Регионы с результатами, не подходящими под подтверждённую шкалу' })
  rowsNotFitting!: RegionRowsNotFitting[];

  @Field(() => [JobTicketType], { description: 'Пересчёт результатов ОО, отметки и анализ заданий которых зависят от шкалы' })
  recomputeJobs!: JobTicketType[];
}
