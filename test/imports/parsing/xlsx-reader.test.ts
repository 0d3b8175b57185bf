import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import * as ExcelJS from 'exceljs';
import { parseImportFile } from '../../../src/imports/parsing';
import type { RawRow } from '../../../src/imports/parsing';
import { XlsxReader } from '../../../src/imports/parsing/xlsx-reader';
import { brief, fileError, readAll, SECRET, YEARS } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'msoko-xlsx-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readRows(path: string, sheet?: string): Promise<{ rows: RawRow[]; reader: XlsxReader }> {
  const reader = new XlsxReader(path, { fileName: 'test.xlsx', sheet, maxUncompressedBytes: 1e9 });
  const rows: RawRow[] = [];
  for await (const batch of reader.batches()) rows.push(...batch);
  return { rows, reader };
}

describe('XlsxReader', () => {
  it('keeps Cyrillic intact where exceljs splits a character between decompressed chunks', async () => {
    // Thousands of distinct names make shared strings and the sheet span many inflate chunks.
    const names = Array.from({ length: 4000 }, (_, i) => `Муниципальное общеобразовательное учреждение «Школа ёлочка № ${i}»`);
    const path = join(dir, 'cyrillic.xlsx');
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
    const sheet = workbook.addWorksheet('Школы');
    for (const name of names) sheet.addRow([name, 'ячейка без общих строк — ёжик']).commit();
    await workbook.commit();

    const { rows } = await readRows(path);
    expect(rows).toHaveLength(names.length);
    expect(rows.filter((row) => JSON.stringify(row.cells).includes('\ufffd'))).toEqual([]);
    expect(rows.map((row) => row.cells[0])).toEqual(names);
  });

  it('reads the named sheet, or the first visible one, and lists the others', async () => {
    const path = join(dir, 'sheets.xlsx');
    const workbook = new ExcelJS.Workbook();
    const hidden = workbook.addWorksheet('Служебный', { state: 'hidden' });
    hidden.addRow(['не читать']);
    workbook.addWorksheet('Данные').addRow(['a', 1]);
    workbook.addWorksheet('Итоги').addRow(['b', 2]);
    await workbook.xlsx.writeFile(path);

    const first = await readRows(path);
    expect(first.rows.map((row) => row.cells)).toEqual([['a', 1]]);
    expect(first.reader.sheet).toBe('Данные');
    expect(first.reader.otherSheets).toEqual(['Служебный', 'Итоги']);

    const named = await readRows(path, 'итоги');
    expect(named.rows.map((row) => [row.sheet, row.rowNumber, row.cells])).toEqual([['Итоги', 1, ['b', 2]]]);

    const issue = await fileError(readRows(path, 'Свод'));
    expect(brief(issue)).toEqual({ code: 'SHEET_NOT_FOUND', row: null, column: null, value: 'Свод' });
    expect(issue.messageRu).toContain('«Служебный», «Данные», «Итоги»');
  });

  it('turns dates, booleans, rich text, errors and hyperlinks into plain values and keeps empty cells empty', async () => {
    const path = join(dir, 'values.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Лист1');
    sheet.getCell('A1').value = new Date(Date.UTC(2024, 4, 20));
    sheet.getCell('B1').value = true;
    sheet.getCell('C1').value = { richText: [{ text: 'Гимназия ' }, { text: '№ 9', font: { bold: true } }] };
    sheet.getCell('D1').value = { error: '#DIV/0!' } as ExcelJS.CellErrorValue;
    sheet.getCell('F1').value = { text: 'сайт школы', hyperlink: 'https://example.org' };
    sheet.getCell('G1').value = 12.5;
    sheet.getCell('A3').value = 'после пустой строки';
    await workbook.xlsx.writeFile(path);

    const { rows } = await readRows(path);
    expect(rows.map((row) => [row.rowNumber, row.cells])).toEqual([
      [1, ['2024-05-20', 'да', 'Гимназия № 9', '#DIV/0!', null, 'сайт школы', 12.5]],
      [3, ['после пустой строки']],
    ]);
  });

  it('refuses a file with the .xlsx extension that is not a workbook', async () => {
    const issue = await fileError(
      parseImportFile({ stream: Readable.from([Buffer.from('Код;Имя\n1;2\n')]), fileName: 'results.xlsx', secret: SECRET, allowedYears: YEARS }).then(readAll),
    );
    expect(brief(issue)).toEqual({ code: 'XLSX_CORRUPT', row: null, column: null, value: null });
  });
});
