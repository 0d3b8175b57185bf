import { AggregateService } from '../assessments/aggregate.service';
import { loadConfig } from '../config/config';
import { ensureDatabaseExists } from '../db/database-admin';
import { createOrm, migrate } from '../db/orm';
import { generateDemoRegion } from '../demo';
import { loadRegion } from '../loading/region-loader';
import { runCli } from './run-cli';

/**
 * Brings a database to a ready demo: creates it if needed, applies migrations, loads the demo region
 * (deterministic, seeded) unless it is already there, and computes per-school aggregates.
 */
runCli(async (log) => {
  const config = loadConfig();
  await ensureDatabaseExists(config.databaseUrl);
  const orm = await createOrm({ databaseUrl: config.databaseUrl });
  try {
    const applied = await migrate(orm);
    if (applied.length) log.info({ applied }, 'migrations applied');
    const region = generateDemoRegion();
    const outcome = await loadRegion(config.databaseUrl, region, log);
    const hasAggregates = Number((await orm.em.getKnex().raw('select count(*) as n from school_result')).rows[0].n) > 0;
    if (outcome.loaded || !hasAggregates) {
      const started = Date.now();
      const result = await new AggregateService(orm.em.fork()).recompute({ schoolIds: null, years: region.years });
      log.info({ ...result, ms: Date.now() - started }, 'aggregates computed');
    }
    log.info({ region: region.region.name, schools: outcome.schools, participants: outcome.participants, planted: region.planted.length }, 'demo region ready');
  } finally {
    await orm.close(true);
  }
});
