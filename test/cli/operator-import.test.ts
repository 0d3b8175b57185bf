import { fixture, ImportHarness } from '../imports/support/import-harness';
import { runCli } from '../support/cli';


/** The operator CLI against a running hub: upload, progress, report, exit code. */
describe('msoko-hub import (operator CLI)', () => {
  let hub: ImportHarness;

  beforeAll(async () => {
    hub = await ImportHarness.start();
  }, 60_000);
  afterAll(() => hub.stop());

  it('uploads a file, follows it to the end and prints the report; exit 0 when merged', async () => {
    const run = await runCli(['import', fixture('valid/fisoko-vpr-individual.csv'), '--url', hub.baseUrl], hub.keys.importer);
    expect(run.stderr).toMatch(/отправка/);
    expect(run.stdout).toMatch(/Пакет \d+: fisoko-vpr-individual\.csv — готово \(формат fisoko-vpr-individual\)/);
    expect(run.stdout).toMatch(/прочитано\s+│\s+принято/);
    expect(run.code).toBe(0);
  }, 90_000);

  it('a rejected file: the reason first, then full Russian messages in row order, a problem of many rows said once; exit 2', async () => {
    const run = await runCli(['import', fixture('onboarding/vpr-unknown-school.csv'), '--url', hub.baseUrl], hub.keys.importer);
    expect(run.code).toBe(2);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Пакет \d+: vpr-unknown-school\.csv — отклонён \(формат fisoko-vpr-individual\)$/);
    expect(lines[1]).toBe('Причина: Строк с ошибками: 14 из 15. По правилу «отклонить весь файл» данные не загружены: исправьте ошибки из отчёта и загрузите файл снова.');
    const issues = lines.slice(lines.findIndex((line) => line.startsWith('Ошибки и предупреждения: 14 ')) + 1);
    expect(issues).toHaveLength(2);
    // One line for the 13 rows of the unknown school, with the whole message; then the negative score, row 17.
    expect(issues[0]).toMatch(/^  ошибка: ОО не найдена: кода «sch669999» нет в справочнике ОО хаба.* \(столбец «ОО»\) — 13 строк: 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, …$/);
    expect(issues[0].length).toBeGreaterThan(120);
    expect(issues[1]).toBe('  ошибка: строка 17, столбец «4 (3б)» (K17): балл не может быть отрицательным, указано «-3»');
    expect(run.stdout).not.toMatch(/ERROR|WARNING/);
  }, 90_000);

  it('a file refused as a whole says why before anything else', async () => {
    const run = await runCli(['import', fixture('bad/vpr-missing-column.csv'), '--url', hub.baseUrl], hub.keys.importer);
    expect(run.code).toBe(2);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/ — отклонён /);
    expect(lines[1]).toMatch(/^Причина: Не удалось определить формат файла по строке заголовка\. .* нет столбцов: Код участника;/);
  }, 90_000);

  it('says what is missing when called without a key', async () => {
    const run = await runCli(['import', fixture('valid/fisoko-vpr-individual.csv'), '--url', hub.baseUrl], '');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Нужен ключ доступа/);
  });
});
