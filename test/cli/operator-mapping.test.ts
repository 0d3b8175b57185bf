/**
 * `msoko-hub import --mapping file.json --constant key=value` (issue 22): a single school's class protocol without a
 * school column goes in with the school code given as a value; a start the hub refuses leaves no upload behind.
 */
import { fixture, ImportHarness } from '../imports/support/import-harness';
import { runCli } from '../support/cli';


const CONSTANTS = ['--constant', 'procedure=ВПР', '--constant', 'year=2024', '--constant', 'subjectName=Окружающий мир', '--constant', 'grade=4'];

describe('msoko-hub import with a mapping and constants', () => {
  let hub: ImportHarness;

  beforeAll(async () => {
    hub = await ImportHarness.start();
  }, 60_000);
  afterAll(() => hub.stop());

  it('a class protocol without a school column: the school code is a constant of the mapping', async () => {
    const run = await runCli(
      ['import', fixture('class-protocol/protocol-4a.csv'), '--url', hub.baseUrl, '--mapping', fixture('class-protocol/protocol.mapping.json'), '--constant', 'schoolCode=sch661234', ...CONSTANTS],
      hub.keys.importer,
    );
    expect(run.stdout).toMatch(/Пакет \d+: protocol-4a\.csv — готово \(формат mapped\)/);
    expect(run.code).toBe(0);
    const rows = await hub.sql(
      `select pr.participant_code, pr.class_label, pr.task_scores, pr.primary_score, pr.mark from participant_result pr where pr.school_id = ? order by pr.participant_code`,
      [hub.schools.sch661234.id],
    );
    expect(rows).toEqual([
      { participant_code: '40001', class_label: '4А', task_scores: [1, 2, 1], primary_score: 4, mark: 4 },
      { participant_code: '40002', class_label: '4А', task_scores: [0, 1, null], primary_score: 1, mark: 2 },
      { participant_code: '40003', class_label: '4А', task_scores: [1, 2, 2], primary_score: 5, mark: 5 },
    ]);
  }, 90_000);

  it('an unknown school given as a value is named as the value in the error', async () => {
    const run = await runCli(
      ['import', fixture('class-protocol/protocol-4a.csv'), '--url', hub.baseUrl, '--mapping', fixture('class-protocol/protocol.mapping.json'), '--constant', 'schoolCode=sch669999', ...CONSTANTS],
      hub.keys.importer,
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/ОО не найдена: кода «sch669999» нет в справочнике ОО хаба.*\(столбец «schoolCode = sch669999 \(значение при загрузке\)»\) — 3 строки: 2, 3, 4/);
    // Rows refused for the hub's data: the file stays for a re-run (msoko-hub rerun) once the code is known.
    expect(await hub.uploadedFiles()).toHaveLength(1);
  }, 90_000);

  it('a start the hub refuses (an unknown field in the mapping) exits 2 and leaves no upload behind', async () => {
    const [{ n: before }] = await hub.sql(`select count(*)::int as n from import_batch`);
    const kept = await hub.uploadedFiles();
    const run = await runCli(['import', fixture('class-protocol/protocol-4a.csv'), '--url', hub.baseUrl, '--mapping', fixture('class-protocol/wrong.mapping.json'), ...CONSTANTS], hub.keys.importer);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Отказ хаба: Сопоставление столбцов \(mapping\): поле «pupilName» не известно для participant-result/);
    expect(run.stderr).toMatch(/отменён и удалён/);
    const batches = await hub.sql(`select status from import_batch order by id offset ?`, [before]);
    expect(batches).toEqual([{ status: 'CANCELLED' }]);
    expect(await hub.uploadedFiles()).toEqual(kept);
  }, 90_000);

  it('a mapping field as --constant without --mapping, or a file that is not JSON, is a wrong call (exit 1) and uploads nothing', async () => {
    const [{ n: before }] = await hub.sql(`select count(*)::int as n from import_batch`);
    const noMapping = await runCli(['import', fixture('class-protocol/protocol-4a.csv'), '--url', hub.baseUrl, '--constant', 'schoolCode=sch661234'], hub.keys.importer);
    expect(noMapping.code).toBe(1);
    expect(noMapping.stderr).toMatch(/поле «schoolCode» задаётся вместе с --mapping \(сопоставлением столбцов\) или --profile/);
    const notJson = await runCli(['import', fixture('class-protocol/protocol-4a.csv'), '--url', hub.baseUrl, '--mapping', fixture('class-protocol/protocol-4a.csv')], hub.keys.importer);
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toMatch(/файл сопоставления «.*protocol-4a\.csv» — не JSON/);
    expect(await hub.sql(`select count(*)::int as n from import_batch`)).toEqual([{ n: before }]);
  }, 90_000);

  it('a school code the hub does not know is printed with the schools it may mean', async () => {
    const run = await runCli(['import', fixture('valid/vpr-changed-login.csv'), '--url', hub.baseUrl], hub.keys.importer);
    expect(run.code).toBe(2);
    const lines = run.stdout.split('\n');
    const at = lines.findIndex((line) => line.startsWith('Коды ОО, которых нет в справочнике хаба'));
    expect(lines.slice(at + 1, at + 3)).toEqual([
      '  sch661299 «МАОУ «Средняя общеобразовательная школа № 2»» — 1 строка: 4',
      `    возможно: «МАОУ «СОШ № 2»» (id ${hub.schools.sch661235.id}; FISOKO_LOGIN:sch661235, RCOI_CODE:660124) — сходство 1,00`,
    ]);
  }, 90_000);
});
