import { ImportHarness } from './support/import-harness';

/** Absent participants through the whole import: counted in the batch, no error, no row stored, no zero. */
describe('absent participants in an import', () => {
  let hub: ImportHarness;

  beforeAll(async () => {
    hub = await ImportHarness.start();
  }, 60_000);
  afterAll(() => hub.stop());

  it('loads the participants who wrote, counts the absent ones as skipped and says so', async () => {
    const batch = await hub.importFile('onboarding/vpr-with-absent.csv');
    expect(batch).toMatchObject({ status: 'DONE', counts: { rowsRead: 5, accepted: 2, rejected: 0, skipped: 3, inserted: 2, errors: 0, warnings: 0 } });
    expect(batch.messageRu).toContain('Отсутствовали (не писали работу): 3.');
    const { data } = await hub.gql(`query($id: ID!) { importBatch(id: $id) { report { absentRows } } }`, { id: batch.id });
    expect(data!.importBatch.report.absentRows).toBe(3);
    expect(batch.report.notes).toContain('Отсутствовали (не писали работу): 3 — эти строки не записаны и ошибками не считаются.');
    const rows = await hub.sql(`select participant_code, primary_score from participant_result order by participant_code`);
    expect(rows).toEqual([
      { participant_code: '20001', primary_score: 3 },
      { participant_code: '20004', primary_score: 1 },
    ]);
  });
});
