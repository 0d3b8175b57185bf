import { ImportHarness } from '../imports/support/import-harness';
import { runCli } from '../support/cli';


/** `msoko-hub revert <batch>`: reverts an import through the running hub, with the documented exit codes. */
describe('msoko-hub revert (operator CLI)', () => {
  let hub: ImportHarness;

  beforeAll(async () => {
    hub = await ImportHarness.start();
  }, 60_000);
  afterAll(() => hub.stop());

  it('reverts an import (exit 0), refuses a second time in Russian (exit 2), a bad call exits 1', async () => {
    const batch = await hub.importFile('valid/fisoko-vpr-individual.csv');
    expect(batch.status).toBe('DONE');
    expect(await hub.sql(`select count(*)::int as n from participant_result`)).toEqual([{ n: 5 }]);

    const done = await runCli(['revert', batch.id, '--url', hub.baseUrl], hub.keys.admin);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    // Removed: the 5 rows and the assessment the import created for them (its scale confirmed by the file's task maxima).
    expect(done.stdout).toMatch(new RegExp(`отмена загрузки № ${batch.id}\\): Загрузка № ${batch.id} отменена: восстановлено записей: 0, удалено добавленных ею: 6\\.`));
    expect(await hub.sql(`select count(*)::int as n from assessment`)).toEqual([{ n: 0 }]);
    expect(await hub.sql(`select count(*)::int as n from participant_result`)).toEqual([{ n: 0 }]);

    const again = await runCli(['revert', batch.id, '--url', hub.baseUrl], hub.keys.admin);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(new RegExp(`^Отказ хаба: Загрузка № ${batch.id} уже отменена \\(пакет № \\d+\\)\\.`));

    const bad = await runCli(['revert', 'пакет', '--url', hub.baseUrl], hub.keys.admin);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/revert: нужен номер пакета загрузки/);
  }, 120_000);
});
