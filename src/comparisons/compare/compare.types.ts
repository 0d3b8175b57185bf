import { Arg, Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Procedure } from '../../assessments/enums';
import { BenchmarkLevel } from '../../territory/enums';
import { DifferenceType, StatisticStatus, TrendType, YearChangeType } from '../shared/statistics.types';

/**
 * The comparison's shape. Sets of a known size are objects, not lists (three reference levels, nine
 * metrics), so the hub's query-cost estimate (each list counts its `first`, or 50) stays realistic; the lists
 * that remain take `first`. Statistics are computed only for the fields a client asks for (getters, read by
 * GraphQL's default resolver).
 */

const firstArg = (max: number, what: string) => ({ defaultValue: max, description: `Сколько ${what} вернуть (по умолчанию все; учитывается в оценке стоимости запроса)` });

@ObjectType({ simpleResolvers: true, description: 'Значение эталона и разность ОО с ним' })
export class ReferenceComparisonType {
  @Field(() => BenchmarkLevel)
  level!: BenchmarkLevel;

  @Field(() => Float, { nullable: true, description: 'Значение эталона по показателю (доли 0–1, средние — в своих единицах)' })
  value!: number | null;

  @Field(() => Int, { nullable: true, description: 'Участников в эталоне; без него эталон считается точным (опубликованным) значением' })
  participants!: number | null;

  @Field(() => String, { nullable: true, description: 'imported — официальные данные; computed — рассчитано хабом' })
  source!: string | null;

  /** Computed only when asked for: a client reading the values alone pays for no statistics. */
  computeDifference!: () => DifferenceType;

  @Field(() => DifferenceType, { description: 'ОО − эталон с доверительным интервалом (эталоны муниципалитета и региона — без учеников самой ОО)' })
  get difference(): DifferenceType {
    return this.computeDifference();
  }
}

export enum SpreadBasis {
  OBSERVED = 'OBSERVED',
  REGION_PUPILS = 'REGION_PUPILS',
  DEFAULT = 'DEFAULT',
}

registerEnumType(SpreadBasis, {
  name: 'SpreadBasis',
  description: 'Откуда взят разброс баллов учеников ОО, на котором основано сравнение среднего',
  valuesConfig: {
    OBSERVED: { description: 'Из результатов учеников самой ОО' },
    REGION_PUPILS: { description: 'Принят: у ОО только опубликованное среднее, взят разброс учеников региона в этой процедуре' },
    DEFAULT: { description: 'Принят: у ОО только опубликованное среднее, а учеников региона с результатами мало — взят консервативный разброс по умолчанию' },
  },
});

@ObjectType({ simpleResolvers: true, description: 'Показатель ОО за год и его сравнение с муниципалитетом, регионом и Россией' })
export class MetricComparisonType {
  @Field(() => Float, { description: 'Значение ОО (доли 0–1, средние — в своих единицах)' })
  value!: number;

  @Field(() => Int, { description: 'База: участников с данными для показателя' })
  base!: number;

  @Field(() => Float, { nullable: true, description: 'Средние: стандартное отклонение по ученикам (наблюдённое или принятое — см. spreadBasis)' })
  standardDeviation!: number | null;

  @Field(() => SpreadBasis, { nullable: true, description: 'Средние: откуда разброс по ученикам; null для долей' })
  spreadBasis!: SpreadBasis | null;

  @Field(() => String, { nullable: true, description: 'Допущение, на котором основано сравнение, когда разброс принят, а не наблюдён; null — допущений нет' })
  spreadNote!: string | null;

  @Field(() => ReferenceComparisonType, { nullable: true, description: 'Муниципалитет ОО' })
  municipality!: ReferenceComparisonType | null;

  @Field(() => ReferenceComparisonType, { nullable: true, description: 'Регион ОО' })
  region!: ReferenceComparisonType | null;

  @Field(() => ReferenceComparisonType, { nullable: true, description: 'Россия' })
  russia!: ReferenceComparisonType | null;
}

