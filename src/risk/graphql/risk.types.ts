import { ArgsType, Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLJSON, GraphQLJSONObject } from 'graphql-scalars';
import { ArrayMaxSize, IsOptional, Max, MaxLength, Min } from 'class-validator';
import { SchoolType } from '../../territory/enums';
import { MarkerCode, ZoneLevel } from './risk.enums';

@ObjectType({ description: 'Маркеры по предмету и классу (как в официальных списках)' })
export class SubjectGradeMarkers {
  @Field(() => String, { nullable: true, description: 'Предмет; null — маркеры по школе в целом' })
  subject!: string | null;

  @Field(() => Int, { nullable: true })
  grade!: number | null;

  @Field(() => [String])
  procedures!: string[];

  @Field(() => [MarkerCode])
  markers!: MarkerCode[];
}

@ObjectType({ description: 'Зона по одному направлению (объективность или низкие результаты)' })
export class ZoneAssessmentType {
  @Field(() => ZoneLevel)
  level!: ZoneLevel;

  @Field(() => Int, { description: 'Количество маркеров (предмет × класс)' })
  markerCount!: number;

  @Field(() => [SubjectGradeMarkers])
  markersBySubjectGrade!: SubjectGradeMarkers[];

  @Field({ description: 'Совпали ли сигналы разных индикаторов' })
  signalsAgree!: boolean;

  @Field(() => Int, { description: 'Лет подряд в зоне (3 — порог эскалации)' })
  consecutiveFlaggedYears!: number;

  @Field(() => [String], { description: 'Основания отнесения к зоне' })
  reasonsRu!: string[];

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description:
      'Методика v2, зона объективности: совокупность признаков за год — combinedZ, z (против эмпирического нуля региона), p, q (Бенджамини–Хохберг по ОО региона), ' +
      'seriesZ/seriesQ (все годы ОО вместе), signs (z каждого признака и число единиц), notMeasured (что не удалось вычислить); null для зоны низких результатов и для лет методики v1',
  })
  evidence?: Record<string, unknown> | null;
}

@ObjectType({ description: 'Зоны риска ОО за год' })
export class RiskZoneType {
  schoolId!: number;

  @Field(() => Int)
  year!: number;

  @Field(() => ZoneLevel, { description: 'Зона необъективности' })
  objectivity!: ZoneLevel;

  @Field(() => ZoneLevel, { description: 'Зона низких результатов' })
  lowResults!: ZoneLevel;

  @Field(() => ZoneAssessmentType)
  objectivityDetail!: ZoneAssessmentType;

  @Field(() => ZoneAssessmentType)
  lowResultsDetail!: ZoneAssessmentType;

  @Field({ description: 'NORMAL или ELEVATED (условия проведения повышают приоритет проверки, но не доказывают)' })
  priority!: string;

  @Field(() => [String])
  priorityReasonsRu!: string[];

  @Field({ description: 'Пояснение с цифрами' })
  explanationRu!: string;

  @Field(() => Int)
  methodologyVersion!: number;

  @Field(() => Int, { nullable: true, description: 'Версия настроек порогов региона; null — значения по умолчанию' })
  configId!: number | null;

  @Field()
  computedAt!: Date;
}

@ObjectType({ description: 'Значение индикатора с доказательной базой' })
export class RiskIndicatorValueType {
  @Field(() => ID)
  id!: string;

  schoolId!: number;
  assessmentId!: number | null;

  @Field(() => Int)
  year!: number;

  @Field(() => MarkerCode, { description: 'Проверка (маркер, который она может выставить)' })
  check!: MarkerCode;

  @Field({ description: 'Индикатор методики' })
  indicator!: string;

  @Field({ description: 'FLAGGED, CLEAR или INSUFFICIENT_DATA' })
  status!: string;

  @Field(() => Float, { nullable: true })
  value!: number | null;

  @Field(() => Float, { nullable: true })
  pValue!: number | null;

  @Field(() => Float, { nullable: true, description: 'q-значение после поправки Бенджамини–Хохберга (для пиков у границ)' })
  qValue!: number | null;

  @Field(() => [String])
  warnings!: string[];

  @Field()
  explanationRu!: string;

  @Field(() => GraphQLJSONObject, { description: 'Входные данные, база сравнения, пороги и версия методики' })
  evidence!: Record<string, unknown>;

  @Field(() => Int)
  methodologyVersion!: number;
}

@InputType({ description: 'Отбор для рейтинга ОО по зонам' })
export class RiskRankingFilter {
  @Field(() => Int)
  @Min(2000)
  @Max(2100)
  year!: number;

  @Field(() => [String], { nullable: true, description: 'Коды муниципалитетов' })
  @IsOptional()
  @ArrayMaxSize(200)
  municipalityCodes?: string[] | null;

