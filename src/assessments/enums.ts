import { registerEnumType } from 'type-graphql';

export enum Procedure {
  VPR = 'VPR',
  NIKO = 'NIKO',
  OGE = 'OGE',
  EGE = 'EGE',
  GVE = 'GVE',
  VSOSH = 'VSOSH',
}

registerEnumType(Procedure, {
  name: 'Procedure',
  description: 'Оценочная процедура',
  valuesConfig: {
    VPR: { description: 'Всероссийские проверочные работы (ВПР)' },
    NIKO: { description: 'Национальные исследования качества образования (НИКО)' },
    OGE: { description: 'Основной государственный экзамен (ОГЭ)' },
    EGE: { description: 'Единый государственный экзамен (ЕГЭ)' },
    GVE: { description: 'Государственный выпускной экзамен (ГВЭ)' },
    VSOSH: { description: 'Всероссийская олимпиада школьников (ВсОШ)' },
  },
});

/** How analysts write each procedure. */
export const PROCEDURE_RU: Record<Procedure, string> = { VPR: 'ВПР', NIKO: 'НИКО', OGE: 'ОГЭ', EGE: 'ЕГЭ', GVE: 'ГВЭ', VSOSH: 'ВсОШ' };

/** Procedures of the state final attestation (ГИА): graduates below the minimum matter. */
export const GIA_PROCEDURES: readonly Procedure[] = [Procedure.OGE, Procedure.EGE, Procedure.GVE];

export enum TaskLevel {
  BASIC = 'BASIC',
  ADVANCED = 'ADVANCED',
  HIGH = 'HIGH',
}

registerEnumType(TaskLevel, {
  name: 'TaskLevel',
  description: 'Уровень сложности задания',
  valuesConfig: {
    BASIC: { description: 'Базовый (Б)' },
    ADVANCED: { description: 'Повышенный (П)' },
    HIGH: { description: 'Высокий (В)' },
  },
});

export const TASK_LEVEL_BY_LETTER: Record<string, TaskLevel> = { Б: TaskLevel.BASIC, П: TaskLevel.ADVANCED, В: TaskLevel.HIGH };

export enum ResultSource {
  COMPUTED = 'COMPUTED',
  IMPORTED = 'IMPORTED',
}

registerEnumType(ResultSource, {
  name: 'ResultSource',
  description: 'Откуда взяты результаты ОО',
  valuesConfig: {
    COMPUTED: { description: 'Рассчитаны по индивидуальным результатам участников' },
    IMPORTED: { description: 'Загружены агрегатами (индивидуальных результатов нет)' },
  },
});

export enum MarkSource {
  FILE = 'FILE',
  SCALE = 'SCALE',
}

registerEnumType(MarkSource, {
  name: 'MarkSource',
  description: 'Откуда отметка участника',
  valuesConfig: {
    FILE: { description: 'Из загруженного файла' },
    SCALE: {
      description:
        'Выведена хабом из первичного балла по шкале, действующей в регионе ОО (подтверждённой, иначе предварительной шкале региона); ' +
        'пересчитывается при чтении, поэтому следует за шкалой, загруженной или исправленной позже',
    },
  },
});

export enum ObserverPresence {
  NONE = 'NONE',
  PUBLIC = 'PUBLIC',
  INDEPENDENT = 'INDEPENDENT',
}

registerEnumType(ObserverPresence, {
  name: 'ObserverPresence',
  description: 'Наблюдение при проведении',
  valuesConfig: {
    NONE: { description: 'Наблюдателей не было' },
    PUBLIC: { description: 'Общественные наблюдатели' },
    INDEPENDENT: { description: 'Независимые наблюдатели без конфликта интересов' },
  },
});

export enum RecheckCommission {
  SCHOOL = 'SCHOOL',
  MUNICIPAL = 'MUNICIPAL',
  REGIONAL = 'REGIONAL',
  FEDERAL = 'FEDERAL',
}

registerEnumType(RecheckCommission, {
  name: 'RecheckCommission',
  description: 'Комиссия, проводившая перепроверку',
  valuesConfig: {
    SCHOOL: { description: 'Школьная (коллегиальная) комиссия' },
    MUNICIPAL: { description: 'Муниципальная предметная комиссия' },
    REGIONAL: { description: 'Региональная комиссия' },
    FEDERAL: { description: 'Федеральный организатор' },
  },
});
