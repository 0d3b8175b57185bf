import { typeFamilyOf, type SchoolContextInput } from '../stats';

type PeerRestriction = 'SAME_LOCALITY_AND_FAMILY' | 'SAME_FAMILY' | 'ALL';

export interface PeerOptions {
  /** Peers to return; 10 by default. */
  k?: number;
  /** A restriction is used only when it leaves at least this many candidates; `k` by default. */
  minCandidates?: number;
}

interface Peer {
  schoolId: string;
  /** Standardized context distance to the school (0 = identical context). */
  distance: number;
}

export interface PeerSelection {
  schoolId: string;
  restriction: PeerRestriction;
  /** Candidates left by the restriction (the school itself excluded). */
  candidates: number;
  /** Numeric variables the distance was computed on. */
  variablesUsed: ('LOG_ENROLMENT' | 'SHARE_DISABLED' | 'SOCIAL_INDEX')[];
  peers: Peer[];
}

type DistanceVariable = PeerSelection['variablesUsed'][number];

const DISTANCE_VARIABLES: readonly { name: DistanceVariable; value: (s: SchoolContextInput) => number | null }[] = [
  { name: 'LOG_ENROLMENT', value: (s) => (s.enrolment != null && s.enrolment > 0 ? Math.log(s.enrolment) : null) },
  { name: 'SHARE_DISABLED', value: (s) => s.shareDisabled },
  { name: 'SOCIAL_INDEX', value: (s) => s.socialIndex },
];

/**
 * The k schools most similar in context to `schoolId`.
 *
 * Candidates: first the schools of the same locality (urban/rural) and type family; when fewer than
 * `minCandidates` exist, the same type family anywhere; then all schools. Locality goes first
 * because a rural general school should be read against rural general schools, and a rare rural
 * lyceum is closer to urban lyceums than to rural СОШ.
 *
 * Distance: d(a, b) = √( V/V_ab · Σ_v ((a_v − b_v) / s_v)² ) over v ∈ {ln enrolment, share ОВЗ,
 * social index}, s_v the SD of v across the region. Standardizing by the SD makes one SD of size
 * weigh as much as one SD of ОВЗ. V counts the variables the school has (with s_v > 0); V_ab those
 * both schools have, and the factor V/V_ab keeps distances on one scale when a candidate lacks
 * one. A candidate with none of them is placed last (infinite distance). Ties are broken by
 * schoolId so that the selection is reproducible.
 */
export function findPeers(schoolId: string, region: readonly SchoolContextInput[], options: PeerOptions = {}): PeerSelection {
  const k = options.k ?? 10;
  const minCandidates = options.minCandidates ?? k;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  const school = region.find((s) => s.schoolId === schoolId);
  if (!school) throw new RangeError(`school ${schoolId} is not in the region`);
  const others = region.filter((s) => s.schoolId !== schoolId);
  const family = typeFamilyOf(school.type, school.inDepthStudy);
  const sameFamily = others.filter((s) => typeFamilyOf(s.type, s.inDepthStudy) === family);
  const tiers: [PeerRestriction, SchoolContextInput[]][] = [
    ['SAME_LOCALITY_AND_FAMILY', sameFamily.filter((s) => s.urban === school.urban)],
    ['SAME_FAMILY', sameFamily],
    ['ALL', others],
  ];
  const [restriction, candidates] = tiers.find(([, list]) => list.length >= minCandidates) ?? tiers[2];

  const variables = DISTANCE_VARIABLES.map((v) => ({ ...v, scale: standardDeviation(region.map(v.value)) })).filter(
    (v) => v.scale > 0 && v.value(school) != null,
  );
  const peers: Peer[] = candidates
    .map((candidate) => ({ schoolId: candidate.schoolId, distance: distance(school, candidate, variables) }))
    .sort((a, b) => a.distance - b.distance || (a.schoolId < b.schoolId ? -1 : a.schoolId > b.schoolId ? 1 : 0))
    .slice(0, k);
  return { schoolId, restriction, candidates: candidates.length, variablesUsed: variables.map((v) => v.name), peers };
}

function distance(
  a: SchoolContextInput,
  b: SchoolContextInput,
  variables: readonly { value: (s: SchoolContextInput) => number | null; scale: number }[],
): number {
  if (variables.length === 0) return 0;
  let sumSquares = 0;
  let shared = 0;
  for (const v of variables) {
    const va = v.value(a);
    const vb = v.value(b);
    if (va == null || vb == null) continue;
    sumSquares += ((va - vb) / v.scale) ** 2;
    shared++;
  }
  return shared === 0 ? Infinity : Math.sqrt((variables.length / shared) * sumSquares);
}

/** Sample SD of the known values; 0 when fewer than two. */
function standardDeviation(values: readonly (number | null)[]): number {
  const known = values.filter((v): v is number => v != null && Number.isFinite(v));
  if (known.length < 2) return 0;
  const mean = known.reduce((a, b) => a + b, 0) / known.length;
  return Math.sqrt(known.reduce((a, v) => a + (v - mean) ** 2, 0) / (known.length - 1));
}
