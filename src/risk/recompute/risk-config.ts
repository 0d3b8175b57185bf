import type { Knex } from '@mikro-orm/postgresql';
import { resolveThresholds, type ThresholdOverrides } from '../methodology';
import { METHODOLOGY_VERSION } from '../methodology/version';
import type { RiskThresholds } from '../methodology/thresholds';

export interface ThresholdsInForce {
  /** risk_config row in force; null = the documented defaults of the methodology version. */
  configId: number | null;
  version: number;
  methodologyVersion: number;
  overrides: ThresholdOverrides;
  thresholds: RiskThresholds;
}

/**
 * The thresholds in force for a region: its latest configuration version, else the hub-wide one, else the
 * defaults. Overrides are validated when read, so a bad stored value fails loudly, naming the key.
 */
export async function thresholdsFor(knex: Knex, regionId: number): Promise<ThresholdsInForce> {
  const { rows } = await knex.raw(
    `select id, version, methodology_version, overrides from risk_config
     where (region_id = ? or region_id is null) and methodology_version = ?
     order by (region_id is null), version desc limit 1`,
    [regionId, METHODOLOGY_VERSION],
  );
  const row = rows[0];
  if (!row) return { configId: null, version: 0, methodologyVersion: METHODOLOGY_VERSION, overrides: {}, thresholds: resolveThresholds({}) };
  return { configId: row.id, version: row.version, methodologyVersion: row.methodology_version, overrides: row.overrides, thresholds: resolveThresholds(row.overrides) };
}

/** Stores a new configuration version for a region (or hub-wide with regionId null) after validating it. */
export async function saveThresholds(knex: Knex, regionId: number | null, overrides: ThresholdOverrides, createdBy: string, comment: string | null): Promise<ThresholdsInForce> {
  const thresholds = resolveThresholds(overrides);
  const { rows } = await knex.raw(
    `insert into risk_config (region_id, version, methodology_version, overrides, comment, created_by)
     values (?, (select coalesce(max(version), 0) + 1 from risk_config where region_id is not distinct from ?), ?, ?::jsonb, ?, ?)
     returning id, version`,
    [regionId, regionId, METHODOLOGY_VERSION, JSON.stringify(overrides), comment, createdBy],
  );
  return { configId: rows[0].id, version: rows[0].version, methodologyVersion: METHODOLOGY_VERSION, overrides, thresholds };
}
