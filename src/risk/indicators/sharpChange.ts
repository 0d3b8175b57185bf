import { MarkerCode } from '../markers';
import { RiskThresholds } from '../methodology/thresholds';
import { median, scaledMad } from '../stats/robust';
import { formatNumberRu, formatPercentRu, formatPointsRu, pluralRu } from './formatRu';
import { buildResult, insufficientData, roundTo } from './result';
import { IndicatorResult, SchoolYearChange, SharpChangeInput } from './types';

/**
 * Indicator 7 — sharp year-to-year change (marker SHARP_CHANGE). Δ = change in mean share of max
 * (never raw scores: the scale may change between years). Robust z = (Δ − median Δ) / (1.4826·MAD)
 * over the region's schools, so that a few extreme schools do not inflate the yardstick they are
 * measured with. Flagged when |z| ≥ `minRobustZ` (direction per `direction`) and |Δ| ≥
 * `minAbsoluteChange`. `value` = the robust z.
 */
export function sharpChange(input: SharpChangeInput, thresholds: RiskThresholds): IndicatorResult {
  const t = thresholds.sharpChange;
  const { school } = input;
  const common = { indicator: 'SHARP_CHANGE' as const, marker: MarkerCode.SHARP_CHANGE, thresholds: t };
  const change = school.current.meanShareOfMax - school.previous.meanShareOfMax;
  const inputs = { schoolId: school.schoolId, previous: school.previous, current: school.current, change };
  const enough = (s: SchoolYearChange): boolean => s.previous.participants >= t.minParticipants && s.current.participants >= t.minParticipants;
  if (!enough(school)) {
    return insufficientData({
      ...common,
      inputs,
      baseline: {},
      explanationRu: `Участников ${school.previous.participants} и ${school.current.participants} по годам — нужно не меньше ${t.minParticipants} в каждом: изменение не показательно.`,
    });
  }
  const stats = regionStatistics(input.regionSchools, school, t.minParticipants);
  const regionCount = stats.schools;
  if (regionCount < t.minRegionSchools) {
    return insufficientData({ ...common, inputs, baseline: { regionSchools: regionCount }, explanationRu: `Изменение за год известно лишь для ${regionCount} ${pluralRu(regionCount, ['школы', 'школ', 'школ'])} региона (нужно ${t.minRegionSchools}): разброс изменений не оценить.` });
  }
  const { centre, spread, scale } = stats;
  const warnings: string[] = [];
  if (spread === 0) warnings.push('Медианное отклонение изменений по региону равно нулю: использовано стандартное отклонение.');
  const z = scale > 0 ? (change - centre) / scale : 0;
  const large = Math.abs(change) >= t.minAbsoluteChange;
  const flagged = large && (t.direction === 'BOTH' ? Math.abs(z) >= t.minRobustZ : z >= t.minRobustZ);
  const directionRu = change >= 0 ? 'вырос' : 'снизился';
  const explanationRu =
    `Средний процент выполнения ${directionRu} с ${formatPercentRu(school.previous.meanShareOfMax)} до ${formatPercentRu(school.current.meanShareOfMax)} ` +
    `(${formatPointsRu(change)}) при медианном изменении по региону ${formatPointsRu(centre)}; робастная z-оценка ${formatNumberRu(z, 1)} (порог ${formatNumberRu(t.minRobustZ, 1)})` +
    (flagged ? ': резкое изменение за год.' : '.');
  return buildResult({
    ...common,
    status: flagged ? 'FLAGGED' : 'CLEAR',
    value: roundTo(z, 3),
    warnings,
    explanationRu,
    inputs,
    baseline: { regionSchools: regionCount, medianChange: centre, robustScale: scale },
  });
}

interface ChangeStatistics {
  schools: number;
  centre: number;
  spread: number;
  /** The spread used: the scaled MAD, or the SD when half the schools changed identically (MAD = 0). */
  scale: number;
}

/**
 * Median and robust spread of the region's changes. They depend only on the region's list (and the size
 * bar), which a region recompute passes as one array for every school of an assessment: computed once per
 * array and size bar (a cache on the array's identity, same result as computing afresh).
 */
const statisticsByRegion = new WeakMap<readonly SchoolYearChange[], { ids: Set<string>; bySize: Map<number, ChangeStatistics> }>();

function regionStatistics(regionSchools: readonly SchoolYearChange[], school: SchoolYearChange, minParticipants: number): ChangeStatistics {
  let cached = statisticsByRegion.get(regionSchools);
  if (!cached) {
    cached = { ids: new Set(regionSchools.map((s) => s.schoolId)), bySize: new Map() };
    statisticsByRegion.set(regionSchools, cached);
  }
  if (!cached.ids.has(school.schoolId)) return computeStatistics([...regionSchools, school], minParticipants);
  let stats = cached.bySize.get(minParticipants);
  if (!stats) {
    stats = computeStatistics(regionSchools, minParticipants);
    cached.bySize.set(minParticipants, stats);
  }
  return stats;
}

function computeStatistics(regionSchools: readonly SchoolYearChange[], minParticipants: number): ChangeStatistics {
  const changes = regionSchools
    .filter((s) => s.previous.participants >= minParticipants && s.current.participants >= minParticipants)
    .map((s) => s.current.meanShareOfMax - s.previous.meanShareOfMax);
  if (changes.length === 0) return { schools: 0, centre: 0, spread: 0, scale: 0 };
  const centre = median(changes);
  const spread = scaledMad(changes);
  return { schools: changes.length, centre, spread, scale: spread > 0 ? spread : standardDeviation(changes) };
}

function standardDeviation(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / Math.max(values.length - 1, 1));
}
