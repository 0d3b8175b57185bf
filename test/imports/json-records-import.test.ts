/**
 * JSON as open-data portals publish it (issue 22), through the real import path: records wrapped in an object —
 * CKAN's datastore API `{"success": true, "result": {"records": […]}}`, `{"meta": …, "data": […]}` — are found
 * on their own, CKAN's column list (`fields`) beside its records included; a file with two arrays of records is refused
 * naming both paths until the upload names one (`recordsPath`: startImport, an import profile,
 * `msoko-hub import --json-records`); a path that does not lead to records is refused naming it. Nothing of a refused
 * file is written.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fixture, FIXTURES, ImportHarness } from './support/import-harness';
import { runCli } from '../support/cli';

const MAPPING = {
  target: 'school-results',
  columns: {
    schoolCode: 'ИНН',
    schoolName: 'Наименование ОО',
    year: 'Учебный год',
    subjectName: 'Предмет',
    participants: 'Количество сдававших',
    meanTestScore: 'Средний балл',
    countTest80: 'Количество набравших 80 баллов и более',
    countTest100: 'Количество 100-балльников',
    belowMinimum: 'Не преодолели минимальный порог',
  },
};
const START = { layout: 'mapped', mapping: MAPPING, constants: { procedure: 'ЕГЭ' } };

describe('JSON records wrapped as portals publish them', () => {
  let hub: ImportHarness;

  beforeAll(async () => {
    hub = await ImportHarness.start();
    // ЕГЭ school results are read against a scale.
    expect((await hub.importFile('scales/ege-2021-2025.csv')).status).toBe('DONE');
  }, 60_000);
  afterAll(() => hub.stop());

  const results = (year: number) =>
    hub.sql(
      `select s.code as subject, sr.participants, sr.mean_test_score, sr.count_test_80, sr.count_test_100, sr.below_minimum
       from school_result sr join assessment a on a.id = sr.assessment_id join subject s on s.id = a.subject_id
       where sr.school_id = ? and sr.year = ? order by s.code`,
      [hub.schools.sch661234.id, year],
    );

  it('CKAN’s datastore answer {"success": true, "result": {"records": […]}} is read without being told where the records are', async () => {
    const batch = await hub.importFile('open-data/ege-2023-ckan.json', START, 'importer');
    expect(batch).toMatchObject({ status: 'DONE', report: { format: 'json' }, counts: { rowsRead: 2, inserted: 2, errors: 0 } });
    // The records' own keys are the header: the wrapper's keys (help, success, total…) are not columns.
    expect(batch.report.ignoredColumns).toEqual(['_id', 'global_id']);
    expect(batch.report.notes).toContain('Записи JSON прочитаны из массива «result.records» (единственный массив записей в объекте файла).');
    expect(await results(2023)).toEqual([
      { subject: 'MATH_PROF', participants: 21, mean_test_score: 58.2, count_test_80: 2, count_test_100: 0, below_minimum: 2 },
      { subject: 'RUS', participants: 48, mean_test_score: 68.9, count_test_80: 9, count_test_100: 0, below_minimum: 1 },
    ]);
  });

  it('{"meta": {…}, "data": […]}: the one array of records under the object is read; nested values stay unused', async () => {
    const batch = await hub.importFile('open-data/ege-2024-data.json', START, 'importer');
    expect(batch).toMatchObject({ status: 'DONE', counts: { rowsRead: 2, inserted: 2, errors: 0 } });
    expect(batch.report.ignoredColumns).toEqual(['global_id', 'geoData']);
    expect((await results(2024)).map((row: any) => [row.subject, row.participants, row.mean_test_score])).toEqual([
      ['CHEM', 9, 61],
      ['RUS', 52, 70.4],
    ]);
  });

  it('CKAN’s answer with its column list («fields») goes in on its own, from «result.records»', async () => {
    const batch = await hub.importFile('open-data/ege-2025-ckan-fields.json', START, 'importer');
    expect(batch).toMatchObject({ status: 'DONE', counts: { rowsRead: 2, inserted: 2, errors: 0 } });
    expect(batch.report.notes).toContain(
      'Записи JSON прочитаны из массива «result.records» (единственный массив записей в объекте файла); «result.fields» — описание столбцов, не записи, не прочитан.',
    );
    expect((await results(2025)).map((row: any) => [row.subject, row.participants, row.count_test_100])).toEqual([
      ['PHYS', 12, 0],
      ['RUS', 50, 2],
    ]);
  });

  it('two arrays of records refuse the file naming both; named with recordsPath, it goes in', async () => {
    const refused = await hub.importFile('open-data/ege-2025-two-arrays.json', START, 'importer');
    expect(refused.status).toBe('REJECTED');
    expect(refused.fileError).toEqual({
      code: 'JSON_RECORDS_AMBIGUOUS',
      messageRu:
        'Файл JSON: в нём несколько массивов записей — «data», «previous». Укажите, какой читать: путь к записям ' +
        '(параметр recordsPath, в командной строке --json-records), например «previous».',
      sheet: null,
      row: null,
      column: null,
      value: 'data, previous',
    });

    const batch = await hub.importFile('open-data/ege-2025-two-arrays.json', { ...START, recordsPath: 'data' }, 'importer', 'ege-2025-data.json');
    expect(batch).toMatchObject({ status: 'DONE', counts: { rowsRead: 2, errors: 0 } });
    expect(batch.report.notes).toContain('Записи JSON прочитаны из массива «data» (путь указан при загрузке).');
    expect((await results(2025)).map((row: any) => [row.subject, row.participants, row.count_test_100])).toEqual([
      ['PHYS', 12, 0],
      ['RUS', 50, 2],
    ]);
  });

  it('a path that leads nowhere, or not to records, is refused naming it (and the arrays of records the file has); nothing is written', async () => {
    const before = await hub.sql(`select count(*)::int as n from school_result`);
    const missing = await hub.importFile('open-data/ege-2024-data.json', { ...START, recordsPath: 'result.records' }, 'importer', 'ege-2024-wrong-path.json');
    expect(missing.status).toBe('REJECTED');
    expect(missing.fileError).toMatchObject({
      code: 'JSON_RECORDS_NOT_FOUND',
      value: 'result.records',
      messageRu: 'Файл JSON: пути «result.records» в файле нет. Массивы записей в файле: «data» — укажите один из них.',
    });
    const notRecords = await hub.importFile('open-data/ege-2024-data.json', { ...START, recordsPath: 'meta.source' }, 'importer', 'ege-2024-meta.json');
    expect(notRecords.fileError).toMatchObject({
      code: 'JSON_RECORDS_NOT_FOUND',
      value: 'meta.source',
      messageRu: 'Файл JSON: по пути «meta.source» не массив записей, а объект. Массивы записей в файле: «data» — укажите один из них.',
    });
    expect(await hub.sql(`select count(*)::int as n from school_result`)).toEqual(before);
    // A path that cannot be one is refused before anything starts.
    const uploaded = await hub.upload(fixture('open-data/ege-2024-data.json'), 'importer');
    const bad = await hub.start(uploaded.body.id, { ...START, recordsPath: 'result..records' }, 'importer');
    expect(bad.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^Путь к записям JSON \(recordsPath\): путь к записям «result\.\.records» не читается/), extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('an import profile keeps the records path, and msoko-hub import --json-records passes it', async () => {
    const saved = await hub.gql(
      `mutation($input: SaveImportProfileInput!) { saveImportProfile(input: $input) { name recordsPath } }`,
      { input: { name: 'ЕГЭ — портал с архивом', ...START, recordsPath: 'data' } },
      'importer',
    );
    expect(saved.errors).toBeUndefined();
    expect(saved.data!.saveImportProfile).toEqual({ name: 'ЕГЭ — портал с архивом', recordsPath: 'data' });
    const listed = await runCli(['profiles', '--url', hub.baseUrl], hub.keys.importer);
    expect(listed.stdout).toMatch(/^ЕГЭ — портал с архивом — регион 66; mapped → school-results; процедура ЕГЭ; записи JSON «data»; сохранил key:\d+$/m);
    // Files of the same shape that the portal published again (another count of physics participants each time).
    const again = (participants: number) => {
      const path = join(mkdtempSync(join(tmpdir(), 'msoko-json-records-')), `ege-2025-${participants}.json`);
      writeFileSync(path, readFileSync(fixture('open-data/ege-2025-two-arrays.json'), 'utf8').replace('"Количество сдававших": 12', `"Количество сдававших": ${participants}`));
      return path;
    };
    const physics = async () => (await results(2025)).find((row: any) => row.subject === 'PHYS')?.participants;
    const batch = await hub.importFile(relative(FIXTURES, again(13)), { profile: 'ЕГЭ — портал с архивом' }, 'importer');
    expect(batch).toMatchObject({ status: 'DONE', counts: { inserted: 0, replaced: 2, errors: 0 } });
    expect(await physics()).toBe(13);

    const file = again(14);
    const mappingFile = fixture('open-data/ege.mapping.json');
    const wrong = await runCli(['import', file, '--mapping', mappingFile, '--constant', 'procedure=ЕГЭ', '--url', hub.baseUrl], hub.keys.importer);
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toContain('в нём несколько массивов записей — «data», «previous»');
    expect(await physics()).toBe(13);
    const run = await runCli(['import', file, '--mapping', mappingFile, '--constant', 'procedure=ЕГЭ', '--json-records', 'data', '--url', hub.baseUrl], hub.keys.importer);
    expect({ code: run.code, stdout: run.code === 0 ? '' : run.stdout }).toEqual({ code: 0, stdout: '' });
    expect(run.stdout).toMatch(/— готово \(формат mapped\)/);
    expect(await physics()).toBe(14);
  }, 120_000);
});
