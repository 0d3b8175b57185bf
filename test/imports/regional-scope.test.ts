/**
 * A regional centre imports for its own region only: another region's school is "not found" exactly like an
 * unknown one; the directory, benchmarks and scales are limited the same way. An administrator is not limited.
 */
import { ImportHarness } from './support/import-harness';

describe('what a regional centre’s import may touch', () => {
  let hub: ImportHarness;

  beforeAll(async () => {
    hub = await ImportHarness.start();
  });
  afterAll(() => hub.stop());

  const brief = (error: any) => ({ row: error.row, column: error.column, value: error.value, code: error.code });

  it('treats a school of another region as unknown, with the very message an unknown code gets', async () => {
    const own = await hub.importFile('bad/vpr-other-region-school.csv', {}, 'importer');
    expect(own).toMatchObject({ status: 'REJECTED', counts: { rowsRead: 2, rejected: 1, inserted: 0 } });
    const [error] = await hub.errors(own.id, 'importer');
    expect(brief(error)).toEqual({ row: 5, column: 'ОО', value: 'sch771001', code: 'SCHOOL_NOT_FOUND' });
    expect(error.messageRu).toBe('Строка 5, столбец «ОО» (A5): ОО не найдена: кода «sch771001» нет в справочнике ОО хаба — проверьте код или загрузите справочник ОО (шаблон schools).');
    expect(await hub.sql(`select count(*)::int as n from participant_result`)).toEqual([{ n: 0 }]);

    const admin = await hub.importFile('bad/vpr-other-region-school.csv');
    expect(admin).toMatchObject({ status: 'DONE', counts: { inserted: 2 }, affectedSchools: 2 });
  });

  it('refuses directory rows of another region', async () => {
    const batch = await hub.importFile('templates/schools.csv', {}, 'otherImporter');
    expect(batch.status).toBe('REJECTED');
    const errors = await hub.errors(batch.id, 'otherImporter');
    expect(errors.map(brief)).toEqual([2, 3, 4].map((row) => ({ row, column: 'Код региона', value: '66', code: 'REGION_OUT_OF_SCOPE' })));
    expect(errors[0].messageRu).toBe('Строка 2, столбец «Код региона» (A2): ОО другого региона («66»): ключ регионального центра загружает справочник только своего региона.');
  });

  it('lets a regional centre give its region a provisional scale the hub lacks, but not change one it has', async () => {
    const first = await hub.importFile('templates/assessment-scales.csv', {}, 'importer');
    expect(first).toMatchObject({ status: 'DONE', counts: { inserted: 3 } });
    const changed = await hub.importFile('bad/assessment-scales-changed.csv', {}, 'importer');
    expect(changed.status).toBe('REJECTED');
    expect((await hub.errors(changed.id, 'importer')).map(brief)).toEqual([{ row: 2, column: 'Максимальный первичный балл', value: null, code: 'SCALE_CHANGE_FORBIDDEN' }]);
    // The region's scale is provisional, for its rows only: the assessment has no national scale yet.
    const [before] = await hub.sql(
      `select p.mark_boundaries, a.mark_boundaries as national from provisional_scale p join assessment a on a.id = p.assessment_id join subject s on s.id = a.subject_id
       join region r on r.id = p.region_id where r.code = '66' and a.procedure = 'VPR' and s.code = 'RUS' and a.grade = 4`,
    );
    expect(before).toEqual({ mark_boundaries: [3, 5, 8], national: null });
    expect((await hub.importFile('valid/fisoko-vpr-individual.csv')).status).toBe('DONE'); // results under the scale
    const byAdmin = await hub.importFile('bad/assessment-scales-changed.csv');
    expect(byAdmin).toMatchObject({ status: 'DONE', counts: { replaced: 1 } });
    const [after] = await hub.sql(`select mark_boundaries from assessment a join subject s on s.id = a.subject_id where a.procedure = 'VPR' and s.code = 'RUS' and a.grade = 4`);
    expect(after.mark_boundaries).toEqual([4, 6, 8]);
    // Results of the re-scaled assessment are recomputed.
    const [request] = await hub.sql(`select queue, payload from job_request where id = ?`, [Number(byAdmin.recomputeJobs[0].id.split(':')[1])]);
    expect(request).toMatchObject({ queue: 'aggregates', payload: { schoolIds: [hub.schools.sch661234.id, hub.schools.sch661235.id].sort((a, b) => a - b), years: [2024], then: 'risk' } });
  });

  // After the scales test: reference values are held until their assessment has a scale.
  it('leaves Russia’s reference values to administrators and loads the region’s own', async () => {
    const refused = await hub.importFile('templates/benchmarks.csv', {}, 'importer');
    expect(refused.status).toBe('REJECTED');
    expect((await hub.errors(refused.id, 'importer')).map(brief)).toEqual([{ row: 2, column: 'Уровень', value: 'Россия', code: 'BENCHMARK_LEVEL_FORBIDDEN' }]);
    const partly = await hub.importFile('templates/benchmarks.csv', { policy: 'ACCEPT_VALID', maxErrorShare: 0.4 }, 'importer');
    expect(partly).toMatchObject({ status: 'DONE', counts: { accepted: 2, rejected: 1 } });
    // The region's and municipality's values the hub computed after the results above (if it already has) are replaced.
    expect(partly.counts.inserted + partly.counts.replaced).toBe(2);
    expect(await hub.sql(`select level from benchmark_result where source = 'imported' order by level`)).toEqual([{ level: 'REGION' }, { level: 'MUNICIPALITY' }]);
    const [request] = await hub.sql(`select payload from job_request where id = ?`, [Number(partly.recomputeJobs[0].id.split(':')[1])]);
    const [region] = await hub.sql(`select id from region where code = '66'`);
    expect(request.payload).toMatchObject({ schoolIds: null, regionIds: [region.id], years: [2024] });
  });
});
