/**
 * School-level results as sources publish them (issue 22): the `school-results` template (ЕГЭ without marks, ОГЭ with
 * counts of marks, a school's total ≥ 220 over three subjects), three years of a city's open-data ЕГЭ results read
 * through a mapping and then by facts, a bad row refused with its cell, undo, and Russia's ЕГЭ reference values.
 * Like everything read against a scale, a file of an assessment without a scale is held (SCALE_MISSING) and creates
 * nothing: the tests load the scales first (templates/assessment-scales.csv, scales/ege-2021-2025.csv).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { FIXTURES, ImportHarness } from './support/import-harness';

/** A file made in the test, as a path the harness reads relative to the fixtures. */
function written(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'msoko-school-results-')), name);
  writeFileSync(path, '\ufeff' + content);
  return relative(FIXTURES, path);
}

const OPEN_DATA_MAPPING = {
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

describe('school-results: what sources publish per school', () => {
  let hub: ImportHarness;

  beforeAll(async () => {
    hub = await ImportHarness.start();
    for (const scales of ['templates/assessment-scales.csv', 'scales/ege-2021-2025.csv']) expect((await hub.importFile(scales)).status).toBe('DONE');
  });
  afterAll(() => hub.stop());

  const results = (schoolId: number) =>
    hub.sql(
      `select a.procedure::text as procedure, a.year, s.code as subject, a.grade, sr.participants, sr.count2, sr.count3, sr.count4, sr.count5,
         sr.mean_primary, sr.mean_test_score, sr.below_minimum, sr.count_test_80, sr.count_test_100, sr.source::text as source
       from school_result sr join assessment a on a.id = sr.assessment_id join subject s on s.id = a.subject_id
       where sr.school_id = ? order by a.year, s.code`,
      [schoolId],
    );

  it('the template: ЕГЭ mean test score and thresholds, ОГЭ counts of marks, a school total ≥ 220 over three subjects', async () => {
    const batch = await hub.importFile('templates/school-results.csv', {}, 'importer');
    expect(batch).toMatchObject({ status: 'DONE', layout: 'school-results', recordKind: 'school-result', counts: { rowsRead: 3, accepted: 3, inserted: 3, replaced: 0 } });
    expect(batch.report.notes).toContain('Итоги ОО по процедуре (строки без предмета): 1.');
    expect(await results(hub.schools.sch661234.id)).toEqual([
      expect.objectContaining({ procedure: 'EGE', year: 2024, subject: 'RUS', grade: 11, participants: 54, count2: null, mean_test_score: 71.3, below_minimum: 1, count_test_80: 12, count_test_100: 1, source: 'IMPORTED' }),
    ]);
    // ОГЭ: found by its РЦОИ code, grade 9; «2» is below the minimum when the file does not say.
    expect(await results(hub.schools.sch661235.id)).toEqual([
      expect.objectContaining({ procedure: 'OGE', subject: 'MATH', grade: 9, participants: 60, count2: 3, count3: 20, count4: 25, count5: 12, mean_primary: 11.2, below_minimum: 3, count_test_80: null }),
    ]);
    expect(await hub.sql(`select school_id, year, procedure::text as procedure, participants, count_sum3_220 from school_exam_total`)).toEqual([
      { school_id: hub.schools.sch661234.id, year: 2024, procedure: 'EGE', participants: 54, count_sum3_220: 9 },
    ]);
    // Recomputes are asked for the schools and year (region and municipality reference values follow).
    expect(batch.recomputeJobs).toHaveLength(1);
    const totals = await hub.gql(`{ school(code: "sch661234") { examTotals(years: [2024]) { year procedure participants countSum3_220 shareSum3_220 } } }`, {}, 'importer');
    expect(totals.errors).toBeUndefined();
    expect(totals.data!.school.examTotals).toEqual([{ year: 2024, procedure: 'EGE', participants: 54, countSum3_220: 9, shareSum3_220: 9 / 54 }]);
  });

  it('a city’s open data over three years, mapped (school-year «2022-2023», ИНН as the school code), reaches facts as a three-year series', async () => {
    for (const year of [2023, 2024, 2025]) {
      const batch = await hub.importFile(`open-data/ege-${year}.csv`, { layout: 'mapped', mapping: OPEN_DATA_MAPPING, constants: { procedure: 'ЕГЭ' } }, 'importer');
      expect(batch).toMatchObject({ status: 'DONE', counts: { errors: 0 } });
      expect(batch.report.ignoredColumns).toEqual(['global_id']);
    }
    const rus = (await results(hub.schools.sch661234.id)).filter((row) => row.subject === 'RUS');
    expect(rus.map((row) => [row.year, row.participants, row.mean_test_score, row.count_test_80, row.count_test_100, row.below_minimum])).toEqual([
      [2023, 48, 68.9, 9, 0, 1],
      [2024, 52, 70.4, 11, 1, 0],
      [2025, 50, 73.1, 14, 2, 0],
    ]);
    const facts = await hub.gql(
      `{ facts(filter: { procedures: [EGE], subjectCodes: ["RUS"] }) { nodes { schoolName year participants meanTestScore belowMinimum countTest80 shareTest80 countTest100 } } }`,
    );
    expect(facts.errors).toBeUndefined();
    const series = facts.data!.facts.nodes
      .filter((node: any) => node.schoolName === hub.schools.sch661234.name)
      .map((node: any) => [node.year, node.meanTestScore, node.belowMinimum, node.countTest80, node.shareTest80, node.countTest100]);
    expect(series.sort()).toEqual([
      [2023, 68.9, 1, 9, 9 / 48, 0],
      [2024, 70.4, 0, 11, 11 / 52, 1],
      [2025, 73.1, 0, 14, 14 / 50, 2],
    ]);
    // aggregates pool the ЕГЭ thresholds over participants of the rows that report them.
    const pooled = await hub.gql(`{ aggregates(groupBy: [YEAR], filter: { procedures: [EGE], subjectCodes: ["RUS"] }) { year participants meanTestScore countTest80 shareTest80 } }`);
    expect(pooled.errors).toBeUndefined();
    expect(pooled.data!.aggregates.find((group: any) => group.year === 2023)).toEqual({ year: 2023, participants: 48, meanTestScore: 68.9, countTest80: 9, shareTest80: 9 / 48 });
    const graphql = await hub.gql(
      `{ school(code: "sch661234") { results(filter: { years: [2025], procedure: EGE }) { participants meanTestScore countTest80 countTest100 belowMinimum source assessment { subject { code } } } } }`,
    );
    expect(graphql.errors).toBeUndefined();
    expect(graphql.data!.school.results).toEqual(
      expect.arrayContaining([{ participants: 12, meanTestScore: 55, countTest80: 2, countTest100: 0, belowMinimum: 0, source: 'IMPORTED', assessment: { subject: { code: 'PHYS' } } }]),
    );
  });

  it('the same portal’s JSON (an array of records, ИНН as a number, nested geoData) goes in through the API like its CSV', async () => {
    const batch = await hub.importFile('open-data/ege-2022.json', { layout: 'mapped', mapping: OPEN_DATA_MAPPING, constants: { procedure: 'ЕГЭ' } }, 'importer');
    expect(batch).toMatchObject({ status: 'DONE', report: { format: 'json' }, counts: { rowsRead: 2, inserted: 2, errors: 0 } });
    expect(batch.report.ignoredColumns).toEqual(['global_id', 'geoData']);
    const rows = (await results(hub.schools.sch661234.id)).filter((row) => row.year === 2022);
    expect(rows.map((row) => [row.subject, row.participants, row.mean_test_score, row.count_test_80, row.below_minimum])).toEqual([
      ['MATH_PROF', 20, 55.1, 1, null],
      ['RUS', 45, 67.5, 7, 2],
    ]);
  });

  it('a figure that cannot be (more over 80 than sat) refuses the file with file, row, column and value, and changes nothing', async () => {
    const before = await results(hub.schools.sch661234.id);
    const batch = await hub.importFile('open-data/ege-2025-bad.csv', { layout: 'mapped', mapping: OPEN_DATA_MAPPING, constants: { procedure: 'ЕГЭ' } }, 'importer');
    expect(batch.status).toBe('REJECTED');
    const errors = await hub.errors(batch.id, 'importer');
    expect(errors).toEqual([
      expect.objectContaining({
        row: 4,
        column: 'Количество набравших 80 баллов и более',
        value: '15',
        messageRu: expect.stringMatching(/Строка 4, столбец «Количество набравших 80 баллов и более» \(H4\): число «15» больше числа участников \(12\)/),
      }),
    ]);
    expect(await results(hub.schools.sch661234.id)).toEqual(before);
  });

  it('an import of school results is undone like any other', async () => {
    const before = await results(hub.schools.sch661235.id);
    const batch = await hub.importFile('templates/school-results.csv', { layout: 'school-results' }, 'importer', 'school-results-again.csv');
    expect(batch).toMatchObject({ status: 'DONE' });
    // Same values: the repeat replaced the rows it had written.
    expect(batch.counts).toMatchObject({ inserted: 0, replaced: 3 });
    await hub.sql(`update school_result set mean_primary = 1 where school_id = ?`, [hub.schools.sch661235.id]);
    const reverted = await hub.gql(`mutation($id: ID!) { revertImport(batchId: $id) { id } }`, { id: batch.id }, 'importer');
    expect(reverted.errors).toBeUndefined();
    const done = await hub.finished(reverted.data!.revertImport.id, 'importer');
    expect(done.status).toBe('DONE');
    expect(await results(hub.schools.sch661235.id)).toEqual(before);
    expect(await hub.sql(`select count(*)::int as n from school_exam_total`)).toEqual([{ n: 1 }]);
  });

  it('Russia’s ЕГЭ reference values: mean test score and threshold shares without marks', async () => {
    const file = [
      'Уровень;Код территории;Территория;Процедура;Год;Предмет;Класс;Количество участников;Доля «2», %;Доля «3», %;Доля «4», %;Доля «5», %;Средний тестовый балл;Ниже минимального порога, %;80 баллов и более, %;100 баллов, %',
      'Россия;;Российская Федерация;ЕГЭ;2024;Русский язык;11;712000;;;;;68,4;1,2;21,5;0,3',
    ].join('\r\n');
    const batch = await hub.importFile(written('benchmarks-ege.csv', file));
    expect(batch).toMatchObject({ status: 'DONE', layout: 'benchmarks', counts: { inserted: 1 } });
    expect(
      await hub.sql(
        `select b.percent2, b.mean_test_score, b.percent_below_minimum, b.percent_test_80, b.percent_test_100 from benchmark_result b join assessment a on a.id = b.assessment_id
         where b.level = 'RUSSIA' and a.procedure = 'EGE'`,
      ),
    ).toEqual([{ percent2: null, mean_test_score: 68.4, percent_below_minimum: 1.2, percent_test_80: 21.5, percent_test_100: 0.3 }]);
    // A ВПР row without its shares is still refused, naming the column.
    const refused = await hub.importFile(written('benchmarks-vpr.csv', file.replace('ЕГЭ;2024;Русский язык;11', 'ВПР;2024;Русский язык;4')));
    expect(refused.status).toBe('REJECTED');
    expect((await hub.errors(refused.id))[0].messageRu).toMatch(/Строка 2, столбец «Доля «2», %» \(I2\): значение обязательно/);
  });
  it('thresholds given as shares become counts of the participants, in the template and a mapping; a share no whole number of participants gives is refused with its cell', async () => {
    const template = written('shares-2021.csv', [
      'Код ОО;Процедура;Год;Предмет;Количество участников;Средний тестовый балл;Ниже минимального порога, %;80 баллов и более, %;100 баллов, %;220 баллов и более по трём предметам, %',
      'sch661234;ЕГЭ;2021;Русский язык;53;70,1;1,9;18,9;1,9;',
      'sch661234;ЕГЭ;2021;Математика профильная;20;60;0;15;;',
      'sch661234;ЕГЭ;2021;;54;;;;;16,7',
    ].join('\r\n'));
    const batch = await hub.importFile(template, {}, 'importer');
    expect(batch).toMatchObject({ status: 'DONE', layout: 'school-results', counts: { inserted: 3, errors: 0 } });
    const rows = (await results(hub.schools.sch661234.id)).filter((row) => row.year === 2021);
    expect(rows.map((row) => [row.subject, row.participants, row.below_minimum, row.count_test_80, row.count_test_100])).toEqual([
      ['MATH_PROF', 20, 0, 3, null],
      ['RUS', 53, 1, 10, 1],
    ]);
    expect(await hub.sql(`select participants, count_sum3_220 from school_exam_total where school_id = ? and year = 2021`, [hub.schools.sch661234.id])).toEqual([{ participants: 54, count_sum3_220: 9 }]);

    // A mapping names a share column like any other field.
    const portal = written('portal-2021.csv', ['ИНН;Учебный год;Предмет;Сдавали;Доля 80+', '6612001234;2020-2021;Химия;8;25,0'].join('\r\n'));
    const mapped = await hub.importFile(
      portal,
      { layout: 'mapped', constants: { procedure: 'ЕГЭ' }, mapping: { target: 'school-results', columns: { schoolCode: 'ИНН', year: 'Учебный год', subjectName: 'Предмет', participants: 'Сдавали', percentTest80: 'Доля 80+' } } },
      'importer',
    );
    expect(mapped).toMatchObject({ status: 'DONE', counts: { inserted: 1 } });
    expect((await results(hub.schools.sch661234.id)).filter((row) => row.subject === 'CHEM').map((row) => [row.participants, row.count_test_80])).toEqual([[8, 2]]);

    const bad = written('shares-bad.csv', [
      'Код ОО;Процедура;Год;Предмет;Количество участников;80 баллов и более, %;220 баллов и более по трём предметам, %',
      'sch661235;ЕГЭ;2021;Русский язык;20;12,5;',
      'sch661235;ЕГЭ;2021;;;;16,7',
    ].join('\r\n'));
    const refused = await hub.importFile(bad, {}, 'importer');
    expect(refused.status).toBe('REJECTED');
    expect((await hub.errors(refused.id, 'importer')).map((error: any) => [error.code, error.messageRu])).toEqual([
      ['SHARES_DO_NOT_FIT_PARTICIPANTS', 'Строка 2, столбец «80 баллов и более, %» (F2): доля 12,5 % от 20 участников — это 2,5 чел., не целое число участников.'],
      ['REQUIRED_VALUE_MISSING', 'Строка 3, столбец «220 баллов и более по трём предметам, %» (G3): доля дана, а число участников нет: без него долю не перевести в количество.'],
    ]);
  });

  it('a file for an assessment without a scale is held with SCALE_MISSING and creates nothing; after the scale it goes in', async () => {
    const file = written('ege-2025-bio.csv', [
      'Код ОО;Процедура;Год;Предмет;Количество участников;Средний тестовый балл;Ниже минимального порога',
      'sch661234;ЕГЭ;2025;Биология;14;58,6;2',
      'sch661234;ЕГЭ;2025;;40;;',
    ].join('\r\n'));
    const bio = () => hub.sql(`select a.id, a.max_primary from assessment a join subject s on s.id = a.subject_id where s.code = 'BIO' and a.procedure = 'EGE' and a.year = 2025`);
    const totals = () => hub.sql(`select participants from school_exam_total where school_id = ? and year = 2025`, [hub.schools.sch661234.id]);
    const held = await hub.importFile(file, {}, 'importer');
    expect(held).toMatchObject({ status: 'REJECTED', counts: { inserted: 0 } });
    expect(await hub.errors(held.id, 'importer')).toEqual([
      expect.objectContaining({
        row: 2,
        column: 'Предмет',
        value: 'Биология',
        code: 'SCALE_MISSING',
        messageRu: expect.stringMatching(
          /^Строка 2, столбец «Предмет» \(D2\): процедуры «ЕГЭ 2025, Биология, 11 класс» в хабе ещё нет: эти данные без шкалы не загружаются\. Загрузите сначала шкалу \(шаблон «Шкалы перевода», assessment-scales\)/,
        ),
      }),
    ]);
    // No assessment without a scale, and nothing of the file — not even its row without a subject, which needs none.
    expect(await bio()).toEqual([]);
    expect(await totals()).toEqual([]);

    // The regional centre gives its region the missing scale (provisional), and the same file goes in.
    const scale = written('ege-2025-bio-scale.csv', [
      'Процедура;Год;Предмет;Класс;Максимальный первичный балл;Граница «3»;Граница «4»;Граница «5»;Минимальный балл ЕГЭ;Задания',
      'ЕГЭ;2025;Биология;11;59;;;;36;',
    ].join('\r\n'));
    expect((await hub.importFile(scale, {}, 'importer')).status).toBe('DONE');
    const loaded = await hub.importFile(file, {}, 'importer', 'ege-2025-bio-again.csv');
    expect(loaded).toMatchObject({ status: 'DONE', counts: { inserted: 2, errors: 0 } });
    expect(await bio()).toEqual([{ id: expect.any(Number), max_primary: null }]);
    expect((await results(hub.schools.sch661234.id)).filter((row) => row.subject === 'BIO')).toEqual([
      expect.objectContaining({ procedure: 'EGE', year: 2025, grade: 11, participants: 14, mean_test_score: 58.6, below_minimum: 2, source: 'IMPORTED' }),
    ]);
    expect(await totals()).toEqual([{ participants: 40 }]);
  });
});
