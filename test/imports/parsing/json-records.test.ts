/**
 * JSON arrays of records as open-data portals publish them (issue 22): streamed record by record, read like a CSV with
 * the keys as the header, with the same limits and clear refusals — also when the array is wrapped in an object
 * ({"data": […]}, CKAN's {"result": {"records": […]}}), found on its own or at the path the upload names.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseImportFile } from '../../../src/imports/parsing';
import { brief, fileError, parseContent, parseFixture, readAll, SECRET, YEARS } from './helpers';

const MAPPING = {
  target: 'school-results' as const,
  columns: { schoolCode: 'ИНН', year: 'Учебный год', subjectName: 'Предмет', participants: 'Количество сдававших', meanTestScore: 'Средний балл', countTest80: 'Количество набравших 80 баллов и более', belowMinimum: 'Не преодолели минимальный порог' },
};

describe('JSON arrays of records', () => {
  it('reads an open-data export: keys as the header, numbers and strings as they are, null as empty, nested values unused', async () => {
    const { parsed, records } = await parseFixture('open-data/ege-2022.json', { layout: 'mapped', mapping: MAPPING, constants: { procedure: 'ЕГЭ' } });
    expect(parsed.summary).toMatchObject({ format: 'json' });
    expect(parsed.errors).toEqual([]);
    expect(parsed.metadata.ignoredColumns).toEqual(['global_id', 'Наименование ОО', 'Количество 100-балльников', 'geoData']);
    expect(records).toEqual([
      expect.objectContaining({ kind: 'school-result', sourceRow: 2, schoolCode: '6612001234', year: 2022, subjectName: 'Русский язык', grade: 11, participants: 45, meanTestScore: 67.5, countTest80: 7, belowMinimum: 2 }),
      expect.objectContaining({ sourceRow: 3, subjectName: 'Математика профильная', participants: 20, meanTestScore: 55.1, belowMinimum: null }),
    ]);
  });

  it('gives the same rows whatever the chunks (a record, a string, an escape split between them)', async () => {
    const text = JSON.stringify([{ 'Код ОО': 'sch661234', Предмет: 'Русский \\"язык\\" {x}', n: 1 }, { 'Код ОО': 'sch661235', Предмет: 'Математика', n: 2.5 }]);
    const bytes = Buffer.from(text, 'utf8');
    const read = async (chunk: number) => {
      const parts: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk));
      const parsed = await parseImportFile({
        stream: Readable.from(parts),
        fileName: 'x.json',
        secret: SECRET,
        allowedYears: YEARS,
        layout: 'mapped',
        mapping: { target: 'school-results', columns: { schoolCode: 'Код ОО', subjectName: 'Предмет', participants: 'n' } },
        constants: { procedure: 'ЕГЭ', year: 2024 },
      });
      return { errors: parsed.errors, records: await readAll(parsed) };
    };
    const whole = await read(bytes.length);
    // The second record is refused (below); the first comes out whole, quotes and braces inside its string included.
    expect(whole.records.map((r: any) => [r.schoolCode, r.subjectName])).toEqual([['sch661234', 'Русский \\"язык\\" {x}']]);
    // 2.5 participants is a row error with its cell (C3: the third key of the second record).
    expect(whole.errors.map(brief)).toEqual([{ code: 'NOT_AN_INTEGER', row: 3, column: 'n', value: '2,5' }]);
    for (const chunk of [1, 3, 7, 64]) expect(await read(chunk)).toEqual(whole);
  });

  it('a key the first record leaves out is read from the records that have it (a file on disk), and refuses a stream naming it', async () => {
    const text = JSON.stringify([
      { ИНН: '6612001234', 'Учебный год': '2021/2022', Предмет: 'Русский язык', 'Количество сдававших': 45 },
      { ИНН: '6612001234', 'Учебный год': '2021/2022', Предмет: 'Математика профильная', 'Количество сдававших': 20, 'Средний балл': 55.1 },
    ]);
    const mapping = { target: 'school-results' as const, columns: { schoolCode: 'ИНН', year: 'Учебный год', subjectName: 'Предмет', participants: 'Количество сдававших', meanTestScore: 'Средний балл' } };
    const options = { layout: 'mapped' as const, mapping, constants: { procedure: 'ЕГЭ' } };
    const dir = await mkdtemp(join(tmpdir(), 'msoko-json-'));
    try {
      const path = join(dir, 'ege.json');
      await writeFile(path, text);
      const parsed = await parseImportFile({ path, fileName: 'ege.json', secret: SECRET, allowedYears: YEARS, ...options });
      const records = await readAll(parsed);
      expect(parsed.errors).toEqual([]);
      expect(records).toEqual([
        expect.objectContaining({ sourceRow: 2, subjectName: 'Русский язык', participants: 45, meanTestScore: null }),
        expect.objectContaining({ sourceRow: 3, subjectName: 'Математика профильная', participants: 20, meanTestScore: 55.1 }),
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // A stream cannot be read twice: the key first seen in record 2 refuses the file rather than being dropped.
    const streamed = await parseContent('ege.json', text, options).catch((error: unknown) => error);
    expect(String((streamed as Error).message ?? streamed)).toMatch(/поле «Средний балл» впервые встречается в записи 2 \(строка 3\)/);
  });

  it('refuses what is not an array of records, a truncated file and a value over the length limit, saying so in Russian', async () => {
    const options = { layout: 'mapped' as const, mapping: MAPPING, constants: { procedure: 'ЕГЭ' } };
    expect(brief(await fileError(parseContent('a.json', '{"data": 1}', options)))).toMatchObject({ code: 'JSON_RECORDS_NOT_FOUND' });
    expect((await fileError(parseContent('a.json', '{"data": 1}', options))).messageRu).toMatch(/Файл JSON: в объекте верхнего уровня нет массива записей \[\{…\}, …\]/);
    expect((await fileError(parseContent('a.json', '"Русский язык"', options))).messageRu).toMatch(/Файл JSON не читается: файл должен начинаться с «\[» или «\{»/);
    expect((await fileError(parseContent('a.json', '[{"ИНН": 1}, {"ИНН": ', options))).messageRu).toMatch(/массив не закрыт «\]» — файл обрезан/);
    expect((await fileError(parseContent('a.json', '[{"ИНН": 1} {"ИНН": 2}]', options))).messageRu).toMatch(/Файл JSON не читается/);
    expect((await fileError(parseContent('a.json', '[{"ИНН": 1, "x": 2,}]', options))).messageRu).toMatch(/запись 1 \(строка 2\) повреждена/);
    const long = JSON.stringify([{ ИНН: 'x'.repeat(200) }]);
    const tooLong = await fileError(parseContent('a.json', long, { ...options, limits: { maxFieldLength: 100 } }));
    expect(brief(tooLong)).toMatchObject({ code: 'FIELD_TOO_LONG', row: 2 });
  });

  describe('wrapped in an object', () => {
    const records = [
      { 'Код ОО': 'sch661234', Предмет: 'Русский язык', n: 12 },
      { 'Код ОО': 'sch661235', Предмет: 'Математика «профильная» {2}', n: 9 },
    ];
    const options = {
      layout: 'mapped' as const,
      mapping: { target: 'school-results' as const, columns: { schoolCode: 'Код ОО', subjectName: 'Предмет', participants: 'n' } },
      constants: { procedure: 'ЕГЭ', year: 2024 },
    };
    /** The file streamed in chunks of `chunk` bytes: records and errors. */
    const read = async (text: string, chunk: number, recordsPath?: string) => {
      const bytes = Buffer.from(text, 'utf8');
      const parts: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk));
      try {
        const parsed = await parseImportFile({ stream: Readable.from(parts), fileName: 'x.json', secret: SECRET, allowedYears: YEARS, recordsPath, ...options });
        return { records: (await readAll(parsed)).map((r: any) => [r.sourceRow, r.schoolCode, r.subjectName, r.participants]), errors: parsed.errors.map(brief) };
      } catch (error) {
        return { refused: (error as any).issue ? { code: (error as any).issue.code, messageRu: (error as any).issue.messageRu, value: (error as any).issue.value } : String(error) };
      }
    };
    const expected = {
      records: [
        [2, 'sch661234', 'Русский язык', 12],
        [3, 'sch661235', 'Математика «профильная» {2}', 9],
      ],
      errors: [],
    };

    it.each([
      ['CKAN datastore_search', { help: 'https://data.example.ru/api/3/action/help_show', success: true, result: { resource_id: 'r1', records, total: 2, _links: { start: '/x' } } }],
      ['{"data": […]}', { data: records }],
      ['{"items": […]} after other values', { total: 2, page: { number: 1, size: [10, 20] }, tags: ['егэ', '2024'], items: records }],
      ['{"meta": …, "rows": […]} (an array of records inside meta is deeper than the search)', { meta: { a: { b: { columns: [{ id: 'n' }] } } }, rows: records }],
    ])('%s: the records are found and read as from a top-level array, whatever the chunks', async (_name, document) => {
      const text = JSON.stringify(document, null, 1);
      for (const chunk of [1, 3, 16, text.length]) expect(await read(text, chunk)).toEqual(expected);
    });

    it('CKAN’s column list («fields») is not taken for the records; two arrays of records are refused naming both until recordsPath names one', async () => {
      const text = JSON.stringify({ success: true, result: { fields: [{ id: 'Код ОО', type: 'text' }], records } });
      const two = JSON.stringify({ data: records, items: records });
      const onlyColumns = JSON.stringify({ result: { fields: records } });
      for (const chunk of [1, 7, text.length]) {
        expect(await read(text, chunk)).toEqual(expected);
        expect(await read(text, chunk, 'result.records')).toEqual(expected);
        expect(await read(two, chunk)).toEqual({
          refused: {
            code: 'JSON_RECORDS_AMBIGUOUS',
            value: 'data, items',
            messageRu:
              'Файл JSON: в нём несколько массивов записей — «data», «items». Укажите, какой читать: путь к записям ' +
              '(параметр recordsPath, в командной строке --json-records), например «items».',
          },
        });
        expect(await read(two, chunk, 'data')).toEqual(expected);
        expect(await read(onlyColumns, chunk)).toEqual({
          refused: {
            code: 'JSON_RECORDS_NOT_FOUND',
            value: 'result.fields',
            messageRu:
              'Файл JSON: других массивов записей, кроме «result.fields», в нём нет, а массив «fields» описывает столбцы (как в ответе CKAN), а не хранит записи. ' +
              'Если записи в нём, укажите путь к ним (параметр recordsPath, в командной строке --json-records): «result.fields».',
          },
        });
        expect(await read(onlyColumns, chunk, 'result.fields')).toEqual(expected);
      }
      expect(await read(text, 5, 'result.rows')).toMatchObject({ refused: { code: 'JSON_RECORDS_NOT_FOUND', value: 'result.rows', messageRu: expect.stringMatching(/пути «result\.rows» в файле нет\. Массивы записей в файле: «result\.fields», «result\.records»/) } });
      expect(await read(text, 5, 'success')).toMatchObject({ refused: { messageRu: expect.stringMatching(/по пути «success» не массив записей, а число или слово/) } });
      expect(await read(JSON.stringify(records), 5, 'data')).toMatchObject({ refused: { code: 'JSON_RECORDS_NOT_FOUND', messageRu: expect.stringMatching(/файл сам массив записей/) } });
      expect(await read(JSON.stringify({ a: { b: { c: { d: records } } } }), 5)).toMatchObject({ refused: { code: 'JSON_RECORDS_NOT_FOUND', messageRu: expect.stringMatching(/искали до 3 уровней/) } });
      // Deeper than the search goes, a path reaches them.
      expect(await read(JSON.stringify({ a: { b: { c: { d: records } } } }), 5, 'a.b.c.d')).toEqual(expected);
    });

    it('a wrapper cut off, or broken around the records, is refused saying so', async () => {
      const whole = JSON.stringify({ data: records, total: 2 });
      expect(await read(whole.slice(0, -1), 4)).toMatchObject({ refused: { code: 'UNSUPPORTED_FORMAT', messageRu: expect.stringMatching(/объект не закрыт «\}» — файл обрезан/) } });
      expect(await read(whole.replace('"total":2', '"total" 2'), 4)).toMatchObject({ refused: { messageRu: expect.stringMatching(/после ключа «total» нет двоеточия/) } });
      expect(await read(whole + ' []', 4)).toMatchObject({ refused: { messageRu: expect.stringMatching(/после закрывающей «\}» есть ещё данные/) } });
      expect(await read(JSON.stringify({ data: [...records, 'итого'] }), 4)).toMatchObject({ refused: { messageRu: expect.stringMatching(/элемент 3 массива «data» — не запись/) } });
    });
  });
});
