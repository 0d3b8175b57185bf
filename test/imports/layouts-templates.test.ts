/**
 * The hub's own templates through the API, from their example files (CSV, then the XLSX twin, which must give
 * the same data): the school directory with aliases, contexts, conduct conditions, re-checks, scales, benchmarks.
 */
import { ImportHarness } from './support/import-harness';

describe('imports of the hub templates through the API', () => {
  let hub: ImportHarness;

  beforeAll(async () => {
    hub = await ImportHarness.start();
  });
  afterAll(() => hub.stop());

  const aliases = () =>
    hub.sql(
      `select sch.name, sch.type, sch.urban, m.code as municipality, array_agg(a.kind || ':' || a.value order by a.kind::text, a.value) as codes
       from school sch join municipality m on m.id = sch.municipality_id join school_alias a on a.school_id = sch.id
       join region r on r.id = sch.region_id where r.code = '66' group by sch.id, m.code order by sch.id`,
    );

  it('imports the school directory: existing schools matched by any code, codes replaced per kind, risk asked where type or locality changed', async () => {
    const batch = await hub.importFile('templates/schools.csv');
    expect(batch).toMatchObject({ status: 'DONE', layout: 'schools', counts: { rowsRead: 3, accepted: 3, inserted: 0, replaced: 3 }, affectedSchools: 3 });
    // «Краткое наименование» is kept, not dropped.
    expect(batch.report.notes).toEqual([]);
    expect(batch.report.ignoredColumns).toEqual([]);
    expect(await hub.sql(`select short_name from school where id in (?, ?) order by id`, [hub.schools.sch661234.id, hub.schools.sch661235.id])).toEqual([{ short_name: 'СОШ № 1' }, { short_name: 'Гимназия № 9' }]);
    expect(await aliases()).toEqual([
      {
        name: 'МАОУ «Средняя общеобразовательная школа № 1»',
        type: 'SOSH',
        urban: true,
        municipality: '6608',
        codes: ['FISOKO_LOGIN:sch661234', 'INN:6612001234', 'OTHER:17', 'OTHER:КУ-001', 'RCOI_CODE:660123'],
      },
      { name: 'МАОУ «Гимназия № 9»', type: 'GYMNASIUM', urban: true, municipality: '6608', codes: ['FISOKO_LOGIN:sch661235', 'INN:6612004563', 'RCOI_CODE:660124'] },
      { name: 'МКОУ «Колчеданская основная общеобразовательная школа»', type: 'OOSH', urban: false, municipality: '6620', codes: ['FISOKO_LOGIN:sch661301', 'INN:6612007892'] },
      { name: 'МАОУ «СОШ № 40»', type: 'SOSH', urban: true, municipality: '6609', codes: ['FISOKO_LOGIN:sch661302', 'RCOI_CODE:660201'] },
    ]);
    const [request] = await hub.sql(`select queue, payload from job_request where id = ?`, [Number(batch.recomputeJobs[0].id.split(':')[1])]);
    expect(request).toMatchObject({ queue: 'risk', payload: { schoolIds: [hub.schools.sch661235.id, hub.schools.sch661301.id].sort((a, b) => a - b), then: 'recommendations' } });
  });

  it('reads the XLSX directory (rich text in a name) to the same data and creates a school the hub did not know', async () => {
    const before = await aliases();
    const same = await hub.importFile('templates/schools.xlsx');
    expect(same).toMatchObject({ status: 'DONE', counts: { inserted: 0, replaced: 3 }, recomputeJobs: [] });
    expect(await aliases()).toEqual(before);

    const created = await hub.importFile('bad/schools-quotes-newlines.csv', { policy: 'ACCEPT_VALID', maxErrorShare: 0.5 });
    expect(created).toMatchObject({ status: 'DONE', counts: { rowsRead: 3, accepted: 2, rejected: 1, inserted: 2 } });
    const names = await hub.sql(`select sch.name, sch.type from school sch join school_alias a on a.school_id = sch.id where a.value in ('sch661240', 'sch661241') order by a.value`);
    expect(names).toEqual([
      { name: 'Школа "Радуга"; корпус 2', type: 'SOSH' },
      { name: 'МАОУ «Лицей № 10» (бывшая СОШ № 10)', type: 'LYCEUM' },
    ]);
  });

  it('imports contexts per school and year, keeping the region’s own columns and storing ОВЗ shares as fractions', async () => {
    for (const file of ['templates/school-context.csv', 'templates/school-context.xlsx']) {
      const batch = await hub.importFile(file);
      expect(batch).toMatchObject({ status: 'DONE', layout: 'school-context', counts: { rowsRead: 3, accepted: 3 } });
      const rows = await hub.sql(
        `select school_id, year, type, urban, enrolment, small_school, in_depth_study, share_disabled, teachers, has_defectologist, head_tenure_years, social_index, attributes
         from school_context order by school_id, year`,
      );
      expect(rows).toEqual([
        expect.objectContaining({ school_id: hub.schools.sch661234.id, year: 2024, type: 'SOSH', enrolment: 812, small_school: false, share_disabled: 0.062, teachers: 48, social_index: 0.42 }),
        expect.objectContaining({ school_id: hub.schools.sch661235.id, year: 2024, type: 'GYMNASIUM', in_depth_study: true, share_disabled: 0.015, has_defectologist: true }),
        expect.objectContaining({ school_id: hub.schools.sch661302.id, year: 2024, small_school: true, share_disabled: 0.12, head_tenure_years: 1.5, social_index: null }),
      ]);
      expect(rows[0].attributes).toMatchObject({ 'Доля детей из многодетных семей, %': 18.5 });
      if (file.endsWith('.xlsx')) expect(rows[0].attributes['Дата обновления']).toBe('2024-09-01');
    }
  });

  it('imports conduct conditions, replacing a school’s rows of the year and procedure as a whole', async () => {
    const batch = await hub.importFile('templates/conduct-conditions.csv');
    expect(batch).toMatchObject({ status: 'DONE', counts: { inserted: 3, replaced: 0 }, affectedYears: [2024] });
    const rows = () =>
      hub.sql(
        `select c.school_id, c.procedure, s.code as subject, c.grade, c.observers, c.video_at_conduct, c.video_at_checking, c.collegial_checking, c.federal_control_sample
         from conduct_conditions c left join subject s on s.id = c.subject_id order by c.school_id, s.code nulls first`,
      );
    expect(await rows()).toEqual([
      { school_id: hub.schools.sch661234.id, procedure: 'VPR', subject: 'MATH', grade: 4, observers: 'PUBLIC', video_at_conduct: true, video_at_checking: false, collegial_checking: true, federal_control_sample: false },
      { school_id: hub.schools.sch661234.id, procedure: 'VPR', subject: 'RUS', grade: 4, observers: 'INDEPENDENT', video_at_conduct: true, video_at_checking: true, collegial_checking: true, federal_control_sample: false },
      { school_id: hub.schools.sch661301.id, procedure: 'VPR', subject: null, grade: null, observers: 'NONE', video_at_conduct: false, video_at_checking: false, collegial_checking: false, federal_control_sample: true },
    ]);
    const again = await hub.importFile('templates/conduct-conditions.xlsx');
    expect(again).toMatchObject({ status: 'DONE', counts: { inserted: 3, replaced: 3 } });
    expect(await rows()).toHaveLength(3);
    const [request] = await hub.sql(`select queue, payload from job_request where id = ?`, [Number(again.recomputeJobs[0].id.split(':')[1])]);
    expect(request).toMatchObject({ queue: 'risk', payload: { years: [2024], regionIds: null } });
  });

  it('imports scales: maximum, boundaries, ЕГЭ minimum, tasks', async () => {
    const batch = await hub.importFile('templates/assessment-scales.csv');
    expect(batch).toMatchObject({ status: 'DONE', layout: 'assessment-scales', counts: { inserted: 3, replaced: 0 } });
    const scales = await hub.sql(
      `select a.procedure, s.code as subject, a.grade, a.max_primary, a.mark_boundaries, a.minimum_test_score, jsonb_array_length(a.tasks) as tasks
       from assessment a join subject s on s.id = a.subject_id where a.max_primary is not null order by a.procedure, a.grade`,
    );
    expect(scales).toEqual([
      { procedure: 'VPR', subject: 'RUS', grade: 4, max_primary: 9, mark_boundaries: [3, 5, 8], minimum_test_score: null, tasks: 5 },
      { procedure: 'OGE', subject: 'MATH', grade: 9, max_primary: 14, mark_boundaries: [5, 9, 12], minimum_test_score: null, tasks: 11 },
      { procedure: 'EGE', subject: 'RUS', grade: 11, max_primary: 50, mark_boundaries: null, minimum_test_score: 36, tasks: 0 },
    ]);
  });

  it('holds re-checks until their assessments have scales, then imports them', async () => {
    const held = await hub.importFile('templates/rechecks.csv');
    expect(held.status).toBe('REJECTED');
    const errors = await hub.errors(held.id);
    expect(errors.map((e) => [e.row, e.code])).toEqual([[4, 'SCALE_MISSING']]); // ВПР 2024 Математика 5: no scale yet
    expect(errors[0].messageRu).toMatch(/процедуры «ВПР 2024, Математика, 5 класс» в хабе ещё нет: эти данные без шкалы не загружаются\. Загрузите сначала шкалу/);
    expect(await hub.sql(`select a.id from assessment a join subject s on s.id = a.subject_id where s.code = 'MATH' and a.grade = 5`)).toEqual([]);
    expect((await hub.importFile('scales/vpr-2024-math-5-max20.csv')).status).toBe('DONE');
    const batch = await hub.importFile('templates/rechecks.csv', {}, 'admin', 'rechecks-again.csv');
    expect(batch).toMatchObject({ status: 'DONE', counts: { inserted: 3 } });
    expect(
      await hub.sql(
        `select r.school_id, a.procedure, s.code as subject, a.grade, r.participant_code, r.original_score, r.recheck_score, r.original_mark, r.recheck_mark, r.commission
         from recheck_result r join assessment a on a.id = r.assessment_id join subject s on s.id = a.subject_id order by r.school_id, r.participant_code`,
      ),
    ).toEqual([
      { school_id: hub.schools.sch661234.id, procedure: 'VPR', subject: 'RUS', grade: 4, participant_code: '10001', original_score: 9, recheck_score: 8, original_mark: 5, recheck_mark: 4, commission: 'MUNICIPAL' },
      { school_id: hub.schools.sch661234.id, procedure: 'VPR', subject: 'RUS', grade: 4, participant_code: '10002', original_score: 2, recheck_score: 2, original_mark: 2, recheck_mark: 2, commission: 'MUNICIPAL' },
      { school_id: hub.schools.sch661301.id, procedure: 'VPR', subject: 'MATH', grade: 5, participant_code: '20417', original_score: 14, recheck_score: 11, original_mark: 4, recheck_mark: 3, commission: 'REGIONAL' },
    ]);
  });

  it('imports benchmarks of Russia, the region and a municipality as published (imported) values', async () => {
    for (const file of ['templates/benchmarks.csv', 'templates/benchmarks.xlsx']) {
      const batch = await hub.importFile(file);
      expect(batch).toMatchObject({ status: 'DONE', counts: { rowsRead: 3, accepted: 3 } });
      expect(
        await hub.sql(
          `select b.level, r.code as region, m.code as municipality, b.participants, b.percent2, b.percent5, b.mean_percent, b.source
           from benchmark_result b left join region r on r.id = b.region_id left join municipality m on m.id = b.municipality_id
           where b.source = 'imported' order by b.level`,
        ),
      ).toEqual([
        { level: 'RUSSIA', region: null, municipality: null, participants: 1412345, percent2: 5.1, percent5: 19.5, mean_percent: 63.2, source: 'imported' },
        { level: 'REGION', region: '66', municipality: null, participants: 51230, percent2: 6.3, percent5: 18.5, mean_percent: 61.7, source: 'imported' },
        { level: 'MUNICIPALITY', region: '66', municipality: '6608', participants: 1710, percent2: 7.1, percent5: 17.6, mean_percent: 60.3, source: 'imported' },
      ]);
      const [request] = await hub.sql(`select queue, payload from job_request where id = ?`, [Number(batch.recomputeJobs[0].id.split(':')[1])]);
      // Russia's values are everyone's reference: risk of every region's schools of that year.
      expect(request).toMatchObject({ queue: 'risk', payload: { schoolIds: null, regionIds: null, years: [2024] } });
    }
  });
});
