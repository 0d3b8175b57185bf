import { MarkerCode } from '../markers';
import { RiskThresholds } from '../methodology/thresholds';
import { binomialUpperTail } from '../stats/binomial';
import { formatNumberRu, formatPercentRu, formatPValueRu, pluralRu } from './format-ru';
import { buildResult, insufficientData, roundTo } from './result';
import { IndicatorResult, RecheckInput } from './types';

/**
 * Indicator 6 — re-check discrepancy (marker RECHECK_DISCREPANCY). A municipal or regional commission
 * re-marks a sample of works. Fires when the share of works that lost a mark reaches `lostMarkShare`
 * with at least `minLostMarks` such works, or when the mean points lost per work reach
 * `meanPointsLostShareOfMax` of the maximum. `value` = share of works that lost a mark; `pValue` =
 * exact binomial tail of the lost-mark count against `honestLostMarkRate` (disagreement expected
 * between honest checkers), reported for context.
 */
export function recheckDiscrepancy(input: RecheckInput, thresholds: RiskThresholds): IndicatorResult {
  const t = thresholds.recheck;
  if (!(input.maxScore > 0)) throw new RangeError(`maxScore must be > 0, got ${input.maxScore}`);
  const works = input.works;
  const lostMark = works.filter((w) => w.recheckMark < w.originalMark).length;
  const gainedMark = works.filter((w) => w.recheckMark > w.originalMark).length;
  const pointsLost = works.map((w) => w.originalScore - w.recheckScore);
  const meanPointsLost = works.length > 0 ? pointsLost.reduce((a, b) => a + b, 0) / works.length : 0;
  const inputs = { works: works.length, lostMark, gainedMark, meanPointsLost, maxScore: input.maxScore, maxPointsLost: Math.max(0, ...pointsLost) };
  const common = { indicator: 'RECHECK_DISCREPANCY' as const, marker: MarkerCode.RECHECK_DISCREPANCY, thresholds: t, inputs };
  if (works.length < t.minWorks) {
    return insufficientData({ ...common, baseline: {}, explanationRu: `Перепроверено ${works.length} ${pluralRu(works.length, ['работа', 'работы', 'работ'])} — меньше ${t.minWorks}: выводов о расхождениях не делаем.` });
  }
  const lostShare = lostMark / works.length;
  const meanLostShareOfMax = meanPointsLost / input.maxScore;
  const byMarks = lostShare >= t.lostMarkShare && lostMark >= t.minLostMarks;
  const byPoints = meanLostShareOfMax >= t.meanPointsLostShareOfMax;
  const pValue = binomialUpperTail(lostMark, works.length, t.honestLostMarkRate);
  const explanationRu =
    `При перепроверке ${works.length} ${pluralRu(works.length, ['работы', 'работ', 'работ'])} отметку снизили в ${lostMark} (${formatPercentRu(lostShare)}), повысили в ${gainedMark}; ` +
    `в среднем снято ${formatNumberRu(meanPointsLost, 1)} ${pointsRu(meanPointsLost)} ` +
    `(${formatPercentRu(meanLostShareOfMax, 1)} максимума), ${formatPValueRu(pValue)} против ${formatPercentRu(t.honestLostMarkRate)} допустимых расхождений` +
    (byMarks || byPoints ? ': первичная проверка завышала результаты.' : '.');
  return buildResult({
    ...common,
    status: byMarks || byPoints ? 'FLAGGED' : 'CLEAR',
    value: roundTo(lostShare, 4),
    pValue,
    explanationRu,
    baseline: { firedBy: [...(byMarks ? ['LOST_MARKS'] : []), ...(byPoints ? ['POINTS_LOST'] : [])], meanLostShareOfMax },
  });
}

/** 1 балл, 2 балла, 5 баллов; a fractional number takes the genitive singular: 1,5 балла. */
function pointsRu(value: number): string {
  const shown = Math.round(Math.abs(value) * 10) / 10;
  return Number.isInteger(shown) ? pluralRu(shown, ['балл', 'балла', 'баллов']) : 'балла';
}
