#!/usr/bin/env node
/**
 * `npm run demo`: PostgreSQL and Redis up (started if possible), database migrated, demo region loaded,
 * then the API and the worker as two processes; prints the URLs. Ctrl+C stops both in order.
 */
const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');
const { ensureServices } = require('./services');

const root = path.join(__dirname, '..');
const tsNode = ['-r', 'ts-node/register/transpile-only'];

(async () => {
  let services;
  try {
    services = await ensureServices();
  } catch (error) {
    process.stderr.write(`msoko-hub: ${error.message}\n`);
    process.exit(1);
  }
  // The children's output reaches this terminal through pipes: they log readable lines when it is one.
  const env = { ...process.env, ...services.env, WORKER_IN_PROCESS: '0', LOG_FORMAT: process.env.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json') };
  const load = spawnSync(process.execPath, [...tsNode, 'src/cli/load-demo.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  process.stdout.write(load.stdout ?? '');
  const demoKey = (/^DEMO_ADMIN_KEY=(\S+)$/m.exec(load.stdout ?? '') ?? [])[1];
  if (load.status !== 0) {
    await services.stop();
    process.exit(load.status ?? 1);
  }
  const worker = spawn(process.execPath, [...tsNode, 'src/app/worker.ts'], { cwd: root, env, stdio: 'inherit' });
  const api = spawn(process.execPath, [...tsNode, 'src/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let announced = false;
  api.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    const match = !announced && String(chunk).match(/"?url"?:\s*"(http[^"]+)"/);
    if (match) {
      announced = true;
      const base = match[1].replace(/\/graphql$/, '');
      process.stdout.write(
        `\n  msoko-hub is up with the demo region loaded.\n  GraphQL:  ${match[1]}\n  API key:  ${demoKey} (administrator; send it as "Authorization: Bearer <key>")\n` +
          `  Example:  curl -s ${match[1]} -H 'content-type: application/json' -H 'authorization: Bearer ${demoKey}' -d '{"query":"{ regions { code name } }"}'\n` +
          `  Sign in:  ${base}/login  (paste the API key once; then the IDE, dashboard and pages open)\n` +
          `  IDE:      ${match[1]}  (GraphiQL, offline, with the README's example queries)\n` +
          `  Jobs:     ${base}/admin/queues\n` +
          `  Reports:  ${base}/pages  (municipality overviews and school passports)\n` +
          `  Health:   ${base}/readyz   Metrics: ${base}/metrics (administrator key)\n  Stop with Ctrl+C.\n\n`,
      );
    }
  });
  const children = [api, worker];
  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill(signal);
  };
  process.on('SIGINT', () => stop('SIGTERM'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  let exited = 0;
  for (const child of children) {
    child.on('exit', async (code) => {
      if (!stopping && code !== 0) stop('SIGTERM');
      if (++exited === children.length) {
        await services.stop();
        process.exit(stopping ? 0 : code ?? 1);
      }
    });
  }
})();
