import os from 'node:os';
import { loadConfig } from '../config/config';
import { startHub, stopOnSignals } from './runtime';
import { runCli } from './run-cli';

/** The worker process: consumes every queue; PostgreSQL is the record, Redis only carries the work. */
runCli(async (log) => {
  const config = loadConfig();
  // Background work yields the CPU to API requests when both run on one host (WORKER_NICE, 0 to keep the priority).
  if (config.workerNice > 0) {
    try {
      os.setPriority(0, config.workerNice);
    } catch (error) {
      log.warn({ err: (error as Error).message }, 'could not lower the priority of the worker');
    }
  }
  const hub = await startHub(config, { api: false, worker: true, log });
  stopOnSignals(hub, log);
  log.info({ queues: hub.workers.map((w) => w.name) }, 'msoko-hub worker started');
  await new Promise<never>(() => undefined);
});
