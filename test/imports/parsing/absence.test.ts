import type { ColumnMapping, ParticipantResultRecord } from '../../../src/imports/parsing';
import { isAbsenceText } from '../../../src/imports/parsing/absence';
import { parseContent } from './helpers';

const NOTE = (n: number) => `Отсутствовали (не писали работу): ${n} — эти строки не записаны и ошибками не считаются.`;
const codes = (records: unknown[]) => (records as ParticipantResultRecord[]).map((record) => record.participantCode);

/** Absent participants in every participant layout: counted, never an error, never a zero score. */
describe('absent participants', () => {
  it('knows the usual spellings and nothing that is a score', () => {
    for (const text of ['отсутствовал', 'Отсутствовала', 'отсутствует', 'не явился', 'Не явилась', 'н/я', 'Н/Я', 'неявка', 'NA', 'n/a', '#Н/Д']) expect([text, isAbsenceText(text)]).toEqual([text, true]);
    for (const text of ['0', '12', 'X', 'нет отметки', '-', 'sch661234', 'да']) expect([text, isAbsenceText(text)]).toEqual([text, false]);
  });

  it('ФИС ОКО individual results (CSV, both paths): absence words in any result cell, or all results empty', async () => {
    const csv = [
      'ВПР 2024 Русский язык 4 класс',
      'ОО;Муниципалитет;Название ОО;Код участника;Класс;Вариант;1 (1б);2 (2б);Первичный балл;Отметка;Отметка по журналу',
      'sch661234;М;Ш;10001;4А;1;1;2;3;5;5',
      'sch661234;М;Ш;10002;4А;;;;отсутствовал;;4',
      'sch661234;М;Ш;10003;4А;;;;не явился;;',
      'sch661234;М;Ш;10004;4А;;;;;;3',
      'sch661234;М;Ш;10005;4А;;X;X;;н/я;',
      'sch661234;М;Ш;10006;4А;;NA;NA;NA;NA;',
      'sch661234;М;Ш;10007;4А;2;0;0;0;2;3',
      'sch661234;М;Ш;10008;4А;;неявка;;;;',
    ].join('\n');
    const { parsed, records } = await parseContent('vpr.csv', csv);
    expect(parsed.errors).toEqual([]);
    expect(codes(records)).toEqual(['10001', '10007']);
    expect((records[1] as ParticipantResultRecord).primaryScore).toBe(0); // a real zero stays a zero
    expect(parsed.summary).toMatchObject({ dataRows: 8, records: 2, rejectedRows: 0, absentRows: 6 });
    expect(parsed.summary.notesRu).toContain(NOTE(6));
  });

  it('a row with a score in one task but no primary score is still an error, not an absence', async () => {
    const csv = ['ВПР 2024 Русский язык 4 класс', 'ОО;Код участника;1 (1б);2 (2б);Первичный балл;Отметка', 'sch661234;10001;1;;;'].join('\n');
    const { parsed } = await parseContent('vpr.csv', csv);
    expect(parsed.errors.map((issue) => [issue.code, issue.column])).toEqual([['REQUIRED_VALUE_MISSING', 'Первичный балл']]);
    expect(parsed.summary.absentRows).toBe(0);
  });

  it('ГИА protocols: «не явился» in the score, or no answers and no score', async () => {
    const csv = [
      'Код ОО;Класс;Фамилия;Имя;Задания с кратким ответом;Задания с развёрнутым ответом;Первичный балл;Балл',
      '660123;9А;Орлова;Вера;++-;1(2);3;4',
      '660123;9А;Зуев;Ян;;;не явился;',
      '660123;9А;Лис;Ия;;;;',
      '660123;9А;Ким;Ира;;;н/я;н/я',
    ].join('\n');
    const { parsed, records } = await parseContent('oge.csv', csv, { constants: { procedure: 'ОГЭ', year: 2024, subjectName: 'Химия' } });
    expect(parsed.errors).toEqual([]);
    expect(records).toHaveLength(1);
    expect(parsed.summary).toMatchObject({ rejectedRows: 0, absentRows: 3 });
    expect(parsed.summary.notesRu).toContain(NOTE(3));
  });

  it('mapped files: absence in the mapped score or mark column', async () => {
    const mapping: ColumnMapping = {
      target: 'participant-result',
      columns: { schoolCode: 'Школа', participantCode: 'Ученик', primaryScore: 'Сумма', mark: 'Оценка' },
      taskColumns: ['Зад. 1 (2б)'],
    };
    const csv = ['Школа;Ученик;Зад. 1 (2б);Сумма;Оценка', 'sch661234;R-1;2;2;4', 'sch661234;R-2;;отсутствовал;', 'sch661234;R-3;;NA;NA'].join('\n');
    const { parsed, records } = await parseContent('regional.csv', csv, { mapping, constants: { procedure: 'НИКО', year: 2024, subjectName: 'Физика', grade: 8 } });
    expect(parsed.errors).toEqual([]);
    expect(codes(records)).toEqual(['R-1']);
    expect(parsed.summary.absentRows).toBe(2);
  });
});
