import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { withDatabase } from '../../src/config/config';
import { TEMPLATE_ENV, TEST_DATABASE_URL } from './env';

/**
 * Once per jest run: a template database with every migration applied, through the real `migrate`
 * command. Each test file then clones it (CREATE DATABASE … TEMPLATE), which takes a fraction of a
 * second and keeps files independent. The migration runs in a child process: MikroORM keeps entity
 * metadata in process-wide storage, which must not leak into test files run in this process (--runInBand).
 */
export default async function globalSetup(): Promise<void> {
  const template = `msoko_tpl_${process.pid}`;
  const admin = new Client({ connectionString: withDatabase(TEST_DATABASE_URL, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${template}`);
    await admin.query(`create database ${template}`);
  } finally {
    await admin.end();
  }
  const root = join(__dirname, '..', '..');
  execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(root, 'src', 'cli', 'migrate.ts')], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: withDatabase(TEST_DATABASE_URL, template), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.env[TEMPLATE_ENV] = template;
}
