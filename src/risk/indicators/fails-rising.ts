import { MarkerCode } from '../markers';
import { RiskThresholds } from '../methodology/thresholds';
import { decisionShareOf, failShareOf, validatedFailCounts } from './fail-counts';
import { formatPercentRu, formatPointsRu } from './format-ru';
import { procedureRu } from './procedure-ru';
import { buildResult, insufficientData, roundTo } from './result';
import { IndicatorResult, ProcedureFails, SchoolYearFailsInput } from './types';

/**
 * Indicator 8c — share of «2» rising (marker FAILS_RISING), per school × year across procedures:
 * fires when in any procedure with at least `failsRisingMinParticipants` in both years the share of
 * «2» rose by at least `failsRisingPoints`. `value` = the largest rise (share points). With
 * `shrinkFailShares` the shares compared are the empirical-Bayes shrunken ones when provided, so that one
 * pupil in a class of 10 (10 points) is not a "rise".
 */
export function failsRising(input: SchoolYearFailsInput, thresholds: RiskThresholds): IndicatorResult {
  const t = thresholds.lowResults;
  const common = { indicator: 'FAILS_RISING' as const, marker: MarkerCode.FAILS_RISING, thresholds: t };
  const comparable = input.procedures.filter(
    (p): p is ProcedureFails & { previous: NonNullable<ProcedureFails['previous']> } =>
      p.previous !== null && validatedFailCounts(p.previous).participants >= t.failsRisingMinParticipants && validatedFailCounts(p.current).participants >= t.failsRisingMinParticipants,
  );
  const rises = comparable.map((p) => ({
    procedure: p,
    previousShare: decisionShareOf(p.previous, t.shrinkFailShares),
    currentShare: decisionShareOf(p.current, t.shrinkFailShares),
    rawPreviousShare: failShareOf(p.previous),
    rawCurrentShare: failShareOf(p.current),
  }));
  const inputs = {
    procedures: rises.map((r) => ({
      procedure: procedureRu(r.procedure),
      previousShare: r.rawPreviousShare,
      currentShare: r.rawCurrentShare,
      previousDecisionShare: r.previousShare,
      currentDecisionShare: r.currentShare,
    })),
  };
  if (rises.length === 0) {
    return insufficientData({ ...common, inputs, baseline: {}, explanationRu: `Нет процедур, проведённых в оба года с числом участников не меньше ${t.failsRisingMinParticipants}: рост доли «2» оценить нельзя.` });
  }
  const largest = rises.reduce((best, r) => (r.currentShare - r.previousShare > best.currentShare - best.previousShare ? r : best));
  const rise = largest.currentShare - largest.previousShare;
  const risen = rises.filter((r) => r.currentShare - r.previousShare >= t.failsRisingPoints);
  const flagged = risen.length > 0;
  const warnings =
    largest.procedure.current.participants < 30 ? [`${procedureRu(largest.procedure)}: ${largest.procedure.current.participants} участников — один ученик меняет долю на ${formatPointsRu(1 / largest.procedure.current.participants)}.`] : [];
  const shrunk = largest.previousShare !== largest.rawPreviousShare || largest.currentShare !== largest.rawCurrentShare;
  const explanationRu =
    `Наибольший рост доли «2»: ${procedureRu(largest.procedure)} — с ${formatPercentRu(largest.previousShare)} до ${formatPercentRu(largest.currentShare)} (${formatPointsRu(rise)}, порог ${formatPointsRu(t.failsRisingPoints)})` +
    (shrunk ? ` — доли с поправкой на малую выборку, по фактическим данным с ${formatPercentRu(largest.rawPreviousShare)} до ${formatPercentRu(largest.rawCurrentShare)}` : '') +
    (flagged ? `; рост не меньше порога в ${risen.length} ${risen.length === 1 ? 'процедуре' : 'процедурах'}.` : '.');
  return buildResult({
    ...common,
    status: flagged ? 'FLAGGED' : 'CLEAR',
    value: roundTo(rise, 4),
    warnings,
    explanationRu,
    inputs,
    baseline: { risen: risen.map((r) => procedureRu(r.procedure)) },
  });
}
