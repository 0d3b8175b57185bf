import type { ColumnMapping } from '../../../src/imports/parsing';
import { brief, fileError, parseContent, parseFixture } from './helpers';

const REGIONAL: ColumnMapping = {
  target: 'participant-result',
  columns: { schoolCode: 'Школа (логин)', participantCode: 'Ученик (код)', primaryScore: 'Сумма', mark: 'Оценка' },
  taskColumns: ['Зад. 1 (2б)', 'Зад. 2 (3б)'],
};
const CONSTANTS = { procedure: 'НИКО', year: 2024, subjectName: 'Физическая культура', grade: 6 };

describe('mapped regional files', () => {
  it('reads participant results through a column mapping and constants', async () => {
    const { parsed, records } = await parseFixture('valid/mapped-regional.csv', { mapping: REGIONAL, constants: CONSTANTS });
    expect(parsed.layout).toBe('mapped');
    expect(parsed.errors).toEqual([]);
    expect(parsed.metadata).toMatchObject({
      procedure: 'NIKO',
      year: 2024,
      grade: 6,
      tasks: [
        { number: '1', level: null, maxPoints: 2 },
        { number: '2', level: null, maxPoints: 3 },
      ],
      ignoredColumns: ['Примечание'],
    });
    expect(records.map((record) => (record.kind === 'participant-result' ? [record.participantCode, record.taskScores, record.primaryScore, record.mark] : null))).toEqual([
      ['R-001', [2, 3], 5, 5],
      ['R-002', [1, null], 1, 2],
      ['R-003', [0, 2], 2, 3],
    ]);
  });

  it('reads per-school marks of any file through a mapping', async () => {
    const mapping: ColumnMapping = {
      target: 'school-marks',
      columns: { schoolCode: 'Логин', schoolName: 'ОО', participants: 'Кол-во участников', mark2: '2', mark3: '3', mark4: '4', mark5: '5', year: 'Год', grade: 'Класс', subjectName: 'Предмет' },
    };
    const mapped = await parseFixture('valid/aggregate-marks.csv', { mapping, constants: { procedure: 'ВПР' } });
    const native = await parseFixture('valid/aggregate-marks.csv');
    expect(mapped.parsed.layout).toBe('mapped');
    expect(mapped.records.map((record) => ({ ...record, municipality: null }))).toEqual(native.records.map((record) => ({ ...record, municipality: null })));
  });

  it('checks counts against participants when the mapped columns hold counts', async () => {
    const csv = 'Школа;Всего;«2»;«3»;«4»;«5»\nsch1;10;1;2;3;4\nsch2;10;1;2;3;3\n';
    const mapping: ColumnMapping = {
      target: 'school-marks',
      markValues: 'count',
      columns: { schoolCode: 'Школа', participants: 'Всего', mark2: '«2»', mark3: '«3»', mark4: '«4»', mark5: '«5»' },
    };
    const { parsed, records } = await parseContent('counts.csv', csv, { mapping, constants: { procedure: 'ВПР', year: 2024, subjectName: 'Математика', grade: 5 } });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ count2: 1, count5: 4, percent5: 40 });
    expect(parsed.errors.map(brief)).toEqual([{ code: 'COUNTS_DO_NOT_SUM_TO_PARTICIPANTS', row: 3, column: 'Всего', value: '10' }]);
  });

  it('hashes identity columns into codes when the file has no participant code, and drops them', async () => {
    const csv = 'ОО;ФИО;Балл\nsch1;Орлова Вера Петровна;7\nsch1;Орлова Вера Петровна;5\n';
    const mapping: ColumnMapping = { target: 'participant-result', columns: { schoolCode: 'ОО', primaryScore: 'Балл' }, identityColumns: ['ФИО'] };
    const { parsed, records } = await parseContent('names.csv', csv, { mapping, constants: { ...CONSTANTS, procedure: 'ВПР' } });
    expect(records).toHaveLength(1);
    expect((records[0] as { participantCode: string }).participantCode).toMatch(/^P-[0-9a-f]{16}$/);
    expect(parsed.errors.map(brief)).toEqual([{ code: 'DUPLICATE_PARTICIPANT', row: 3, column: 'ФИО', value: (records[0] as { participantCode: string }).participantCode }]);
    expect(parsed.summary.personalColumnsDropped).toEqual({ count: 1, headers: ['ФИО'] });
    expect(JSON.stringify([records, parsed.errors, parsed.summary, parsed.metadata])).not.toContain('Орлова');
  });

  it('refuses a mapping naming a column the file lacks, and keys given nowhere', async () => {
    const missing = await fileError(
      parseFixture('valid/mapped-regional.csv', { mapping: { ...REGIONAL, columns: { ...REGIONAL.columns, mark: 'Отметка' } } as ColumnMapping, constants: CONSTANTS }),
    );
    expect(brief(missing)).toEqual({ code: 'MISSING_COLUMN', row: 1, column: 'Отметка', value: null });
    const noConstants = await fileError(parseFixture('valid/mapped-regional.csv', { mapping: REGIONAL }));
    expect(noConstants.code).toBe('METADATA_MISSING');
    expect(noConstants.messageRu).toContain('процедура, год, предмет, класс');
  });
});
