import { ImportHarness } from '../imports/support/import-harness';
import { runCli } from '../support/cli';


/** `msoko-hub region …` / `municipality …`: regions and municipalities without SQL, with the documented exit codes. */
describe('msoko-hub region / municipality (operator CLI)', () => {
  let hub: ImportHarness;

  beforeAll(async () => {
    hub = await ImportHarness.start({ workers: false });
  }, 60_000);
  afterAll(() => hub.stop());

  it('creates and renames a region and a municipality, lists regions; exit 0', async () => {
    const created = await runCli(['region', 'create', '45', 'Курганская область', '--url', hub.baseUrl], hub.keys.admin);
    expect(created).toMatchObject({ code: 0, stdout: 'Регион заведён: 45 «Курганская область»\n' });
    const municipality = await runCli(['municipality', 'create', '45', '4501', 'Город Курган', '--url', hub.baseUrl], hub.keys.admin);
    expect(municipality).toMatchObject({ code: 0, stdout: 'Муниципалитет заведён: 4501 «Город Курган» (регион 45)\n' });
    const renamed = await runCli(['region', 'rename', '45', 'Курганская обл.', '--url', hub.baseUrl], hub.keys.admin);
    expect(renamed).toMatchObject({ code: 0, stdout: 'Регион 45 теперь называется «Курганская обл.»\n' });
    const renamedMunicipality = await runCli(['municipality', 'rename', '45', '4501', 'ГО Курган', '--url', hub.baseUrl], hub.keys.admin);
    expect(renamedMunicipality.code).toBe(0);
    expect(await hub.sql(`select r.name as region, m.name as municipality from municipality m join region r on r.id = m.region_id where m.code = '4501'`)).toEqual([
      { region: 'Курганская обл.', municipality: 'ГО Курган' },
    ]);
    const list = await runCli(['regions', '--url', hub.baseUrl], hub.keys.admin);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/45\s+│ Курганская обл\.\s+│ 1/);
  }, 90_000);

  it('a refusal of the hub is printed in Russian with exit 2; a bad call exits 1 with the usage', async () => {
    const taken = await runCli(['region', 'create', '66', 'Ещё одна', '--url', hub.baseUrl], hub.keys.admin);
    expect(taken).toMatchObject({ code: 2, stderr: 'Отказ хаба: Регион с кодом «66» уже заведён: «Свердловская область»\n' });
    const forbidden = await runCli(['region', 'create', '46', 'Курская область', '--url', hub.baseUrl], hub.keys.importer);
    expect(forbidden.code).toBe(2);
    expect(forbidden.stderr).toMatch(/^Отказ хаба: Недостаточно прав/);
    const badCall = await runCli(['region', 'create', '46', '--url', hub.baseUrl], hub.keys.admin);
    expect(badCall.code).toBe(1);
    expect(badCall.stderr).toMatch(/нужно «region create КОД "Наименование"»/);
    expect(badCall.stderr).toMatch(/Коды выхода:/);
    expect(await hub.sql(`select code from region where code = '46'`)).toEqual([]);
  }, 90_000);

  it('an unreachable hub is one line and exit 1', async () => {
    const run = await runCli(['regions', '--url', 'http://127.0.0.1:9'], hub.keys.admin);
    expect(run).toMatchObject({ code: 1, stderr: 'msoko-hub: хаб недоступен — проверьте --url и что API запущен\n' });
  }, 30_000);
});
