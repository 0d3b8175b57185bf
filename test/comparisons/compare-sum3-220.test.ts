/**
 * «≥ 220 over three subjects» in compareSchools (issue 22): a school's totals over ЕГЭ (school-results rows without a
 * subject → school_exam_total) are compared, year by year, with the territories' totals the benchmarks template gives in
 * rows without a subject (benchmark_exam_total), and as a three-year trend — through the same observation, comparison
 * and trend as shareTest80 / shareTest100 (the expected numbers come from src/comparisons/stats directly).
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { compareWithReference, fitTrend, shareObservation } from '../../src/comparisons/stats';
import { FIXTURES, ImportHarness } from '../imports/support/import-harness';

function written(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'msoko-sum3-')), name);
  writeFileSync(path, '\ufeff' + content);
  return relative(FIXTURES, path);
}

const TOTALS = [
  [2023, 48, 6],
  [2024, 52, 9],
  [2025, 50, 14],
] as const;
const SCHOOL_TOTALS = written(
  'school-totals.csv',
  'Код ОО;Процедура;Год;Предмет;Класс;Количество участников;220 баллов и более по трём предметам\n' +
    TOTALS.map(([year, participants, count]) => `sch661234;ЕГЭ;${year};;;${participants};${count}`).join('\n') + '\n',
);
const BENCHMARKS_HEADER = 'Уровень;Код территории;Территория;Процедура;Год;Предмет;Класс;Количество участников;220 баллов и более по трём предметам, %\n';
const RUSSIA = written('benchmarks-ru.csv', BENCHMARKS_HEADER + [2023, 2024, 2025].map((year) => `Россия;;Российская Федерация;ЕГЭ;${year};;;;12,5`).join('\n') + '\n');
const REGION = written('benchmarks-66.csv', `${BENCHMARKS_HEADER}регион;66;Свердловская область;ЕГЭ;2025;;;20000;15,0\n`);

const DIFFERENCE = 'status method estimate reference difference pValue significant';
const COMPARE = `query($schools: [String!]!) { compareSchools(schools: $schools) { schools(first: 1) { code
  assessments(first: 5) { procedure }
  examTotals(first: 2) { procedure
    years(first: 3) { year participants countSum3_220 metrics { shareTest80 { value } shareSum3_220 { value base region { level value source difference { ${DIFFERENCE} } } russia { level value source difference { ${DIFFERENCE} } } municipality { value } } } }
    trends { shareTest80 { trend { status } } shareSum3_220 { trend { status years slopePerYear standardError } changes { yearFrom yearTo } } } } } } }`;

describe('compareSchools: the share ≥ 220 over three ЕГЭ subjects', () => {
  let hub: ImportHarness;

  beforeAll(async () => {
    hub = await ImportHarness.start();
  });
  afterAll(() => hub.stop());

  it('the benchmarks template takes a territory’s total without a subject; compareSchools compares the school’s share with it and gives its trend', async () => {
    expect(await hub.importFile(SCHOOL_TOTALS, {}, 'importer')).toMatchObject({ status: 'DONE', layout: 'school-results', counts: { inserted: 3 } });
    // Russia's values only by an administrator; the region's by its centre.
    expect(await hub.importFile(RUSSIA, {}, 'importer')).toMatchObject({ status: 'REJECTED' });
    expect(await hub.importFile(RUSSIA, {}, 'admin')).toMatchObject({ status: 'DONE', layout: 'benchmarks', counts: { inserted: 3, errors: 0 } });
    // The hub computes the region's and the municipality's values from its schools' totals (here one school) until
    // published ones come: the region's 2025 value replaces the computed one.
    const regionId = (await hub.sql(`select id from region where code = '66'`))[0].id;
    await hub.waitForJobs();
    expect(await hub.sql(`select year, level::text, participants, percent_sum3_220 from benchmark_exam_total where source = 'computed' and level = 'REGION' order by year`)).toEqual(
      TOTALS.map(([year, participants, count]) => ({ year, level: 'REGION', participants, percent_sum3_220: (100 * count) / participants })),
    );
    expect(await hub.importFile(REGION, {}, 'importer')).toMatchObject({ status: 'DONE', counts: { inserted: 0, replaced: 1 } });
    expect(await hub.sql(`select year, procedure::text, level::text, region_id, participants, percent_sum3_220, source from benchmark_exam_total where source = 'imported' order by year, level::text desc`)).toEqual([
      { year: 2023, procedure: 'EGE', level: 'RUSSIA', region_id: null, participants: null, percent_sum3_220: 12.5, source: 'imported' },
      { year: 2024, procedure: 'EGE', level: 'RUSSIA', region_id: null, participants: null, percent_sum3_220: 12.5, source: 'imported' },
      { year: 2025, procedure: 'EGE', level: 'RUSSIA', region_id: null, participants: null, percent_sum3_220: 12.5, source: 'imported' },
      { year: 2025, procedure: 'EGE', level: 'REGION', region_id: regionId, participants: 20000, percent_sum3_220: 15, source: 'imported' },
    ]);

    const { data, errors } = await hub.gql(COMPARE, { schools: ['sch661234'] }, 'importer');
    expect(errors).toBeUndefined();
    const [school] = data!.compareSchools.schools;
    expect(school.assessments).toEqual([]);
    expect(school.examTotals).toHaveLength(1);
    const [total] = school.examTotals;
    expect(total.procedure).toBe('EGE');
    expect(total.years.map((y: any) => [y.year, y.participants, y.countSum3_220, y.metrics.shareTest80, y.metrics.shareSum3_220.value, y.metrics.shareSum3_220.base])).toEqual(
      TOTALS.map(([year, participants, count]) => [year, participants, count, null, count / participants, participants]),
    );
    // Russia's published share: a population value; the region's, with its participants, a sample containing the school.
    const y2025 = total.years[2].metrics.shareSum3_220;
    const russia = compareWithReference(shareObservation(14, 50), { kind: 'population', value: 0.125 }, { confidence: 0.95 });
    expect(y2025.russia).toMatchObject({ level: 'RUSSIA', value: 0.125, source: 'imported', difference: { status: 'OK', method: (russia as any).method } });
    expect(y2025.russia.difference.pValue).toBeCloseTo((russia as any).pValue, 10);
    const region = compareWithReference(shareObservation(14, 50), { kind: 'sample', observation: shareObservation(3000, 20000), includesSchool: true }, { confidence: 0.95 });
    expect(y2025.region).toMatchObject({ level: 'REGION', value: 0.15, difference: { status: 'OK', method: (region as any).method } });
    expect(y2025.region.difference.reference).toBeCloseTo((region as any).reference, 10);
    // The municipality's value and the region's for 2023 are the hub's, computed from the one school it has there.
    expect(y2025.municipality).toMatchObject({ value: 14 / 50 });
    expect(total.years[0].metrics.shareSum3_220.region).toMatchObject({ level: 'REGION', value: 6 / 48, source: 'computed' });

    const trend = fitTrend(TOTALS.map(([year, participants, count]) => ({ year, observation: shareObservation(count, participants) })), { confidence: 0.95 });
    expect(total.trends.shareTest80).toBeNull();
    expect(total.trends.shareSum3_220.trend).toMatchObject({ status: 'OK', years: 3 });
    expect(total.trends.shareSum3_220.trend.slopePerYear).toBeCloseTo((trend as any).slopePerYear, 10);
    expect(total.trends.shareSum3_220.changes).toEqual([{ yearFrom: 2023, yearTo: 2024 }, { yearFrom: 2024, yearTo: 2025 }]);
  });

  it('the template refuses subject figures in a total row, the share ≥ 220 in a subject row, and a total row without the share', async () => {
    const bad = written(
      'benchmarks-bad.csv',
      'Уровень;Код территории;Территория;Процедура;Год;Предмет;Класс;Количество участников;Средний тестовый балл;220 баллов и более по трём предметам, %\n' +
        'регион;66;Свердловская область;ЕГЭ;2024;;;20000;70,1;15,0\n' +
        'регион;66;Свердловская область;ЕГЭ;2024;Русский язык;11;20000;70,1;15,0\n' +
        'регион;66;Свердловская область;ЕГЭ;2024;;;20000;;\n',
    );
    const batch = await hub.importFile(bad, {}, 'importer');
    expect(batch.status).toBe('REJECTED');
    expect((await hub.errors(batch.id)).map((e) => [e.row, e.column, e.code])).toEqual([
      [2, 'Средний тестовый балл', 'INVALID_VALUE'],
      [3, '220 баллов и более по трём предметам, %', 'INVALID_VALUE'],
      [4, 'Предмет', 'REQUIRED_VALUE_MISSING'],
    ]);
  });
});
