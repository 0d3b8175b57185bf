import { registerEnumType } from 'type-graphql';

export enum ContextVariable {
  SCHOOL_TYPE = 'SCHOOL_TYPE',
  IN_DEPTH_STUDY = 'IN_DEPTH_STUDY',
  URBAN = 'URBAN',
  LOG_ENROLMENT = 'LOG_ENROLMENT',
  SHARE_DISABLED_PCT = 'SHARE_DISABLED_PCT',
  SOCIAL_INDEX = 'SOCIAL_INDEX',
}

registerEnumType(ContextVariable, {
  name: 'ContextVariable',
  description: 'Переменная контекстной модели (см. src/comparisons/stats/MODEL.md)',
  valuesConfig: {
    SCHOOL_TYPE: { description: 'Тип ОО (фиктивные переменные против самого частого типа)' },
    IN_DEPTH_STUDY: { description: 'Углублённое изучение предметов' },
    URBAN: { description: 'Городская ОО' },
    LOG_ENROLMENT: { description: 'ln(численность обучающихся)' },
    SHARE_DISABLED_PCT: { description: 'Доля обучающихся с ОВЗ, п. п.' },
    SOCIAL_INDEX: { description: 'Индекс социального благополучия (где регион его ведёт)' },
  },
});

export enum ContextVariableTreatment {
  USED = 'USED',
  MEAN_IMPUTED_WITH_INDICATOR = 'MEAN_IMPUTED_WITH_INDICATOR',
  MEAN_IMPUTED = 'MEAN_IMPUTED',
  DROPPED_SPARSE = 'DROPPED_SPARSE',
  NO_VARIATION = 'NO_VARIATION',
  DROPPED_RARE = 'DROPPED_RARE',
  EXCLUDED = 'EXCLUDED',
}

registerEnumType(ContextVariableTreatment, {
  name: 'ContextVariableTreatment',
  description: 'Как переменная вошла в модель',
  valuesConfig: {
    USED: { description: 'Использована как есть' },
    MEAN_IMPUTED_WITH_INDICATOR: { description: 'Пропуски заменены средним, добавлен признак «значение неизвестно»' },
    MEAN_IMPUTED: { description: 'Пропуски (у 1–2 ОО) заменены средним' },
    DROPPED_SPARSE: { description: 'Известна менее чем у 70 % ОО — исключена' },
    NO_VARIATION: { description: 'Одинакова у всех ОО' },
    DROPPED_RARE: { description: 'Одна из сторон есть менее чем у 3 ОО — исключена' },
    EXCLUDED: { description: 'Исключена по запросу' },
  },
});

export enum ContextWeighting {
  PARTICIPANTS = 'PARTICIPANTS',
  EQUAL = 'EQUAL',
}

registerEnumType(ContextWeighting, {
  name: 'ContextWeighting',
  description: 'Веса регрессии',
  valuesConfig: {
    PARTICIPANTS: { description: 'Вес = число участников (по умолчанию)' },
    EQUAL: { description: 'Каждая ОО с весом 1 (обычный МНК)' },
  },
});

/** The metrics a school is placed on among its peers: ComparisonMetric's names, read as compareSchools reads them. */
export enum PeerMetric {
  MEAN_PERCENT = 'MEAN_PERCENT',
  SHARE_2 = 'SHARE_2',
  SHARE_4_5 = 'SHARE_4_5',
  MEAN_TEST_SCORE = 'MEAN_TEST_SCORE',
  BELOW_MINIMUM = 'BELOW_MINIMUM',
  SHARE_TEST_80 = 'SHARE_TEST_80',
  SHARE_TEST_100 = 'SHARE_TEST_100',
}

registerEnumType(PeerMetric, {
  name: 'PeerMetric',
  description: 'Показатель, по которому ОО ставится среди похожих',
  valuesConfig: {
    MEAN_PERCENT: { description: 'Средний процент от максимума (больше — лучше)' },
    SHARE_2: { description: 'Доля «2», 0–1 (меньше — лучше)' },
    SHARE_4_5: { description: 'Доля «4» и «5», 0–1 (больше — лучше)' },
    MEAN_TEST_SCORE: { description: 'ЕГЭ: средний тестовый балл (больше — лучше)' },
    BELOW_MINIMUM: { description: 'ГИА: доля участников ниже минимального порога, 0–1 (меньше — лучше)' },
    SHARE_TEST_80: { description: 'ЕГЭ: доля участников с тестовым баллом 80 и выше, 0–1 (больше — лучше)' },
    SHARE_TEST_100: { description: 'ЕГЭ: доля участников со 100 тестовыми баллами, 0–1 (больше — лучше)' },
  },
});

/** Metrics on which less is better: a school's rank and percentile among its peers are turned round for them. */
export const PEER_LOWER_IS_BETTER: ReadonlySet<PeerMetric> = new Set([PeerMetric.SHARE_2, PeerMetric.BELOW_MINIMUM]);

export enum PeerRestriction {
  SAME_LOCALITY_AND_FAMILY = 'SAME_LOCALITY_AND_FAMILY',
  SAME_FAMILY = 'SAME_FAMILY',
  ALL = 'ALL',
}

registerEnumType(PeerRestriction, {
  name: 'PeerRestriction',
  description: 'Из кого выбирались похожие ОО',
  valuesConfig: {
    SAME_LOCALITY_AND_FAMILY: { description: 'Та же местность (город/село) и тот же вид (общие / с отбором: лицеи, гимназии, углублённое изучение)' },
    SAME_FAMILY: { description: 'Тот же вид ОО в любой местности (похожих в той же местности мало)' },
    ALL: { description: 'Все ОО (похожих того же вида мало)' },
  },
});
