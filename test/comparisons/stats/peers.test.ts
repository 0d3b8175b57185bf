import {
  contextBandsOf,
  disabledShareBandOf,
  sizeBandOf,
  socialIndexBandOf,
  socialIndexTertiles,
  typeFamilyOf,
  type SchoolContextInput,
} from '../../../src/comparisons/stats/context-bands';
import { PeerPosition, PeerPositionResult, peerPosition } from '../../../src/comparisons/context/peer-position';
import { findPeers } from '../../../src/comparisons/context/peers';

function school(id: string, overrides: Partial<SchoolContextInput> = {}): SchoolContextInput {
  return { schoolId: id, type: 'SOSH', urban: false, enrolment: 200, shareDisabled: 0.05, socialIndex: null, ...overrides };
}

describe('context bands', () => {
  it('type family, size, ОВЗ bands at their boundaries', () => {
    expect(typeFamilyOf('LYCEUM')).toBe('SELECTIVE');
    expect(typeFamilyOf('GYMNASIUM')).toBe('SELECTIVE');
    expect(typeFamilyOf('SOSH', true)).toBe('SELECTIVE');
    expect(typeFamilyOf('OOSH')).toBe('GENERAL');
    expect([100, 101, 300, 301, 700, 701, 1200, 1201].map(sizeBandOf)).toEqual([
      'UP_TO_100',
      'FROM_101_TO_300',
      'FROM_101_TO_300',
      'FROM_301_TO_700',
      'FROM_301_TO_700',
      'FROM_701_TO_1200',
      'FROM_701_TO_1200',
      'OVER_1200',
    ]);
    expect(sizeBandOf(null)).toBeNull();
    expect([0, 0.0499, 0.05, 0.0999, 0.1, 0.2, 0.6].map(disabledShareBandOf)).toEqual([
      'BELOW_5_PCT',
      'BELOW_5_PCT',
      'FROM_5_TO_10_PCT',
      'FROM_5_TO_10_PCT',
      'FROM_10_TO_20_PCT',
      'FROM_20_PCT',
      'FROM_20_PCT',
    ]);
  });

  it('social-index bands are the region’s tertiles', () => {
    // Sorted 0.1 … 0.7 (7 values): 1/3 quantile at position 2 → 0.3, 2/3 at position 4 → 0.5.
    const tertiles = socialIndexTertiles([0.4, 0.1, null, 0.7, 0.2, 0.5, 0.3, 0.6]);
    expect(tertiles?.[0]).toBeCloseTo(0.3, 12);
    expect(tertiles?.[1]).toBeCloseTo(0.5, 12);
    expect([0.29, 0.3, 0.49, 0.5].map((v) => socialIndexBandOf(v, tertiles))).toEqual(['LOW', 'MIDDLE', 'MIDDLE', 'HIGH']);
    expect(socialIndexTertiles([0.1, 0.2])).toBeNull();
    expect(socialIndexBandOf(0.4, null)).toBeNull();
  });

  it('bands every school of a region', () => {
    const bands = contextBandsOf([school('A', { urban: true, type: 'LYCEUM', enrolment: 900 }), school('B', { enrolment: null, shareDisabled: null })]);
    expect(bands.get('A')).toEqual({ typeFamily: 'SELECTIVE', locality: 'URBAN', sizeBand: 'FROM_701_TO_1200', disabledShareBand: 'FROM_5_TO_10_PCT', socialIndexBand: null });
    expect(bands.get('B')).toMatchObject({ typeFamily: 'GENERAL', locality: 'RURAL', sizeBand: null, disabledShareBand: null });
  });
});

