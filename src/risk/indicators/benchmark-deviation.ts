import { MarkerCode } from '../markers';
import { BenchmarkThresholds, RiskThresholds } from '../methodology/thresholds';
import { capitaliseRu, formatPercentRu, formatPointsRu } from './format-ru';
import { buildResult, insufficientData, roundTo } from './result';
import { BenchmarkInput, IndicatorResult, ResultLevels } from './types';

type Direction = 'BELOW' | 'ABOVE';
type Measure = keyof ResultLevels;

const MEASURES: { key: Measure; higherIsBetter: boolean; margin: (t: BenchmarkThresholds) => number; nameRu: string }[] = [
  { key: 'meanShareOfMax', higherIsBetter: true, margin: (t) => t.meanShareOfMaxMargin, nameRu: 'средний процент выполнения' },
  { key: 'failShare', higherIsBetter: false, margin: (t) => t.failShareMargin, nameRu: 'доля «2»' },
  { key: 'share45', higherIsBetter: true, margin: (t) => t.share45Margin, nameRu: 'доля «4» и «5»' },
];

/**
 * Indicator 9 — deviation from the region and Russia benchmarks (BELOW_BENCHMARK: worse, a
 * low-results signal; ABOVE_BENCHMARK: better, an objectivity signal to be checked against the other
 * markers). Three measures, each with its own margin: mean share of max, share of «2» (lower is better)
 * and share of «4»+«5». A measure deviates when it is beyond its margin against the benchmarks chosen
 * by `compareWith`; the marker fires when any measure deviates. `value` = the largest deviation in
 * the judged direction against the region (Russia when no region value), in share points.
 */
export function belowBenchmark(input: BenchmarkInput, thresholds: RiskThresholds): IndicatorResult {
  return judge(input, thresholds, 'BELOW');
}

export function aboveBenchmark(input: BenchmarkInput, thresholds: RiskThresholds): IndicatorResult {
  return judge(input, thresholds, 'ABOVE');
}

function judge(input: BenchmarkInput, thresholds: RiskThresholds, direction: Direction): IndicatorResult {
  const t = thresholds.benchmarks;
  const marker = direction === 'BELOW' ? MarkerCode.BELOW_BENCHMARK : MarkerCode.ABOVE_BENCHMARK;
  const common = { indicator: 'BENCHMARK_DEVIATION' as const, marker, thresholds: t, inputs: { ...input.school } };
  if (input.school.participants < t.minParticipants) {
    return insufficientData({ ...common, baseline: {}, explanationRu: `Участников ${input.school.participants} — меньше ${t.minParticipants}: сравнение с ориентирами не показательно.` });
  }
  const available = { region: input.region, russia: input.russia };
  if (!available.region && !available.russia) {
    return insufficientData({ ...common, baseline: {}, explanationRu: 'Нет ни региональных, ни российских значений для сравнения.' });
  }
  const warnings: string[] = [];
  const wanted = wantedBenchmarks(t.compareWith);
  const used = wanted.filter((b) => available[b] !== null);
  if (used.length < wanted.length) {
    const missing = wanted.find((b) => available[b] === null);
    warnings.push(`Нет значений ${missing === 'region' ? 'по региону' : 'по России'}: сравнение только ${used.includes('region') ? 'с регионом' : 'с Россией'}.`);
  }
  const benchmarks = used.length > 0 ? used : (['region', 'russia'] as const).filter((b) => available[b] !== null);
  if (used.length === 0) warnings.push(`Выбранный ориентир недоступен: сравнение ${benchmarks[0] === 'region' ? 'с регионом' : 'с Россией'}.`);
  const primary = available.region ?? (available.russia as ResultLevels);

  // Deviation "in the judged direction": positive = worse (BELOW) or better (ABOVE) than the benchmark.
  const deviation = (m: (typeof MEASURES)[number], bench: ResultLevels): number => {
    const better = m.higherIsBetter ? input.school[m.key] - bench[m.key] : bench[m.key] - input.school[m.key];
    return direction === 'ABOVE' ? better : -better;
  };
  const perMeasure = MEASURES.map((m) => {
    const beyond = benchmarks.map((b) => deviation(m, available[b] as ResultLevels) >= m.margin(t));
    const fires = t.compareWith === 'EITHER' ? beyond.some(Boolean) : beyond.every(Boolean);
    return { measure: m.key, fires, deviationFromPrimary: deviation(m, primary), margin: m.margin(t) };
  });
  const fired = perMeasure.filter((m) => m.fires);
  const flagged = fired.length > 0;
  const value = Math.max(...perMeasure.map((m) => m.deviationFromPrimary));

  const parts = MEASURES.map((m) => {
    const benchText = benchmarks.map((b) => `${formatPercentRu((available[b] as ResultLevels)[m.key])} ${b === 'region' ? 'по региону' : 'по России'}`).join(' и ');
    return `${m.nameRu} ${formatPercentRu(input.school[m.key])} при ${benchText}`;
  });
  const wordRu = direction === 'BELOW' ? 'ниже' : 'выше';
  const explanationRu =
    capitaliseRu(parts.join('; ')) +
    (flagged
      ? `: результаты ${wordRu} ориентиров больше допуска по показателям: ${fired.map((f) => `${MEASURES.find((m) => m.key === f.measure)!.nameRu} (допуск ${formatPointsRu(f.margin).replace('+', '')})`).join(', ')}.`
      : `; за допуски (${MEASURES.map((m) => formatPointsRu(m.margin(t)).replace('+', '')).join(', ')}) не выходят.`);
  return buildResult({
    ...common,
    status: flagged ? 'FLAGGED' : 'CLEAR',
    value: roundTo(value, 4),
    warnings,
    explanationRu,
    baseline: { region: input.region, russia: input.russia, comparedWith: benchmarks, perMeasure },
  });
}

function wantedBenchmarks(compareWith: BenchmarkThresholds['compareWith']): ('region' | 'russia')[] {
  if (compareWith === 'REGION') return ['region'];
  if (compareWith === 'RUSSIA') return ['russia'];
  return ['region', 'russia'];
}
