import { percentileRank } from '../../stats/percentile-rank';
import { median } from '../../stats/robust';
import type { Insufficient } from '../stats';

export interface PeerValue {
  value: number;
  participants?: number;
}

export interface PeerPosition {
  status: 'OK';
  higherIsBetter: boolean;
  /** Peers plus the school. */
  groupSize: number;
  /** 1 = best; tied schools share the better rank. */
  rank: number;
  /** Share of the group the school does better than, ties counted half (0–100, direction-aware). */
  percentile: number;
  peerMean: number;
  /** Participant-weighted peer mean; null unless every peer has participants. */
  peerWeightedMean: number | null;
  peerMedian: number;
  differenceFromPeerMean: number;
  differenceFromPeerMedian: number;
}

export type PeerPositionResult = PeerPosition | Insufficient;

/**
 * Where a school stands among its peers on one metric.
 *
 * rank = 1 + number of peers strictly better (ties share the better rank);
 * percentile = mid-rank percentile within peers + the school, oriented so that 100 = best (for
 * share of «2», pass higherIsBetter = false); peer mean (each school counts once), the
 * participant-weighted peer mean (each pupil counts once), the peer median (robust to one odd
 * school), and the school's differences from the mean and the median.
 */
export function peerPosition(schoolValue: number, peers: readonly PeerValue[], higherIsBetter = true): PeerPositionResult {
  if (!Number.isFinite(schoolValue)) throw new RangeError(`school value must be finite, got ${schoolValue}`);
  const values = peers.map((p) => p.value).filter(Number.isFinite);
  if (values.length !== peers.length) throw new RangeError('peer values must be finite');
  if (values.length === 0) return { status: 'INSUFFICIENT_DATA', reason: 'no peers with a value' };
  const sign = higherIsBetter ? 1 : -1;
  const better = values.filter((v) => sign * v > sign * schoolValue).length;
  const group = [schoolValue, ...values].map((v) => sign * v);
  const peerMean = values.reduce((a, b) => a + b, 0) / values.length;
  const peerMedian = median(values);
  const allWeighted = peers.every((p) => p.participants != null && p.participants >= 0);
  const totalParticipants = allWeighted ? peers.reduce((a, p) => a + (p.participants ?? 0), 0) : 0;
  const peerWeightedMean = totalParticipants > 0 ? peers.reduce((a, p) => a + p.value * (p.participants ?? 0), 0) / totalParticipants : null;
  return {
    status: 'OK',
    higherIsBetter,
    groupSize: group.length,
    rank: better + 1,
    percentile: percentileRank(sign * schoolValue, group),
    peerMean,
    peerWeightedMean,
    peerMedian,
    differenceFromPeerMean: schoolValue - peerMean,
    differenceFromPeerMedian: schoolValue - peerMedian,
  };
}
