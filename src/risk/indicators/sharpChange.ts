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
  const region = (input.regionSchools.some((s) => s.schoolId === school.schoolId) ? input.regionSchools : [...input.regionSchools, school]).filter(enough);
  if (region.length < t.minRegionSchools) {
    return insufficientData({ ...common, inputs, baseline: { regionSchools: region.length }, explanationRu: `Изменение за год известно лишь для ${region.length} ${pluralRu(region.length, ['школы', 'школ', 'школ'])} региона (нужно ${t.minRegionSchools}): разброс изменений не оценить.` });
  }
  const changes = region.map((s) => s.current.meanShareOfMax - s.previous.meanShareOfMax);
  const centre = median(changes);
  const spread = scaledMad(changes);
  const warnings: string[] = [];
  // Half the schools with an identical change gives MAD = 0; fall back to the SD so z stays finite.
  const scale = spread > 0 ? spread : standardDeviation(changes);
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
    baseline: { regionSchools: region.length, medianChange: centre, robustScale: scale },
  });
}

function standardDeviation(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / Math.max(values.length - 1, 1));
}
