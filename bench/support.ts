import { AggregateService } from '../src/assessments/aggregate.service';
import { withDatabase } from '../src/config/config';
import { ensureDatabaseExists } from '../src/db/database-admin';
import { createOrm, migrate, type MikroORM } from '../src/db/orm';
import type { DemoRegion } from '../src/demo';
import { loadRegion, type LoadOutcome } from '../src/demo/region-loader';
import { createLogger, type Logger } from '../src/shared/logger';

export const benchLog: Logger = createLogger(process.env.LOG_LEVEL ?? 'warn', 'bench');

/** A database of the benchmark's own (DATABASE_URL's server, another name), migrated and loaded with `region`. */
export async function prepareBenchDatabase(name: string, region: DemoRegion, onQuery?: (sql: string) => void): Promise<{ url: string; orm: MikroORM; load: LoadOutcome }> {
  const url = withDatabase(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/msoko', name);
  await ensureDatabaseExists(url);
  const orm = await createOrm({ databaseUrl: url, onQuery });
  await migrate(orm);
  const load = await loadRegion(url, region, benchLog);
  const hasAggregates = Number((await orm.em.getKnex().raw('select count(*) as n from school_result')).rows[0].n) > 0;
  if (load.loaded || !hasAggregates) await new AggregateService(orm.em.fork()).recompute({ schoolIds: null, years: region.years });
  return { url, orm, load };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export const round = (value: number, digits = 2) => Number(value.toFixed(digits));
