/**
 * The recompute chain, in one place: aggregates → risk → recommendations. Every request for a recompute — an
 * import's, a mutation's, a confirmed scale's, and each job's follow-up — is built here, so the chain's order and
 * its payloads have one home.
 * - Results changed (participant rows, aggregates): aggregates of those schools and years, then risk, then
 *   recommendations.
 * - Only the context of results changed (contexts, conduct, re-checks, benchmarks, scales already aggregated):
 *   risk, then recommendations.
 * A follow-up is recorded through the outbox with `after` (the job asking for it), so it survives a Redis outage
 * and a retried job does not ask twice.
 */
import { requestIdOf, type JobGateway, type JobRequestInput } from './job-gateway';
import { JOB_NAMES, QUEUE_NAMES, type RecomputeAggregatesPayload, type RecomputeRecommendationsPayload, type RecomputeRiskPayload } from './queues';

/** A recompute to request (who asks is added by the caller). */
export interface RecomputeRequest<P extends Record<string, unknown> = Record<string, unknown>> extends Omit<JobRequestInput, 'requestedBy' | 'payload'> {
  payload: P;
}

const sorted = (values: Iterable<number>): number[] => [...new Set(values)].sort((a, b) => a - b);
const sortedOrNull = (values: Iterable<number> | null): number[] | null => (values === null ? null : sorted(values));

/** Aggregates of exactly these schools and years, then risk and recommendations for them. */
export function aggregatesThenRisk(schoolIds: Iterable<number>, years: Iterable<number>, reason: string): RecomputeRequest[] {
  const schools = sorted(schoolIds);
  const yearList = sorted(years);
  if (schools.length === 0 || yearList.length === 0) return [];
  return [aggregatesRequest({ schoolIds: schools, years: yearList, reason, then: 'risk' })];
}

/**
 * Risk (then recommendations) of these schools — or, with `schoolIds` null, of every school of `regionIds`
 * (null: of every region) — in these years (null: every year with results).
 */
export function riskOnly(schoolIds: Iterable<number> | null, regionIds: Iterable<number> | null, years: Iterable<number> | null, reason: string): RecomputeRequest[] {
  const schools = sortedOrNull(schoolIds);
  if (schools !== null && schools.length === 0) return [];
  return [riskRequest({ schoolIds: schools, regionIds: sortedOrNull(regionIds), years: sortedOrNull(years), reason, then: 'recommendations' })];
}

/** A mutation's recompute of aggregates alone (schools null: every school in the key's scope). */
export function aggregatesAlone(schoolIds: number[] | null, years: Iterable<number>, reason: string): RecomputeRequest<RecomputeAggregatesPayload> {
  return aggregatesRequest({ schoolIds, years: sorted(years), reason });
}

/** A mutation's recompute of risk zones alone. */
export function riskAlone(schoolIds: number[] | null, regionIds: number[] | null, years: Iterable<number> | null, reason: string): RecomputeRequest<RecomputeRiskPayload> {
  return riskRequest({ schoolIds, regionIds, years: sortedOrNull(years), reason });
}

/** A mutation's recompute of recommendations and plans alone. */
export function recommendationsAlone(schoolIds: number[] | null, years: Iterable<number> | null, reason: string): RecomputeRequest<RecomputeRecommendationsPayload> {
  return recommendationsRequest({ schoolIds, years: sortedOrNull(years), reason });
}

/** What follows fresh aggregates: risk of the same schools and years when the request asked for it. */
export function afterAggregates(done: RecomputeAggregatesPayload): RecomputeRequest | null {
  if (done.then !== 'risk') return null;
  return riskRequest({ schoolIds: done.schoolIds, regionIds: null, years: done.years, reason: `after ${done.reason}`, then: 'recommendations' });
}

/** What follows fresh zones: recommendations and plans of the same schools and years when the request asked for it. */
export function afterRisk(done: RecomputeRiskPayload): RecomputeRequest | null {
  if (done.then !== 'recommendations') return null;
  return recommendationsRequest({ schoolIds: done.schoolIds, years: done.years, reason: `after ${done.reason}` });
}

/** Records `next` as the follow-up of the job that finished (nothing when null); the follow-up's request id. */
export async function requestFollowUp(gateway: JobGateway, finished: { id?: string }, next: RecomputeRequest | null, requestedBy: string): Promise<string | undefined> {
  if (!next) return undefined;
  return (await gateway.enqueue({ ...next, requestedBy, after: requestIdOf(finished.id) ?? undefined })).id;
}

const aggregatesRequest = (payload: RecomputeAggregatesPayload): RecomputeRequest<RecomputeAggregatesPayload> => ({ queue: QUEUE_NAMES.aggregates, name: JOB_NAMES.recomputeAggregates, payload });
const riskRequest = (payload: RecomputeRiskPayload): RecomputeRequest<RecomputeRiskPayload> => ({ queue: QUEUE_NAMES.risk, name: JOB_NAMES.recomputeRisk, payload });
const recommendationsRequest = (payload: RecomputeRecommendationsPayload): RecomputeRequest<RecomputeRecommendationsPayload> => ({ queue: QUEUE_NAMES.recommendations, name: JOB_NAMES.recomputeRecommendations, payload });
