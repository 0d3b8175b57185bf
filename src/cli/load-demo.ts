import { AggregateService } from '../assessments/aggregate.service';
import { ApiKeyService } from '../auth/api-key.service';
import { ApiKey } from '../auth/api-key.entity';
import { SYSTEM_PRINCIPAL } from '../shared/principal';
import { Role } from '../shared/role';
import { loadConfig } from '../config/config';
import { ensureDatabaseExists } from '../db/database-admin';
import { createOrm, migrate } from '../db/orm';
import { generateDemoRegion } from '../demo';
import { loadRegion } from '../demo/region-loader';
import { PlanRecomputeService } from '../recommendations/plans/plan-recompute.service';
import { RiskRecomputeService } from '../risk/recompute/risk-recompute.service';
import { runCli } from '../app/run-cli';

/**
 * Brings a database to a ready demo: creates it if needed, applies migrations, loads the demo region
 * (deterministic, seeded) unless it is already there, computes per-school aggregates, and issues a fresh
 * demo admin key (the previous demo keys are revoked), printed on the last line of stdout.
 */
const DEMO_KEY_NAME = 'demo administrator (npm run demo)';

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
      const risk = await new RiskRecomputeService(orm.em.fork()).recompute({ schoolIds: null });
      log.info({ zones: risk.zones, flagged: risk.flagged }, 'risk zones computed');
      const plans = await new PlanRecomputeService(orm.em.fork()).recompute({ schoolIds: null, years: null });
      log.info({ ...plans.measures, schoolPlans: plans.schoolPlans }, 'plans of measures computed');
    }
    log.info({ region: region.region.name, schools: outcome.schools, participants: outcome.participants, planted: region.planted.length }, 'demo region ready');
    const keys = new ApiKeyService(orm.em.fork(), { ...SYSTEM_PRINCIPAL, actor: 'demo' });
    for (const old of await orm.em.fork().find(ApiKey, { name: DEMO_KEY_NAME, revokedAt: null })) await keys.revoke(old.id);
    const { key } = await keys.create({ name: DEMO_KEY_NAME, role: Role.ADMIN });
    process.stdout.write(`DEMO_ADMIN_KEY=${key}\n`);
  } finally {
    await orm.close(true);
  }
});
