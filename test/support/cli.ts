import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npx msoko-hub …` as an operator runs it: the package's bin from the project root, the key in MSOKO_KEY (or any env). */
export function runCli(args: string[], keyOrEnv: string | Record<string, string>): Promise<CliRun> {
  const env = typeof keyOrEnv === 'string' ? { MSOKO_KEY: keyOrEnv } : keyOrEnv;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'msoko-hub.js'), ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
