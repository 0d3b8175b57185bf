#!/usr/bin/env node
/**
 * `npm test`: make sure PostgreSQL and Redis are up, and Chromium when the selected tests include the browser
 * tests (found, or installed as root with apt-get), then run jest with any extra arguments.
 */
const { spawn, spawnSync } = require('node:child_process');
const { ensureChromium, ensureServices } = require('./services');

const jestBin = require.resolve('jest/bin/jest');
const args = process.argv.slice(2);

/** Whether this run selects a browser test (*.browser.test.ts); when jest cannot tell, assume it does. */
function selectsBrowserTests() {
  const listed = spawnSync(process.execPath, [jestBin, '--listTests', ...args], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (listed.status !== 0) return true;
  return /\.browser\.test\.[jt]s$/m.test(listed.stdout);
}

(async () => {
  let services;
  let browser = {};
  try {
    if (selectsBrowserTests()) browser = ensureChromium(process.env, (m) => process.stderr.write(`msoko-hub: ${m}\n`));
    services = await ensureServices();
  } catch (error) {
    process.stderr.write(`msoko-hub: ${error.message}\n`);
    process.exit(1);
  }
  const jest = spawn(process.execPath, [jestBin, ...args], {
    stdio: 'inherit',
    env: { ...process.env, ...services.env, ...browser },
  });
  jest.on('exit', async (code, signal) => {
    await services.stop();
    process.exit(code ?? (signal ? 1 : 0));
  });
})();
