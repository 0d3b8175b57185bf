import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../shared/principal';
import { socialIndexTertiles } from '../stats';
import { peerPosition, type PeerPositionResult } from './peer-position';
import { findPeers } from './peers';
import type { ComparisonLoaders } from '../comparison.loaders';
import { bandsOf } from '../shared/bands';
import { metricOf } from '../shared/metric-value';
import { ComparisonMetric } from '../shared/metrics';
import { resolveSchoolCodes } from '../shared/school-codes';
import { schoolScopeFragment } from '../../auth/scope';
import { selectRows } from '../../shared/sql';
import { finite } from '../shared/statistics.mapping';
import { StatisticStatus } from '../shared/statistics.types';
import { PEER_LOWER_IS_BETTER, PeerMetric, PeerRestriction } from './context.enums';
import { ContextModelService } from './context-model.service';
import type { ContextModelType } from './context-model.types';
import { contextRowsQuery, toContextInput, type ContextRow } from './context-rows.sql';
import type { ContextAdjustedType, PeerGroupArgs, PeerGroupType, PeerPositionType } from './peer-group.types';

/** The metric's value in a context row (shares 0–1), or null when the row cannot give it: read as the correlations read it. */
function peerMetricValue(row: ContextRow, metric: PeerMetric): number | null {
  if (!(row.participants != null && row.participants > 0)) return null;
  return finite(metricOf({ ...row, participants: row.participants }, ComparisonMetric[metric])?.value ?? null);
}

/**
 * A school among schools like it. Peers are chosen only from schools the principal may see (the school
 * scope is part of the statement that reads them) that took part in the same assessment; the context
 * model is the region's (see ContextModelService), of which only this school's expectation is shown.
 */
export class PeerGroupService {
  constructor(
    private readonly em: EntityManager,
    private readonly principal: Principal,
    private readonly loaders: ComparisonLoaders,
  ) {}

  async peerGroup(args: PeerGroupArgs): Promise<PeerGroupType> {
    const [school] = await resolveSchoolCodes(this.em, this.principal, [args.school], 'school', 1);
    const models = new ContextModelService(this.em, this.principal, this.loaders);
    const assessmentId = await models.findAssessment(args.assessment, args.year);
    const [visible, model, region] = await Promise.all([
      selectRows<ContextRow>(this.em, contextRowsQuery(schoolScopeFragment(this.principal, 's'), school.regionId, assessmentId, args.year, school.id)),
      models.fit(school.regionId, assessmentId, args.year, { weighting: args.weighting, exclude: args.exclude ?? [] }),
      this.loaders.regionContextRows.load({ regionId: school.regionId, assessmentId, year: args.year }),
    ]);
    const target = visible.find((row) => row.school_id === school.id)!;
    const candidates = visible.filter((row) => row.school_id !== school.id && peerMetricValue(row, args.metric) !== null);
    const selection = findPeers(String(school.id), [target, ...candidates].map(toContextInput), { k: args.k });
    const tertiles = socialIndexTertiles(region.map((row) => row.social_index));
    const byId = new Map(candidates.map((row) => [String(row.school_id), row]));
    const peers = selection.peers.map((peer) => {
      const row = byId.get(peer.schoolId)!;
      return { schoolId: row.school_id, distance: finite(peer.distance), bands: bandsOf(toContextInput(row), tertiles), value: peerMetricValue(row, args.metric), participants: row.participants };
    });
    const value = peerMetricValue(target, args.metric);
    const higherIsBetter = !PEER_LOWER_IS_BETTER.has(args.metric);
    return {
      schoolId: school.id,
      assessmentId,
      year: args.year,
      metric: args.metric,
      value,
      participants: target.participants,
      bands: bandsOf(toContextInput(target), tertiles),
      restriction: selection.restriction as PeerRestriction,
      candidates: selection.candidates,
      variablesUsed: selection.variablesUsed,
      peers,
      position: toPosition(
        value === null
          ? { status: 'INSUFFICIENT_DATA', reason: 'у ОО нет результата в этой процедуре' }
          : peerPosition(value, peers.map((p) => ({ value: p.value!, participants: p.participants ?? undefined })), higherIsBetter),
      ),
      contextAdjusted: adjustedFor(school.id, model),
      model,
    };
  }
}

function toPosition(result: PeerPositionResult): PeerPositionType {
  if (result.status !== 'OK') {
    const reason = result.reason === 'no peers with a value' ? 'нет похожих ОО с результатом в области видимости ключа' : result.reason;
    return { status: StatisticStatus.INSUFFICIENT_DATA, reason, higherIsBetter: null, groupSize: null, rank: null, percentile: null, peerMean: null, peerWeightedMean: null, peerMedian: null, differenceFromPeerMean: null, differenceFromPeerMedian: null };
  }
  return {
    status: StatisticStatus.OK,
    reason: null,
    higherIsBetter: result.higherIsBetter,
    groupSize: result.groupSize,
    rank: result.rank,
    percentile: result.percentile,
    peerMean: result.peerMean,
    peerWeightedMean: finite(result.peerWeightedMean),
    peerMedian: result.peerMedian,
    differenceFromPeerMean: result.differenceFromPeerMean,
    differenceFromPeerMedian: result.differenceFromPeerMedian,
  };
}

function adjustedFor(schoolId: number, model: ContextModelType): ContextAdjustedType {
  const expectation = model.expectations.find((e) => e.schoolId === schoolId);
  if (!expectation) {
    const reason = model.status === StatisticStatus.OK ? 'ОО не вошла в модель: нет результата в этой процедуре' : (model.reason ?? 'модель не построена');
    return { status: StatisticStatus.INSUFFICIENT_DATA, reason, actual: null, expected: null, residual: null, standardizedResidual: null, leverage: null };
  }
  const { actual, expected, residual, standardizedResidual, leverage } = expectation;
  return { status: StatisticStatus.OK, reason: null, actual, expected, residual, standardizedResidual, leverage };
}
