import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** What a person and a log collector each read from the same event. */
describe('log format', () => {
  const root = join(__dirname, '..', '..');
  const emit = (env: Record<string, string>, inherit = true) =>
    execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', "require('./src/shared/logger').createLogger('info').info({ schools: 60, apiKey: 'msk_secret' }, 'регион загружен')"], {
      cwd: root,
      env: inherit ? { ...process.env, ...env } : env,
      encoding: 'utf8',
    });

  it('writes JSON lines when its output is not a terminal, keys redacted', () => {
    const { LOG_FORMAT: _unset, ...env } = process.env;
    const line = JSON.parse(emit(env as Record<string, string>, false).trim());
    expect(line).toMatchObject({ level: 30, msg: 'регион загружен', schools: 60, apiKey: '[redacted]' });
  });

  it('writes one readable line per event with LOG_FORMAT=pretty (as on a terminal)', () => {
    const text = emit({ LOG_FORMAT: 'pretty' });
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: регион загружен\n {4}schools: 60\n {4}apiKey: "\[redacted\]"\n$/);
  });
});
