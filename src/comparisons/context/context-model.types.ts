import { Field, Float, Int, ObjectType } from 'type-graphql';
import { SchoolType } from '../../territory/enums';
import { StatisticStatus } from '../shared/statistics.types';
import { ContextVariable, ContextVariableTreatment, ContextWeighting } from './context.enums';

export const MODEL_DOCUMENTATION = 'src/comparisons/stats/MODEL.md';

export const MODEL_FORMULA =
  'meanPercent = β0 + Σ β_type·[тип] + β_depth·[углублённое изучение] + β_urban·[город] + β_size·ln(численность) + β_ovz·(доля ОВЗ, п. п.) + β_social·(индекс благополучия) (+ признаки пропусков) + e; ' +
  'взвешенный МНК, вес = число участников';

@ObjectType({ simpleResolvers: true, description: 'Коэффициент модели: разница в п. п. от максимума при прочих равных' })
export class ContextCoefficientType {
  @Field({ description: 'INTERCEPT, SCHOOL_TYPE_<тип>, IN_DEPTH_STUDY, URBAN, LOG_ENROLMENT, SHARE_DISABLED_PCT, SOCIAL_INDEX, <ИМЯ>_MISSING' }) name!: string;
  @Field(() => Float) estimate!: number;
  @Field(() => Float, { nullable: true }) standardError!: number | null;
  @Field(() => Float, { nullable: true }) tValue!: number | null;
  @Field(() => Float, { nullable: true }) pValue!: number | null;
  @Field(() => Float, { nullable: true, description: 'Нижняя граница 95 % ДИ' }) lower!: number | null;
  @Field(() => Float, { nullable: true, description: 'Верхняя граница 95 % ДИ' }) upper!: number | null;
}

@ObjectType({ simpleResolvers: true, description: 'Судьба переменной в модели' })
export class ContextVariableReportType {
  @Field(() => ContextVariable) variable!: ContextVariable;
  @Field(() => ContextVariableTreatment) treatment!: ContextVariableTreatment;
  @Field(() => Int, { description: 'ОО без значения' }) missing!: number;
  @Field(() => Float, { nullable: true, description: 'Чем заменены пропуски' }) imputedValue!: number | null;
}

@ObjectType({ simpleResolvers: true, description: 'Столбец, исключённый при подгонке' })
export class DroppedColumnType {
  @Field() name!: string;
  @Field({ description: 'CONSTANT — не меняется; COLLINEAR — линейная комбинация других' }) reason!: string;
}

@ObjectType({ simpleResolvers: true, description: 'Результат ОО с поправкой на контекст: фактический − ожидаемый по модели' })
export class SchoolExpectationType {
  schoolId!: number;
  @Field(() => Int) participants!: number;
  @Field(() => Float, { description: 'Фактический средний % от максимума' }) actual!: number;
  @Field(() => Float, { description: 'Ожидаемый при таком контексте' }) expected!: number;
  @Field(() => Float, { description: 'Фактический − ожидаемый, п. п.' }) residual!: number;
  @Field(() => Float, { nullable: true, description: 'Стандартизованный остаток (≈ N(0,1) по модели; |z| > 2 — у 1 ОО из 20 случайно)' }) standardizedResidual!: number | null;
  @Field(() => Float, { description: 'Рычаг (0–1): насколько необычен контекст ОО' }) leverage!: number;
}

@ObjectType({ simpleResolvers: true, description: `Модель ожидаемого результата по контексту ОО региона и её качество (${MODEL_DOCUMENTATION})` })
export class ContextModelType {
  regionId!: number;
  assessmentId!: number;
  /** Per-school expectations of the whole region: only those in the caller's scope are ever returned. */
  expectations!: SchoolExpectationType[];

  @Field(() => StatisticStatus) status!: StatisticStatus;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => Int) year!: number;
  @Field({ description: 'Отклик модели' }) response!: string;
  @Field({ description: 'Формула модели' }) formula!: string;
  @Field({ description: 'Где описаны модель и чтение её чисел' }) documentation!: string;
  @Field(() => ContextWeighting) weighting!: ContextWeighting;
  @Field(() => Int, { description: 'ОО в модели (N)' }) n!: number;
  @Field(() => Int, { description: 'Участников в модели' }) participants!: number;
  @Field(() => Int, { nullable: true }) parameters!: number | null;
  @Field(() => Int, { nullable: true }) residualDf!: number | null;
  @Field(() => Float, { nullable: true, description: 'Взвешенный R²: доля различий между ОО, объяснённая контекстом' }) rSquared!: number | null;
  @Field(() => Float, { nullable: true }) adjustedRSquared!: number | null;
  @Field(() => Float, { nullable: true, description: 'Остаточное SD для ОО среднего размера, п. п.' }) residualSd!: number | null;
  @Field(() => SchoolType, { nullable: true, description: 'Тип, с которым сравниваются коэффициенты типов' }) referenceSchoolType!: SchoolType | null;
  @Field(() => [SchoolType], { description: 'Редкие типы, объединённые с опорным' }) mergedSchoolTypes!: SchoolType[];
  @Field(() => [ContextCoefficientType]) coefficients!: ContextCoefficientType[];
  @Field(() => [ContextVariableReportType], { description: 'Использованные переменные и обработка пропусков' }) variables!: ContextVariableReportType[];
  @Field(() => [DroppedColumnType]) droppedColumns!: DroppedColumnType[];
  @Field(() => Int, { description: 'ОО без участников, не вошедшие в модель' }) excludedSchools!: number;
}
