import { MarkerCode } from '../markers';
import { RiskThresholds } from '../methodology/thresholds';
import { normalQuantile } from '../stats/normal';
import { formatNumberRu, formatPercentRu, pluralRu } from './formatRu';
import { buildResult, insufficientData, roundTo } from './result';
import { ExternalConfirmationInput, ExternalConfirmationKind, IndicatorResult, PairedSchoolResult } from './types';

const KINDS: Record<ExternalConfirmationKind, { marker: MarkerCode; first: string; second: string; whatRu: string }> = {
  VPR8_OGE: { marker: MarkerCode.NOT_CONFIRMED_OGE, first: 'ВПР 8 класса', second: 'ОГЭ через год', whatRu: 'не подтверждается ОГЭ' },
  VPR11_EGE: { marker: MarkerCode.NOT_CONFIRMED_EGE, first: 'ВПР 11 класса', second: 'ЕГЭ', whatRu: 'не подтверждается ЕГЭ' },
  VPR4_VPR5: { marker: MarkerCode.COHORT_DROP, first: 'ВПР 4 класса', second: 'ВПР 5 класса того же потока', whatRu: 'не сохраняется у того же потока' },
};

/**
 * Indicator 5 — high results not confirmed externally, criterion A (Jacob & Levitt 2003 for the
 * cohort drop). The school's percentile rank among the region's schools (mid-ranks, schools having
 * both assessments with at least `minParticipants` on each) on the first assessment against the second.
 * Ranks, not levels, because ВПР and ОГЭ/ЕГЭ are on different scales.
 *
 * The drop is measured on the normal-score (probit) scale of the ranks, zᵢ = Φ⁻¹(percentileᵢ / 100) (van
 * der Waerden scores): percentile points are not comparable along the scale — the region's schools are
 * dense in the middle and sparse at the top, so a fall from the 99th to the 75th percentile is as large a
 * fall in level as one from the 75th to the 20th, and a percentile-point rule misses a top school that
 * drops sharply. Flagged when the first rank is at least `minFirstPercentile` ("high") and the drop in
 * normal scores is at least `minNormalScoreDrop` (in between-school standard deviations). `value` = the
 * drop in percentile points (first − second), kept for continuity; the normal-score drop is in the evidence.
 */
export function externalConfirmation(input: ExternalConfirmationInput, thresholds: RiskThresholds): IndicatorResult {
  const t = thresholds.externalConfirmation;
  const kind = KINDS[input.kind];
  const { school } = input;
  const common = { indicator: 'EXTERNAL_CONFIRMATION' as const, marker: kind.marker, thresholds: t };
  const inputs = { kind: input.kind, schoolId: school.schoolId, first: school.first, second: school.second };
  const enough = (s: PairedSchoolResult): boolean => s.first.participants >= t.minParticipants && s.second.participants >= t.minParticipants;
  if (!enough(school)) {
    return insufficientData({
      ...common,
      inputs,
      baseline: {},
      explanationRu: `Участников ${kind.first}: ${school.first.participants}, ${kind.second}: ${school.second.participants} — нужно не меньше ${t.minParticipants} в каждой процедуре.`,
    });
  }
  const region = rankedRegion(input.regionSchools, school, t.minParticipants);
  if (region.length < t.minRegionSchools) {
    return insufficientData({
      ...common,
      inputs,
      baseline: { regionSchools: region.length },
      explanationRu: `Обе процедуры есть лишь у ${region.length} ${pluralRu(region.length, ['школы', 'школ', 'школ'])} региона (нужно не меньше ${t.minRegionSchools}): ранги не показательны.`,
    });
  }
  const firstPercentile = sortedPercentileRank(school.first.value, region.firstSorted);
  const secondPercentile = sortedPercentileRank(school.second.value, region.secondSorted);
  const drop = firstPercentile - secondPercentile;
  const firstScore = normalScore(firstPercentile);
  const secondScore = normalScore(secondPercentile);
  const scoreDrop = firstScore - secondScore;
  const flagged = firstPercentile >= t.minFirstPercentile && scoreDrop >= t.minNormalScoreDrop;
  const explanationRu =
    `По ${kind.first} школа выше ${formatNumberRu(firstPercentile, 0)}% школ региона (${formatPercentRu(school.first.value)} выполнения), ` +
    `по ${kind.second} — выше ${formatNumberRu(secondPercentile, 0)}% (${formatPercentRu(school.second.value)}); ` +
    `падение на ${formatNumberRu(drop, 0)} процентильных пунктов, ${formatNumberRu(scoreDrop, 2)} стандартного отклонения между школами ` +
    `(порог ${formatNumberRu(t.minNormalScoreDrop, 2)} при исходном ранге не ниже ${formatNumberRu(t.minFirstPercentile, 0)}%)` +
    (flagged ? `: высокий результат ${kind.whatRu}.` : '.');
  const warnings = school.first.participants < 2 * t.minParticipants || school.second.participants < 2 * t.minParticipants
    ? [`Малая выборка (${school.first.participants} и ${school.second.participants} участников): ранг школы неустойчив.`]
    : [];
  return buildResult({
    ...common,
    status: flagged ? 'FLAGGED' : 'CLEAR',
    value: roundTo(drop, 2),
    warnings,
    explanationRu,
    inputs,
    baseline: { regionSchools: region.length, firstPercentile, secondPercentile, firstNormalScore: firstScore, secondNormalScore: secondScore, normalScoreDrop: scoreDrop },
  });
}

/** Van der Waerden normal score of a mid-rank percentile (never exactly 0 or 100 for a school in the population). */
function normalScore(percentile: number): number {
  return normalQuantile(Math.min(0.9999, Math.max(0.0001, percentile / 100)));
}

interface RankedRegion {
  length: number;
  firstSorted: Float64Array;
  secondSorted: Float64Array;
}

/**
 * The region's schools with enough participants, with both assessments' values sorted for ranking. They
 * depend only on the region's list and the size bar, which a region recompute passes as one array for
 * every school: computed once per array (a cache on its identity, same result as computing afresh).
 */
const rankedByRegion = new WeakMap<readonly PairedSchoolResult[], { ids: Set<string>; bySize: Map<number, RankedRegion> }>();

function rankedRegion(regionSchools: readonly PairedSchoolResult[], school: PairedSchoolResult, minParticipants: number): RankedRegion {
  let cached = rankedByRegion.get(regionSchools);
  if (!cached) {
    cached = { ids: new Set(regionSchools.map((s) => s.schoolId)), bySize: new Map() };
    rankedByRegion.set(regionSchools, cached);
  }
  if (!cached.ids.has(school.schoolId)) return buildRanked([...regionSchools, school], minParticipants);
  let ranked = cached.bySize.get(minParticipants);
  if (!ranked) {
    ranked = buildRanked(regionSchools, minParticipants);
    cached.bySize.set(minParticipants, ranked);
  }
  return ranked;
}

function buildRanked(schools: readonly PairedSchoolResult[], minParticipants: number): RankedRegion {
  const used = schools.filter((s) => s.first.participants >= minParticipants && s.second.participants >= minParticipants);
  return {
    length: used.length,
    firstSorted: Float64Array.from(used.map((s) => s.first.value)).sort(),
    secondSorted: Float64Array.from(used.map((s) => s.second.value)).sort(),
  };
}

/** `percentileRank` (mid-ranks) on an ascending array, by binary search. */
function sortedPercentileRank(value: number, sorted: Float64Array): number {
  const below = lowerBound(sorted, value);
  let above = below;
  while (above < sorted.length && sorted[above] === value) above++;
  return (100 * (below + (above - below) / 2)) / sorted.length;
}

function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
