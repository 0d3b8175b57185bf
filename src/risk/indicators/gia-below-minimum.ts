import { MarkerCode } from '../markers';
import { RiskThresholds } from '../methodology/thresholds';
import { pluralRu } from './format-ru';
import { buildResult, insufficientData } from './result';
import { GiaBelowMinimumInput, IndicatorResult } from './types';

/**
 * Indicator 8b — ГИА graduates below the minimum (marker GIA_BELOW_MINIMUM), per school × year:
 * fires when the compulsory subjects (Russian, Maths; ОГЭ, ЕГЭ or ГВЭ) together have at least
 * `minGraduatesBelowMinimum` graduates below the minimum. `value` = that number.
 */
export function giaBelowMinimum(input: GiaBelowMinimumInput, thresholds: RiskThresholds): IndicatorResult {
  const t = thresholds.lowResults;
  const common = { indicator: 'GIA_BELOW_MINIMUM' as const, marker: MarkerCode.GIA_BELOW_MINIMUM, thresholds: t };
  for (const r of input.results) {
    if (!(Number.isInteger(r.belowMinimum) && r.belowMinimum >= 0 && r.belowMinimum <= r.participants)) {
      throw new RangeError(`${r.procedure} ${r.subject}: belowMinimum must be an integer in 0…${r.participants}, got ${r.belowMinimum}`);
    }
  }
  const compulsory = input.results.filter((r) => r.compulsory && r.participants > 0);
  const inputs = { results: input.results };
  if (compulsory.length === 0) {
    return insufficientData({ ...common, inputs, baseline: {}, explanationRu: 'Нет результатов ГИА по обязательным предметам за этот год.' });
  }
  const below = compulsory.filter((r) => r.belowMinimum > 0);
  const count = below.reduce((a, r) => a + r.belowMinimum, 0);
  const flagged = count >= t.minGraduatesBelowMinimum;
  const explanationRu =
    count === 0
      ? `Все выпускники преодолели минимальный порог по обязательным предметам ГИА (${compulsory.map((r) => `${r.procedure}, ${r.subject}: ${r.participants}`).join('; ')}).`
      : `Не преодолели минимальный порог ${count} ${pluralRu(count, ['выпускник', 'выпускника', 'выпускников'])}: ` +
        below.map((r) => `${r.procedure}, ${r.subject} — ${r.belowMinimum} из ${r.participants}`).join('; ') +
        '.';
  return buildResult({
    ...common,
    status: flagged ? 'FLAGGED' : 'CLEAR',
    value: count,
    explanationRu,
    inputs,
    baseline: {},
  });
}
