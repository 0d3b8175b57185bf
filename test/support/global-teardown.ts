import { Client } from 'pg';
import { withDatabase } from '../../src/config/config';
import { TEMPLATE_ENV, TEST_DATABASE_URL } from './env';

/** Drops the template and any test database a crashed file left behind. */
export default async function globalTeardown(): Promise<void> {
  const template = process.env[TEMPLATE_ENV];
  if (!template) return;
  const admin = new Client({ connectionString: withDatabase(TEST_DATABASE_URL, 'postgres') });
  await admin.connect();
  try {
    const suffix = template.replace('msoko_tpl_', '');
    const { rows } = await admin.query<{ datname: string }>(
      `select datname from pg_database where datname = $1 or datname like $2`,
      [template, `msoko_t_${suffix}_%`],
    );
    for (const { datname } of rows) await admin.query(`drop database if exists ${datname} with (force)`);
  } finally {
    await admin.end();
  }
}
