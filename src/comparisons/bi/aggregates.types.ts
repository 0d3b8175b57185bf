import { ArgsType, Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ArrayMaxSize } from 'class-validator';
import { Procedure } from '../../assessments/enums';
import { SchoolType } from '../../territory/enums';
import { Locality, SizeBand, TypeFamily } from '../shared/bands';
import { AnalyticsFilter } from './analytics-filter';

export enum AggregateDimension {
  MUNICIPALITY = 'MUNICIPALITY',
  SCHOOL_TYPE = 'SCHOOL_TYPE',
  TYPE_FAMILY = 'TYPE_FAMILY',
  LOCALITY = 'LOCALITY',
  SIZE_BAND = 'SIZE_BAND',
  YEAR = 'YEAR',
  PROCEDURE = 'PROCEDURE',
  SUBJECT = 'SUBJECT',
  GRADE = 'GRADE',
}

registerEnumType(AggregateDimension, {
  name: 'AggregateDimension',
  description: 'Признак группировки агрегатов',
  valuesConfig: {
    MUNICIPALITY: { description: 'Муниципалитет' },
    SCHOOL_TYPE: { description: 'Тип ОО в году результата; ОО без указанного типа — отдельная группа (null)' },
    TYPE_FAMILY: { description: 'Вид ОО: с отбором (лицеи, гимназии, углублённое изучение) / общие; тип не указан — отдельная группа (null)' },
    LOCALITY: { description: 'Город / село; местность не указана — отдельная группа (null)' },
    SIZE_BAND: { description: 'Группа по численности обучающихся' },
    YEAR: { description: 'Год' },
    PROCEDURE: { description: 'Процедура' },
    SUBJECT: { description: 'Предмет' },
    GRADE: { description: 'Класс' },
  },
});

@ArgsType()
export class AggregatesArgs {
  @Field(() => [AggregateDimension], { description: 'Признаки группировки; пустой список — один итог' })
  @ArrayMaxSize(9)
  groupBy!: AggregateDimension[];

  @Field(() => AnalyticsFilter, { nullable: true })
  filter?: AnalyticsFilter | null;
}

/** The keys of a group: filled only for the dimensions grouped by. */
@ObjectType()
export abstract class GroupKeyFields {
  @Field(() => String, { nullable: true }) municipalityCode!: string | null;
  @Field(() => String, { nullable: true }) municipalityName!: string | null;
  @Field(() => SchoolType, { nullable: true }) schoolType!: SchoolType | null;
  @Field(() => TypeFamily, { nullable: true }) typeFamily!: TypeFamily | null;
  @Field(() => Locality, { nullable: true }) locality!: Locality | null;
  @Field(() => SizeBand, { nullable: true, description: 'null и при группировке: численность неизвестна' }) sizeBand!: SizeBand | null;
  @Field(() => Int, { nullable: true }) year!: number | null;
  @Field(() => Procedure, { nullable: true }) procedure!: Procedure | null;
  @Field(() => Int, { description: 'Различных ОО' }) schools!: number;
}

@ObjectType({
  simpleResolvers: true,
  description:
    'Агрегат группы: средние взвешены по участникам, доли — по ученикам (Σ «2» / Σ с отметкой), с базами для повторной агрегации. ' +
    'Поля признаков заполнены только для признаков группировки',
})
export class AggregateGroupType extends GroupKeyFields {
  @Field(() => String, { nullable: true }) subjectCode!: string | null;
  @Field(() => Int, { nullable: true }) grade!: number | null;

  @Field(() => Int, { description: 'Строк фактов (ОО × процедура)' }) rows!: number;
  @Field(() => Int, { description: 'Сумма участников (участий)' }) participants!: number;
  @Field(() => Float, { nullable: true, description: 'Средний % от максимума, взвешенный по участникам' }) meanPercent!: number | null;
  @Field(() => Float, { nullable: true, description: 'Средний тестовый балл, взвешенный по участникам' }) meanTestScore!: number | null;
  @Field(() => Int, { description: 'Участников с отметкой (база долей отметок)' }) marked!: number;
  @Field(() => Float, { nullable: true }) share2!: number | null;
  @Field(() => Float, { nullable: true }) share3!: number | null;
  @Field(() => Float, { nullable: true }) share4!: number | null;
  @Field(() => Float, { nullable: true }) share5!: number | null;
  @Field(() => Float, { nullable: true }) share45!: number | null;
  @Field(() => Int, { description: 'Участников с отметкой ВПР и по журналу (база доли подтвердивших)' }) journalCompared!: number;
  @Field(() => Float, { nullable: true }) journalAgreementShare!: number | null;
  @Field(() => Int) belowMinimum!: number;
  @Field(() => Float, { nullable: true }) belowMinimumShare!: number | null;
  @Field(() => Int, { description: 'ЕГЭ: участников с тестовым баллом 80 и выше' }) countTest80!: number;
  @Field(() => Float, { nullable: true, description: 'ЕГЭ: их доля среди участников строк, где число известно' }) shareTest80!: number | null;
}

@ObjectType({
  simpleResolvers: true,
  description: 'Агрегат итогов ОО по процедурам (по всем предметам) в группе: суммы и доля по выпускникам, с базами для повторной агрегации. Поля признаков заполнены только для признаков группировки',
})
export class ExamTotalAggregateGroupType extends GroupKeyFields {
  @Field(() => Int, { description: 'Строк итогов (ОО × год × процедура)' }) rows!: number;
  @Field(() => Int, { description: 'Выпускников, сдававших процедуру (где указано)' }) participants!: number;
  @Field(() => Int, { description: 'ЕГЭ: выпускников с суммой 220 и более тестовых баллов по трём предметам (строки, где указаны и они, и сдававшие)' }) countSum3_220!: number;
  @Field(() => Float, { nullable: true, description: 'ЕГЭ: их доля среди сдававших в тех же строках, 0–1' }) shareSum3_220!: number | null;
}
