import { MarkerCode } from '../markers';
import { RiskThresholds } from '../methodology/thresholds';
import { percentileRank } from '../stats/percentileRank';
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
 * both assessments with at least `minParticipants` on each) on the first assessment against the second:
 * flagged when the first rank is at least `minFirstPercentile` and the second is at least
 * `minPercentileDrop` lower. Ranks, not levels, because ВПР and ОГЭ/ЕГЭ are on different scales.
 * `value` = the drop in percentile points (first − second).
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
  const region = (input.regionSchools.some((s) => s.schoolId === school.schoolId) ? input.regionSchools : [...input.regionSchools, school]).filter(enough);
  if (region.length < t.minRegionSchools) {
    return insufficientData({
      ...common,
      inputs,
      baseline: { regionSchools: region.length },
      explanationRu: `Обе процедуры есть лишь у ${region.length} ${pluralRu(region.length, ['школы', 'школ', 'школ'])} региона (нужно не меньше ${t.minRegionSchools}): ранги не показательны.`,
    });
  }
  const firstPercentile = percentileRank(school.first.value, region.map((s) => s.first.value));
  const secondPercentile = percentileRank(school.second.value, region.map((s) => s.second.value));
  const drop = firstPercentile - secondPercentile;
  const flagged = firstPercentile >= t.minFirstPercentile && drop >= t.minPercentileDrop;
  const explanationRu =
    `По ${kind.first} школа выше ${formatNumberRu(firstPercentile, 0)}% школ региона (${formatPercentRu(school.first.value)} выполнения), ` +
    `по ${kind.second} — выше ${formatNumberRu(secondPercentile, 0)}% (${formatPercentRu(school.second.value)}); ` +
    `падение на ${formatNumberRu(drop, 0)} процентильных пунктов` +
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
    baseline: { regionSchools: region.length, firstPercentile, secondPercentile },
  });
}
