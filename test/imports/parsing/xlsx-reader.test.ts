import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { deflateRawSync } from 'node:zlib';
import * as ExcelJS from 'exceljs';
import { parseImportFile } from '../../../src/imports/parsing';
import type { RawRow } from '../../../src/imports/parsing';
import { SheetScanner } from '../../../src/imports/parsing/xlsx/sheet-scanner';
import { XlsxReader } from '../../../src/imports/parsing/xlsx-reader';
import { brief, fileError, readAll, SECRET, YEARS } from './helpers';
import { book, MAIN_NS, REL_NS, REL_TYPE, sheetXml, zip, type BookOptions, type ZipPart } from '../../support/xlsx-zip';

const dir = mkdtempSync(join(tmpdir(), 'msoko-xlsx-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readRows(path: string, sheet?: string, maxUncompressedBytes = 1e9): Promise<{ rows: RawRow[]; reader: XlsxReader }> {
  const reader = new XlsxReader(path, { fileName: 'test.xlsx', sheet, maxUncompressedBytes });
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

// ------------------------------------------------------------------ hand-made workbooks

let written = 0;
function writeBook(parts: ZipPart[]): string {
  const path = join(dir, `made-${++written}.xlsx`);
  writeFileSync(path, zip(parts));
  return path;
}

async function cellsOf(options: BookOptions): Promise<[number, RawRow['cells']][]> {
  const { rows } = await readRows(writeBook(book(options)));
  return rows.map((row) => [row.rowNumber, row.cells]);
}

describe('XlsxReader on hand-made parts', () => {
  it('decodes XML entities and Excel _xHHHH_ escapes in shared and inline strings', async () => {
    const cells = await cellsOf({
      sharedStrings: ['a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#1046;&#x416; &#x1F600;', 'строка_x000D_\nвторая', '_x005F_x0041_ stays, _x0041_ is A', 'CR\r\nLF'],
      sheet: sheetXml(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c>' +
          '<c r="E1" t="inlineStr"><is><t>x &amp;amp; y_x0009_z</t></is></c><c r="F1" t="str"><f>"q"</f><v>&lt;q&gt;</v></c></row>',
      ),
    });
    expect(cells).toEqual([[1, ['a & b <c> "d" \'e\' ЖЖ 😀', 'строка\r\nвторая', '_x0041_ stays, A is A', 'CR\nLF', 'x &amp; y\tz', '<q>']]]);
  });

  it('joins rich text runs, leaves out phonetic runs, and keeps spaces as written', async () => {
    const cells = await cellsOf({
      sharedItems:
        '<si><r><rPr><b/><sz val="11"/></rPr><t>Гимназия </t></r><r><t xml:space="preserve">№ 9 </t></r><rPh sb="0" eb="1"><t>ギ</t></rPh><phoneticPr fontId="1"/></si>' +
        '<si><t/></si><si/><si><t>  ведущие пробелы</t></si>',
      sheet: sheetXml(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>3</v></c>' +
          '<c r="C1" t="inlineStr"><is><r><t>в</t></r><r><rPr><i/></rPr><t>строке</t></r><rPh><t>x</t></rPh></is></c></row>' +
          // Empty shared strings are empty cells and do not lengthen the row.
          '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>5</v></c><c r="C2" t="s"><v>2</v></c><c r="D2" t="s"><v>99</v></c></row>',
      ),
    });
    expect(cells).toEqual([
      [1, ['Гимназия № 9 ', '  ведущие пробелы', 'встроке']],
      [2, [null, 5]],
    ]);
  });

  it('numbers rows and cells that leave out their references after the previous ones', async () => {
    const cells = await cellsOf({
      sheet: sheetXml(
        '<row><c><v>1</v></c><c><v>2</v></c></row>' +
          '<row r="4" spans="1:5"><c r="C4"><v>3</v></c><c><v>4</v></c><c r="F4" s="0"/><c><v>6</v></c></row>' +
          '<row/><row r="9"></row>' +
          '<row><c r="b10"><v>1.0000000000000001E-3</v></c><c r="C10"><v>-1.5e2</v></c><c r="D10"><v>12345678901234567890</v></c><c r="E10"><v></v></c></row>',
      ),
    });
    expect(cells).toEqual([
      [1, [1, 2]],
      [4, [null, null, 3, 4, null, null, 6]],
      [5, []],
      [9, []],
      [10, [null, 0.001, -150, 12345678901234567000, null]],
    ]);
  });

  it('reads booleans, errors, ISO dates, formulas with their cached values, and element prefixes', async () => {
    const { rows } = await readRows(
      writeBook(
        book({
          sheet:
            `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>` +
            '<x:row r="1"><x:c r="A1" t="b"><x:v>1</x:v></x:c><x:c r="B1" t="b"><x:v>0</x:v></x:c><x:c r="C1" t="e"><x:v>#DIV/0!</x:v></x:c>' +
            '<x:c r="D1" t="d"><x:v>2024-05-20T00:00:00</x:v></x:c><x:c r="E1" t="d"><x:v>2024-05-20T08:30:15.250</x:v></x:c></x:row>' +
            '<x:row r="2"><x:c r="A2"><x:f>1+1</x:f><x:v>2</x:v></x:c><x:c r="B2"><x:v>7</x:v></x:c>' +
            '<x:c r="C2" t="str"><x:f t="shared" ref="C2:C3" si="0">"a"&amp;"b"</x:f><x:v>ab</x:v></x:c><x:c r="D2"><x:f t="shared" si="0"/></x:c></x:row>' +
            '</x:sheetData></x:worksheet>',
        }),
      ),
    );
    expect(rows).toEqual([
      { sheet: 'Лист1', rowNumber: 1, cells: ['да', 'нет', '#DIV/0!', '2024-05-20', '2024-05-20 08:30'] },
      { sheet: 'Лист1', rowNumber: 2, cells: [2, 7, 'ab', null], formulaColumns: [0, 2, 3] },
    ]);
  });

  it('turns numbers in date styles into dates, in the 1900 and the 1904 date systems', async () => {
    const styles =
      `<?xml version="1.0"?><styleSheet ${MAIN_NS}><numFmts count="5"><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/>` +
      '<numFmt numFmtId="165" formatCode="0.00&quot;d&quot;"/><numFmt numFmtId="166" formatCode="[Red]#,##0\\ _₽"/>' +
      '<numFmt numFmtId="167" formatCode="[$-F400]h:mm:ss\\ AM/PM"/><numFmt numFmtId="168" formatCode="General"/></numFmts>' +
      '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>' +
      '<cellXfs count="9"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/>' +
      '<xf numFmtId="167"/><xf numFmtId="168"/><xf numFmtId="22"/><xf numFmtId="4"/></cellXfs></styleSheet>';
    const row =
      '<row r="1"><c r="A1" s="1"><v>45432</v></c><c r="B1" s="2"><v>45432.5</v></c><c r="C1" s="3"><v>45432</v></c><c r="D1" s="4"><v>45432</v></c>' +
      '<c r="E1" s="5"><v>0.75</v></c><c r="F1" s="6"><v>45432</v></c><c r="G1" s="7"><v>25569.999999</v></c><c r="H1" s="8"><v>45432</v></c>' +
      '<c r="I1" s="1"><v>60</v></c><c r="J1" s="1"><v>59</v></c><c r="K1" s="1"><v>61</v></c><c r="L1" s="1"><v>1</v></c><c r="M1" s="1" t="s"><v>0</v></c>' +
      '<c r="N1" s="99"><v>45432</v></c></row>';
    expect(await cellsOf({ styles, sheet: sheetXml(row), sharedStrings: ['текст'] })).toEqual([
      [
        1,
        ['2024-05-20', '2024-05-20 12:00', 45432, 45432, '1899-12-31 18:00', 45432, '1970-01-01 23:59', 45432, '1900-02-29', '1900-02-28', '1900-03-01', '1900-01-01', 'текст', 45432],
      ],
    ]);

    const workbook = `<?xml version="1.0"?><workbook ${MAIN_NS} ${REL_NS}><workbookPr date1904="1"/><sheets><sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>`;
    const old = '<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>43970</v></c><c r="C1" s="2"><v>60.25</v></c></row>';
    expect(await cellsOf({ styles, workbook, sheet: sheetXml(old) })).toEqual([[1, ['1904-01-01', '2024-05-20', '1904-03-01 06:00']]]);
  });

  it('finds sheets through the workbook relationships, in tab order, whatever the part names', async () => {
    const workbook =
      `<?xml version="1.0"?><workbook ${MAIN_NS} ${REL_NS}><sheets><sheet name="Диаграмма" sheetId="1" r:id="rId1"/>` +
      '<sheet name="Скрытый" sheetId="2" state="hidden" r:id="rId2"/><sheet name=" Данные &amp; итоги " sheetId="3" r:id="rId3"/>' +
      '<sheet name="Ещё" sheetId="4" r:id="rId4"/></sheets></workbook>';
    const relationships =
      `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      `<Relationship Id="rId1" Type="${REL_TYPE}/chartsheet" Target="chartsheets/sheet1.xml"/>` +
      `<Relationship Id="rId2" Type="${REL_TYPE}/worksheet" Target="worksheets/sheet1.xml"/>` +
      `<Relationship Id="rId3" Type="${REL_TYPE}/worksheet" Target="/xl/worksheets/Sheet7.xml"/>` +
      `<Relationship Id="rId4" Type="${REL_TYPE}/worksheet" Target="./worksheets/../worksheets/data.xml"/></Relationships>`;
    const path = writeBook(
      book({
        workbook,
        relationships,
        sheet: sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>скрытый</t></is></c></row>'),
        extra: [
          { name: 'xl/chartsheets/sheet1.xml', content: '<chartsheet/>' },
          { name: 'xl/worksheets/sheet7.xml', content: sheetXml('<row r="2"><c r="A2"><v>7</v></c></row>') },
          { name: 'xl/worksheets/data.xml', content: sheetXml('<row r="3"><c r="A3"><v>4</v></c></row>') },
        ],
      }),
    );
    const first = await readRows(path);
    expect(first.rows).toEqual([{ sheet: ' Данные & итоги ', rowNumber: 2, cells: [7] }]);
    expect(first.reader.otherSheets).toEqual(['Диаграмма', 'Скрытый', 'Ещё']);
    expect((await readRows(path, '  данные & ИТОГИ')).reader.sheet).toBe(' Данные & итоги ');
    expect((await readRows(path, 'ещё')).rows.map((row) => row.cells)).toEqual([[4]]);
    expect((await readRows(path, 'Скрытый')).rows.map((row) => row.cells)).toEqual([['скрытый']]);
    // A chart sheet has no cells.
    expect((await readRows(path, 'Диаграмма')).rows).toEqual([]);
  });

  it('reads stored parts and takes the data offset from the local header', async () => {
    const localExtra = Buffer.from([0x55, 0x54, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]);
    const cells = await cellsOf({
      sharedStrings: ['общая'],
      sheet: sheetXml('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>2</v></c></row>'),
      sheetPart: { method: 0, localExtra },
    });
    expect(cells).toEqual([[1, ['общая', 2]]]);
  });

  it('keeps a Cyrillic character whole where the inflated data is split into chunks', async () => {
    // Inflated (and stored) data comes in chunks of a power-of-two size, counted from the part's start. A
    // long run of 2-byte characters starting at an odd byte offset puts a character across every boundary.
    const text = 'жизнь'.repeat(60_000);
    let head = sheetXml('').split('<sheetData>')[0] + '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>';
    if (Buffer.byteLength(head) % 2 === 0) head = head.replace('<is>', '<is> ');
    const sheet = head + text + '</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>ёлка</t></is></c></row></sheetData></worksheet>';
    expect(Buffer.from(sheet).subarray(65_535, 65_537).toString()).toMatch(/^[а-яё]$/);
    for (const method of [8, 0]) {
      expect(await cellsOf({ sheet, sheetPart: { method } })).toEqual([
        [1, [text]],
        [2, ['ёлка']],
      ]);
    }
  });

  it('scans the same rows whatever the chunks are, down to single characters', () => {
    const xml = sheetXml(
      '<!-- комментарий <row> --><row r="1" spans="1:3"><c r="A1" t="inlineStr"><is><t><![CDATA[<сырой> & текст]]></t></is></c>' +
        "<c r='B1' t='str'><f>A1</f><v>ж &amp; _x0041_</v></c><c r=\"C1\" s=\"0\" x14ac:dyDescent=\"a>b\"><v>3.5</v></c></row><row r=\"2\"/>",
    );
    const scan = (chunks: string[]): RawRow[] => {
      const scanner = new SheetScanner({ sheet: 'Л', sharedStrings: [], dateStyles: [], date1904: false });
      const rows = chunks.flatMap((chunk) => scanner.write(chunk));
      return [...rows, ...scanner.end()];
    };
    const whole = scan([xml]);
    expect(whole).toEqual([
      { sheet: 'Л', rowNumber: 1, cells: ['<сырой> & текст', 'ж & A', 3.5], formulaColumns: [1] },
      { sheet: 'Л', rowNumber: 2, cells: [] },
    ]);
    expect(scan([...xml])).toEqual(whole);
    for (const size of [2, 3, 7, 13]) expect(scan(xml.match(new RegExp(`[^]{1,${size}}`, 'g'))!)).toEqual(whole);
  });
});

describe('XlsxReader on broken parts', () => {
  const corrupt = 'Файл XLSX повреждён: архив внутри файла не читается. Откройте файл в Excel и сохраните заново.';
  const tooLarge = 'Файл XLSX слишком велик после распаковки или в нём строки за пределами листа Excel (часто это миллионы пустых строк): удалите пустые строки и столбцы или разделите файл на несколько.';
  const manyRows = sheetXml(Array.from({ length: 20_000 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${(i * 7919) % 100_003}</v></c></row>`).join(''));

  async function failure(parts: ZipPart[], maxUncompressedBytes?: number): Promise<{ code: string; messageRu: string }> {
    const issue = await fileError(readRows(writeBook(parts), undefined, maxUncompressedBytes));
    return { code: issue.code, messageRu: issue.messageRu };
  }

  it('refuses a deflate stream that is damaged or cut short in the middle', async () => {
    const deflated = deflateRawSync(manyRows);
    const damaged = Buffer.from(deflated);
    damaged.fill(0xff, damaged.length >> 1, (damaged.length >> 1) + 64);
    expect(await failure(book({ sheet: manyRows, sheetPart: { data: damaged } }))).toEqual({ code: 'XLSX_CORRUPT', messageRu: corrupt });
    const cut = deflated.subarray(0, deflated.length >> 1);
    expect(await failure(book({ sheet: manyRows, sheetPart: { data: cut } }))).toEqual({ code: 'XLSX_CORRUPT', messageRu: corrupt });
  });

  it('refuses malformed XML, unknown compression, missing parts and impossible cell references', async () => {
    const cases: BookOptions[] = [
      { sheet: sheetXml('<row r="1"><c r="A1"><v>1</v></c></row>').replace('</worksheet>', '') },
      { sheet: sheetXml('<row r="1"><c r="A1"><v>1</v></c></row>') + '<extra/>' },
      { sheet: sheetXml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>').replace('<c r="A1"', '<c r=A1') },
      { sheet: sheetXml('<row r="x"><c r="A1"><v>1</v></c></row>') },
      { sheet: sheetXml('<row r="1"><c r="1"><v>1</v></c></row>') },
      { sheet: sheetXml('<row r="1"><c r="ZZZZ1"><v>1</v></c></row>') },
      { sheet: sheetXml(''), sheetPart: { method: 12 } },
      { sheet: sheetXml(''), sharedItems: '<si><t>открыт' },
      { sheet: sheetXml(''), relationships: '<Relationships/>' },
      {
        sheet: sheetXml(''),
        relationships: `<Relationships><Relationship Id="rId1" Type="${REL_TYPE}/worksheet" Target="worksheets/sheet2.xml"/></Relationships>`,
      },
    ];
    for (const options of cases) expect(await failure(book(options))).toEqual({ code: 'XLSX_CORRUPT', messageRu: corrupt });
  });

  it('stops a part that inflates to more than allowed, whatever the central directory claims', async () => {
    expect(await failure(book({ sheet: manyRows, sheetPart: { claimedSize: 100 } }), 50_000)).toEqual({ code: 'XLSX_CORRUPT', messageRu: tooLarge });
    expect((await readRows(writeBook(book({ sheet: manyRows })), undefined, 2_000_000)).rows).toHaveLength(20_000);
  });
});
