import type { ParticipantResultRecord } from '../../../src/imports/parsing';
import { brief, fileError, parseContent, parseFixture } from './helpers';

const SCALE = {
  maxPrimary: 9,
  markBoundaries: [
    { mark: 3, minPrimary: 3 },
    { mark: 4, minPrimary: 5 },
    { mark: 5, minPrimary: 8 },
  ],
};

function participants(records: unknown[]): ParticipantResultRecord[] {
  return records as ParticipantResultRecord[];
}

describe('ФИС ОКО individual ВПР results', () => {
  it('reads the XLSX export: title, level row, tasks and rows', async () => {
    const { parsed, records } = await parseFixture('valid/fisoko-vpr-individual.xlsx');
    expect(parsed.layout).toBe('fisoko-vpr-individual');
    expect(parsed.metadata).toMatchObject({
      procedure: 'VPR',
      year: 2024,
      subjectName: 'Русский язык',
      grade: 4,
      headerRow: 6,
      title: 'ВПР 2024 Русский язык 4 класс',
      tasks: [
        { number: '1', level: 'BASIC', maxPoints: 1 },
        { number: '2', level: 'BASIC', maxPoints: 2 },
        { number: '3.1', level: 'ADVANCED', maxPoints: 1 },
        { number: '3.2', level: 'BASIC', maxPoints: 2 },
        { number: '4', level: 'HIGH', maxPoints: 3 },
      ],
    });
    expect(parsed.errors).toEqual([]);
    expect(records).toHaveLength(5);
    expect(records[0]).toEqual({
      kind: 'participant-result',
      sourceRow: 7,
      procedure: 'VPR',
      year: 2024,
      subjectName: 'Русский язык',
      grade: 4,
      schoolCode: 'sch661234',
      schoolName: 'МАОУ «СОШ № 1»',
      municipality: 'Каменск-Уральский ГО',
      participantCode: '10001',
      classLabel: '4А',
      variant: '1',
      taskScores: [1, 2, 1, 2, 3],
      primaryScore: 9,
      mark: 5,
      journalMark: 5,
      testScore: null,
      examPointCode: null,
      auditorium: null,
    });
    expect(parsed.summary).toMatchObject({ format: 'xlsx', sheet: 'Результаты', headerRow: 6, dataRows: 5, records: 5, rejectedRows: 0, complete: true });
  });

  it('keeps Latin X, Cyrillic Х and «-» (not done) apart from 0', async () => {
    const { records } = await parseFixture('valid/fisoko-vpr-individual.xlsx');
    const [, latinX, cyrillicX, , zeros] = participants(records);
    expect(latinX.taskScores).toEqual([0, 1, null, 1, 0]);
    expect(cyrillicX.taskScores).toEqual([1, null, 0, null, 2]);
    expect(zeros.taskScores).toEqual([0, 0, 0, 0, 0]);
  });

  it('reads «нет отметки» as no mark', async () => {
    const { records } = await parseFixture('valid/fisoko-vpr-individual.xlsx');
    const [, , noJournalMark, , noMark] = participants(records);
    expect(noJournalMark).toMatchObject({ participantCode: '10003', mark: 3, journalMark: null });
    expect(noMark).toMatchObject({ participantCode: '10004', primaryScore: 0, mark: null, journalMark: 2 });
  });

  it('reads the CSV export (UTF-8 with BOM) into the same records', async () => {
    const xlsx = await parseFixture('valid/fisoko-vpr-individual.xlsx');
    const csv = await parseFixture('valid/fisoko-vpr-individual.csv');
    expect(csv.parsed.summary).toMatchObject({ format: 'csv', encoding: 'utf-8', separator: ';', headerRow: 3 });
    expect(csv.records.map((record) => ({ ...record, sourceRow: 0 }))).toEqual(xlsx.records.map((record) => ({ ...record, sourceRow: 0 })));
  });

  it('checks marks against the scale when one is given', async () => {
    const consistent = await parseFixture('valid/fisoko-vpr-individual.xlsx', { scale: SCALE });
    expect(consistent.parsed.errors).toEqual([]);

    const stricter = { ...SCALE, markBoundaries: [{ mark: 3, minPrimary: 3 }, { mark: 4, minPrimary: 8 }, { mark: 5, minPrimary: 9 }] };
    const { parsed, records } = await parseFixture('valid/fisoko-vpr-individual.xlsx', { scale: stricter });
    expect(parsed.errors.map(brief)).toEqual([{ code: 'MARK_INCONSISTENT_WITH_SCALE', row: 10, column: 'Отметка', value: '4' }]);
    expect(parsed.errors[0].messageRu).toBe('Строка 10, столбец «Отметка» (M10): отметка «4» не соответствует шкале: за первичный балл 7 полагается «3».');
    expect(records).toHaveLength(4);
  });

  it('refuses formulas, naming the cell', async () => {
    const { parsed, records } = await parseFixture('bad/vpr-formulas.xlsx');
    expect(parsed.errors.map((issue) => ({ ...brief(issue), cell: issue.cell }))).toEqual([
      { code: 'FORMULA_NOT_ALLOWED', row: 7, column: 'Первичный балл', value: '9', cell: 'L7' },
      { code: 'FORMULA_NOT_ALLOWED', row: 8, column: 'Первичный балл', value: '7', cell: 'L8' },
    ]);
    expect(parsed.errors[0].messageRu).toContain('ячейка L7 содержит формулу — формулы не допускаются');
    expect(records.map((record) => record.sourceRow)).toEqual([9]);
  });

  it('refuses a negative task score', async () => {
    const { parsed, records } = await parseFixture('bad/vpr-negative-score.csv');
    expect(parsed.errors.map(brief)).toEqual([{ code: 'NEGATIVE_SCORE', row: 5, column: '2 (2б)', value: '-1' }]);
    expect(records).toHaveLength(1);
  });

  it('refuses the same participant twice, pointing at the first row', async () => {
    const { parsed, records } = await parseFixture('bad/vpr-duplicate-participant.csv');
    expect(parsed.errors.map(brief)).toEqual([{ code: 'DUPLICATE_PARTICIPANT', row: 6, column: 'Код участника', value: '10001' }]);
    expect(parsed.errors[0].messageRu).toContain('уже есть в строке 4');
    expect(records.map((record) => record.sourceRow)).toEqual([4, 5]);
  });

  it('refuses a file whose title year is outside the allowed range', async () => {
    const issue = await fileError(parseFixture('bad/vpr-year-out-of-range.csv'));
    expect(brief(issue)).toEqual({ code: 'YEAR_OUT_OF_RANGE', row: 1, column: null, value: '2009' });
  });

  it('names the missing column when the layout is given, and lists it when detection fails', async () => {
    const given = await fileError(parseFixture('bad/vpr-missing-column.csv', { layout: 'fisoko-vpr-individual' }));
    expect(brief(given)).toEqual({ code: 'MISSING_COLUMN', row: 2, column: 'Код участника', value: null });
    const detected = await fileError(parseFixture('bad/vpr-missing-column.csv'));
    expect(detected.code).toBe('UNKNOWN_LAYOUT');
    expect(detected.messageRu).toContain('«fisoko-vpr-individual» (ВПР: индивидуальные результаты ФИС ОКО) — нет столбцов: Код участника;');
  });

  it('reports scores above the task maximum, text in number cells, sums that do not match and bad marks', async () => {
    const csv = [
      'ВПР 2024 Математика 5 класс',
      'ОО;Код участника;1 (1б);2 (2б);Первичный балл;Отметка',
      'sch1;1;2;1;3;4',
      'sch1;2;1;два;1;3',
      'sch1;3;1;2;2;4',
      'sch1;4;1;1;2;6',
      'sch1;5;1;2,5;3;4',
    ].join('\n');
    const { parsed, records } = await parseContent('vpr.csv', csv);
    expect(parsed.errors.map(brief)).toEqual([
      { code: 'SCORE_ABOVE_MAX', row: 3, column: '1 (1б)', value: '2' },
      { code: 'NOT_A_NUMBER', row: 4, column: '2 (2б)', value: 'два' },
      { code: 'SCORE_SUM_MISMATCH', row: 5, column: 'Первичный балл', value: '2' },
      { code: 'MARK_OUT_OF_RANGE', row: 6, column: 'Отметка', value: '6' },
      { code: 'NOT_AN_INTEGER', row: 7, column: '2 (2б)', value: '2,5' },
    ]);
    expect(records).toEqual([]);
    expect(parsed.summary).toMatchObject({ dataRows: 5, records: 0, rejectedRows: 5 });
  });

  it('takes year, subject and grade from the upload when the title is missing, and refuses a contradiction', async () => {
    const withoutTitle = 'ОО;Код участника;1 (1б);Первичный балл;Отметка\nsch1;1;1;1;3\n';
    const missing = await fileError(parseContent('vpr.csv', withoutTitle));
    expect(missing.code).toBe('METADATA_MISSING');
    const { parsed } = await parseContent('vpr.csv', withoutTitle, { constants: { year: 2025, subjectName: 'История', grade: 6 } });
    expect(parsed.metadata).toMatchObject({ year: 2025, subjectName: 'История', grade: 6, procedure: 'VPR' });

    const conflict = await fileError(parseFixture('valid/fisoko-vpr-individual.csv', { constants: { year: 2023 } }));
    expect(brief(conflict)).toEqual({ code: 'METADATA_CONFLICT', row: 1, column: null, value: '2024' });
  });
});
