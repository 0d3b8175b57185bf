import { registerEnumType } from 'type-graphql';
import { MarkerCode, ZoneLevel } from '../markers';

registerEnumType(ZoneLevel, {
  name: 'ZoneLevel',
  description: 'Уровень зоны риска',
  valuesConfig: {
    NO_DATA: { description: 'Нет данных: результатов за год нет (ничего не утверждается)' },
    INSUFFICIENT_DATA: { description: 'Данных недостаточно: ни один признак не удалось вычислить (ничего не утверждается)' },
    NONE: { description: 'Признаков нет' },
    WATCH: { description: 'Наблюдение: совокупность признаков необычна, но не значима на уровне зоны риска' },
    RISK: { description: 'Зона риска: совокупность признаков значима среди школ региона (контроль ложных открытий)' },
    HIGH_RISK: { description: 'Высокий риск: зона риска второй год подряд и дольше' },
  },
});

registerEnumType(MarkerCode, {
  name: 'MarkerCode',
  description: 'Маркер (проверка) методики риска v1',
  valuesConfig: {
    HIGH_RESULTS: { description: 'Результаты значимо выше региона (сжатая z-оценка)' },
    BOUNDARY_BUNCHING: { description: 'Пики у границ отметок в распределении первичных баллов' },
    JOURNAL_RAISED: { description: 'Много «повысили»: отметка ВПР выше отметки по журналу' },
    JOURNAL_LOWERED: { description: 'Много «понизили»: отметка ВПР ниже отметки по журналу' },
    TASK_INVERSION: { description: 'Инверсия: лёгкие задания хуже региона, трудные лучше' },
    NOT_CONFIRMED_OGE: { description: 'Высокие результаты ВПР 8 не подтверждены ОГЭ следующего года' },
    NOT_CONFIRMED_EGE: { description: 'Высокие результаты ВПР 11 не подтверждены ЕГЭ' },
    COHORT_DROP: { description: 'Падение той же параллели от ВПР 4 к ВПР 5' },
    RECHECK_DISCREPANCY: { description: 'Расхождения при перепроверке работ' },
    SHARP_CHANGE: { description: 'Резкий рост результатов год к году' },
    LOW_RESULTS_PERSISTENT: { description: 'Устойчиво низкие результаты (доля «2» ≥ порога)' },
    GIA_BELOW_MINIMUM: { description: 'Выпускники ниже минимального порога ГИА по обязательным предметам' },
    FAILS_RISING: { description: 'Рост доли «2» год к году' },
    BELOW_BENCHMARK: { description: 'Ниже региона / России сверх допуска' },
    ABOVE_BENCHMARK: { description: 'Выше региона / России сверх допуска' },
  },
});

export { MarkerCode, ZoneLevel };
