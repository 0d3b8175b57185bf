import { CsvParser, detectSeparator } from '../../../src/imports/parsing/csv-reader';
import { ImportFileError } from '../../../src/imports/parsing/issues';
import type { RawRow } from '../../../src/imports/parsing/raw-row';

const LIMITS = { maxFieldLength: 1000, maxColumns: 50 };

function parse(text: string | string[], separator: ';' | ',' | '\t' = ';', limits = LIMITS): RawRow[] {
  const parser = new CsvParser(separator, limits, 'test.csv');
  const rows: RawRow[] = [];
  for (const chunk of Array.isArray(text) ? text : [text]) parser.push(chunk, rows);
  parser.end(rows);
  return rows;
}

const cells = (rows: RawRow[]): (string | number | null)[][] => rows.map((row) => row.cells);

describe('CsvParser', () => {
  it('reads quoted fields with separators, doubled quotes and line breaks, numbering rows as Excel does', () => {
    const rows = parse('a;b;c\r\n"x;y";"say ""hi""";"two\r\nlines"\r\nlast;;\r\n');
    expect(cells(rows)).toEqual([
      ['a', 'b', 'c'],
      ['x;y', 'say "hi"', 'two\r\nlines'],
      ['last', null, null],
    ]);
    // The record spanning two lines is one Excel row: "last" is row 3, not 4.
    expect(rows.map((row) => row.rowNumber)).toEqual([1, 2, 3]);
  });

  it('gives the same rows whatever the chunk boundaries (quotes, CRLF and fields split)', () => {
    const text = 'h1;h2\r\n"a""b;c";d\r\n"multi\nline";"x"\r\n\r\nz;"q"\n';
    const whole = parse(text);
    const byChar = parse(text.split(''));
    const inTwo = parse([text.slice(0, 9), text.slice(9)]);
    expect(byChar).toEqual(whole);
    expect(inTwo).toEqual(whole);
    expect(cells(whole)).toEqual([['h1', 'h2'], ['a"b;c', 'd'], ['multi\nline', 'x'], [null], ['z', 'q']]);
  });

  it('counts blank lines as rows and keeps bare CR line ends', () => {
    const rows = parse('a\r\rb\n\nc');
    expect(rows.map((row) => [row.rowNumber, row.cells])).toEqual([
      [1, ['a']],
      [2, [null]],
      [3, ['b']],
      [4, [null]],
      [5, ['c']],
    ]);
  });

  it('reads quotes the way Excel does: text after a closing quote is kept, a quote inside a bare field is literal', () => {
    expect(cells(parse('"abc"def;ООО "Ромашка"\n'))).toEqual([['abcdef', 'ООО "Ромашка"']]);
  });

  it('refuses a quote left open to the end of the file, naming the row where it opened', () => {
    let caught: unknown;
    try {
      parse('a;b\nc;"never closed\nmore\n');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ImportFileError);
    expect((caught as ImportFileError).issue).toMatchObject({ code: 'CSV_UNCLOSED_QUOTE', row: 2 });
  });

  it('stops a field that grows past the limit instead of buffering the file', () => {
    expect(() => parse(['x;"', 'y'.repeat(600), 'y'.repeat(600)], ';', { maxFieldLength: 1000, maxColumns: 50 })).toThrow(
      expect.objectContaining({ issue: expect.objectContaining({ code: 'FIELD_TOO_LONG', row: 1 }) }),
    );
  });

  it('stops a row with more columns than allowed', () => {
    expect(() => parse('a,b,c,d\n', ',', { maxFieldLength: 1000, maxColumns: 3 })).toThrow(
      expect.objectContaining({ issue: expect.objectContaining({ code: 'TOO_MANY_COLUMNS', row: 1 }) }),
    );
  });
});

describe('detectSeparator', () => {
  it('prefers the separator that splits lines consistently, despite decimal commas', () => {
    expect(detectSeparator('Год;Доля\n2024;12,5\n2024;7,25\n')).toBe(';');
  });

  it('finds commas and tabs', () => {
    expect(detectSeparator('a,b,c\n1,2,3\n4,5,6\n')).toBe(',');
    expect(detectSeparator('a\tb\tc\n1\t2,5\t3\n')).toBe('\t');
  });

  it('is not misled by a title line or by separators inside quotes', () => {
    expect(detectSeparator('ВПР 2024 Русский язык 4 класс\nОО;Код;"Название, полное"\nsch1;1;"Школа, № 1"\n')).toBe(';');
  });
});
