import { Client } from 'pg';
import { databaseName, withDatabase } from '../config/config';

/** A service the hub needs is not reachable; the message names the variable and the fix. */
export class ServiceUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceUnavailableError';
  }
}

const FIX = 'start it, or run `docker compose up -d postgres redis`';

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    return client;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ServiceUnavailableError(`DATABASE_URL: cannot connect to PostgreSQL at ${new URL(url).host} (${reason}); ${FIX}`);
  }
}

/** Creates the database named in the URL when it does not exist yet (on a fresh machine). */
export async function ensureDatabaseExists(databaseUrl: string): Promise<void> {
  const name = databaseName(databaseUrl);
  const admin = await connect(withDatabase(databaseUrl, 'postgres'));
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      await admin.query(`create database "${name.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created concurrently by another process
      });
    }
  } finally {
    await admin.end();
  }
}

export async function checkPostgres(databaseUrl: string): Promise<void> {
  const client = await connect(databaseUrl);
  await client.end();
}
