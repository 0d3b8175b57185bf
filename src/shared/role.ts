import { registerEnumType } from 'type-graphql';

export enum Role {
  ADMIN = 'ADMIN',
  REGIONAL_IMPORTER = 'REGIONAL_IMPORTER',
  MUNICIPAL_ANALYST = 'MUNICIPAL_ANALYST',
  SCHOOL = 'SCHOOL',
  BI_READER = 'BI_READER',
}

registerEnumType(Role, {
  name: 'Role',
  description: 'Роль ключа доступа',
  valuesConfig: {
    ADMIN: { description: 'Администратор хаба: всё, включая ключи и журнал аудита' },
    REGIONAL_IMPORTER: { description: 'Региональный центр (РЦОИ / РЦОКО): загрузка данных и чтение в пределах региона' },
    MUNICIPAL_ANALYST: { description: 'Аналитик МОУО: чтение и планы мероприятий в пределах муниципалитета' },
    SCHOOL: { description: 'ОО: свои результаты, зоны и план, отчёт об исполнении мероприятий' },
    BI_READER: { description: 'BI-инструмент: только чтение фактов и агрегатов в пределах региона' },
  },
});

/** Roles that may read participant-level rows: those that load them or answer for them. */
export const PARTICIPANT_READERS: readonly Role[] = [Role.ADMIN, Role.REGIONAL_IMPORTER, Role.MUNICIPAL_ANALYST, Role.SCHOOL];
