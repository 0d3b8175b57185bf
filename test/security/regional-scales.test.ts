/**
 * One region cannot block another's imports (issue 15, item 3). Region 66 loads «ВПР 2016 Математика 5» with a
 * wrong two-task scale; region 77's correct five-task file is still accepted and judged by its own scale, each
 * region's later files and derived results follow its own provisional scale, an administrator sees the two
 * disagree and confirms 77's, and from then on a file of 66 that disagrees is refused showing the difference.
 * Everything goes through the real upload → worker → GraphQL path.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportHarness, type KeyName } from '../imports/support/import-harness';

const TITLE = 'ВПР 2016 Математика 5 класс';
const HEADER_START = 'ОО;Муниципалитет;Название ОО;Код участника;Класс;Вариант';

/** A ФИС ОКО individual-results file: tasks as [number, max], rows as [school, code, task scores]. */
function fisOkoFile(tasks: [string, number][], rows: [string, string, number[]][]): string {
  const levels = `;;;;;Уровень;${tasks.map(() => 'Б').join(';')};;;`;
  const header = `${HEADER_START};${tasks.map(([n, max]) => `${n} (${max}б)`).join(';')};Первичный балл;Отметка;Отметка по журналу`;
  const lines = rows.map(([school, code, scores]) => {
    const primary = scores.reduce((sum, score) => sum + score, 0);
    return `${school};Муниципалитет;ОО;${code};5А;1;${scores.join(';')};${primary};нет отметки;4`;
  });
  return `\ufeff${[TITLE, levels, header, ...lines].join('\n')}\n`;
}

/** The first import starts the import process; on a loaded machine that alone can take half a minute. */
const FINISH_MS = 90_000;

const WRONG_TASKS: [string, number][] = [['1', 1], ['2', 1]];
const RIGHT_TASKS: [string, number][] = [['1', 1], ['2', 2], ['3', 1], ['4', 2], ['5', 3]];

