import { loadConfig } from './config/config';
import { startHub, stopOnSignals } from './app/runtime';
import { runCli } from './cli/run-cli';

/** The API process. Set WORKER_IN_PROCESS=1 to run the job workers in the same process. */
runCli(async (log) => {
  const config = loadConfig();
  const hub = await startHub(config, { api: true, worker: process.env.WORKER_IN_PROCESS === '1', log });
  stopOnSignals(hub, log);
  log.info({ url: hub.url }, 'msoko-hub API listening');
  await new Promise<never>(() => undefined);
});
