/**
 * `msoko-hub alias confirm CODE SCHOOL_ID` (issue 22): the operator confirms from the CLI what the import report offered
 * for an unknown school code, audited as from GraphQL, and `msoko-hub rerun BATCH` then runs the refused file again: it goes in.
 */
import { fixture, ImportHarness } from '../imports/support/import-harness';
import { runCli } from '../support/cli';

describe('msoko-hub alias confirm', () => {
  let hub: ImportHarness;

  beforeAll(async () => {
    hub = await ImportHarness.start();
  }, 60_000);
  afterAll(() => hub.stop());

  it('confirms an unknown code as the candidate school, refuses another region’s key and a taken code, and the file then goes in', async () => {
    const school = hub.schools.sch661235;
    const first = await runCli(['import', fixture('valid/vpr-changed-login.csv'), '--url', hub.baseUrl], hub.keys.importer);
    expect(first.code).toBe(2);
    const [{ id: batchId }] = await hub.sql(`select max(id) as id from import_batch`);
    expect(first.stdout).toContain(`Коды ОО, которых нет в справочнике хаба (подтвердить код: msoko-hub alias confirm КОД ID_ОО, затем перезапустить загрузку: msoko-hub rerun ${batchId}):`);

    // Another region's key: the school is «not found», nothing is written.
    const foreign = await runCli(['alias', 'confirm', 'sch661299', String(school.id), '--url', hub.baseUrl], hub.keys.otherImporter);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toBe(`Отказ хаба: ОО с id ${school.id} не найдена\n`);

    const confirmed = await runCli(['alias', 'confirm', 'sch661299', String(school.id), '--url', hub.baseUrl], hub.keys.importer);
    expect(confirmed.stderr).toBe('');
    expect(confirmed.code).toBe(0);
    expect(confirmed.stdout).toBe(`Код «sch661299» подтверждён: это ОО «${school.name}» (id ${school.id}; логин ФИС ОКО). Перезапустите загрузку (msoko-hub rerun ПАКЕТ) или загрузите файл снова.\n`);
    expect(await hub.sql(`select school_id, kind::text, value from school_alias where value = 'sch661299'`)).toEqual([{ school_id: school.id, kind: 'FISOKO_LOGIN', value: 'sch661299' }]);
    expect(await hub.sql(`select action, target, details from audit_log where action = 'schoolAlias.confirm'`)).toEqual([
      { action: 'schoolAlias.confirm', target: `school:${school.id}`, details: { code: 'sch661299', kind: 'FISOKO_LOGIN' } },
    ]);

    const taken = await runCli(['alias', 'confirm', 'sch661299', String(hub.schools.sch661234.id), '--url', hub.baseUrl], hub.keys.importer);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toBe(`Отказ хаба: Код «sch661299» уже принадлежит другой ОО: «${school.name}». Один код не может означать две ОО.\n`);

    // The refused file was kept: the same batch runs again, as a new one, without uploading it.
    const again = await runCli(['rerun', String(batchId), '--url', hub.baseUrl], hub.keys.importer);
    expect(again.stderr).not.toContain('Отказ хаба');
    expect(again.code).toBe(0);
    const [{ id: rerunId, rerun_of: rerunOf }] = await hub.sql(`select id, rerun_of from import_batch order by id desc limit 1`);
    expect(rerunOf).toBe(batchId);
    expect(again.stdout).toMatch(new RegExp(`^Загрузка № ${batchId} перезапущена: пакет ${rerunId}\\.\n`));
    expect(again.stdout).not.toContain('Коды ОО, которых нет в справочнике хаба');
    expect(await hub.sql(`select count(*)::int as n from participant_result where school_id = ?`, [school.id])).not.toEqual([{ n: 0 }]);

    // Its file went with the re-run: a second re-run is refused and says where it went.
    const twice = await runCli(['rerun', String(batchId), '--url', hub.baseUrl], hub.keys.importer);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toBe(`Отказ хаба: Файл загрузки № ${batchId} передан её перезапуску — загрузке № ${rerunId}: перезапускайте её, если нужно.\n`);
  }, 120_000);

  it('a wrong call (no school id, an id that is not a number) exits 1 without asking the hub', async () => {
    const [{ n: before }] = await hub.sql(`select count(*)::int as n from school_alias`);
    for (const args of [['alias', 'confirm', 'sch661299'], ['alias', 'confirm', 'sch661299', 'СОШ-2'], ['alias', 'add', 'sch661299', '5']]) {
      const run = await runCli([...args, '--url', hub.baseUrl], hub.keys.importer);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^alias: нужно «alias confirm КОД ID_ОО»/);
    }
    const rerun = await runCli(['rerun', 'пакет-5', '--url', hub.baseUrl], hub.keys.importer);
    expect([rerun.code, rerun.stderr.split('\n')[0]]).toEqual([1, 'rerun: нужен номер пакета загрузки (например, msoko-hub rerun 17)']);
    expect(await hub.sql(`select count(*)::int as n from school_alias`)).toEqual([{ n: before }]);
  }, 60_000);
});
