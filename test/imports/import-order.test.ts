/**
 * Import order on a hub without scales (issue 21): whatever is read against a scale — reference values, a mapped
 * participant file without task maxima — is held with SCALE_MISSING and creates no assessment; once the scales are
 * in, the same files go in. A scales template with ФИС ОКО labels («1К1», «3(1)», «5(1)») and a results file whose
 * columns use them go in, the tasks keeping their numbering.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportHarness } from './support/import-harness';

describe('import order: scales first', () => {
  let hub: ImportHarness;

  beforeAll(async () => {
    hub = await ImportHarness.start();
  });
  afterAll(() => hub.stop());

  const assessments = () => hub.sql(`select a.procedure, a.year, s.code as subject, a.grade from assessment a join subject s on s.id = a.subject_id order by a.id`);

  /** Imports a file written by the test (upload + startImport + wait). */
  const scratch = mkdtempSync(join(tmpdir(), 'msoko-order-'));
  async function importText(name: string, text: string, input: Record<string, unknown> = {}): Promise<any> {
    const path = join(scratch, name);
    writeFileSync(path, text);
    const uploaded = await hub.upload(path);
    expect(uploaded.status).toBe(201);
    const started = await hub.start(uploaded.body.id, input);
    expect(started.errors).toBeUndefined();
    return hub.finished(uploaded.body.id);
  }

  const MAPPED = {
    layout: 'mapped',
    // No task columns: nothing in the file says what the work's maximum is. (Its marks follow another scale than
    // the template's ВПР Русский язык 4, so they are left out.)
    mapping: { target: 'participant-result', columns: { schoolCode: 'Школа (логин)', participantCode: 'Ученик (код)', primaryScore: 'Сумма' } },
    constants: { procedure: 'ВПР', year: 2024, subjectName: 'Русский язык', grade: 4 },
  };

  it('holds reference values and a mapped participant file without task maxima while no scale applies: SCALE_MISSING on every row, no assessment', async () => {
    expect(await assessments()).toEqual([]);

    const benchmarks = await hub.importFile('templates/benchmarks.csv');
    expect(benchmarks).toMatchObject({ status: 'REJECTED', layout: 'benchmarks', counts: { rowsRead: 3, accepted: 0, inserted: 0 } });
    const benchmarkErrors = await hub.errors(benchmarks.id);
    expect(benchmarkErrors.map((e) => [e.row, e.column, e.value, e.code])).toEqual([2, 3, 4].map((row) => [row, 'Предмет', 'Русский язык', 'SCALE_MISSING']));
    expect(benchmarkErrors[0].messageRu).toMatch(/процедуры «ВПР 2024, Русский язык, 4 класс» в хабе ещё нет: эти данные без шкалы не загружаются\. Загрузите сначала шкалу/);
    expect(await hub.sql(`select count(*)::int as n from benchmark_result`)).toEqual([{ n: 0 }]);

    const mapped = await hub.importFile('valid/mapped-regional.csv', MAPPED);
    expect(mapped).toMatchObject({ status: 'REJECTED', layout: 'mapped', counts: { rowsRead: 3, accepted: 0, inserted: 0 } });
    const mappedErrors = await hub.errors(mapped.id);
    expect(mappedErrors.map((e) => [e.row, e.code])).toEqual([2, 3, 4].map((row) => [row, 'SCALE_MISSING']));
    expect(mappedErrors[0].messageRu).toMatch(/«ВПР 2024, Русский язык, 4 класс».*Загрузите сначала шкалу/);
    expect(await hub.sql(`select count(*)::int as n from participant_result`)).toEqual([{ n: 0 }]);

    // Neither created an assessment without a scale.
    expect(await assessments()).toEqual([]);

    // Scales first, then the same files go in.
    expect((await hub.importFile('templates/assessment-scales.csv')).status).toBe('DONE');
    expect(await hub.importFile('templates/benchmarks.csv', {}, 'admin', 'benchmarks-after-scales.csv')).toMatchObject({ status: 'DONE', counts: { inserted: 3 } });
    expect(await hub.importFile('valid/mapped-regional.csv', MAPPED, 'admin', 'mapped-after-scales.csv')).toMatchObject({ status: 'DONE', counts: { inserted: 3 } });
  }, 120_000);

  it('a scales template with ФИС ОКО labels, then results whose columns use them: both go in, the tasks keep their numbering', async () => {
    const scales = await importText(
      'scales-fisoko-labels.csv',
      [
        'Процедура;Год;Предмет;Класс;Максимальный первичный балл;Граница «3»;Граница «4»;Граница «5»;Минимальный балл ЕГЭ;Задания',
        'ВПР;2025;Русский язык;4;12;4;7;10;;"1К1:Б:3;1К2:Б:2;2:Б:1;3(1):П:1;3(2):П:2;5(1):Б:1;5(2):В:2"',
      ].join('\n'),
    );
    expect(scales).toMatchObject({ status: 'DONE', layout: 'assessment-scales', counts: { inserted: 1 } });
    const TASKS = [
      { number: '1К1', level: 'BASIC', maxPoints: 3 },
      { number: '1К2', level: 'BASIC', maxPoints: 2 },
      { number: '2', level: 'BASIC', maxPoints: 1 },
      { number: '3(1)', level: 'ADVANCED', maxPoints: 1 },
      { number: '3(2)', level: 'ADVANCED', maxPoints: 2 },
      { number: '5(1)', level: 'BASIC', maxPoints: 1 },
      { number: '5(2)', level: 'HIGH', maxPoints: 2 },
    ];
    const stored = () =>
      hub.sql(
        `select a.id, a.max_primary, a.mark_boundaries, a.tasks from assessment a join subject s on s.id = a.subject_id
         where a.procedure = 'VPR' and a.year = 2025 and s.code = 'RUS' and a.grade = 4`,
      );
    const [assessment] = await stored();
    expect(assessment).toMatchObject({ max_primary: 12, mark_boundaries: [4, 7, 10], tasks: TASKS });

    // The results' headers as ФИС ОКО writes them: some with their maximum («5(1) (1б)»), some without (from the
    // scale, by label). Column N has no header but values: the report names it.
    const results = await importText(
      'vpr-2025-rus-4.csv',
      [
        'ВПР 2025 Русский язык 4 класс',
        'ОО;Код участника;Класс;1К1;1К2;2 (1б);3(1);3(2);5(1) (1б);5(2) (2б);Первичный балл;Отметка',
        'sch661234;20001;4А;3;2;1;1;2;1;2;12;5;сверено',
        'sch661234;20002;4А;1;X;0;1;0;0;1;3;2',
        'sch661235;20003;4Б;2;2;1;0;2;1;0;8;4',
      ].join('\n'),
    );
    expect({ status: results.status, message: results.messageRu }).toMatchObject({ status: 'DONE' });
    expect(results).toMatchObject({ layout: 'fisoko-vpr-individual', counts: { rowsRead: 3, accepted: 3, inserted: 3 } });
    expect(results.report.notes).toContain('Столбец M без заголовка: его значения не загружены (первое — в ячейке M3).');
    // The scale stays as it was: the file agreed with it.
    expect(await stored()).toEqual([assessment]);
    expect(
      await hub.sql(`select participant_code, task_scores, primary_score, mark from participant_result where assessment_id = ? order by participant_code`, [assessment.id]),
    ).toEqual([
      { participant_code: '20001', task_scores: [3, 2, 1, 1, 2, 1, 2], primary_score: 12, mark: 5 },
      { participant_code: '20002', task_scores: [1, null, 0, 1, 0, 0, 1], primary_score: 3, mark: 2 },
      { participant_code: '20003', task_scores: [2, 2, 1, 0, 2, 1, 0], primary_score: 8, mark: 4 },
    ]);
  }, 120_000);
});