@ObjectType({ simpleResolvers: true, description: 'Показатели ОО за год; null — у ОО нет данных для показателя' })
export class MetricsComparisonType {
  @Field(() => MetricComparisonType, { nullable: true, description: 'Доля «2» (меньше — лучше)' }) share2!: MetricComparisonType | null;
  @Field(() => MetricComparisonType, { nullable: true, description: 'Доля «4» и «5»' }) share45!: MetricComparisonType | null;
  @Field(() => MetricComparisonType, { nullable: true, description: 'Средний % от максимального первичного балла' }) meanPercent!: MetricComparisonType | null;
  @Field(() => MetricComparisonType, { nullable: true, description: 'Средняя отметка' }) meanMark!: MetricComparisonType | null;
  @Field(() => MetricComparisonType, { nullable: true, description: 'Доля подтвердивших отметку по журналу' }) journalAgreement!: MetricComparisonType | null;
  @Field(() => MetricComparisonType, { nullable: true, description: 'ЕГЭ: средний тестовый балл' }) meanTestScore!: MetricComparisonType | null;
  @Field(() => MetricComparisonType, { nullable: true, description: 'ГИА: доля ниже минимального порога (меньше — лучше)' }) belowMinimum!: MetricComparisonType | null;
  @Field(() => MetricComparisonType, { nullable: true, description: 'ЕГЭ: доля участников с тестовым баллом 80 и выше' }) shareTest80!: MetricComparisonType | null;
  @Field(() => MetricComparisonType, { nullable: true, description: 'ЕГЭ: доля участников со 100 тестовыми баллами' }) shareTest100!: MetricComparisonType | null;
  @Field(() => MetricComparisonType, {
    nullable: true,
    description: 'ЕГЭ: доля выпускников с 220 тестовыми баллами и более по трём предметам — только в итогах ОО по процедуре (examTotals), в процедурах с предметом null',
  })
  shareSum3_220!: MetricComparisonType | null;
}

@ObjectType({ simpleResolvers: true, description: 'Отметки ОО: число и доли (0–1)' })
export class MarkCountsType {
  @Field(() => Int) count2!: number;
  @Field(() => Int) count3!: number;
  @Field(() => Int) count4!: number;
  @Field(() => Int) count5!: number;
  @Field(() => Int, { description: 'Участников с отметкой' }) marked!: number;
  @Field(() => Float, { nullable: true }) share2!: number | null;
  @Field(() => Float, { nullable: true }) share3!: number | null;
  @Field(() => Float, { nullable: true }) share4!: number | null;
  @Field(() => Float, { nullable: true }) share5!: number | null;
  @Field(() => Float, { nullable: true }) share45!: number | null;
}

@ObjectType({ simpleResolvers: true, description: 'Доля одной отметки против эталона' })
export class MarkDifferenceType {
  @Field(() => Int) mark!: number;
  @Field(() => DifferenceType) difference!: DifferenceType;
}

@ObjectType({ simpleResolvers: true, description: 'Распределение отметок против эталона: доля каждой отметки и один χ²-тест всего распределения' })
export class MarkDistributionComparisonType {
  @Field(() => BenchmarkLevel) level!: BenchmarkLevel;
  @Field(() => StatisticStatus) status!: StatisticStatus;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => Float, { nullable: true }) chiSquare!: number | null;
  @Field(() => Int, { nullable: true }) degreesOfFreedom!: number | null;
  @Field(() => Float, { nullable: true }) pValue!: number | null;
  @Field(() => Boolean, { nullable: true }) significant!: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Есть ожидаемые частоты < 5: p-value ориентировочный' }) smallExpectedCounts!: boolean | null;
  @Field(() => [MarkDifferenceType], { description: 'Отметки «2», «3», «4», «5»' }) byMark!: MarkDifferenceType[];
  @Field(() => DifferenceType, { nullable: true, description: 'Доля «4» и «5»' }) share45!: DifferenceType | null;
}

