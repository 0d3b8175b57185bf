import { MarkerCode } from '../markers';

/** Short Russian names of the markers, for summaries an analyst reads. */
export const MARKER_NAME_RU: Record<MarkerCode, string> = {
  [MarkerCode.HIGH_RESULTS]: 'высокие результаты относительно региона',
  [MarkerCode.BOUNDARY_BUNCHING]: 'пики на границах отметок',
  [MarkerCode.JOURNAL_RAISED]: 'ВПР выше журнальных отметок',
  [MarkerCode.JOURNAL_LOWERED]: 'ВПР ниже журнальных отметок',
  [MarkerCode.TASK_INVERSION]: 'лёгкие задания хуже, трудные лучше региона',
  [MarkerCode.NOT_CONFIRMED_OGE]: 'не подтверждено ОГЭ',
  [MarkerCode.NOT_CONFIRMED_EGE]: 'не подтверждено ЕГЭ',
  [MarkerCode.COHORT_DROP]: 'падение результатов того же потока',
  [MarkerCode.RECHECK_DISCREPANCY]: 'расхождения при перепроверке',
  [MarkerCode.SHARP_CHANGE]: 'резкое изменение за год',
  [MarkerCode.ABOVE_BENCHMARK]: 'выше региональных и российских ориентиров',
  [MarkerCode.LOW_RESULTS_PERSISTENT]: 'устойчиво высокая доля «2»',
  [MarkerCode.GIA_BELOW_MINIMUM]: 'выпускники ниже минимума ГИА',
  [MarkerCode.FAILS_RISING]: 'рост доли «2»',
  [MarkerCode.BELOW_BENCHMARK]: 'ниже региональных и российских ориентиров',
};
