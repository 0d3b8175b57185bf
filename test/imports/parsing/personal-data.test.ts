import { normalizeHeader } from '../../../src/imports/parsing/headers';
import { createParticipantAnonymiser, isPersonalHeader, redactIfWords } from '../../../src/imports/parsing/personal-data';

describe('personal data', () => {
  it('recognises columns that identify a person, and only those', () => {
    for (const header of ['Фамилия', 'Имя', 'Отчество', 'ФИО участника', 'Ф.И.О.', 'Серия документа', 'Номер паспорта', 'СНИЛС', 'Дата рождения']) {
      expect(isPersonalHeader(normalizeHeader(header))).toBe(true);
    }
    for (const header of ['Код участника', 'Код ОО', 'Первичный балл', 'Класс', 'Телефон ОО', 'Наименование ОО']) {
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

  it('masks values with words, keeps codes, numbers and answer strings', () => {
    expect(redactIfWords('Петров')).toBe('[скрыто]');
    expect(redactIfWords('12,5')).toBe('12,5');
    expect(redactIfWords('++-X1')).toBe('++-X1');
    expect(redactIfWords('9А')).toBe('9А');
    expect(redactIfWords(null)).toBeNull();
  });
});
