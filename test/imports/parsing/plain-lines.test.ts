/**
 * Plain CSV lines read in place (LineRow + the ФИС ОКО fast path) must give exactly what the ordinary path gives:
 * the same records, issues, counters and file errors, whatever the file holds. Each case parses one file both
 * ways and compares everything.
 */
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { CsvParser } from '../../../src/imports/parsing/csv-reader';
import { LineRow } from '../../../src/imports/parsing/csv-line-row';
import { ImportFileError, parseImportFile, type ImportRecord, type ParseImportOptions } from '../../../src/imports/parsing';
import type { RawRow } from '../../../src/imports/parsing/raw-row';
import { SECRET, YEARS } from './helpers';

const HEAD = [
  'ВПР 2024 Русский язык 4 класс',
  ';;;;;Уровень;Б;Б;П;В;;;',
  'ОО;Муниципалитет;Название ОО;Код участника;Класс;Вариант;1 (1б);2 (2б);3 (1б);4 (2б);Первичный балл;Отметка;Отметка по журналу',
];

/** A valid row: tasks 1, 2, 0, 1 → 4 points, mark 3. */
function row(i: number, overrides: Record<number, string> = {}): string {
  const cells = [`sch66${1000 + (i % 7)}`, 'Каменск-Уральский ГО', `МАОУ СОШ № ${i % 7}`, String(100000 + i), '4А', String(1 + (i % 2)), '1', '2', '0', '1', '4', '3', '4'];
  for (const [column, value] of Object.entries(overrides)) cells[Number(column)] = value;
  return cells.join(';');
}

/** Rows that are all unusual in one way each, numbered from `base` so that two sets do not collide. */
function oddRows(base: number): string[] {
  const code = (n: number) => String(100000 + base + n);
  const school = (n: number) => `sch66${1000 + ((base + n) % 7)}`;
  return [
    row(base + 1, { 6: 'X' }).replace(';4;3;4', ';3;3;4'),
    row(base + 2, { 7: 'Х', 10: '2' }),
    row(base + 3, { 7: 'х', 10: '2', 11: '2' }),
    row(base + 4, { 6: '-', 10: '3' }),
    row(base + 5, { 6: '—', 10: '3' }),
    row(base + 6, { 6: '', 10: '3' }),
    row(base + 7, { 7: '3', 10: '5' }),
    row(base + 8, { 6: '1,5' }),
    row(base + 9, { 6: ' 1' }),
    row(base + 10, { 6: '1 ' }),
    row(base + 11, { 6: 'a' }),
    row(base + 12, { 6: '-1' }),
    row(base + 13, { 6: '01' }),
    row(base + 14, { 10: '' }),
    row(base + 15, { 10: 'abc' }),
    row(base + 16, { 10: '5' }),
    row(base + 17, { 10: '07' }),
    row(base + 18, { 11: '' }),
    row(base + 19, { 11: 'нет отметки' }),
    row(base + 20, { 11: '1' }),
    row(base + 21, { 11: '6' }),
    row(base + 22, { 11: 'Х' }),
    row(base + 23, { 11: ' 4' }),
    row(base + 24, { 11: '4,0' }),
    row(base + 25, { 12: '' }),
    row(base + 26, { 12: 'н/о' }),
    row(base + 27, { 12: '7' }),
    row(base + 28, { 0: '' }),
    row(base + 29, { 0: ' sch661000' }),
    row(base + 30, { 0: 'sch 661000' }),
    row(base + 31, { 0: 'шк661000' }),
    row(base + 32, { 3: '' }),
    row(base + 33, { 0: school(2), 3: code(2) }),
    row(base + 34, { 0: school(35), 3: ` ${code(35)}` }),
    row(base + 35, { 3: code(35) }),
    row(base + 36, { 3: 'код№1' }),
    row(base + 37, { 4: '' }),
    row(base + 38, { 4: '4 А' }),
    row(base + 39, { 4: ' 4А' }),
    row(base + 40, { 4: '4А ' }),
    row(base + 41, { 4: '4\u00a0А' }),
    row(base + 42, { 5: '' }),
    row(base + 43, { 5: ' 1' }),
    row(base + 44, { 1: '  Каменск  ГО ', 2: 'МАОУ\u00a0СОШ' }),
    row(base + 45, { 1: '', 2: '' }),
    row(base + 46, { 0: '"sch661001"' }),
    row(base + 47, { 2: '"МАОУ ""Лицей"" № 3"' }),
    row(base + 48, { 2: '"МАОУ\nСОШ"' }),
    '',
    ';;;;;;;;;;;;',
    '   ',
    `sch661000;ГО;СОШ;${code(49)};4А`,
    `${row(base + 50)};;`,
    row(base + 51, { 7: '2', 10: '5' }),
    row(base + 52, { 0: school(1), 3: code(1) }),
    row(base + 53, { 0: 'sch661000\\x', 3: 'a\tb' }),
  ];
}

