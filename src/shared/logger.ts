import pino, { type Logger } from 'pino';

/** Structured logs. Never log participant rows, personal data or API keys: pass ids and counts. */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info', name = 'msoko-hub'): Logger {
  return pino({ name, level, redact: { paths: ['*.apiKey', '*.authorization', 'req.headers.authorization', 'req.headers["x-api-key"]'], censor: '[redacted]' } });
}

export type { Logger };
