/**
 * The worker's side of its import process (import-process.child.ts): started on the first import job and kept
 * for the next ones, restarted when it dies. Its heap is shaped for streaming: an import holds little at any
 * moment but allocates fast. The old generation is capped, or V8 lets garbage pile up to several hundred megabytes
 * before collecting; the young generation is enlarged, so a batch of rows dies young instead of being promoted
 * (measured on a million-row file: half the parse time, ~30 MB more at the peak).
 */
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { once } from 'node:events';
import { extname, join } from 'node:path';
import type { Logger } from '../../shared/logger';
import type { ImportProgress } from './import-attempt';
import type { ImportSettings } from './import-settings';
import type { FromImportProcess, ImportJobOutcome, ToImportProcess } from './import-process.protocol';

/** Old-generation limit of the import process, MB: the live set of a streamed import is a few tens of MB. */
const IMPORT_HEAP_MB = 256;
/** Young-generation semi-space of the import process, MB (V8's default is 16). */
const IMPORT_SEMI_SPACE_MB = 32;
/**
 * Scheduling priority of the import process (nice 10): parsing a million-row file is batch work that may take
 * a second longer, while API requests on the same host are people waiting. The OS gives them the CPU first.
 */
const IMPORT_NICE = 10;

function lowerPriority(child: ChildProcess, log: { warn(object: object, message: string): void }): void {
  if (child.pid === undefined) return;
  try {
    os.setPriority(child.pid, IMPORT_NICE);
  } catch (error) {
    log.warn({ err: (error as Error).message }, 'could not lower the priority of the import process');
  }
}

export interface ImportProcessHostOptions {
  databaseUrl: string;
  queuePrefix: string;
  settings: ImportSettings;
  log: Logger;
}

/** Worker side: starts and keeps the import process (import-process.child.ts) and hands it one batch at a time for ImportBatchRunner. */
export class ImportProcessHost {
  private child: ChildProcess | null = null;
  private starting: Promise<ChildProcess> | null = null;
  private busy = false;

  constructor(private readonly options: ImportProcessHostOptions) {}

  /** The process id, once started (the benchmark samples its memory). */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  async run(batchId: number, onProgress: (progress: ImportProgress) => void): Promise<ImportJobOutcome> {
    if (this.busy) throw new Error('the import process runs one import at a time');
    this.busy = true;
    try {
      const child = await this.started();
      return await new Promise<ImportJobOutcome>((resolve, reject) => {
        const onMessage = (message: FromImportProcess) => {
          if (message.type === 'progress') onProgress(message.progress);
          else if (message.type === 'done') finish(() => resolve(message.outcome));
          else if (message.type === 'failed') finish(() => reject(new Error(message.message)));
        };
        const onExit = (code: number | null, signal: NodeJS.Signals | null) => finish(() => reject(new Error(`the import process exited (${signal ?? code}) during the import`)));
        const finish = (settle: () => void) => {
          child.off('message', onMessage);
          child.off('exit', onExit);
          settle();
        };
        child.on('message', onMessage);
        child.once('exit', onExit);
        const request: ToImportProcess = { type: 'run', batchId, databaseUrl: this.options.databaseUrl, queuePrefix: this.options.queuePrefix, settings: this.options.settings };
        child.send(request);
      });
    } finally {
      this.busy = false;
    }
  }

  async close(): Promise<void> {
    const child = this.child;
    this.child = null;
    this.starting = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  private started(): Promise<ChildProcess> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) return Promise.resolve(this.child);
    this.starting ??= this.spawn().finally(() => (this.starting = null));
    return this.starting;
  }

  private spawn(): Promise<ChildProcess> {
    const entry = join(__dirname, `import-process.child${extname(__filename)}`);
    // Under ts-node (the hub runs from TypeScript) the child needs the same loader; compiled code does not.
    const loader = extname(__filename) === '.ts' ? ['-r', 'ts-node/register/transpile-only'] : [];
    const child = fork(entry, [], {
      execArgv: [
        ...loader,
        `--max-old-space-size=${IMPORT_HEAP_MB}`,
        `--max-semi-space-size=${IMPORT_SEMI_SPACE_MB}`,
        // Each import binds its layout anew (fresh closures on the hot path). With feedback vectors allocated lazily,
        // the import process used 5.2–5.7 CPU seconds on the benchmark's million rows instead of 3.5–4.1.
        '--no-lazy-feedback-allocation',
        // Diagnostics: a CPU profile of the import process, written when it exits.
        ...(process.env.IMPORT_PROCESS_CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.IMPORT_PROCESS_CPU_PROFILE_DIR}`] : []),
      ],
      // It logs like its worker: to the same output, at the same level.
      env: { ...process.env, LOG_LEVEL: this.options.log.level },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    lowerPriority(child, this.options.log);
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      this.options.log.info({ pid: child.pid, code, signal }, 'import process exited');
    });
    return new Promise((resolve, reject) => {
      const onReady = (message: FromImportProcess) => {
        if (message.type !== 'ready') return;
        child.off('message', onReady);
        child.off('exit', onEarlyExit);
        this.child = child;
        this.options.log.info({ pid: child.pid }, 'import process started');
        resolve(child);
      };
      const onEarlyExit = (code: number | null) => reject(new Error(`the import process exited (${code}) while starting`));
      child.on('message', onReady);
      child.once('exit', onEarlyExit);
    });
  }
}
