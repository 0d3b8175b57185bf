import { loadConfig } from '../src/config/config';
import { startHub, stopOnSignals } from '../src/app/runtime';
import { runCli } from '../src/cli/run-cli';

/** The worker process: consumes every queue; PostgreSQL is the record, Redis only carries the work. */
runCli(async (log) => {
  const config = loadConfig();
  const hub = await startHub(config, { api: false, worker: true, log });
  stopOnSignals(hub, log);
  log.info({ queues: hub.workers.map((w) => w.name) }, 'msoko-hub worker started');
  await new Promise<never>(() => undefined);
});
