import type { ImportIssue, ParticipantResultRecord } from '../../../src/imports/parsing';
import { parseExtendedAnswers, parseShortAnswers } from '../../../src/imports/parsing/layouts/gia-answers';
import { HIDDEN_VALUE } from '../../../src/imports/parsing/personal-data';
import { containsPersonalValue, GIA_PEOPLE } from '../../fixtures/imports/make-fixtures';
import { brief, fileError, parseContent, parseFixture } from './helpers';

/** Every name and document of the invented people in the fixtures, in the spellings the files use. */
const PERSONAL_STRINGS = GIA_PEOPLE.flat().flatMap((value) => [value, value.toUpperCase(), value.replace('ё', 'е')]);

const EGE = { procedure: 'ЕГЭ', year: 2024, subjectName: 'Русский язык' };

function expectNoPersonalData(...values: unknown[]): void {
  const json = JSON.stringify(values);
  for (const text of PERSONAL_STRINGS) expect(containsPersonalValue(json, text) ? text : null).toBeNull();
}

describe('ГИА protocols', () => {
  it('reads an ОГЭ protocol: answer strings become task scores, people become codes', async () => {
    const { parsed, records } = await parseFixture('valid/gia-protocol.xlsx');
    expect(parsed.layout).toBe('gia-protocol');
    expect(parsed.errors).toEqual([]);
    expect(parsed.metadata).toMatchObject({ procedure: 'OGE', year: 2024, subjectName: 'Математика', grade: 9, headerRow: 3, anonymisedFrom: 'names+document' });
    expect(parsed.metadata.tasks?.map((task) => `${task.number}/${task.maxPoints}`)).toEqual(['К1/null', 'К2/null', 'К3/null', 'К4/null', 'К5/null', 'К6/null', 'К7/null', 'К8/null', 'Р1/2', 'Р2/2', 'Р3/2']);
    const first = records[0] as ParticipantResultRecord;
    expect(first).toMatchObject({
      sourceRow: 4,
      schoolCode: '660123',
      municipality: '6608',
      classLabel: '9А',
      grade: 9,
      examPointCode: '0701',
      auditorium: '0012',
      taskScores: [1, 1, 0, 1, 1, 0, 1, 1, 2, 1, 0],
      primaryScore: 9,
      mark: 4,
    });
    expect(first.participantCode).toMatch(/^P-[0-9a-f]{16}$/);
    expect((records[3] as ParticipantResultRecord).taskScores).toEqual([1, null, 1, 0, 1, 0, 1, 0, null, 1, 0]);
  });

  it('drops names and documents: none reach records, metadata, issues or the summary', async () => {
    const { parsed, records } = await parseFixture('valid/gia-protocol.xlsx');
    expect(parsed.summary.personalColumnsDropped).toEqual({ count: 5, headers: ['Фамилия', 'Имя', 'Отчество', 'Серия документа', 'Номер документа'] });
    expectNoPersonalData(records, parsed.metadata, parsed.errors, parsed.summary);
  });

  it('gives the same person the same code in every parse, and another code under another secret', async () => {
    const once = await parseFixture('valid/gia-protocol.xlsx');
    const again = await parseFixture('valid/gia-protocol.xlsx');
    const otherSecret = await parseFixture('valid/gia-protocol.xlsx', { secret: 'another-secret-of-another-hub-987' });
    const codes = (records: unknown[]): string[] => (records as ParticipantResultRecord[]).map((record) => record.participantCode);
    expect(codes(again.records)).toEqual(codes(once.records));
    expect(new Set(codes(once.records)).size).toBe(4);
    codes(otherSecret.records).forEach((code, i) => expect(code).not.toBe(codes(once.records)[i]));
  });

  it('needs procedure, year and subject from the upload when the protocol does not state them', async () => {
    const issue = await fileError(parseFixture('bad/gia-protocol-names.csv'));
    expect(issue.code).toBe('METADATA_MISSING');
    expect(issue.messageRu).toContain('процедура, год, предмет');
  });

  it('masks a surname slipped into a score column, and reports a person twice by code only', async () => {
    const seen: ImportIssue[] = [];
    const { parsed, records } = await parseFixture('bad/gia-protocol-names.csv', { constants: EGE, onIssue: (issue) => seen.push(issue) });
    const firstCode = (records[0] as ParticipantResultRecord).participantCode;
    expect(parsed.errors.map(brief)).toEqual([
      { code: 'NOT_A_NUMBER', row: 4, column: 'Первичный балл', value: HIDDEN_VALUE },
      { code: 'DUPLICATE_PARTICIPANT', row: 5, column: 'Фамилия', value: firstCode },
    ]);
    expect(parsed.errors[1].messageRu).toContain('уже есть в строке 2');
    expect(records.map((record) => record.sourceRow)).toEqual([2, 3]);
    expect(records[0]).toMatchObject({ procedure: 'EGE', year: 2024, subjectName: 'Русский язык', grade: 11, testScore: 52, mark: null });
    expect(parsed.metadata.anonymisedFrom).toBe('names+school+class');
    expectNoPersonalData(records, parsed.metadata, parsed.errors, parsed.summary, seen);
  });

  it('reports answer strings that do not read or do not match the protocol', async () => {
    const csv = [
      'Код ОО;Класс;Фамилия;Имя;Задания с кратким ответом;Задания с развёрнутым ответом;Первичный балл',
      '660123;9А;Орлова;Вера;++-;1(2);3',
      '660123;9А;Зуев;Ян;+a-;1(2);2',
      '660123;9А;Лис;Ия;++;1(2);3',
      '660123;9А;Ким;Ира;++-;3(2);5',
    ].join('\n');
    const { parsed, records } = await parseContent('oge.csv', csv, { constants: { procedure: 'ОГЭ', year: 2024, subjectName: 'Химия' } });
    expect(parsed.errors.map(brief)).toEqual([
      { code: 'ANSWER_STRING_INVALID', row: 3, column: 'Задания с кратким ответом', value: '+a-' },
      { code: 'TASK_COUNT_MISMATCH', row: 4, column: 'Задания с кратким ответом', value: '++' },
      { code: 'SCORE_ABOVE_MAX', row: 5, column: 'Задания с развёрнутым ответом', value: '3(2)' },
    ]);
    expect(records).toHaveLength(1);
    expectNoPersonalData(parsed.errors);
  });
});

describe('ГИА answer strings', () => {
  it('reads short answers: + is 1, - is 0, digits are points, X is not attempted', () => {
    expect(parseShortAnswers('++-+1-2X')).toEqual({ ok: true, value: { scores: [1, 1, 0, 1, 1, 0, 2, null] } });
    expect(parseShortAnswers('+?')).toEqual({ ok: false, position: 2 });
  });

  it('reads extended answers as points(max)', () => {
    expect(parseExtendedAnswers('2(2)1(3)0(2)X(1)')).toEqual({ ok: true, value: { scores: [2, 1, 0, null], maxPoints: [2, 3, 2, 1] } });
    expect(parseExtendedAnswers('2(2)1')).toEqual({ ok: false, position: 5 });
    expect(parseExtendedAnswers('')).toEqual({ ok: true, value: { scores: [], maxPoints: [] } });
  });
});
