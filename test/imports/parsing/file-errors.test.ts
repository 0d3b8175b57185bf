import { createReadStream, existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { LAYOUT_NAMES, parseImportFile } from '../../../src/imports/parsing';
import { brief, fileError, fixture, parseContent, parseFixture, readAll, SECRET, YEARS } from './helpers';

const spooledFiles = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith('msoko-import-'));

describe('file-level problems', () => {
  it('refuses an empty file', async () => {
    expect(brief(await fileError(parseFixture('bad/empty.csv')))).toEqual({ code: 'EMPTY_FILE', row: null, column: null, value: null });
    // Blank lines only are as empty as no bytes at all.
    expect((await fileError(parseContent('blank.csv', ';;\r\n\r\n ; \r\n'))).code).toBe('EMPTY_FILE');
  });

  it('refuses a header without data rows', async () => {
    expect(brief(await fileError(parseFixture('bad/header-only.csv')))).toEqual({ code: 'HEADER_ONLY', row: 1, column: null, value: null });
  });

  it('refuses an unknown layout, listing every layout tried', async () => {
    const issue = await fileError(parseFixture('bad/unknown-layout.csv'));
    expect(issue.code).toBe('UNKNOWN_LAYOUT');
    const detectable = LAYOUT_NAMES.filter((name) => name !== 'mapped');
    expect(issue.value).toBe(detectable.join(', '));
    for (const name of detectable) expect(issue.messageRu).toContain(`«${name}»`);
  });

  it('refuses an unknown layout name given by the uploader', async () => {
    expect(brief(await fileError(parseFixture('valid/aggregate-marks.csv', { layout: 'vpr-old' as never })))).toEqual({
      code: 'INVALID_OPTIONS',
      row: null,
      column: null,
      value: 'vpr-old',
    });
  });

  it('refuses a truncated XLSX by path, clearly and without hanging', async () => {
    const issue = await fileError(parseFixture('bad/truncated.xlsx'));
    expect(brief(issue)).toEqual({ code: 'XLSX_CORRUPT', row: null, column: null, value: null });
    expect(issue.messageRu).toContain('обрезан');
  });

  it('refuses a truncated XLSX uploaded as a stream, and removes the spooled copy', async () => {
    const before = spooledFiles();
    const issue = await fileError(
      parseImportFile({ stream: createReadStream(fixture('bad/truncated.xlsx')), fileName: 'results.xlsx', secret: SECRET, allowedYears: YEARS }),
    );
    expect(issue.code).toBe('XLSX_CORRUPT');
    expect(spooledFiles()).toEqual(before);
  });

  it('reads a valid XLSX uploaded as a stream and removes the spooled copy after the last record', async () => {
    const before = spooledFiles();
    const parsed = await parseImportFile({ stream: createReadStream(fixture('valid/fisoko-vpr-individual.xlsx')), fileName: 'vpr.xlsx', secret: SECRET, allowedYears: YEARS });
    expect(spooledFiles()).toHaveLength(before.length + 1);
    expect(await readAll(parsed)).toHaveLength(5);
    expect(spooledFiles()).toEqual(before);
  });

  it('releases the file when the reader stops early', async () => {
    const before = spooledFiles();
    const parsed = await parseImportFile({ stream: createReadStream(fixture('valid/fisoko-vpr-individual.xlsx')), fileName: 'vpr.xlsx', secret: SECRET, allowedYears: YEARS });
    for await (const record of parsed.records) {
      expect(record.sourceRow).toBe(7);
      break;
    }
    expect(spooledFiles()).toEqual(before);
    expect(parsed.summary.complete).toBe(false);
  });

  it('closes the workbook file, also when the reader stops early', async () => {
    const path = fixture('templates/schools.xlsx');
    const openOnFixture = (): number => readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === path;
      } catch {
        return false;
      }
    }).length;
    const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 100));
    const parsed = await parseImportFile({ path, fileName: 'schools.xlsx', secret: SECRET, allowedYears: YEARS });
    for await (const record of parsed.records) {
      expect(record.kind).toBe('school');
      break;
    }
    await settle();
    expect(openOnFixture()).toBe(0);
  });

  it('refuses UTF-16 without a BOM and binary data, and reads UTF-16 with a BOM', async () => {
    const utf16 = await fileError(parseFixture('bad/utf16-no-bom.csv'));
    expect(brief(utf16)).toEqual({ code: 'ENCODING_UNDETECTED', row: null, column: null, value: null });
    expect(utf16.messageRu).toContain('UTF-16');
    const binary = await fileError(parseFixture('bad/binary.csv'));
    expect(binary.code).toBe('ENCODING_UNDETECTED');
    expect(binary.messageRu).toContain('двоичные данные');

    const text = readFileSync(fixture('templates/schools.csv'), 'utf8').replace(/^\ufeff/, '');
    const { parsed, records } = await parseContent('schools.txt', iconv.encode(text.replace(/;/g, '\t'), 'utf-16le', { addBOM: true }));
    expect(parsed.summary).toMatchObject({ encoding: 'utf-16le', separator: '\t', layout: 'schools' });
    expect(records).toHaveLength(3);
  });

  it('reads a file in the encoding the uploader names', async () => {
    const text = 'Год;Класс;Предмет;Логин;Кол-во участников;2;3;4;5\n2024;4;Русский язык;sch1;4;25;25;25;25\n';
    const { parsed, records } = await parseContent('koi.csv', iconv.encode(text, 'koi8-r'), { encoding: 'koi8-r' });
    expect(parsed.summary.encoding).toBe('koi8-r');
    expect(records[0]).toMatchObject({ subjectName: 'Русский язык' });
  });

  it('refuses bytes that stop being UTF-8 halfway down, naming the row, early or late in the file', async () => {
    const header = 'Год;Класс;Предмет;Логин;Кол-во участников;2;3;4;5\n';
    const line = '2024;4;Русский язык;sch1;4;25;25;25;25\n';
    const bad = iconv.encode('2024;4;Математика;sch2;4;25;25;25;25\n', 'windows-1251');
    for (const goodRows of [3000, 30_000]) {
      const bytes = Buffer.concat([Buffer.from(header + line.repeat(goodRows), 'utf8'), bad]);
      const chunks = [];
      for (let at = 0; at < bytes.length; at += 70_000) chunks.push(bytes.subarray(at, at + 70_000));
      // Found while detecting the layout (first 64 KB of text) or while reading records: the same issue.
      const issue = await fileError(
        (async () => readAll(await parseImportFile({ stream: Readable.from(chunks), fileName: 'mixed.csv', secret: SECRET, allowedYears: YEARS })))(),
      );
      expect(brief(issue)).toEqual({ code: 'ENCODING_INVALID', row: goodRows + 2, column: null, value: null });
    }
  });

  it('refuses old binary XLS files and web pages saved as .xls', async () => {
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]);
    expect((await fileError(parseContent('old.xls', xls))).code).toBe('UNSUPPORTED_FORMAT');
    expect((await fileError(parseContent('report.xls', '<html><table><tr><td>1</td></tr></table></html>'))).code).toBe('UNSUPPORTED_FORMAT');
  });

  it('keeps at most limits.maxIssues issues, counts all, and passes every one to onIssue', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `2024;4;Математика;sch${i};4;x;25;25;25`);
    const seen: string[] = [];
    const { parsed } = await parseContent('many.csv', ['Год;Класс;Предмет;Логин;Кол-во участников;2;3;4;5', ...rows].join('\n'), {
      limits: { maxIssues: 3 },
      onIssue: (issue) => seen.push(issue.code),
    });
    expect(parsed.errors).toHaveLength(3);
    expect(parsed.summary.issues).toEqual({ total: 50, kept: 3, dropped: 47, byCode: { NOT_A_NUMBER: 50 } });
    expect(seen).toHaveLength(50);
  });

  it('stops a file with more data rows than allowed', async () => {
    const csv = ['Год;Класс;Предмет;Логин;Кол-во участников;2;3;4;5', ...Array.from({ length: 5 }, (_, i) => `2024;4;Математика;sch${i};4;25;25;25;25`)].join('\n');
    const parsed = await parseImportFile({ stream: Readable.from([Buffer.from(csv)]), fileName: 'big.csv', secret: SECRET, allowedYears: YEARS, limits: { maxRows: 3 } });
    expect(brief(await fileError(readAll(parsed)))).toEqual({ code: 'TOO_MANY_ROWS', row: 5, column: null, value: null });
  });

  it('refuses a file larger than allowed', async () => {
    expect((await fileError(parseFixture('valid/aggregate-marks.csv', { limits: { maxFileBytes: 100 } }))).code).toBe('FILE_TOO_LARGE');
  });

  it('treats a wrong call as a programming error, not as a problem of the file', async () => {
    await expect(parseImportFile({ fileName: 'x.csv', secret: SECRET })).rejects.toThrow(TypeError);
    await expect(parseImportFile({ path: fixture('valid/aggregate-marks.csv'), fileName: 'x.csv', secret: 'short' })).rejects.toThrow(TypeError);
    expect(existsSync(fixture('valid/aggregate-marks.csv'))).toBe(true);
  });
});
