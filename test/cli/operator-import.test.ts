import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fixture, ImportHarness } from '../imports/support/import-harness';

const ROOT = join(__dirname, '..', '..');

function runCli(args: string[], key: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'msoko-hub.js'), ...args], { cwd: ROOT, env: { ...process.env, MSOKO_KEY: key } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

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

  it('prints the row errors as a table and exits non-zero when the file is rejected', async () => {
    const run = await runCli(['import', fixture('bad/vpr-negative-score.csv'), '--url', hub.baseUrl], hub.keys.importer);
    expect(run.stdout).toMatch(/отклонён/);
    expect(run.stdout).toMatch(/Ошибки и предупреждения \(\d+/);
    expect(run.stdout).toMatch(/строка\s+│\s+столбец/);
    expect(run.code).toBe(2);
  }, 90_000);

  it('says what is missing when called without a key', async () => {
    const run = await runCli(['import', fixture('valid/fisoko-vpr-individual.csv'), '--url', hub.baseUrl], '');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Нужен ключ доступа/);
  });
});
