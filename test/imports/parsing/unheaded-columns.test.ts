import ExcelJS from 'exceljs';
import type { ParticipantResultRecord } from '../../../src/imports/parsing';
import { parseContent } from './helpers';

/**
 * No column is ever dropped without being named in the report (issue 21): a column without a header — an empty
 * header cell, or none past the header row's end — that holds values is named in the notes by its letter; a blank
 * one is harmless and not named.
 */
describe('columns without a header', () => {
  // C: empty header, a value in row 4 only; E: empty header, blank; H: past the header, a value in row 3.
  const ROWS = [
    ['ВПР 2025 Математика 5 класс'],
    ['ОО', 'Код участника', null, '1 (1б)', null, 'Первичный балл', 'Отметка'],
    ['sch661234', '10001', null, 1, null, 1, 3, 'перевёлся'],
    ['sch661234', '10002', 'болел', 0, null, 0, 2],
  ];
  const NOTE = 'Столбцы C, H без заголовка: их значения не загружены (первые — в ячейках C4, H3).';
  const RECORDS = [
    ['10001', [1], 1, 3],
    ['10002', [0], 0, 2],
  ];
  const brief = (records: unknown[]) => (records as ParticipantResultRecord[]).map((r) => [r.participantCode, r.taskScores, r.primaryScore, r.mark]);

  const csv = ROWS.map((row) => row.map((cell) => cell ?? '').join(';')).join('\n');

  it('CSV: named by letter and first cell, on the plain-line path and on the ordinary one alike', async () => {
    for (const lineRows of [true, false]) {
      const { parsed, records } = await parseContent('vpr.csv', csv, { lineRows });
      expect(parsed.errors).toEqual([]);
      expect(brief(records)).toEqual(RECORDS);
      expect(parsed.metadata.ignoredColumns).toEqual([]);
      expect({ lineRows, notes: parsed.summary.notesRu }).toEqual({ lineRows, notes: [NOTE] });
    }
  });

  it('XLSX: the same columns named (a sheet row ends at its last value, so H is past the header)', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Лист1');
    for (const row of ROWS) sheet.addRow(row);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const { parsed, records } = await parseContent('vpr.xlsx', bytes);
    expect(parsed.errors).toEqual([]);
    expect(brief(records)).toEqual(RECORDS);
    expect(parsed.summary.notesRu).toEqual([NOTE]);
  });

  it('one such column among named unused ones: both rules in the notes; blank header-less columns say nothing', async () => {
    const one = ['ВПР 2025 Математика 5 класс', 'ОО;Код участника;Примечание;1 (1б);;Первичный балл;Отметка;', 'sch661234;10001;;1;;1;3;', 'sch661234;10002;;0;5;0;2;'].join('\n');
    const { parsed } = await parseContent('vpr.csv', one);
    expect(parsed.summary.notesRu).toEqual(['Столбцы файла не использованы (1): «Примечание».', 'Столбец E без заголовка: его значения не загружены (первое — в ячейке E4).']);

    const blank = ['ВПР 2025 Математика 5 класс', 'ОО;Код участника;;1 (1б);Первичный балл;Отметка;', 'sch661234;10001; ;1;1;3;;', 'sch661234;10002;;0;0;2'].join('\n');
    expect((await parseContent('vpr.csv', blank)).parsed.summary.notesRu).toEqual([]);
  });
});
