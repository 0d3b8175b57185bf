import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface Child {
  process: ChildProcess;
  output(): string;
  /** Resolves when the child's stdout matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

/** A TypeScript entry point of the hub in a child process (real worker, real API). */
export function spawnHubProcess(script: string, env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, script)], { cwd: ROOT, env: { ...process.env, ...env } });
  let out = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (out += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    process: child,
    output: () => out,
    exited,
    waitFor: (pattern, timeoutMs = 45_000) =>
      new Promise((resolve, reject) => {
        const deadline = Date.now() + timeoutMs;
        const poll = () => {
          const match = out.match(pattern);
          if (match) return resolve(match);
          if (Date.now() > deadline) return reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${out.slice(-3000)}`));
          setTimeout(poll, 50);
        };
        poll();
      }),
  };
}

/**
 * A real worker process, kept in `children` for the test's clean-up, once it says it started. Under ts-node that
 * takes a minute and more while a busy 2-core machine runs other suites, hence the default wait.
 */
export async function startWorkerProcess(env: Record<string, string>, children: Child[], timeoutMs = 150_000): Promise<Child> {
  const child = spawnHubProcess('src/app/worker.ts', env);
  children.push(child);
  await child.waitFor(/msoko-hub worker started/, timeoutMs);
  return child;
}

/** A private redis-server on a free port, which a test may stop and start again. */
export function startRedisServer(port: number): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
}

export async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