function fileText(lines: string[], lineBreak = '\r\n'): string {
  return `${[...HEAD, ...lines].join(lineBreak)}${lineBreak}`;
}

function manyRows(count: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    lines.push(row(1000 + i));
    // The first 64 KB are read before the layout is known, the ordinary way: the odd rows come again after them.
    if (i === 10) lines.push(...oddRows(100_000));
    else if (i === count - 400) lines.push(...oddRows(200_000));
    else if (i % 50 === 25) lines.push(oddRows(300_000 + i * 100)[Math.floor(i / 50) % 57]);
  }
  return lines;
}

type Outcome =
  | { kind: 'parsed'; records: ImportRecord[]; errors: unknown[]; summary: Record<string, unknown> }
  | { kind: 'failed'; issue: unknown; errors: unknown[] };

/** Parses the bytes fed in chunks of `chunkSize`, so lines also straddle chunk boundaries. */
async function outcome(bytes: Buffer, lineRows: boolean, options: Partial<ParseImportOptions> = {}, chunkSize = 997): Promise<Outcome> {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) chunks.push(bytes.subarray(at, at + chunkSize));
  const seen: unknown[] = [];
  try {
    const parsed = await parseImportFile({
      stream: Readable.from(chunks),
      fileName: 'vpr.csv',
      secret: SECRET,
      allowedYears: YEARS,
      limits: { maxIssues: 100_000 },
      onIssue: (issue) => seen.push(issue),
      lineRows,
      ...options,
    });
    const records: ImportRecord[] = [];
    for await (const batch of parsed.batches) records.push(...batch);
    const { elapsedMs: _elapsed, ...summary } = parsed.summary;
    return { kind: 'parsed', records, errors: seen, summary };
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    return { kind: 'failed', issue: error.issue, errors: seen };
  }
}

async function expectSameBothWays(bytes: Buffer, options: Partial<ParseImportOptions> = {}, chunkSize?: number, linesExpected = true): Promise<Outcome> {
  const ordinary = await outcome(bytes, false, options, chunkSize);
  const linesRead = jest.spyOn(LineRow.prototype, 'fieldBounds');
  try {
    const inPlace = await outcome(bytes, true, options, chunkSize);
    expect(inPlace).toEqual(ordinary);
    // Otherwise the comparison would hold trivially.
    if (linesExpected) expect(linesRead.mock.calls.length).toBeGreaterThan(500);
    return inPlace;
  } finally {
    linesRead.mockRestore();
  }
}

