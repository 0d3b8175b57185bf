/** Messages between a worker and its import process (over the IPC channel of child_process.fork). */
import type { ImportSettings } from './import-settings';
import type { ImportProgress, ImportAttemptOutcome } from './import-attempt';

export type ImportJobOutcome = ImportAttemptOutcome | { batchId: number; status: string | null; skipped: true };

export type ToImportProcess = {
  type: 'run';
  batchId: number;
  /** The worker's database and queue prefix (a test's worker has its own, unlike the environment's). */
  databaseUrl: string;
  queuePrefix: string;
  settings: ImportSettings;
};

export type FromImportProcess =
  | { type: 'ready' }
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'done'; outcome: ImportJobOutcome }
  | { type: 'failed'; message: string };