  @Field(() => ZoneLevel, { nullable: true, description: 'Не ниже этой зоны необъективности' })
  minObjectivity?: ZoneLevel | null;

  @Field(() => ZoneLevel, { nullable: true, description: 'Не ниже этой зоны низких результатов' })
  minLowResults?: ZoneLevel | null;

  @Field(() => [SchoolType], { nullable: true })
  types?: SchoolType[] | null;

  @Field(() => MarkerCode, { nullable: true, description: 'Только ОО с этим маркером в году' })
  marker?: MarkerCode | null;
}

@ArgsType()
export class RankingPageArgs {
  @Field(() => Int, { defaultValue: 50 })
  @Min(1)
  @Max(500)
  first: number = 50;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

@ObjectType({ description: 'Строка рейтинга: ОО, её зоны и место' })
export class RiskRankingRow {
  @Field(() => Int, { description: 'Место в рейтинге (1 — наибольший риск)' })
  rank!: number;

  schoolId!: number;

  @Field(() => RiskZoneType)
  zone!: RiskZoneType;
}

@ObjectType()
export class RiskRankingEdge {
  @Field()
  cursor!: string;

  @Field(() => RiskRankingRow)
  node!: RiskRankingRow;
}

@ObjectType({ description: 'Рейтинг ОО по зонам риска' })
export class RiskRankingConnection {
  @Field(() => [RiskRankingEdge])
  edges!: RiskRankingEdge[];

  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;

  @Field(() => Int)
  totalCount!: number;
}

@ObjectType({ description: 'Методика и пороги, действующие для региона' })
export class RiskMethodology {
  @Field(() => Int)
  methodologyVersion!: number;

  @Field(() => Int, { description: 'Версия настроек региона; 0 — значения по умолчанию' })
  configVersion!: number;

  @Field(() => GraphQLJSONObject, { description: 'Действующие пороги' })
  thresholds!: object;

  @Field(() => GraphQLJSONObject, { description: 'Значения по умолчанию методики' })
  defaults!: object;

  @Field(() => GraphQLJSONObject, { description: 'Переопределения региона' })
  overrides!: object;
}

@InputType({ description: 'Новая версия порогов региона (только изменяемые значения)' })
export class RiskThresholdsInput {
  @Field({ description: 'Код региона' })
  regionCode!: string;

  @Field(() => GraphQLJSON, { description: 'Переопределения, например {"boundaryBunching": {"alpha": 0.01}}' })
  overrides!: Record<string, Record<string, unknown>>;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(1000)
  comment?: string | null;
}

@InputType({ description: 'Что пересчитать: ОО, муниципалитет или весь регион; годы' })
export class RecomputeRiskInput {
  @Field(() => [String], { nullable: true, description: 'Коды или id ОО' })
  @IsOptional()
  @ArrayMaxSize(5000)
  schools?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Код муниципалитета' })
  municipalityCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Код региона' })
  regionCode?: string | null;

  @Field(() => [Int], { nullable: true, description: 'Годы; по умолчанию — все годы с данными' })
  @IsOptional()
  @ArrayMaxSize(20)
  @Min(2000, { each: true })
  @Max(2100, { each: true })
  years?: number[] | null;
}

@ObjectType({ description: 'Скопление работ у границ отметок по территории (регион или муниципалитет) — по её собственному распределению баллов' })
export class TerritoryBunchingType {
  @Field({ description: 'REGION или MUNICIPALITY' })
  level!: string;

  @Field()
  territoryCode!: string;

  @Field()
  territoryName!: string;

  @Field(() => Int)
  assessmentId!: number;

  @Field(() => Int)
  year!: number;

  @Field(() => Int, { description: 'ОО с распределением баллов' })
  schools!: number;

  @Field(() => Int)
  participants!: number;

  @Field({ description: 'FLAGGED — скопление есть; CLEAR — нет; INSUFFICIENT_DATA — судить нельзя (причина в пояснении)' })
  status!: string;

  @Field(() => Float, { nullable: true })
  pValue!: number | null;

  @Field(() => Float, { nullable: true, description: 'Лишних работ на границах и сразу выше, против гладкого распределения' })
  excessWorks!: number | null;

  @Field(() => Float, { nullable: true, description: 'Их доля от всех работ' })
  excessShare!: number | null;

  @Field(() => [Int], { description: 'Участников с баллом 0, 1, …, max' })
  observedHistogram!: number[];

  @Field(() => [Float], { nullable: true, description: 'Ожидаемое без скопления (гладкое распределение)' })
  counterfactualHistogram!: number[] | null;

  @Field(() => [Int], { description: 'Минимальные баллы отметок «3», «4», «5»' })
  boundaries!: number[];

  @Field()
  explanationRu!: string;
}
