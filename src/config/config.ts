/**
 * Configuration from environment variables, validated once at start-up.
 * Every variable has a working default for a developer machine with PostgreSQL and Redis on localhost.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from '../graphql/guard-rails';

export interface HubConfig {
  databaseUrl: string;
  redisUrl: string;
  host: string;
  port: number;
  logLevel: string;
  /** Prefix of every BullMQ key, so several hubs (or test files) can share one Redis. */
  queuePrefix: string;
  /** Secret of the keyed hash that turns ГИА protocol rows into anonymised participant codes. */
  participantCodeSecret: string;
  maxUploadBytes: number;
  /** Absolute path of the directory where uploaded import files wait for their import (shared by API and worker). */
  importDir: string;
  /** Statement timeout applied to every database session, in milliseconds. */
  statementTimeoutMs: number;
  nodeEnv: string;
  /** Query guard rails: text length, tokens, fragments, fields, depth and an upper bound of rows touched (src/graphql/guard-rails.ts). */
  queryLimits: QueryLimits;
  /** Uploads per API key per day (UTC): bytes and files; 0 = no quota. */
  uploadQuotaBytesPerDay: number;
  uploadQuotaFilesPerDay: number;
  /** Row errors stored per import batch; beyond it they are only counted. They are removed this long after the batch finished. */
  maxStoredRowErrors: number;
  rowErrorRetentionMs: number;
  /** Days an import keeps what it replaced, for revertImport (IMPORT_UNDO_DAYS). */
  importUndoDays: number;
  /** Requests per minute per API key (0 = no limit). */
  rateLimitPerMinute: number;
  /** How long a worker holds a job before another may take it over (a killed worker's jobs are retried after this). */
  jobLockMs: number;
  /** How often the worker compares dispatched job requests with Redis and resends the jobs Redis lost. */
  jobReconcileMs: number;
  /** How long a cached read-query response may be served (0 turns the response cache off), and its memory budget. */
  responseCacheTtlMs: number;
  responseCacheBytes: number;
  /** Scheduling priority (nice) the worker process takes at start, so that jobs yield the CPU to API requests. */
  workerNice: number;
  /** How long an uploaded file may wait for its import before it is removed and its batch cancelled. */
  uploadRetentionMs: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