@ObjectType({ simpleResolvers: true, description: 'Распределение отметок ОО против муниципалитета, региона и России' })
export class MarkDistributionsType {
  @Field(() => MarkDistributionComparisonType, { nullable: true }) municipality!: MarkDistributionComparisonType | null;
  @Field(() => MarkDistributionComparisonType, { nullable: true }) region!: MarkDistributionComparisonType | null;
  @Field(() => MarkDistributionComparisonType, { nullable: true }) russia!: MarkDistributionComparisonType | null;
}

@ObjectType({ simpleResolvers: true, description: 'Результат ОО в одной процедуре одного года' })
export class ComparisonYearType {
  @Field(() => Int) year!: number;
  assessmentId!: number;
  @Field(() => Int) participants!: number;
  @Field(() => MarkCountsType, { nullable: true, description: 'null для процедур без отметок' }) marks!: MarkCountsType | null;
  @Field(() => Float, { nullable: true }) meanPercent!: number | null;
  @Field(() => Float, { nullable: true, description: 'ЕГЭ: средний тестовый балл' }) meanTestScore!: number | null;
  @Field(() => Int, { nullable: true, description: 'ГИА: участников ниже минимального порога' }) belowMinimum!: number | null;
  @Field(() => Int, { nullable: true, description: 'ЕГЭ: участников с тестовым баллом 80 и выше' }) countTest80!: number | null;
  @Field(() => Int, { nullable: true, description: 'ЕГЭ: участников со 100 тестовыми баллами' }) countTest100!: number | null;
  @Field(() => Int, { nullable: true }) journalLowered!: number | null;
  @Field(() => Int, { nullable: true }) journalConfirmed!: number | null;
  @Field(() => Int, { nullable: true }) journalRaised!: number | null;
  @Field(() => Int, { nullable: true, description: '|ВПР − журнал| ≥ 2' }) journalMismatch2!: number | null;
  @Field(() => MetricsComparisonType) metrics!: MetricsComparisonType;
  computeMarkDistributions!: () => MarkDistributionsType | null;

  @Field(() => MarkDistributionsType, { nullable: true, description: 'null для процедур без отметок' })
  get markDistributions(): MarkDistributionsType | null {
    return this.computeMarkDistributions();
  }
}

@ObjectType({ simpleResolvers: true, description: 'Тренд показателя по годам и изменения год к году' })
export class MetricTrendType {
  computeTrend!: () => TrendType;
  computeChanges!: () => YearChangeType[];

  @Field(() => String, { nullable: true, description: 'Допущение, на котором основаны тренд и изменения, когда в каких-то годах разброс принят, а не наблюдён' })
  spreadNote!: string | null;

  @Field(() => TrendType)
  get trend(): TrendType {
    return this.computeTrend();
  }

  @Field(() => [YearChangeType])
  get changes(): YearChangeType[] {
    return this.computeChanges();
  }
}

@ObjectType({ simpleResolvers: true, description: 'Тренды показателей за годы сравнения; null — показатель не наблюдался' })
export class TrendsComparisonType {
  @Field(() => MetricTrendType, { nullable: true }) share2!: MetricTrendType | null;
  @Field(() => MetricTrendType, { nullable: true }) share45!: MetricTrendType | null;
  @Field(() => MetricTrendType, { nullable: true }) meanPercent!: MetricTrendType | null;
  @Field(() => MetricTrendType, { nullable: true }) meanMark!: MetricTrendType | null;
  @Field(() => MetricTrendType, { nullable: true }) journalAgreement!: MetricTrendType | null;
  @Field(() => MetricTrendType, { nullable: true }) meanTestScore!: MetricTrendType | null;
  @Field(() => MetricTrendType, { nullable: true }) belowMinimum!: MetricTrendType | null;
  @Field(() => MetricTrendType, { nullable: true }) shareTest80!: MetricTrendType | null;
  @Field(() => MetricTrendType, { nullable: true }) shareTest100!: MetricTrendType | null;
  @Field(() => MetricTrendType, { nullable: true, description: 'Только в итогах ОО по процедуре (examTotals)' }) shareSum3_220!: MetricTrendType | null;
}

