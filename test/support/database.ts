import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { withDatabase } from '../../src/config/config';
import { createOrm, type MikroORM } from '../../src/db/orm';
import { TEMPLATE_ENV, TEST_DATABASE_URL } from './env';

export interface TestDatabase {
  name: string;
  url: string;
  orm: MikroORM;
  /** Every SQL statement the ORM ran, for statement-count assertions. */
  statements: string[];
  drop(): Promise<void>;
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: withDatabase(TEST_DATABASE_URL, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database of this test file's own, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = process.env[TEMPLATE_ENV];
  if (!template) throw new Error(`${TEMPLATE_ENV} is not set: run the tests through jest (npm test)`);
  const name = `msoko_t_${template.replace('msoko_tpl_', '')}_${randomBytes(4).toString('hex')}`;
  await admin(async (client) => {
    // Two files cloning the template at the same instant can collide; a short retry settles it.
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`create database ${name} template ${template}`);
        return;
      } catch (error) {
        if (attempt >= 10 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((r) => setTimeout(r, 200 + Math.random() * 300));
      }
    }
  });
  const url = withDatabase(TEST_DATABASE_URL, name);
  const statements: string[] = [];
  const orm = await createOrm({ databaseUrl: url, onQuery: (message) => statements.push(message) });
  return {
    name,
    url,
    orm,
    statements,
    drop: async () => {
      await orm.close(true);
      await admin((client) => client.query(`drop database if exists ${name} with (force)`));
    },
  };
}
