import type { EntityManager } from '@mikro-orm/postgresql';
import { chunk, intArrayLiteral } from '../shared/sql';
import { testPause } from '../shared/test-hooks';
import { DELETE_STALE_SCHOOL_RESULTS, UPDATE_REGION_BASELINES, UPSERT_COMPUTED_BENCHMARKS, UPSERT_COMPUTED_EXAM_TOTAL_BENCHMARKS, UPSERT_SCHOOL_RESULTS } from './aggregate.sql';

export interface AggregateScope {
  /** Schools to recompute; null = every school. */
  schoolIds: number[] | null;
  years: number[];
}

export interface AggregateProgress {
  stage: 'schools' | 'benchmarks' | 'done';
  done: number;
  total: number;
}

export interface AggregateOutcome {
  schools: number;
  years: number[];
  upserted: number;
  deleted: number;
}

/** Schools per statement: large enough for set-based speed, small enough for steady progress reports. */
const SCHOOLS_PER_CHUNK = 200;
/** Advisory-lock namespace: recomputes of the same school serialise instead of interleaving writes. */
const AGGREGATE_LOCK = 41_001;

/**
 * Recomputes per-school aggregates (and the region / municipality reference values) from participant rows.
 * Idempotent: running it twice leaves the same rows; each chunk commits on its own, so a failure keeps what
 * was already consistent and a retry finishes the rest.
 */
export class AggregateService {
  constructor(private readonly em: EntityManager) {}

  async recompute(scope: AggregateScope, onProgress: (p: AggregateProgress) => Promise<void> | void = () => undefined): Promise<AggregateOutcome> {
    const knex = this.em.getKnex();
    const schoolIds = scope.schoolIds ?? (await this.allSchoolIds());
    const chunks = chunk([...new Set(schoolIds)].sort((a, b) => a - b), SCHOOLS_PER_CHUNK);
    const total = chunks.length * scope.years.length;
    let done = 0;
    let upserted = 0;
    let deleted = 0;
    for (const year of scope.years) {
      for (const ids of chunks) {
        const literal = intArrayLiteral(ids);
        await knex.transaction(async (trx) => {
          await trx.raw('select pg_advisory_xact_lock(?, id) from unnest(?::int[]) as id order by id', [AGGREGATE_LOCK, literal]);
          const upsert = await trx.raw(UPSERT_SCHOOL_RESULTS, [year, literal, year]);
          const removal = await trx.raw(DELETE_STALE_SCHOOL_RESULTS, [year, literal]);
          upserted += upsert.rowCount ?? 0;
          deleted += removal.rowCount ?? 0;
          await testPause('aggregates.beforeCommit');
        });
        await onProgress({ stage: 'schools', done: ++done, total });
      }
    }
    if (schoolIds.length > 0) {
      for (const year of scope.years) {
        await knex.raw(UPSERT_COMPUTED_BENCHMARKS, [intArrayLiteral(schoolIds), year, year]);
        await knex.raw(UPSERT_COMPUTED_EXAM_TOTAL_BENCHMARKS, [intArrayLiteral(schoolIds), year, year]);
        await knex.raw(UPDATE_REGION_BASELINES, [intArrayLiteral(schoolIds), year]);
      }
    }
    await onProgress({ stage: 'done', done: total, total });
    return { schools: schoolIds.length, years: scope.years, upserted, deleted };
  }

  private async allSchoolIds(): Promise<number[]> {
    const rows: { id: number }[] = await this.em.getKnex().select('id').from('school');
    return rows.map((row) => row.id);
  }
}
