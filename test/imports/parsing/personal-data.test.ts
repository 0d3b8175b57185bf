import { normalizeHeader } from '../../../src/imports/parsing/headers';
import {
  createParticipantAnonymiser,
  HIDDEN_VALUE,
  isParticipantCodeForm,
  isPersonalHeader,
  looksLikeFullName,
  PersonalDataMask,
} from '../../../src/imports/parsing/personal-data';

describe('personal data', () => {
  it('recognises columns that identify a person, and only those', () => {
    for (const header of ['Фамилия', 'Имя', 'Отчество', 'ФИО участника', 'ФИО ученика', 'Ф.И.О.', 'Серия документа', 'Номер паспорта', 'СНИЛС', 'Дата рождения', 'Телефон', 'Адрес проживания', 'E-mail']) {
      expect(isPersonalHeader(normalizeHeader(header))).toBe(true);
    }
    for (const header of ['Код участника', 'Код ОО', 'Первичный балл', 'Класс', 'Телефон ОО', 'Адрес школы', 'Наименование ОО']) {
      expect(isPersonalHeader(normalizeHeader(header))).toBe(false);
    }
  });

  it('derives a keyed, stable code that ignores case, ё and spacing', () => {
    const anonymise = createParticipantAnonymiser('a-secret-that-is-long-enough');
    const code = anonymise(['Иванова', 'Алёна', 'Сергеевна', '6512', '123456']);
    expect(code).toMatch(/^P-[0-9a-f]{16}$/);
    expect(anonymise(['  ИВАНОВА', 'Алена ', 'сергеевна', '6512', '123456'])).toBe(code);
    expect(anonymise(['Иванова', 'Алёна', 'Сергеевна', '6512', '123457'])).not.toBe(code);
    // The boundary between fields counts.
    expect(anonymise(['ab', 'c'])).not.toBe(anonymise(['a', 'bc']));
    expect(createParticipantAnonymiser('another-secret-long-enough')(['Иванова', 'Алёна', 'Сергеевна', '6512', '123456'])).not.toBe(code);
  });

  it('refuses a secret too short to protect names', () => {
    expect(() => createParticipantAnonymiser('short')).toThrow(TypeError);
  });

  it('in a file with personal columns, masks values with words, keeps codes, numbers and answer strings', () => {
    const mask = new PersonalDataMask(['Фамилия']);
    expect(mask.value('Петров', 'Первичный балл')).toBe(HIDDEN_VALUE);
    expect(mask.value('12,5', 'Первичный балл')).toBe('12,5');
    expect(mask.value('++-X1', 'Задания с кратким ответом')).toBe('++-X1');
    expect(mask.value('9А', 'Класс')).toBe('9А');
    expect(mask.value(null, 'Класс')).toBeNull();
    // A code the hub made is what the operator looks up, even in a personal column.
    expect(mask.value('P-0123456789abcdef', 'Фамилия')).toBe('P-0123456789abcdef');
  });

  it('in any file, masks values of personal columns and values shaped like full names', () => {
    const mask = new PersonalDataMask();
    expect(mask.value('12.03.2011', 'Дата рождения')).toBe(HIDDEN_VALUE);
    expect(mask.value('Бубликова Анна Петровна', 'Код ОО')).toBe(HIDDEN_VALUE);
    expect(mask.value('sch661234', 'Код ОО')).toBe('sch661234');
    expect(mask.value('Петров', 'Код ОО')).toBe('Петров');
    for (const name of ['Бубликова Анна Петровна', 'Бубликова Анна', 'Римский-Корсаков Николай', 'Бубликова А.П.', 'А. П. Бубликова', 'БУБЛИКОВА АННА ПЕТРОВНА']) {
      expect(looksLikeFullName(name) ? name : null).toBe(name);
    }
    for (const text of ['Бубликова', 'МАОУ «СОШ № 1»', 'МАОУ СОШ № 1', 'Каменск-Уральский ГО', 'Русский язык', 'ВПР 2024 Математика', 'sch661234']) {
      expect(looksLikeFullName(text) ? text : null).toBeNull();
    }
  });

  it('hides a masked value wherever an issue worded elsewhere quotes it', () => {
    const issue = {
      file: 'f.csv',
      sheet: null,
      row: 4,
      column: 'Код ОО',
      cell: 'B4',
      value: 'Бубликова Анна',
      code: 'SCHOOL_NOT_FOUND' as const,
      messageRu: 'Строка 4, столбец «Код ОО» (B4): ОО не найдена: кода «Бубликова Анна» нет в справочнике.',
    } as never;
    const masked = new PersonalDataMask().issue(issue);
    expect(masked).toMatchObject({ value: HIDDEN_VALUE, cell: 'B4' });
    expect((masked as { messageRu: string }).messageRu).toBe(`Строка 4, столбец «Код ОО» (B4): ОО не найдена: кода «${HIDDEN_VALUE}» нет в справочнике.`);
  });

  it('takes a participant code as written only when it has the form of a code', () => {
    for (const code of ['1234-5678', 'ab12/34.5_x', '10482', 'R-001', 'ХМ-123']) expect(isParticipantCodeForm(code) ? code : null).toBe(code);
    for (const text of ['Бубликова Анна Петровна', 'Бубликова', 'abc', '12 34', '12;34', '']) expect(isParticipantCodeForm(text) ? text : null).toBeNull();
  });
});
