import type { EntityManager } from '@mikro-orm/postgresql';
import { intArrayLiteral } from '../../shared/sql';
import { evaluateRegion } from './evaluate-region';
import { loadRiskDataset } from './risk-dataset.loader';
import { thresholdsFor } from './risk-config';
import { storeRiskResults } from './risk-store';

export interface RiskScope {
  /** Schools to recompute (their regions serve as baselines); null = every school of `regionIds` (or of every region). */
  schoolIds: number[] | null;
  regionIds?: number[] | null;
  /** Years to recompute; default: every year with results in the region. */
  years?: number[] | null;
}

export interface RiskProgress {
  stage: 'loading' | 'evaluating' | 'storing' | 'done';
  region: number;
  done: number;
  total: number;
}

export interface RiskOutcome {
  regions: number;
  schools: number;
  years: number[];
  indicatorValues: number;
  flagged: number;
  zones: { objectivity: Record<string, number>; lowResults: Record<string, number> };
}

/** Advisory-lock namespace: two recomputes touching the same region serialise instead of interleaving writes. */
const RISK_LOCK = 41_002;

/**
 * Recomputes risk indicators and zones. Reads the region's inputs in a few statements, evaluates the pure
 * methodology in memory, and replaces the stored values in one transaction per region, under a region lock.
 * Idempotent: the same data and thresholds give the same rows. The region snapshot (every school's
 * summaries, histograms, journal comparison and task completion) is kept in this process between recomputes and
 * read again only where its rows changed (region-results.ts); the evidence of every school is computed from it, so
 * a recompute of some schools gives them the values a recompute of the whole region would.
 */
export class RiskRecomputeService {
  constructor(private readonly em: EntityManager) {}

  async recompute(scope: RiskScope, onProgress: (p: RiskProgress) => Promise<void> | void = () => undefined): Promise<RiskOutcome> {
    const knex = this.em.getKnex();
    const targetsByRegion = await this.targetsByRegion(scope);
    const outcome: RiskOutcome = { regions: 0, schools: 0, years: [], indicatorValues: 0, flagged: 0, zones: { objectivity: {}, lowResults: {} } };
    const allYears = new Set<number>();
    for (const [regionId, schoolIds] of targetsByRegion) {
      const [years, { thresholds, configId }] = await Promise.all([
        scope.years?.length ? [...scope.years].sort() : this.yearsOf(regionId),
        thresholdsFor(knex, regionId),
      ]);
      if (years.length === 0) continue;
      await onProgress({ stage: 'loading', region: regionId, done: 0, total: 1 });
      const dataset = await loadRiskDataset(knex, regionId, years, schoolIds);
      const { evaluations, zones } = await evaluateRegion(dataset, thresholds, (done, total) => onProgress({ stage: 'evaluating', region: regionId, done, total }));
      await onProgress({ stage: 'storing', region: regionId, done: 0, total: 1 });
      const targets = [...dataset.targetSchoolIds];
      await knex.transaction(async (trx) => {
        await trx.raw('select pg_advisory_xact_lock(?, ?)', [RISK_LOCK, regionId]);
        await storeRiskResults(trx, targets, years, evaluations, zones, configId);
      });
      outcome.regions++;
      outcome.schools += targets.length;
      outcome.indicatorValues += evaluations.length;
      outcome.flagged += evaluations.filter((e) => e.result.status === 'FLAGGED').length;
      years.forEach((y) => allYears.add(y));
      for (const { zones: z } of zones) {
        outcome.zones.objectivity[z.objectivity.level] = (outcome.zones.objectivity[z.objectivity.level] ?? 0) + 1;
        outcome.zones.lowResults[z.lowResults.level] = (outcome.zones.lowResults[z.lowResults.level] ?? 0) + 1;
      }
    }
    outcome.years = [...allYears].sort();
    await onProgress({ stage: 'done', region: 0, done: 1, total: 1 });
    return outcome;
  }

  /** Region → the schools to recompute there (null = all of the region's schools). */
  private async targetsByRegion(scope: RiskScope): Promise<Map<number, number[] | null>> {
    const knex = this.em.getKnex();
    if (scope.schoolIds) {
      const { rows } = await knex.raw(`select id, region_id from school where id = any(?::int[])`, [intArrayLiteral(scope.schoolIds)]);
      const map = new Map<number, number[] | null>();
      for (const r of rows) map.set(r.region_id, [...((map.get(r.region_id) as number[]) ?? []), r.id]);
      return map;
    }
    const regions = scope.regionIds?.length ? scope.regionIds : (await knex.raw(`select id from region order by id`)).rows.map((r: { id: number }) => r.id);
    return new Map(regions.map((id: number) => [id, null]));
  }

  /**
   * Years with results in the region: year by year between the first and the last year of any result (the ends
   * of the (year, school_id) index), each an index walk stopping at its first school of the region — instead of
   * reading every result of the region. (`order by` makes the planner walk that index rather than the table.)
   */
  private async yearsOf(regionId: number): Promise<number[]> {
    const { rows } = await this.em.getKnex().raw(
      `select y.year from generate_series((select min(year)::int from school_result), (select max(year)::int from school_result)) as y(year)
       cross join lateral (
         select 1 from school_result sr join school s on s.id = sr.school_id where sr.year = y.year and s.region_id = ? order by sr.school_id limit 1
       ) as found
       order by y.year`,
      [regionId],
    );
    return rows.map((r: { year: number }) => r.year);
  }
}
