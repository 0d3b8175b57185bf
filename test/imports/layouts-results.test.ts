/**
 * Results layouts through the API (upload → startImport → worker → merged): ФИС ОКО individual results (CSV and
 * XLSX), ГИА protocols (names dropped), a mapped regional file, and ФИС ОКО per-school aggregates (marks in
 * UTF-8, Windows-1251 and XLSX; score distributions). Each lands in its table and asks for exactly its recompute.
 */
import { containsPersonalValue, GIA_PEOPLE } from '../fixtures/imports/make-fixtures';
import { ImportHarness } from './support/import-harness';

describe('imports of results through the API', () => {
  let hub: ImportHarness;

  beforeAll(async () => {
    hub = await ImportHarness.start();
  });
  afterAll(() => hub.stop());

  const participants = (assessmentId: number) =>
    hub.sql(
      `select a.value as school, p.participant_code as code, p.class_label, p.variant, p.task_scores, p.primary_score, p.mark, p.journal_mark, p.test_score
       from participant_result p join school_alias a on a.school_id = p.school_id and a.kind = 'FISOKO_LOGIN'
       where p.assessment_id = ? order by a.value, p.participant_code`,
      [assessmentId],
    );
  const assessment = async (procedure: string, year: number, subject: string, grade: number) =>
    (
      await hub.sql(
        `select a.* from assessment a join subject s on s.id = a.subject_id where a.procedure = ? and a.year = ? and s.code = ? and a.grade = ?`,
        [procedure, year, subject, grade],
      )
    )[0];

  const VPR_ROWS = [
    { school: 'sch661234', code: '10001', class_label: '4А', variant: '1', task_scores: [1, 2, 1, 2, 3], primary_score: 9, mark: 5, journal_mark: 5, test_score: null },
    // Latin X: task 3.1 not done (null), which is not 0.
    { school: 'sch661234', code: '10002', class_label: '4А', variant: '2', task_scores: [0, 1, null, 1, 0], primary_score: 2, mark: 2, journal_mark: 3, test_score: null },
    // Cyrillic Х and a dash: not done; "нет отметки" in the journal: no mark.
    { school: 'sch661234', code: '10003', class_label: '4Б', variant: '1', task_scores: [1, null, 0, null, 2], primary_score: 3, mark: 3, journal_mark: null, test_score: null },
    { school: 'sch661235', code: '10001', class_label: '4А', variant: '1', task_scores: [1, 2, 1, 2, 1], primary_score: 7, mark: 4, journal_mark: 4, test_score: null },
    // "нет отметки" as the mark.
    { school: 'sch661235', code: '10004', class_label: '4А', variant: '2', task_scores: [0, 0, 0, 0, 0], primary_score: 0, mark: null, journal_mark: 2, test_score: null },
  ];

  it('imports ФИС ОКО individual results from CSV: rows, the scale from the header, and an aggregates → risk recompute of exactly its schools', async () => {
    const batch = await hub.importFile('valid/fisoko-vpr-individual.csv');
    expect(batch).toMatchObject({
      status: 'DONE',
      layout: 'fisoko-vpr-individual',
      recordKind: 'participant-result',
      counts: { rowsRead: 5, accepted: 5, rejected: 0, skipped: 0, inserted: 5, replaced: 0, errors: 0, warnings: 0 },
      affectedYears: [2024],
      affectedSchools: 2,
      report: { format: 'csv', encoding: 'utf-8', separator: ';', headerRow: 3, title: 'ВПР 2024 Русский язык 4 класс', procedure: 'VPR', year: 2024, grade: 4 },
      job: { queue: 'imports', name: 'import-file' },
    });
    expect(batch.timings.parseMs).toBeGreaterThanOrEqual(0);
    expect(batch.report.notes).toEqual(['Шкала процедуры взята из файла: максимальный первичный балл 9 и 5 заданий с уровнями; границы отметок не заданы.']);
    const vpr = await assessment('VPR', 2024, 'RUS', 4);
    expect(vpr).toMatchObject({ session: 'spring', max_primary: 9, mark_boundaries: null });
    expect(vpr.tasks).toEqual([
      { number: '1', level: 'BASIC', maxPoints: 1 },
      { number: '2', level: 'BASIC', maxPoints: 2 },
      { number: '3.1', level: 'ADVANCED', maxPoints: 1 },
      { number: '3.2', level: 'BASIC', maxPoints: 2 },
      { number: '4', level: 'HIGH', maxPoints: 3 },
    ]);
    expect(await participants(vpr.id)).toEqual(VPR_ROWS);

    expect(batch.recomputeJobs).toEqual([{ id: expect.stringMatching(/^aggregates:\d+$/), queue: 'aggregates', name: 'recompute-aggregates' }]);
    const [request] = await hub.sql(`select payload, requested_by from job_request where id = ?`, [Number(batch.recomputeJobs[0].id.split(':')[1])]);
    expect(request.payload).toMatchObject({
      schoolIds: [hub.schools.sch661234.id, hub.schools.sch661235.id].sort((a, b) => a - b),
      years: [2024],
      then: 'risk',
      reason: `import ${batch.id}`,
    });
    // The recompute really runs: per-school results from the imported rows.
    const deadline = Date.now() + 20_000;
    let computed: any[] = [];
    while (Date.now() < deadline) {
      computed = await hub.sql(`select school_id, participants, count5 from school_result where assessment_id = ? order by school_id`, [vpr.id]);
      if (computed.length === 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(computed).toEqual([
      { school_id: hub.schools.sch661234.id, participants: 3, count5: 1 },
      { school_id: hub.schools.sch661235.id, participants: 2, count5: 0 },
    ]);
  });

  it('imports the same results from XLSX: the same rows, replacing (not duplicating) the CSV import', async () => {
    const batch = await hub.importFile('valid/fisoko-vpr-individual.xlsx');
    expect(batch).toMatchObject({ status: 'DONE', duplicateOf: null, counts: { rowsRead: 5, inserted: 5, replaced: 5 }, report: { format: 'xlsx', sheet: 'Результаты', headerRow: 6 } });
    expect(await participants((await assessment('VPR', 2024, 'RUS', 4)).id)).toEqual(VPR_ROWS);
  });

  /** The ГИА protocol held for its scale: its file is kept, for rerunImport once the scale is there. */
  let heldId: string;

  it('holds a ГИА protocol (no task maxima) while its assessment has no scale, creating nothing', async () => {
    const held = await hub.importFile('valid/gia-protocol.xlsx');
    heldId = held.id;
    expect(await hub.uploadedFiles()).toHaveLength(1);
    expect(held).toMatchObject({ status: 'REJECTED', fileName: 'gia-protocol.xlsx', counts: { rowsRead: 4, accepted: 0, inserted: 0 } });
    const errors = await hub.errors(held.id);
    expect(errors.map((e) => [e.row, e.column, e.value, e.code])).toEqual([4, 5, 6, 7].map((row) => [row, 'Предмет', null, 'SCALE_MISSING']));
    expect(errors[0].messageRu).toMatch(/процедуры «ОГЭ 2024, Математика, 9 класс» в хабе ещё нет: эти данные без шкалы не загружаются\. Загрузите сначала шкалу/);
    expect(await assessment('OGE', 2024, 'MATH', 9)).toBeUndefined();
    expect(await hub.sql(`select count(*)::int as n from participant_result p join assessment a on a.id = p.assessment_id where a.procedure = 'OGE'`)).toEqual([{ n: 0 }]);
  });

  it('imports a ГИА protocol once its scale is there: anonymised participants, names dropped and never stored', async () => {
    expect((await hub.importFile('scales/oge-2024-math-9.csv')).status).toBe('DONE');
    // The held file runs again (rerunImport), as a new batch, without being uploaded again.
    const rerun = await hub.gql(`mutation($id: ID!) { rerunImport(batchId: $id) { id } }`, { id: heldId });
    expect(rerun.errors).toBeUndefined();
    const batch = await hub.finished(rerun.data!.rerunImport.id);
    expect(batch).toMatchObject({
      status: 'DONE',
      layout: 'gia-protocol',
      counts: { rowsRead: 4, inserted: 4 },
      report: { procedure: 'OGE', year: 2024, subjectName: 'Математика', personalColumnsDropped: 5, personalColumnHeaders: ['Фамилия', 'Имя', 'Отчество', 'Серия документа', 'Номер документа'] },
    });
    const oge = await assessment('OGE', 2024, 'MATH', 9);
    expect(oge).toMatchObject({ session: 'main', grade: 9 });
    const rows = await hub.sql(`select school_id, participant_code, class_label, primary_score, mark, cardinality(task_scores) as tasks from participant_result where assessment_id = ? order by primary_score`, [oge.id]);
    expect(rows.map((row) => [row.school_id, row.primary_score, row.mark, row.tasks])).toEqual([
      [hub.schools.sch661234.id, 1, 2, 11],
      [hub.schools.sch661302.id, 5, 3, 11],
      [hub.schools.sch661234.id, 9, 4, 11],
      [hub.schools.sch661235.id, 14, 5, 11],
    ]);
    for (const row of rows) expect(row.participant_code).toMatch(/^P-[0-9a-f]{16}$/);
    // No name or document number anywhere the import writes.
    const written = JSON.stringify([
      await hub.sql(`select * from participant_result where assessment_id = ?`, [oge.id]),
      await hub.sql(`select * from import_batch where id = ?`, [Number(batch.id)]),
      await hub.sql(`select * from import_row_error where batch_id = ?`, [Number(batch.id)]),
      await hub.sql(`select details from audit_log where target = ?`, [`import:${batch.id}`]),
    ]);
    for (const person of GIA_PEOPLE) for (const part of person) expect(containsPersonalValue(written, part) ? part : null).toBeNull();
    expect(await hub.uploadedFiles()).toEqual([]); // the upload itself is gone once the batch is final (the held batch's went with the re-run)
  });

  it('imports a mapped regional file with the uploader’s column mapping and constants', async () => {
    const mapping = {
      target: 'participant-result',
      columns: { schoolCode: 'Школа (логин)', participantCode: 'Ученик (код)', primaryScore: 'Сумма', mark: 'Оценка' },
      taskColumns: ['Зад. 1 (2б)', 'Зад. 2 (3б)'],
    };
    const batch = await hub.importFile('valid/mapped-regional.csv', { layout: 'mapped', mapping, constants: { procedure: 'НИКО', year: 2024, subjectName: 'Математика', grade: 6 } });
    expect(batch).toMatchObject({ status: 'DONE', layout: 'mapped', layoutRequested: 'mapped', constants: { procedure: 'НИКО', year: 2024, subjectName: 'Математика', grade: 6 }, counts: { inserted: 3 } });
    const niko = await assessment('NIKO', 2024, 'MATH', 6);
    expect(niko).toMatchObject({ session: 'spring', max_primary: 5 });
    expect((await participants(niko.id)).map((row) => [row.school, row.code, row.task_scores, row.primary_score, row.mark])).toEqual([
      ['sch661234', 'R-001', [2, 3], 5, 5],
      ['sch661234', 'R-002', [1, null], 1, 2],
      ['sch661301', 'R-003', [0, 2], 2, 3],
    ]);
  });

  it('imports per-school marks (shares with decimal commas like "12,5") as IMPORTED results, leaving schools with participant rows to them', async () => {
    const batch = await hub.importFile('valid/aggregate-marks.csv');
    expect(batch).toMatchObject({ status: 'DONE', layout: 'aggregate-marks', counts: { rowsRead: 3, accepted: 1, rejected: 0, skipped: 2, inserted: 1, warnings: 2 } });
    const warnings = await hub.errors(batch.id);
    expect(warnings.map((w) => [w.severity, w.row, w.column, w.value, w.code])).toEqual([
      ['WARNING', 2, 'Логин', 'sch661234', 'SUPERSEDED_BY_PARTICIPANT_RESULTS'],
      ['WARNING', 3, 'Логин', 'sch661235', 'SUPERSEDED_BY_PARTICIPANT_RESULTS'],
    ]);
    expect(warnings[0].messageRu).toBe(
      'Строка 2, столбец «Логин» (E2): в хабе есть индивидуальные результаты участников этой ОО по этой процедуре — результаты ОО считаются по ним, строка агрегатов пропущена.',
    );
    const vpr = await assessment('VPR', 2024, 'RUS', 4);
    expect(await hub.sql(`select participants, count2, count3, count4, count5, source from school_result where school_id = ? and assessment_id = ?`, [hub.schools.sch661301.id, vpr.id])).toEqual([
      { participants: 3, count2: 0, count3: 1, count4: 1, count5: 1, source: 'IMPORTED' },
    ]);
  });

  it('reads the marks file in Windows-1251 and from XLSX the same way (recognised as new files, same data)', async () => {
    const vpr = await assessment('VPR', 2024, 'RUS', 4);
    const before = await hub.sql(`select * from school_result where school_id = ? and assessment_id = ?`, [hub.schools.sch661301.id, vpr.id]);
    for (const file of ['valid/aggregate-marks-cp1251.csv', 'valid/aggregate-marks.xlsx']) {
      const batch = await hub.importFile(file);
      expect(batch).toMatchObject({ status: 'DONE', counts: { accepted: 1, skipped: 2, replaced: 1 } });
      if (file.endsWith('.csv')) expect(batch.report.encoding).toBe('windows-1251');
      const after = await hub.sql(`select id, participants, count2, count3, count4, count5, source from school_result where school_id = ? and assessment_id = ?`, [hub.schools.sch661301.id, vpr.id]);
      expect(after).toEqual([{ id: before[0].id, participants: 3, count2: 0, count3: 1, count4: 1, count5: 1, source: 'IMPORTED' }]);
    }
  });

  it('holds score distributions while their assessment has no scale, creating nothing; imports them as histograms with their mean once it has one', async () => {
    const held = await hub.importFile('valid/aggregate-distribution.csv');
    expect(held).toMatchObject({ status: 'REJECTED', counts: { rowsRead: 2, inserted: 0 } });
    expect((await hub.errors(held.id)).map((e) => [e.row, e.column, e.value, e.code])).toEqual([
      [2, 'Предмет', 'Математика', 'SCALE_MISSING'],
      [3, 'Предмет', 'Математика', 'SCALE_MISSING'],
    ]);
    expect(await assessment('VPR', 2024, 'MATH', 5)).toBeUndefined();
    expect((await hub.importFile('scales/vpr-2024-math-5-max20.csv')).status).toBe('DONE');
    const batch = await hub.importFile('valid/aggregate-distribution.csv', {}, 'admin', 'aggregate-distribution-again.csv');
    expect(batch).toMatchObject({ status: 'DONE', layout: 'aggregate-distribution', counts: { rowsRead: 2, inserted: 2 } });
    const math5 = await assessment('VPR', 2024, 'MATH', 5);
    expect(await hub.sql(`select school_id, participants, histogram, mean_primary, source from school_result where assessment_id = ? order by school_id`, [math5.id])).toEqual([
      { school_id: hub.schools.sch661234.id, participants: 20, histogram: [0, 1, 2, 5, 6, 4, 2], mean_primary: 3.8, source: 'IMPORTED' },
      { school_id: hub.schools.sch661235.id, participants: 8, histogram: [0, 0, 1, 1, 2, 2, 2], mean_primary: 4.375, source: 'IMPORTED' },
    ]);
  });
});
