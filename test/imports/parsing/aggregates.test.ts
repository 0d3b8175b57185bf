import { brief, parseContent, parseFixture } from './helpers';

const FIRST_SCHOOL = {
  kind: 'school-marks',
  sourceRow: 2,
  procedure: 'VPR',
  year: 2024,
  subjectName: 'Русский язык',
  grade: 4,
  schoolCode: 'sch661234',
  schoolName: 'МАОУ «СОШ № 1»',
  inn: null,
  ogrn: null,
  address: null,
  municipality: 'Каменск-Уральский ГО',
  participants: 8,
  count2: 1,
  count3: 3,
  count4: 3,
  count5: 1,
  percent2: 12.5,
  percent3: 37.5,
  percent4: 37.5,
  percent5: 12.5,
};

describe('per-school aggregates', () => {
  it('turns shares of marks with decimal commas ("12,5") into counts', async () => {
    const { parsed, records } = await parseFixture('valid/aggregate-marks.csv');
    expect(parsed.layout).toBe('aggregate-marks');
    expect(parsed.errors).toEqual([]);
    expect(records[0]).toEqual(FIRST_SCHOOL);
    expect(records.map((record) => (record.kind === 'school-marks' ? [record.count2, record.count3, record.count4, record.count5] : null))).toEqual([
      [1, 3, 3, 1],
      [1, 9, 11, 4],
      [0, 1, 1, 1],
    ]);
  });

  it('detects a Windows-1251 CSV without a hint and reads its Cyrillic correctly', async () => {
    const utf8 = await parseFixture('valid/aggregate-marks.csv');
    const cp1251 = await parseFixture('valid/aggregate-marks-cp1251.csv');
    expect(cp1251.parsed.summary.encoding).toBe('windows-1251');
    expect(cp1251.records).toEqual(utf8.records);
    expect(cp1251.records[1]).toMatchObject({ schoolName: 'МАОУ «СОШ № 2» им. Героя Советского Союза Ёлкина' });
  });

  it('reads the same aggregates from XLSX, where shares are numbers', async () => {
    const csv = await parseFixture('valid/aggregate-marks.csv');
    const xlsx = await parseFixture('valid/aggregate-marks.xlsx');
    expect(xlsx.parsed.layout).toBe('aggregate-marks');
    expect(xlsx.records).toEqual(csv.records);
  });

  it('reads score distributions 0…N into counts per primary score', async () => {
    const { parsed, records } = await parseFixture('valid/aggregate-distribution.csv');
    expect(parsed.layout).toBe('aggregate-distribution');
    expect(parsed.errors).toEqual([]);
    expect(records.map((record) => (record.kind === 'school-score-distribution' ? record.scoreCounts : null))).toEqual([
      [0, 1, 2, 5, 6, 4, 2],
      [0, 0, 1, 1, 2, 2, 2],
    ]);
    expect(records[1]).toMatchObject({ participants: 8, scorePercents: [0, 0, 12.5, 12.5, 25, 25, 25], grade: 5, subjectName: 'Математика' });
  });

  it('refuses shares that are not whole participants and shares that do not add up to 100 %', async () => {
    const { parsed, records } = await parseFixture('bad/aggregate-marks-shares.csv');
    expect(parsed.errors.map(brief)).toEqual([
      { code: 'SHARES_DO_NOT_FIT_PARTICIPANTS', row: 2, column: '2', value: '12,5' },
      { code: 'SHARES_SUM_MISMATCH', row: 3, column: null, value: '104' },
    ]);
    expect(parsed.errors[0].messageRu).toBe('Строка 2, столбец «2» (H2): доля 12,5 % от 10 участников — это 1,25 чел., не целое число участников.');
    expect(records).toEqual([]);
  });

  it('refuses a row whose year is outside the allowed range and keeps the others', async () => {
    const { parsed, records } = await parseFixture('bad/aggregate-marks-year-out-of-range.csv');
    expect(parsed.errors.map(brief)).toEqual([{ code: 'YEAR_OUT_OF_RANGE', row: 3, column: 'Год', value: '2009' }]);
    expect(records).toEqual([FIRST_SCHOOL]);
  });

  it('refuses the same school twice for one assessment', async () => {
    const csv = 'Год;Класс;Предмет;Логин;Кол-во участников;2;3;4;5\n2024;4;Математика;sch1;4;25;25;25;25\n2024;4;математика;sch1;4;0;50;50;0\n';
    const { parsed } = await parseContent('marks.csv', csv);
    expect(parsed.errors.map(brief)).toEqual([{ code: 'DUPLICATE_ROW', row: 3, column: 'Логин', value: 'sch1' }]);
  });
});
