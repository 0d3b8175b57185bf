import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LayoutName } from '../../../src/imports/parsing';
import { TEMPLATE_LAYOUTS } from '../../../src/imports/parsing/layouts';
import { renderTemplatesMarkdown } from '../../../src/imports/parsing/templates-doc';
import { brief, parseContent, parseFixture } from './helpers';

const TEMPLATE_NAMES = TEMPLATE_LAYOUTS.map((layout) => layout.name);

describe('hub templates', () => {
  it.each(TEMPLATE_NAMES)('%s: the example CSV and XLSX are detected and read without issues', async (name) => {
    const csv = await parseFixture(`templates/${name}.csv`);
    const xlsx = await parseFixture(`templates/${name}.xlsx`);
    for (const { parsed, records } of [csv, xlsx]) {
      expect(parsed.layout).toBe(name as LayoutName);
      expect(parsed.errors).toEqual([]);
      expect(records).toHaveLength(3);
    }
    // The XLSX example of school-context has one more (date) column; the rest reads the same.
    const comparable = (records: unknown[]): unknown[] => records.map((record) => ({ ...(record as object), extraAttributes: undefined }));
    expect(comparable(xlsx.records)).toEqual(comparable(csv.records));
  });

  it('schools: codes, type, settlement and further codes', async () => {
    const { records } = await parseFixture('templates/schools.xlsx');
    expect(records[0]).toEqual({
      kind: 'school',
      sourceRow: 2,
      regionCode: '66',
      regionName: null,
      municipalityCode: '6608',
      municipalityName: 'Каменск-Уральский ГО',
      name: 'МАОУ «Средняя общеобразовательная школа № 1»',
      shortName: 'СОШ № 1',
      fisOkoLogin: 'sch661234',
      rcoiCode: '660123',
      inn: '6612001234',
      ogrn: null,
      address: null,
      schoolType: 'SOSH',
      urban: true,
      otherCodes: ['КУ-001', '17'],
    });
    // Rich text in the XLSX becomes plain text.
    expect(records[1]).toMatchObject({ name: 'МАОУ «Гимназия № 9»', schoolType: 'GYMNASIUM' });
    expect(records[2]).toMatchObject({ rcoiCode: null, schoolType: 'OOSH', urban: false });
  });

  it('school-context: indicators, a school year, and extra columns kept as attributes (a date as a date)', async () => {
    const { records } = await parseFixture('templates/school-context.xlsx');
    expect(records[0]).toMatchObject({
      schoolCode: 'sch661234',
      year: 2024,
      enrolment: 812,
      smallSchool: false,
      shareDisabled: 6.2,
      hasDefectologist: false,
      socialIndex: 0.42,
      extraAttributes: { 'Доля детей из многодетных семей, %': 18.5, 'Дата обновления': '2024-09-01' },
    });
    expect(records[1]).toMatchObject({ year: 2024, inDepthStudy: true });
    expect(records[2]).toMatchObject({ schoolCode: '660201', smallSchool: true, headTenureYears: 1.5, socialIndex: null, extraAttributes: {} });
  });

  it('conduct-conditions, rechecks, assessment-scales and benchmarks read into their records', async () => {
    const conduct = await parseFixture('templates/conduct-conditions.csv');
    expect(conduct.records[0]).toMatchObject({ procedure: 'VPR', subjectName: 'Русский язык', grade: 4, observers: 'INDEPENDENT', videoAtChecking: true, federalControlSample: false });
    expect(conduct.records[2]).toMatchObject({ subjectName: null, grade: null, observers: 'NONE', federalControlSample: true });

    const rechecks = await parseFixture('templates/rechecks.csv');
    expect(rechecks.records[0]).toMatchObject({ participantCode: '10001', originalScore: 9, recheckScore: 8, originalMark: 5, recheckMark: 4, commission: 'MUNICIPAL' });

    const scales = await parseFixture('templates/assessment-scales.csv');
    expect(scales.records[0]).toMatchObject({
      maxPrimary: 9,
      markBoundaries: [3, 5, 8],
      taskNumbers: ['1', '2', '3.1', '3.2', '4'],
      taskLevels: ['BASIC', 'BASIC', 'ADVANCED', 'BASIC', 'HIGH'],
      taskMaxPoints: [1, 2, 1, 2, 3],
    });
    expect(scales.records[2]).toMatchObject({ procedure: 'EGE', markBoundaries: [], minimumTestScore: 36, taskNumbers: [] });

    const benchmarks = await parseFixture('templates/benchmarks.csv');
    expect(benchmarks.records.map((record) => (record.kind === 'benchmark' ? [record.level, record.territoryCode] : null))).toEqual([
      ['RUSSIA', 'RU'],
      ['REGION', '66'],
      ['MUNICIPALITY', '6608'],
    ]);
    expect(benchmarks.records[1]).toMatchObject({ percent2: 6.3, meanPercent: 61.7, participants: 51230 });
  });

  it('reads quoted values with separators, doubled quotes and line breaks; rows keep Excel numbering', async () => {
    const { parsed, records } = await parseFixture('bad/schools-quotes-newlines.csv');
    expect(records.map((record) => (record.kind === 'school' ? [record.sourceRow, record.name] : null))).toEqual([
      [2, 'Школа "Радуга"; корпус 2'],
      // The line break inside the quoted name is one Excel cell; names are stored on one line.
      [3, 'МАОУ «Лицей № 10» (бывшая СОШ № 10)'],
    ]);
    expect(parsed.errors.map(brief)).toEqual([{ code: 'INVALID_INN', row: 4, column: 'ИНН', value: '6612001235' }]);
  });

  it('checks scales: boundaries, task sums and the task list format', async () => {
    const csv = [
      'Процедура;Год;Предмет;Класс;Максимальный первичный балл;Граница «3»;Граница «4»;Граница «5»;Задания',
      'ВПР;2024;Математика;4;10;3;8;6;',
      // The task list holds ";", so a CSV quotes it (Excel does so itself).
      'ВПР;2024;Математика;5;10;;;;"1:Б:5;2:П:4"',
      'ВПР;2024;Математика;6;10;;;;1-Б-5',
    ].join('\n');
    const { parsed, records } = await parseContent('scales.csv', csv);
    expect(parsed.errors.map(brief)).toEqual([
      { code: 'SCALE_INVALID', row: 2, column: null, value: null },
      { code: 'SCALE_INVALID', row: 3, column: 'Задания', value: '1:Б:5;2:П:4' },
      { code: 'SCALE_INVALID', row: 4, column: 'Задания', value: '1-Б-5' },
    ]);
    expect(records).toEqual([]);
  });

  it('refuses rows without any school code and unknown values of closed lists', async () => {
    const csv = 'Код региона;Муниципалитет;Наименование ОО;Тип ОО;Местность\n66;Город;Школа 1;СОШ;городская\n66;Город;Школа 2;колледж;город\n';
    const { parsed } = await parseContent('schools.csv', csv);
    expect(parsed.errors.map(brief)).toEqual([
      { code: 'SCHOOL_CODE_MISSING', row: 2, column: null, value: null },
      { code: 'INVALID_VALUE', row: 3, column: 'Тип ОО', value: 'колледж' },
      { code: 'SCHOOL_CODE_MISSING', row: 3, column: null, value: null },
    ]);
  });

  it('TEMPLATES.md is generated from the column specs and up to date', () => {
    const written = readFileSync(join(__dirname, '../../../src/imports/parsing/TEMPLATES.md'), 'utf8');
    expect(written).toBe(renderTemplatesMarkdown());
    for (const layout of TEMPLATE_LAYOUTS) {
      for (const column of layout.columns) expect(written).toContain(`| ${column.header} | ${column.required ? 'да' : 'нет'} |`);
    }
  });
});
