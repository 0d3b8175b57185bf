/**
 * What an import asks to recompute once its data is in: aggregates (then risk, then recommendations) where
 * results changed; risk alone where only the context of results changed (contexts, conduct, re-checks, benchmarks).
 */
import { JOB_NAMES, QUEUE_NAMES } from '../../../jobs/queues';
import type { RecomputeRequest } from './targets/target';

const sorted = (values: Iterable<number>): number[] => [...new Set(values)].sort((a, b) => a - b);

/** Aggregates of exactly these schools and years, then risk and recommendations for them. */
export function aggregatesThenRisk(schoolIds: Iterable<number>, years: Iterable<number>, reason: string): RecomputeRequest[] {
  const schools = sorted(schoolIds);
  const yearList = sorted(years);
  if (schools.length === 0 || yearList.length === 0) return [];
  return [{ queue: QUEUE_NAMES.aggregates, name: JOB_NAMES.recomputeAggregates, payload: { schoolIds: schools, years: yearList, reason, then: 'risk' } }];
}

/**
 * Risk (then recommendations) of these schools — or, with `schoolIds` null, of every school of `regionIds`
 * (null: of every region) — in these years (null: every year with results).
 */
export function riskOnly(schoolIds: Iterable<number> | null, regionIds: Iterable<number> | null, years: Iterable<number> | null, reason: string): RecomputeRequest[] {
  const schools = schoolIds === null ? null : sorted(schoolIds);
  if (schools !== null && schools.length === 0) return [];
  return [
    {
      queue: QUEUE_NAMES.risk,
      name: JOB_NAMES.recomputeRisk,
      payload: { schoolIds: schools, regionIds: regionIds === null ? null : sorted(regionIds), years: years === null ? null : sorted(years), reason, then: 'recommendations' },
    },
  ];
}
