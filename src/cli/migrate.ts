import { loadConfig } from '../config/config';
import { createOrm, migrate } from '../db/orm';
import { ensureDatabaseExists } from '../db/database-admin';
import { runCli } from '../app/run-cli';

runCli(async (log) => {
  const config = loadConfig();
  await ensureDatabaseExists(config.databaseUrl);
  const orm = await createOrm({ databaseUrl: config.databaseUrl });
  try {
    const applied = await migrate(orm);
    log.info({ applied }, applied.length ? 'migrations applied' : 'database schema is up to date');
  } finally {
    await orm.close(true);
  }
});
