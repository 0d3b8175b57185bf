import { registerEnumType } from 'type-graphql';

/** The metrics a school result is compared on (the names of src/comparisons/stats). */
export enum ComparisonMetric {
  SHARE_2 = 'SHARE_2',
  SHARE_4_5 = 'SHARE_4_5',
  MEAN_PERCENT = 'MEAN_PERCENT',
  MEAN_MARK = 'MEAN_MARK',
  JOURNAL_AGREEMENT = 'JOURNAL_AGREEMENT',
  MEAN_TEST_SCORE = 'MEAN_TEST_SCORE',
  BELOW_MINIMUM = 'BELOW_MINIMUM',
  SHARE_TEST_80 = 'SHARE_TEST_80',
  SHARE_TEST_100 = 'SHARE_TEST_100',
  SHARE_SUM3_220 = 'SHARE_SUM3_220',
}

registerEnumType(ComparisonMetric, {
  name: 'ComparisonMetric',
  description: 'Показатель сравнения. Доли — в долях единицы (0–1), средние — в своих единицах',
  valuesConfig: {
    SHARE_2: { description: 'Доля отметок «2» (меньше — лучше)' },
    SHARE_4_5: { description: 'Доля отметок «4» и «5»' },
    MEAN_PERCENT: { description: 'Средний процент от максимального первичного балла (0–100)' },
    MEAN_MARK: { description: 'Средняя отметка (2–5)' },
    JOURNAL_AGREEMENT: { description: 'Доля подтвердивших отметку по журналу (отметка ВПР = отметке по журналу)' },
    MEAN_TEST_SCORE: { description: 'Средний тестовый балл ЕГЭ (0–100)' },
    BELOW_MINIMUM: { description: 'ГИА: доля участников ниже минимального порога (меньше — лучше)' },
    SHARE_TEST_80: { description: 'ЕГЭ: доля участников с тестовым баллом 80 и выше' },
    SHARE_TEST_100: { description: 'ЕГЭ: доля участников со 100 тестовыми баллами' },
    SHARE_SUM3_220: { description: 'ЕГЭ: доля выпускников с 220 тестовыми баллами и более по трём предметам (итог ОО по процедуре за год, без предмета)' },
  },
});

export const ALL_COMPARISON_METRICS: readonly ComparisonMetric[] = Object.values(ComparisonMetric);

/** The field of a metric in per-metric objects (MetricsComparison, TrendsComparison). */
export const METRIC_FIELD = {
  [ComparisonMetric.SHARE_2]: 'share2',
  [ComparisonMetric.SHARE_4_5]: 'share45',
  [ComparisonMetric.MEAN_PERCENT]: 'meanPercent',
  [ComparisonMetric.MEAN_MARK]: 'meanMark',
  [ComparisonMetric.JOURNAL_AGREEMENT]: 'journalAgreement',
  [ComparisonMetric.MEAN_TEST_SCORE]: 'meanTestScore',
  [ComparisonMetric.BELOW_MINIMUM]: 'belowMinimum',
  [ComparisonMetric.SHARE_TEST_80]: 'shareTest80',
  [ComparisonMetric.SHARE_TEST_100]: 'shareTest100',
  [ComparisonMetric.SHARE_SUM3_220]: 'shareSum3_220',
} as const;
