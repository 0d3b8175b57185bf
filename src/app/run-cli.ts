import { ConfigError } from '../config/config';
import { createLogger, type Logger } from '../shared/logger';
import { ServiceUnavailableError } from '../db/database-admin';

/** Runs a process's task to its end (the server, the worker, a command-line task); configuration and connection problems end it with one line naming the fix. */
export function runCli(task: (log: Logger) => Promise<void>): void {
  const log = createLogger();
  task(log).then(
    () => process.exit(0),
    (error: unknown) => {
      if (error instanceof ConfigError || error instanceof ServiceUnavailableError) {
        process.stderr.write(`msoko-hub: ${error.message}\n`);
      } else {
        log.error({ err: error }, 'command failed');
      }
      process.exit(1);
    },
  );
}