describe('findPeers', () => {
  // Rural general schools of different sizes; two urban ones; one rural lyceum.
  const region: SchoolContextInput[] = [
    school('T', { enrolment: 100, shareDisabled: 0.1 }),
    school('R1', { enrolment: 110, shareDisabled: 0.1 }),
    school('R2', { enrolment: 100, shareDisabled: 0.15 }),
    school('R3', { enrolment: 400, shareDisabled: 0.1 }),
    school('R4', { enrolment: 90, shareDisabled: null }),
    school('U1', { urban: true, enrolment: 100, shareDisabled: 0.1 }),
    school('U2', { urban: true, enrolment: 800, shareDisabled: 0.02 }),
    school('L1', { type: 'LYCEUM', enrolment: 300, shareDisabled: 0.01 }),
    school('L2', { type: 'LYCEUM', urban: true, enrolment: 900, shareDisabled: 0.01 }),
  ];
  const sd = (values: number[]) => {
    const m = values.reduce((a, b) => a + b, 0) / values.length;
    return Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1));
  };
  const sdLogEnrolment = sd(region.map((s) => Math.log(s.enrolment as number)));
  const sdDisabled = sd(region.filter((s) => s.shareDisabled != null).map((s) => s.shareDisabled as number));

  it('ranks the same-locality, same-family schools by standardized distance', () => {
    const selection = findPeers('T', region, { k: 3, minCandidates: 3 });
    expect(selection.restriction).toBe('SAME_LOCALITY_AND_FAMILY');
    expect(selection.candidates).toBe(4);
    expect(selection.variablesUsed).toEqual(['LOG_ENROLMENT', 'SHARE_DISABLED']);
    expect(selection.peers.map((p) => p.schoolId)).toEqual(['R1', 'R4', 'R2']);
    // R1 differs only in size: |ln 110 − ln 100| / SD. R4 lacks ОВЗ: its one shared variable counts twice.
    expect(selection.peers[0].distance).toBeCloseTo(Math.log(1.1) / sdLogEnrolment, 12);
    expect(selection.peers[1].distance).toBeCloseTo(Math.sqrt(2) * (Math.log(100 / 90) / sdLogEnrolment), 12);
    expect(selection.peers[2].distance).toBeCloseTo(0.05 / sdDisabled, 12);
    expect(selection.peers[2].distance).toBeLessThan(Math.log(4) / sdLogEnrolment); // R3, four times larger, is left out
  });

  it('falls back to the type family, then to every school, when too few candidates remain', () => {
    const lyceum = findPeers('L1', region, { k: 2, minCandidates: 1 });
    expect(lyceum.restriction).toBe('SAME_FAMILY');
    expect(lyceum.peers.map((p) => p.schoolId)).toEqual(['L2']);
    const fallback = findPeers('L1', region, { k: 3, minCandidates: 3 });
    expect(fallback.restriction).toBe('ALL');
    expect(fallback.candidates).toBe(8);
    expect(fallback.peers).toHaveLength(3);
  });

  it('without numeric context every candidate is at distance 0 and ties go by id', () => {
    const bare = ['C', 'A', 'B', 'D'].map((id) => school(id, { enrolment: null, shareDisabled: null }));
    const selection = findPeers('D', bare, { k: 2, minCandidates: 1 });
    expect(selection.variablesUsed).toEqual([]);
    expect(selection.peers).toEqual([
      { schoolId: 'A', distance: 0 },
      { schoolId: 'B', distance: 0 },
    ]);
  });

  it('rejects an unknown school and a bad k', () => {
    expect(() => findPeers('nope', region)).toThrow(RangeError);
    expect(() => findPeers('T', region, { k: 0 })).toThrow(RangeError);
  });
});

describe('peerPosition', () => {
  function ok(result: PeerPositionResult): PeerPosition {
    if (result.status !== 'OK') throw new Error(result.reason);
    return result;
  }

  it('rank, mid-rank percentile, peer mean / weighted mean / median by hand', () => {
    const peers = [
      { value: 50, participants: 10 },
      { value: 60, participants: 30 },
      { value: 70, participants: 20 },
      { value: 65, participants: 40 },
    ];
    const position = ok(peerPosition(62, peers));
    expect(position.groupSize).toBe(5);
    expect(position.rank).toBe(3); // 70 and 65 are better
    expect(position.percentile).toBeCloseTo(50, 12); // better than 2 of 5, plus half of itself: (2 + 0.5) / 5
    expect(position.peerMean).toBeCloseTo(61.25, 12);
    expect(position.peerWeightedMean).toBeCloseTo((500 + 1800 + 1400 + 2600) / 100, 12);
    expect(position.peerMedian).toBeCloseTo(62.5, 12);
    expect(position.differenceFromPeerMean).toBeCloseTo(0.75, 12);
    expect(position.differenceFromPeerMedian).toBeCloseTo(-0.5, 12);
  });

  it('lower is better for shares of «2»; ties share the better rank', () => {
    const position = ok(peerPosition(0.1, [{ value: 0.1 }, { value: 0.3 }, { value: 0.05 }], false));
    expect(position.rank).toBe(2);
    expect(position.percentile).toBeCloseTo(50, 12); // worse: 0.3 → 1; ties: itself and one peer → (1 + 1) / 4
    expect(position.peerWeightedMean).toBeNull();
  });

  it('needs peers', () => {
    expect(peerPosition(50, []).status).toBe('INSUFFICIENT_DATA');
    expect(() => peerPosition(50, [{ value: NaN }])).toThrow(RangeError);
  });
});
