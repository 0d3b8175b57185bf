import { ArgsType, Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Max, Min } from 'class-validator';
import { Procedure } from '../../assessments/enums';
import { ComparisonMetric } from '../shared/metrics';
import { StatisticStatus } from '../shared/statistics.types';
import { AnalyticsFilter } from './analytics-filter';

export enum CorrelationVariable {
  LOG_ENROLMENT = 'LOG_ENROLMENT',
  SHARE_DISABLED = 'SHARE_DISABLED',
  SOCIAL_INDEX = 'SOCIAL_INDEX',
  URBAN = 'URBAN',
  IN_DEPTH_STUDY = 'IN_DEPTH_STUDY',
  SELECTIVE_TYPE = 'SELECTIVE_TYPE',
  SMALL_SCHOOL = 'SMALL_SCHOOL',
  PUPILS_PER_TEACHER = 'PUPILS_PER_TEACHER',
  VACANCY_SHARE = 'VACANCY_SHARE',
  HEAD_TENURE_YEARS = 'HEAD_TENURE_YEARS',
  HAS_PSYCHOLOGIST = 'HAS_PSYCHOLOGIST',
  HAS_DEFECTOLOGIST = 'HAS_DEFECTOLOGIST',
  HAS_SOCIAL_PEDAGOGUE = 'HAS_SOCIAL_PEDAGOGUE',
}

registerEnumType(CorrelationVariable, {
  name: 'CorrelationVariable',
  description: 'Контекстная переменная ОО (за год результата); признаки да/нет — как 1/0',
  valuesConfig: {
    LOG_ENROLMENT: { description: 'ln(численность обучающихся)' },
    SHARE_DISABLED: { description: 'Доля обучающихся с ОВЗ (0–1)' },
    SOCIAL_INDEX: { description: 'Индекс социального благополучия' },
    URBAN: { description: 'Городская (1) / сельская (0)' },
    IN_DEPTH_STUDY: { description: 'Углублённое изучение' },
    SELECTIVE_TYPE: { description: 'Лицей, гимназия или углублённое изучение' },
    SMALL_SCHOOL: { description: 'Малокомплектная' },
    PUPILS_PER_TEACHER: { description: 'Обучающихся на одного педагога' },
    VACANCY_SHARE: { description: 'Вакансии / (педагоги + вакансии)' },
    HEAD_TENURE_YEARS: { description: 'Стаж руководителя в должности, лет' },
    HAS_PSYCHOLOGIST: { description: 'Есть педагог-психолог' },
    HAS_DEFECTOLOGIST: { description: 'Есть учитель-дефектолог' },
    HAS_SOCIAL_PEDAGOGUE: { description: 'Есть социальный педагог' },
  },
});

@ArgsType()
export class CorrelationArgs {
  @Field(() => AnalyticsFilter, { nullable: true })
  filter?: AnalyticsFilter | null;

  @Field(() => ComparisonMetric, { defaultValue: ComparisonMetric.MEAN_PERCENT, description: 'Показатель результата ОО' })
  metric: ComparisonMetric = ComparisonMetric.MEAN_PERCENT;

  @Field(() => [CorrelationVariable], { nullable: true, description: 'Переменные; по умолчанию — все' })
  variables?: CorrelationVariable[] | null;

  @Field(() => Float, { defaultValue: 0.95 })
  @Min(0.5)
  @Max(0.999)
  confidence: number = 0.95;
}

@ObjectType({ simpleResolvers: true, description: 'Коэффициент корреляции с доверительным интервалом (преобразование Фишера)' })
export class CorrelationStatType {
  @Field(() => StatisticStatus) status!: StatisticStatus;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => Float, { nullable: true }) r!: number | null;
  @Field(() => Int, { description: 'ОО с обоими значениями' }) n!: number;
  @Field(() => Float, { nullable: true, description: 'Эффективное N (для взвешенной — по Кишу)' }) effectiveN!: number | null;
  @Field(() => Float, { nullable: true }) lower!: number | null;
  @Field(() => Float, { nullable: true }) upper!: number | null;
  @Field(() => Float, { nullable: true }) pValue!: number | null;
  @Field(() => Boolean, { nullable: true }) significant!: boolean | null;
}

@ObjectType({ simpleResolvers: true, description: 'Связь результата с одной контекстной переменной' })
export class ContextCorrelationType {
  @Field(() => CorrelationVariable) variable!: CorrelationVariable;
  @Field(() => CorrelationStatType, { description: 'Пирсон (каждая ОО — одна точка)' }) pearson!: CorrelationStatType;
  @Field(() => CorrelationStatType, { description: 'Пирсон, взвешенный по участникам' }) weightedPearson!: CorrelationStatType;
  @Field(() => CorrelationStatType, { description: 'Спирмен (по рангам: устойчив к выбросам)' }) spearman!: CorrelationStatType;
}

@ObjectType({ simpleResolvers: true, description: 'Связи результатов одной процедуры одного года с контекстом ОО' })
export class AssessmentCorrelationsType {
  assessmentId!: number;
  @Field(() => Int) year!: number;
  @Field(() => Procedure) procedure!: Procedure;
  @Field() subjectCode!: string;
  @Field(() => Int) grade!: number;
  @Field(() => ComparisonMetric) metric!: ComparisonMetric;
  @Field(() => Float) confidence!: number;
  @Field(() => Int, { description: 'ОО со значением показателя' }) schools!: number;
  @Field(() => [ContextCorrelationType]) correlations!: ContextCorrelationType[];
}
