import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum StatisticStatus {
  OK = 'OK',
  INSUFFICIENT_DATA = 'INSUFFICIENT_DATA',
}

registerEnumType(StatisticStatus, {
  name: 'StatisticStatus',
  description: 'Удалось ли рассчитать показатель',
  valuesConfig: {
    OK: { description: 'Рассчитан' },
    INSUFFICIENT_DATA: { description: 'Данных недостаточно; причина — в поле reason' },
  },
});

@ObjectType({
  simpleResolvers: true,
  description:
    'Разность «ОО − эталон» с неопределённостью: доли — в долях единицы (0,10 = 10 п. п.), средние — в своих единицах. ' +
    'Доли: интервал Уилсона (эталон — опубликованное значение) или гибридный интервал Ньюкомба (эталон — выборка); средние: t Стьюдента или Уэлча',
})
export class DifferenceType {
  @Field(() => StatisticStatus)
  status!: StatisticStatus;

  @Field(() => String, { nullable: true, description: 'Почему не рассчитано' })
  reason!: string | null;

  @Field(() => String, { nullable: true, description: 'WILSON_SCORE_VS_FIXED, NEWCOMBE_HYBRID_SCORE, ONE_SAMPLE_T, WELCH_T' })
  method!: string | null;

  @Field(() => Float, { nullable: true, description: 'Значение ОО' })
  estimate!: number | null;

  @Field(() => Float, { nullable: true, description: 'Значение эталона, с которым сравнивали (без учеников самой ОО, если эталон их включает)' })
  reference!: number | null;

  @Field(() => Float, { nullable: true, description: 'ОО − эталон' })
  difference!: number | null;

  @Field(() => Float, { nullable: true })
  standardError!: number | null;

  @Field(() => Float, { nullable: true, description: 'Нижняя граница доверительного интервала разности' })
  lower!: number | null;

  @Field(() => Float, { nullable: true, description: 'Верхняя граница доверительного интервала разности' })
  upper!: number | null;

  @Field(() => Float, { nullable: true, description: 'z для долей, t для средних' })
  statistic!: number | null;

  @Field(() => Float, { nullable: true })
  degreesOfFreedom!: number | null;

  @Field(() => Float, { nullable: true, description: 'Двусторонний p-value' })
  pValue!: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Доверительный интервал не содержит 0' })
  significant!: boolean | null;
}

@ObjectType({ simpleResolvers: true, description: 'Значение года и линии тренда' })
export class TrendPointType {
  @Field(() => Int) year!: number;
  @Field(() => Int) participants!: number;
  @Field(() => Float) observed!: number;
  @Field(() => Float) fitted!: number;
}

@ObjectType({ simpleResolvers: true, description: 'Линейный тренд за 3+ года (взвешенный по числу участников; ошибка — от выборки учеников)' })
export class TrendType {
  @Field(() => StatisticStatus)
  status!: StatisticStatus;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => Int, { nullable: true }) years!: number | null;
  @Field(() => Int, { nullable: true }) participants!: number | null;

  @Field(() => Float, { nullable: true, description: 'Изменение за год (в единицах показателя)' })
  slopePerYear!: number | null;

  @Field(() => Float, { nullable: true }) standardError!: number | null;
  @Field(() => Float, { nullable: true }) lower!: number | null;
  @Field(() => Float, { nullable: true }) upper!: number | null;
  @Field(() => Float, { nullable: true }) pValue!: number | null;
  @Field(() => Boolean, { nullable: true }) significant!: boolean | null;

  @Field(() => Float, { nullable: true, description: 'χ² отклонений лет от линии (скачки сильнее, чем объясняет смена учеников)' })
  lackOfFitChiSquare!: number | null;

  @Field(() => Float, { nullable: true }) lackOfFitPValue!: number | null;

  @Field(() => [TrendPointType])
  points!: TrendPointType[];
}

@ObjectType({ simpleResolvers: true, description: 'Изменение к предыдущему году с данными (разные ученики: независимые выборки)' })
export class YearChangeType {
  @Field(() => Int) yearFrom!: number;
  @Field(() => Int) yearTo!: number;
  @Field(() => DifferenceType, { description: 'Более поздний год − более ранний' }) change!: DifferenceType;
}
