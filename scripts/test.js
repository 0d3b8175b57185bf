#!/usr/bin/env node
/** `npm test`: make sure PostgreSQL and Redis are up, then run jest with any extra arguments. */
const { spawn } = require('node:child_process');
const { ensureServices } = require('./services');

(async () => {
  let services;
  try {
    services = await ensureServices();
  } catch (error) {
    process.stderr.write(`msoko-hub: ${error.message}\n`);
    process.exit(1);
  }
  const jest = spawn(process.execPath, [require.resolve('jest/bin/jest'), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, ...services.env },
  });
  jest.on('exit', async (code, signal) => {
    await services.stop();
    process.exit(code ?? (signal ? 1 : 0));
  });
})();