describe('plain CSV lines read in place', () => {
  it('give the same records, issues and counters as the ordinary path, odd rows and all', async () => {
    const result = await expectSameBothWays(Buffer.from(fileText(manyRows(3000)), 'utf8'));
    expect(result.kind).toBe('parsed');
    if (result.kind !== 'parsed') return;
    // The comparison means something only when both kinds of rows are there.
    expect(result.records.length).toBeGreaterThan(2900);
    expect(result.errors.length).toBeGreaterThan(20);
    const codes = new Set(result.errors.map((issue) => (issue as { code: string }).code));
    for (const code of ['SCORE_ABOVE_MAX', 'SCORE_SUM_MISMATCH', 'MARK_OUT_OF_RANGE', 'DUPLICATE_PARTICIPANT', 'REQUIRED_VALUE_MISSING', 'NOT_A_NUMBER']) {
      expect(codes).toContain(code);
    }
  });

  it('give the same with LF and with lone CR line breaks, and in Windows-1251', async () => {
    const lines = manyRows(2000);
    await expectSameBothWays(Buffer.from(fileText(lines, '\n'), 'utf8'));
    // Lone CRs end lines only for the state machine: such a file is read the ordinary way.
    await expectSameBothWays(Buffer.from(fileText(lines, '\r'), 'utf8'), {}, undefined, false);
    await expectSameBothWays(iconv.encode(fileText(lines), 'win1251'));
    const mixed = `${HEAD.join('\r\n')}\r\n${lines.slice(0, 300).join('\n')}\r${lines.slice(300).join('\r\n')}\n`;
    await expectSameBothWays(Buffer.from(mixed, 'utf8'), {}, 4093);
    await expectSameBothWays(Buffer.from(mixed, 'utf8'), {}, 101, false);
  });

  it('give the same against a stored scale with mark boundaries', async () => {
    const scale = { maxPrimary: 6, markBoundaries: [{ mark: 3, minPrimary: 2 }, { mark: 4, minPrimary: 4 }, { mark: 5, minPrimary: 6 }] };
    const result = await expectSameBothWays(Buffer.from(fileText(manyRows(2000)), 'utf8'), { scale });
    expect(result.errors.some((issue) => (issue as { code: string }).code === 'MARK_INCONSISTENT_WITH_SCALE')).toBe(true);
  });

  it('fail the same way on a line with too many columns or a field that is too long', async () => {
    const wide = await expectSameBothWays(Buffer.from(fileText([...manyRows(2000), `${row(9999)};${';'.repeat(40)}`]), 'utf8'), { limits: { maxIssues: 100_000, maxColumns: 30 } });
    expect(wide).toMatchObject({ kind: 'failed', issue: { code: 'TOO_MANY_COLUMNS' } });
    const long = await expectSameBothWays(Buffer.from(fileText([...manyRows(2000), row(9998, { 2: 'Ш'.repeat(300) })]), 'utf8'), {
      limits: { maxIssues: 100_000, maxFieldLength: 200 },
    });
    expect(long).toMatchObject({ kind: 'failed', issue: { code: 'FIELD_TOO_LONG' } });
  });
});

describe('the CSV parser emitting lines', () => {
  function parse(text: string, lines: boolean, chunkSize = text.length): RawRow[] {
    const parser = new CsvParser(';', { maxFieldLength: 1000, maxColumns: 100 }, 'a.csv');
    if (lines) parser.emitLines();
    const out: RawRow[] = [];
    for (let at = 0; at < text.length; at += chunkSize) parser.push(text.slice(at, at + chunkSize), out);
    parser.end(out);
    return out;
  }

  it('turns plain lines into LineRows with the cells the state machine reads, and leaves quoted records to it', () => {
    const text = 'a;b;;c\r\n"q;1";2\r\n\r\nx;"multi\nline";y\nlast;;\r\nonly';
    const cellsOf = (rows: RawRow[]) => rows.map((r) => ({ rowNumber: r.rowNumber, cells: r.cells }));
    const ordinary = cellsOf(parse(text, false));
    const inPlace = parse(text, true);
    expect(cellsOf(inPlace)).toEqual(ordinary);
    expect(inPlace.map((r) => r instanceof LineRow)).toEqual([true, false, true, false, true, false]);
    // Lines cut by chunk boundaries are read by the state machine, with the same cells.
    for (const chunkSize of [1, 3, 7]) expect(cellsOf(parse(text, true, chunkSize))).toEqual(ordinary);
  });
});
