import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/config';
import { checkRedis } from '../../src/shared/redis';
import { ApiKeyService } from '../../src/auth/api-key.service';
import { Role } from '../../src/shared/role';
import { createTestDatabase, type TestDatabase } from '../support/database';

const ROOT = join(__dirname, '..', '..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runProcess(script: string, env: Record<string, string>, untilStdout?: RegExp, onReady?: (child: ReturnType<typeof spawn>, match: RegExpMatchArray) => Promise<void>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, script)], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    let triggered = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out; stdout: ${stdout} stderr: ${stderr}`));
    }, 45_000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = untilStdout && !triggered ? stdout.match(untilStdout) : null;
      if (match && onReady) {
        triggered = true;
        onReady(child, match).catch(reject);
      }
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('configuration and process lifecycle', () => {
  it('names the variable and the expected form when a URL cannot be parsed', () => {
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/^DATABASE_URL: cannot parse "not a url"; expected a URL like postgres:\/\//);
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(/^REDIS_URL: protocol "http:" is not supported/);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/^PORT: "eighty" is not a whole number/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/^PARTICIPANT_CODE_SECRET:/);
    expect(loadConfig({}).databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/msoko');
  });

  it('names the variable and the fix in one line when Redis is unreachable', async () => {
    await expect(checkRedis('redis://127.0.0.1:1', 1000)).rejects.toThrow(/^REDIS_URL: cannot connect to Redis at 127\.0\.0\.1:1 .*docker compose up -d postgres redis`$/);
  });

  it('stops the API at start with one line on bad configuration', async () => {
    const badUrl = await runProcess('src/main.ts', { DATABASE_URL: 'not a url' });
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^msoko-hub: DATABASE_URL: cannot parse/)]);
    const noPostgres = await runProcess('src/main.ts', { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/msoko' });
    expect(noPostgres.code).toBe(1);
    expect(noPostgres.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^msoko-hub: DATABASE_URL: cannot connect to PostgreSQL at 127\.0\.0\.1:1 /)]);
  });

  describe('with a migrated database', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(() => db.drop());

    it('serves health probes, asks for a key, and shuts down in order on SIGTERM', async () => {
      const { key } = await new ApiKeyService(db.orm.em.fork()).create({ name: 'startup test', role: Role.ADMIN });
      const probes: Record<string, number> = {};
      let anonymous: any = null;
      const run = await runProcess(
        'src/main.ts',
        { DATABASE_URL: db.url, PORT: '0', WORKER_IN_PROCESS: '1', QUEUE_PREFIX: `msoko-startup-${process.pid}` },
        /"url":"(http:\/\/[^"]+)\/graphql"/,
        async (child, match) => {
          for (const path of ['/healthz', '/readyz']) probes[path] = (await fetch(`${match[1]}${path}`)).status;
          const body = JSON.stringify({ query: '{ regions { code } }' });
          const withoutKey = await fetch(`${match[1]}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
          probes['/graphql without key'] = withoutKey.status;
          anonymous = await withoutKey.json();
          const withKey = await fetch(`${match[1]}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body });
          probes['/graphql'] = withKey.status;
          child.kill('SIGTERM');
        },
      );
      expect(probes).toEqual({ '/healthz': 200, '/readyz': 200, '/graphql without key': 401, '/graphql': 200 });
      expect(anonymous.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(anonymous.data).toBeUndefined();
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/"signal":"SIGTERM".*"msg":"shutting down"/);
    });

    it('stops the worker with one line when Redis is unreachable at start', async () => {
      const run = await runProcess('src/app/worker.ts', { DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:1', QUEUE_PREFIX: `msoko-startup-${process.pid}` });
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^msoko-hub: REDIS_URL: cannot connect to Redis at 127\.0\.0\.1:1 .*docker compose up -d postgres redis`$/)]);
      expect(run.stdout).not.toMatch(/worker started/);
    });

    it('starts the API without Redis with one warning, serves reads, and reports Redis in /readyz', async () => {
      const { key } = await new ApiKeyService(db.orm.em.fork()).create({ name: 'startup test without redis', role: Role.ADMIN });
      let ready: { status: number; body: any } | null = null;
      let read: any = null;
      const run = await runProcess(
        'src/main.ts',
        { DATABASE_URL: db.url, REDIS_URL: 'redis://127.0.0.1:1', PORT: '0', WORKER_IN_PROCESS: '0', QUEUE_PREFIX: `msoko-startup-${process.pid}` },
        /"url":"(http:\/\/[^"]+)\/graphql"/,
        async (child, match) => {
          // Long enough for ioredis to retry several times: each failed attempt must not add a warning.
          await new Promise((r) => setTimeout(r, 3000));
          const readyz = await fetch(`${match[1]}/readyz`);
          ready = { status: readyz.status, body: await readyz.json() };
          const body = JSON.stringify({ query: '{ regions { code } }' });
          read = await (await fetch(`${match[1]}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body })).json();
          child.kill('SIGTERM');
        },
      );
      expect(ready).toEqual({ status: 503, body: { postgres: 'ok', redis: expect.not.stringMatching(/^ok$/) } });
      expect(read.errors).toBeUndefined();
      expect(Array.isArray(read.data.regions)).toBe(true);
      const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
      // About the connection (a request's own warning, such as the rate limit not checked, is the request's business).
      const aboutRedis = lines.filter((line) => /REDIS_URL|redis connection/i.test(line.msg));
      expect(aboutRedis).toEqual([
        expect.objectContaining({ level: 40, msg: expect.stringMatching(/^REDIS_URL: cannot connect to Redis at 127\.0\.0\.1:1 .*; the API starts anyway: reads go on.*\/readyz answers 503/) }),
      ]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    });
  });
});