describe('regional provisional scales (one region cannot block another)', () => {
  let hub: ImportHarness;
  let dir: string;
  let assessmentId: number;
  const regions: Record<string, number> = {};

  beforeAll(async () => {
    hub = await ImportHarness.start();
    dir = await mkdtemp(join(tmpdir(), 'msoko-scales-'));
    for (const row of await hub.sql(`select id, code from region`)) regions[row.code] = row.id;
  });
  afterAll(async () => {
    await hub.stop();
    await rm(dir, { recursive: true, force: true });
  });

  let files = 0;
  async function importText(text: string, key: KeyName): Promise<any> {
    const path = join(dir, `vpr-2016-math-5-${++files}.csv`);
    await writeFile(path, text);
    const uploaded = await hub.upload(path, key);
    expect(uploaded.status).toBe(201);
    const started = await hub.start(uploaded.body.id, {}, key);
    expect(started.errors).toBeUndefined();
    return hub.finished(uploaded.body.id, key, FINISH_MS);
  }

  /** The school's computed result once the recompute the import asked for has run. */
  async function computedResult(login: string): Promise<{ mean_percent: number; task_completion: number[] }> {
    const deadline = Date.now() + FINISH_MS;
    for (;;) {
      const [row] = await hub.sql(`select mean_percent, task_completion from school_result where school_id = ? and assessment_id = ? and source = 'COMPUTED'`, [
        hub.schools[login].id,
        assessmentId,
      ]);
      if (row) return row;
      if (Date.now() > deadline) throw new Error(`no computed result for ${login}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const scaleQuery = `query { assessments(filter: { years: [2016] }) { id scale { maxPrimary confirmed tasks { number maxPoints } } } }`;

  it('keeps a wrong scale from one region to that region: another region’s correct file is accepted and judged by its own', async () => {
    const wrong = await importText(fisOkoFile(WRONG_TASKS, [['sch661234', 'A-1', [1, 1]], ['sch661234', 'A-2', [0, 1]]]), 'importer');
    expect(wrong).toMatchObject({ status: 'DONE', counts: { inserted: 2 } });
    expect(wrong.report.notes[0]).toMatch(/^Предварительная шкала процедуры для вашего региона взята из файла: максимальный первичный балл 2/);
    const [assessment] = await hub.sql(`select id, max_primary, tasks from assessment where year = 2016`);
    assessmentId = assessment.id;
    expect(assessment).toMatchObject({ max_primary: null, tasks: [] }); // nothing national

    const right = await importText(fisOkoFile(RIGHT_TASKS, [['sch771001', 'B-1', [1, 2, 1, 2, 3]], ['sch771001', 'B-2', [0, 1, 0, 1, 1]]]), 'otherImporter');
    expect(right).toMatchObject({ status: 'DONE', counts: { inserted: 2 } });
    const provisional = await hub.sql(`select r.code, p.max_primary, jsonb_array_length(p.tasks) as tasks from provisional_scale p join region r on r.id = p.region_id order by r.code`);
    expect(provisional).toEqual([
      { code: '66', max_primary: 2, tasks: 2 },
      { code: '77', max_primary: 9, tasks: 5 },
    ]);

    // Each key sees the scale of its own region.
    const seenBy66 = await hub.gql(scaleQuery, {}, 'importer');
    expect(seenBy66.data!.assessments[0].scale).toMatchObject({ maxPrimary: 2, confirmed: false });
    const seenBy77 = await hub.gql(scaleQuery, {}, 'otherImporter');
    expect(seenBy77.data!.assessments[0].scale).toMatchObject({ maxPrimary: 9, confirmed: false });
    expect((await hub.gql(scaleQuery)).data!.assessments[0].scale).toBeNull(); // nothing confirmed yet

    // Derived results follow the scale of the school's region: % of maximum and task completion.
    const b = await computedResult('sch771001');
    expect(b.mean_percent).toBeCloseTo((100 * (9 + 3)) / 2 / 9, 6);
    expect(b.task_completion).toEqual([0.5, 0.75, 0.5, 0.75, 4 / 6]);
    const a = await computedResult('sch661234');
    expect(a.mean_percent).toBeCloseTo((100 * (2 + 1)) / 2 / 2, 6);
    expect(a.task_completion).toEqual([0.5, 1]);
  }, 3 * FINISH_MS);

  it('judges each region’s later files by its own provisional scale', async () => {
    const rightFrom66 = await importText(fisOkoFile(RIGHT_TASKS, [['sch661235', 'A-3', [1, 2, 1, 2, 3]]]), 'importer');
    expect(rightFrom66.status).toBe('REJECTED');
    expect(rightFrom66.fileError.code).toBe('METADATA_CONFLICT');
    expect(rightFrom66.fileError.messageRu).toContain('не совпадают с предварительной шкалой процедуры вашего региона');
    expect(rightFrom66.fileError.messageRu).toContain('в файле 5 (1 (1б), 2 (2б), 3 (1б), 4 (2б), 5 (3б)), в хабе 2 (1 (1б), 2 (1б))');

    // Row by row too: a regional file of its own shape, a score the region's scale cannot give.
    const mappedPath = join(dir, 'mapped-66.csv');
    await writeFile(mappedPath, '\ufeffШкола;Ученик;Сумма\nsch661235;M-1;5\n');
    const uploaded = await hub.upload(mappedPath, 'importer');
    const mapping = { target: 'participant-result', columns: { schoolCode: 'Школа', participantCode: 'Ученик', primaryScore: 'Сумма' } };
    const constants = { procedure: 'ВПР', year: 2016, subjectName: 'Математика', grade: 5 };
    expect((await hub.start(uploaded.body.id, { layout: 'mapped', mapping, constants }, 'importer')).errors).toBeUndefined();
    const mapped = await hub.finished(uploaded.body.id, 'importer', FINISH_MS);
    expect(mapped.status).toBe('REJECTED');
    const [rowError] = await hub.errors(mapped.id, 'importer');
    expect([rowError.row, rowError.code]).toEqual([2, 'SCORE_ABOVE_MAX']);
    expect(rowError.messageRu).toContain('больше максимального (2)');

    const wrongFrom77 = await importText(fisOkoFile(WRONG_TASKS, [['sch771001', 'B-3', [1, 1]]]), 'otherImporter');
    expect(wrongFrom77.status).toBe('REJECTED');
    expect(wrongFrom77.fileError.messageRu).toContain('в файле 2 (1 (1б), 2 (1б)), в хабе 5 (1 (1б), 2 (2б), 3 (1б), 4 (2б), 5 (3б))');
  });

  it('shows administrators the provisional scales that disagree, and only administrators', async () => {
    const query = `query($only: Boolean) { provisionalScales(onlyDisagreeing: $only) {
      assessment { id year grade subject { code } } disagree
      scales { region { code } participantRows createdBy importBatchId summaryRu scale { maxPrimary confirmed } } } }`;
    const listed = await hub.gql(query, { only: true });
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.provisionalScales).toHaveLength(1);
    const [entry] = listed.data!.provisionalScales;
    expect(entry.assessment).toEqual({ id: String(assessmentId), year: 2016, grade: 5, subject: { code: 'MATH' } });
    expect(entry.disagree).toBe(true);
    expect(entry.scales.map((s: any) => [s.region.code, s.scale.maxPrimary, s.summaryRu, s.participantRows, s.scale.confirmed])).toEqual([
      ['66', 2, 'максимум 2, заданий 2: 1 (1б), 2 (1б)', 2, false],
      ['77', 9, 'максимум 9, заданий 5: 1 (1б), 2 (2б), 3 (1б), 4 (2б), 5 (3б)', 2, false],
    ]);
    expect(entry.scales.every((s: any) => /^key:\d+$/.test(s.createdBy) && s.importBatchId)).toBe(true);

    const byImporter = await hub.gql(query, { only: false }, 'importer');
    expect(byImporter.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  const confirm = `mutation($input: ConfirmScaleInput!) { confirmAssessmentScale(input: $input) {
    assessment { id scale { maxPrimary confirmed } } scale { maxPrimary confirmed tasks { number maxPoints } }
    replacedRegions { code } rowsNotFitting { region { code } rows } recomputeJobs { id queue } } }`;

  it('lets only an administrator confirm a region’s scale, which then judges everyone and is audited', async () => {
    const input = { assessmentId: String(assessmentId), regionId: String(regions['66']) };
    for (const key of ['importer', 'otherImporter', 'analyst'] as KeyName[]) {
      const refused = await hub.gql(confirm, { input }, key);
      expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect(await hub.sql(`select max_primary from assessment where id = ?`, [assessmentId])).toEqual([{ max_primary: null }]);

    const confirmed = await hub.gql(confirm, { input: { assessmentId: String(assessmentId), regionId: String(regions['77']) } });
    expect(confirmed.errors).toBeUndefined();
    const result = confirmed.data!.confirmAssessmentScale;
    expect(result.scale).toMatchObject({ maxPrimary: 9, confirmed: true });
    expect(result.scale.tasks.map((t: any) => t.maxPoints)).toEqual([1, 2, 1, 2, 3]);
    expect(result.assessment.scale).toEqual({ maxPrimary: 9, confirmed: true });
    expect(result.replacedRegions).toEqual([{ code: '66' }]);
    expect(result.rowsNotFitting).toEqual([{ region: { code: '66' }, rows: 2 }]); // 66 loaded two tasks: it must load again
    expect(result.recomputeJobs).toHaveLength(1);
    const [request] = await hub.sql(`select payload from job_request where id = ?`, [Number(result.recomputeJobs[0].id.split(':')[1])]);
    expect(request.payload).toMatchObject({ schoolIds: [hub.schools.sch661234.id, hub.schools.sch771001.id].sort((x, y) => x - y), years: [2016], then: 'risk' });

    expect(await hub.sql(`select count(*)::int as n from provisional_scale`)).toEqual([{ n: 0 }]);
    expect((await hub.gql(`{ provisionalScales { disagree } }`)).data!.provisionalScales).toEqual([]);
    const seenBy66 = await hub.gql(scaleQuery, {}, 'importer');
    expect(seenBy66.data!.assessments[0].scale).toMatchObject({ maxPrimary: 9, confirmed: true });

    const [audit] = await hub.sql(`select actor, role, action, target, details from audit_log where action = 'assessmentScale.confirm'`);
    expect(audit).toMatchObject({ role: 'ADMIN', target: `assessment:${assessmentId}`, details: { region: '77', replacedRegions: ['66'], rowsNotFitting: { '66': 2 } } });

    const again = await hub.gql(confirm, { input: { assessmentId: String(assessmentId), regionId: String(regions['66']) } });
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('refuses a later file that disagrees with the confirmed scale, showing the difference, and takes one that agrees', async () => {
    const wrong = await importText(fisOkoFile(WRONG_TASKS, [['sch661234', 'A-1', [1, 1]]]), 'importer');
    expect(wrong.status).toBe('REJECTED');
    expect(wrong.fileError.code).toBe('METADATA_CONFLICT');
    expect(wrong.fileError.messageRu).toBe(
      'Задания в файле не совпадают с подтверждённой шкалой процедуры (общей для всех регионов): в файле 2 (1 (1б), 2 (1б)), в хабе 5 (1 (1б), 2 (2б), 3 (1б), 4 (2б), 5 (3б)). Проверьте год, предмет и класс файла.',
    );
    expect(wrong.messageRu).toBe(`Файл не загружен: ${wrong.fileError.messageRu}`);

    const corrected = await importText(fisOkoFile(RIGHT_TASKS, [['sch661234', 'A-1', [1, 2, 1, 2, 3]], ['sch661234', 'A-2', [1, 0, 0, 0, 0]]]), 'importer');
    expect(corrected).toMatchObject({ status: 'DONE', counts: { inserted: 2, replaced: 2 } });
    expect(corrected.report.notes.filter((note: string) => /шкал/i.test(note))).toEqual([]); // the confirmed scale stays as it is
    expect(await hub.sql(`select count(*)::int as n from provisional_scale`)).toEqual([{ n: 0 }]);
  });

  it('refuses a regional scales template that disagrees with the confirmed scale, naming each difference', async () => {
    const path = join(dir, 'scales-66.csv');
    await writeFile(
      path,
      '\ufeffПроцедура;Год;Предмет;Класс;Максимальный первичный балл;Граница «3»;Граница «4»;Граница «5»;Минимальный балл ЕГЭ;Задания\nВПР;2016;Математика;5;2;;;;;"1:Б:1;2:Б:1"\n',
    );
    const uploaded = await hub.upload(path, 'importer');
    await hub.start(uploaded.body.id, {}, 'importer');
    const batch = await hub.finished(uploaded.body.id, 'importer', FINISH_MS);
    expect(batch.status).toBe('REJECTED');
    const errors = await hub.errors(batch.id, 'importer');
    expect(errors.map((e) => e.code).sort()).toEqual(['SCALE_CHANGE_FORBIDDEN', 'SCALE_CONFLICTS_WITH_RESULTS']); // 66 now has a 9
    const error = errors.find((e) => e.code === 'SCALE_CHANGE_FORBIDDEN');
    expect(error.messageRu).toContain(
      'шкала этой процедуры подтверждена и общая для всех регионов, файл с ней не совпадает (максимум: в файле 2, в хабе 9; задания: в файле 2 (1 (1б), 2 (1б)), в хабе 5 (1 (1б), 2 (2б), 3 (1б), 4 (2б), 5 (3б)))',
    );
    expect(await hub.sql(`select max_primary from assessment where id = ?`, [assessmentId])).toEqual([{ max_primary: 9 }]);
  });
});
