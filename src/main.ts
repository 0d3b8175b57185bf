import { loadConfig } from './config/config';
import { startHub, stopOnSignals } from './app/runtime';
import { runCli } from './app/run-cli';

/** The API process. Set WORKER_IN_PROCESS=1 to run the job workers in the same process. */
runCli(async (log) => {
  const config = loadConfig();
  const hub = await startHub(config, { api: true, worker: process.env.WORKER_IN_PROCESS === '1', log });
  stopOnSignals(hub, log);
  const base = hub.url!.replace(/\/graphql$/, '');
  log.info({ url: hub.url, ide: hub.url, dashboard: `${base}/admin/queues`, pages: `${base}/pages`, signIn: `${base}/login`, metrics: `${base}/metrics` }, 'msoko-hub API listening');
  await new Promise<never>(() => undefined);
});