const DEV_SECRET = 'msoko-hub-development-secret-change-me';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): HubConfig {
  const databaseUrl = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/msoko';
  checkUrl('DATABASE_URL', databaseUrl, ['postgres:', 'postgresql:'], 'postgres://user@host:5432/dbname');
  const redisUrl = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  checkUrl('REDIS_URL', redisUrl, ['redis:', 'rediss:'], 'redis://host:6379');
  const nodeEnv = env.NODE_ENV ?? 'development';
  const participantCodeSecret = env.PARTICIPANT_CODE_SECRET ?? DEV_SECRET;
  if (nodeEnv === 'production' && participantCodeSecret === DEV_SECRET) {
    throw new ConfigError('PARTICIPANT_CODE_SECRET', 'must be set to a long random value in production (openssl rand -hex 32)');
  }
  return {
    databaseUrl,
    redisUrl,
    host: env.HOST ?? '127.0.0.1',
    port: intVar(env, 'PORT', 4000, 0, 65535),
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    queuePrefix: env.QUEUE_PREFIX ?? 'msoko',
    participantCodeSecret,
    maxUploadBytes: intVar(env, 'MAX_UPLOAD_MB', 200, 1, 10_000) * 1024 * 1024,
    importDir: directoryVar(env, 'IMPORT_DIR', '.data/imports'),
    statementTimeoutMs: intVar(env, 'STATEMENT_TIMEOUT_MS', 30_000, 100, 3_600_000),
    nodeEnv,
    queryLimits: {
      maxDepth: intVar(env, 'MAX_QUERY_DEPTH', DEFAULT_QUERY_LIMITS.maxDepth, 2, 100),
      maxCost: intVar(env, 'MAX_QUERY_COST', DEFAULT_QUERY_LIMITS.maxCost, 100, 100_000_000),
      maxQueryLength: intVar(env, 'MAX_QUERY_LENGTH', DEFAULT_QUERY_LIMITS.maxQueryLength, 256, 1_000_000),
      maxTokens: intVar(env, 'MAX_QUERY_TOKENS', DEFAULT_QUERY_LIMITS.maxTokens, 50, 1_000_000),
      maxFragments: intVar(env, 'MAX_QUERY_FRAGMENTS', DEFAULT_QUERY_LIMITS.maxFragments, 0, 10_000),
      maxFields: intVar(env, 'MAX_QUERY_FIELDS', DEFAULT_QUERY_LIMITS.maxFields, 10, 1_000_000),
      maxRootFields: intVar(env, 'MAX_QUERY_ROOT_FIELDS', DEFAULT_QUERY_LIMITS.maxRootFields, 1, 10_000),
    },
    uploadQuotaBytesPerDay: intVar(env, 'UPLOAD_QUOTA_MB_PER_DAY', 2048, 0, 1_000_000) * 1024 * 1024,
    uploadQuotaFilesPerDay: intVar(env, 'UPLOAD_QUOTA_FILES_PER_DAY', 500, 0, 1_000_000),
    maxStoredRowErrors: intVar(env, 'MAX_STORED_ROW_ERRORS', 10_000, 100, 10_000_000),
    rowErrorRetentionMs: intVar(env, 'IMPORT_ERRORS_RETENTION_DAYS', 90, 1, 3650) * 86_400_000,
    importUndoDays: intVar(env, 'IMPORT_UNDO_DAYS', 90, 1, 3650),
    rateLimitPerMinute: intVar(env, 'RATE_LIMIT_PER_MINUTE', 1200, 0, 1_000_000),
    jobLockMs: intVar(env, 'JOB_LOCK_MS', 60_000, 1000, 3_600_000),
    jobReconcileMs: intVar(env, 'JOB_RECONCILE_MS', 30_000, 250, 3_600_000),
    responseCacheTtlMs: intVar(env, 'RESPONSE_CACHE_TTL_S', 60, 0, 86_400) * 1000,
    responseCacheBytes: intVar(env, 'RESPONSE_CACHE_MB', 64, 1, 16_384) * 1024 * 1024,
    workerNice: intVar(env, 'WORKER_NICE', 5, 0, 19),
    uploadRetentionMs: intVar(env, 'UPLOAD_RETENTION_HOURS', 24, 1, 24 * 365) * 3_600_000,
  };
}

function checkUrl(variable: string, value: string, protocols: string[], example: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(variable, `cannot parse "${value}"; expected a URL like ${example}`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(variable, `protocol "${url.protocol}" is not supported; expected a URL like ${example}`);
  }
}

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `"${raw}" is not a whole number between ${min} and ${max}`);
  }
  return value;
}

/** A directory path, resolved against the working directory; it is created on first use, but must not be a file. */
function directoryVar(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name];
  const value = raw === undefined || raw.trim() === '' ? fallback : raw.trim();
  if (value.includes('\0')) throw new ConfigError(name, 'contains a NUL character; expected a directory path');
  const path = resolve(value);
  let isFile = false;
  try {
    isFile = !statSync(path).isDirectory();
  } catch {
    // Missing: it is created when the first file arrives.
  }
  if (isFile) throw new ConfigError(name, `"${path}" exists and is not a directory; expected a directory path such as .data/imports`);
  return path;
}

function oneOf(env: NodeJS.ProcessEnv, name: string, fallback: string, allowed: string[]): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!allowed.includes(raw)) throw new ConfigError(name, `"${raw}" is not one of ${allowed.join(', ')}`);
  return raw;
}

/** Database name in a DATABASE_URL, and the same URL pointing at another database. */
export function databaseName(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, '')) || 'postgres';
}

export function withDatabase(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}