@ObjectType({ simpleResolvers: true, description: 'Итог ОО по процедуре за год, без предмета (ЕГЭ: 220 баллов и более по трём предметам)' })
export class ComparedExamTotalYearType {
  @Field(() => Int) year!: number;
  @Field(() => Int, { nullable: true, description: 'Выпускников, сдававших процедуру' }) participants!: number | null;
  @Field(() => Int, { nullable: true, description: 'ЕГЭ: выпускников с 220 тестовыми баллами и более по трём предметам' }) countSum3_220!: number | null;
  @Field(() => MetricsComparisonType, { description: 'Показатели итога (заполнен shareSum3_220) с эталонами муниципалитета, региона и России' }) metrics!: MetricsComparisonType;
}

@ObjectType({ simpleResolvers: true, description: 'Итоги ОО по одной процедуре (без предмета) по годам' })
export class ComparedExamTotalType {
  @Field(() => Procedure) procedure!: Procedure;
  yearRows!: ComparedExamTotalYearType[];
  @Field(() => TrendsComparisonType, { description: 'Тренды за годы сравнения (заполнен shareSum3_220)' }) trends!: TrendsComparisonType;

  @Field(() => [ComparedExamTotalYearType], { description: 'Годы по возрастанию' })
  years(@Arg('first', () => Int, firstArg(10, 'лет')) first: number): ComparedExamTotalYearType[] {
    return this.yearRows.slice(0, Math.max(0, first));
  }
}

@ObjectType({ simpleResolvers: true, description: 'Одна процедура (процедура × предмет × класс × сессия) ОО по годам' })
export class ComparedAssessmentType {
  @Field(() => Procedure) procedure!: Procedure;
  @Field() subjectCode!: string;
  subjectId!: number;
  @Field(() => Int) grade!: number;
  @Field() session!: string;
  yearRows!: ComparisonYearType[];
  @Field(() => TrendsComparisonType) trends!: TrendsComparisonType;

  @Field(() => [ComparisonYearType], { description: 'Годы по возрастанию' })
  years(@Arg('first', () => Int, firstArg(10, 'лет')) first: number): ComparisonYearType[] {
    return this.yearRows.slice(0, Math.max(0, first));
  }
}

@ObjectType({ simpleResolvers: true, description: 'Сравнение одной ОО' })
export class ComparedSchoolType {
  @Field({ description: 'Код ОО, как он был передан' }) code!: string;
  schoolId!: number;
  assessmentRows!: ComparedAssessmentType[];
  examTotalRows!: ComparedExamTotalType[];

  @Field(() => [ComparedExamTotalType], { description: 'Итоги ОО по процедурам без предмета (school_exam_total): доля 220 баллов и более по трём предметам ЕГЭ' })
  examTotals(@Arg('first', () => Int, firstArg(10, 'процедур')) first: number): ComparedExamTotalType[] {
    return this.examTotalRows.slice(0, Math.max(0, first));
  }

  @Field(() => [ComparedAssessmentType], { description: 'Процедуры ОО (по процедуре, предмету, классу)' })
  assessments(@Arg('first', () => Int, firstArg(100, 'процедур')) first: number): ComparedAssessmentType[] {
    return this.assessmentRows.slice(0, Math.max(0, first));
  }
}

@ObjectType({ simpleResolvers: true, description: 'Сравнение ОО по годам с муниципалитетом, регионом и Россией' })
export class SchoolComparisonType {
  @Field(() => [Int], { description: 'Годы сравнения (по умолчанию — три последних года с результатами)' }) years!: number[];
  @Field(() => Float) confidence!: number;
  schoolRows!: ComparedSchoolType[];

  @Field(() => [ComparedSchoolType], { description: 'ОО в порядке запроса' })
  schools(@Arg('first', () => Int, firstArg(50, 'ОО')) first: number): ComparedSchoolType[] {
    return this.schoolRows.slice(0, Math.max(0, first));
  }
}
