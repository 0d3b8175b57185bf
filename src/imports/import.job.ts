import { Worker, type Job } from 'bullmq';
import type { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../config/config';
import { ImportProcessHost } from './loading/import-process-host';
import type { ImportJobOutcome } from './loading/import-process.protocol';
import { importSettings } from './loading/import-settings';
import { failImportBatch, requeueImportBatch } from './loading/import-batch-runner';
import type { Logger } from '../shared/logger';
import { oncePerRequest, type JobGateway } from '../jobs/job-gateway';
import { DEFAULT_JOB_OPTIONS, QUEUE_NAMES, reportProgress, type ImportFilePayload } from '../jobs/queues';
import type { WorkerStart } from '../jobs/workers';

/**
 * Thin: the import runs in the worker's import process (ImportBatchRunner there); this only relays progress. A failed
 * attempt puts the batch back in the queue, the last one marks it failed (its data untouched either way).
 */
function importProcessor(orm: MikroORM, log: Logger, importProcess: ImportProcessHost) {
  return async (job: Job<ImportFilePayload>): Promise<ImportJobOutcome> => {
    try {
      const progress = reportProgress(job);
      return await importProcess.run(job.data.batchId, (stage) => void progress(stage));
    } catch (error) {
      const attempt = job.attemptsMade + 1;
      const final = attempt >= (job.opts.attempts ?? DEFAULT_JOB_OPTIONS.attempts ?? 1);
      const reason = error instanceof Error ? error.message : String(error);
      log.error({ batchId: job.data.batchId, attempt, final, err: reason }, 'import attempt failed');
      const knex = orm.em.fork().getKnex();
      if (final) await failImportBatch(knex, job.data.batchId, reason);
      else await requeueImportBatch(knex, job.data.batchId, attempt, reason);
      throw error;
    }
  };
}

/** BullMQ may give a job up without running it again (a worker that died too often): the batch must say so too. */
function recordImportGivenUp(orm: MikroORM, log: Logger) {
  return (job: Job<ImportFilePayload> | undefined, error: Error) => {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || /stalled/i.test(error.message);
    if (!final) return;
    failImportBatch(orm.em.fork().getKnex(), job.data.batchId, error.message).catch((err) =>
      log.error({ batchId: job.data.batchId, err: String(err) }, 'cannot record a failed import'),
    );
  };
}

/** The imports worker: one import at a time, in an import process of its own that ends with the worker. */
export function createImportWorker({ orm, log, gateway, prefix, settings }: WorkerStart): Worker {
  const importProcess = new ImportProcessHost({ databaseUrl: String(orm.config.get('clientUrl')), queuePrefix: prefix, settings: importSettings(loadConfig()), log });
  const worker = new Worker(QUEUE_NAMES.imports, oncePerRequest(gateway, importProcessor(orm, log, importProcess)), { ...settings, prefix, concurrency: 1 });
  worker.on('failed', recordImportGivenUp(orm, log));
  worker.on('closed', () => {
    importProcess.close().catch((err) => log.warn({ err: String(err) }, 'cannot stop the import process'));
  });
  return worker;
}
