import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

/**
 * Structured logs. Never log participant rows, personal data or API keys: pass ids and counts.
 * JSON lines for collectors; on a terminal (or LOG_FORMAT=pretty) one readable line per event, written
 * synchronously so nothing is lost when a command exits. LOG_FORMAT=json forces JSON on a terminal too.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info', name = 'msoko-hub'): Logger {
  const options = { name, level, redact: { paths: ['apiKey', '*.apiKey', '*.authorization', 'req.headers.authorization', 'req.headers["x-api-key"]'], censor: '[redacted]' } };
  const format = process.env.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json');
  if (format !== 'pretty') return pino(options);
  return pino(options, pretty({ sync: true, colorize: Boolean(process.stdout.isTTY), translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,name' }));
}

export type { Logger };
