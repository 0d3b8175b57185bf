import { MarkerCode } from '../markers';
import { RiskThresholds } from '../methodology/thresholds';
import { decisionShareOf, failShareOf, validatedFailCounts } from './fail-counts';
import { formatPercentRu } from './format-ru';
import { procedureRu } from './procedure-ru';
import { buildResult, insufficientData } from './result';
import { FailCounts, IndicatorResult, SchoolYearFailsInput } from './types';

/**
 * Indicator 8a — persistently low results, per school × year across procedures (marker
 * LOW_RESULTS_PERSISTENT; the ШНОР criterion). A procedure is "low" when its share of «2» is at least
 * `failShare` with at least `minParticipantsPerProcedure` participants. Fires when at least
 * `minProceduresThisYear` procedures are low this year and at least `minPersistentProcedures` of them
 * were also low in the same procedure (procedure, subject, grade) last year. `value` = number of low
 * procedures this year.
 *
 * Shares are judged by their empirical-Bayes shrunken values when the service provides them and
 * `shrinkFailShares` is on (see `FailCounts.shrunkenFailShare`): a small class's 33% is mostly the luck of
 * one pupil, a small school whose every class is weak is not.
 */
export function lowResultsPersistent(input: SchoolYearFailsInput, thresholds: RiskThresholds): IndicatorResult {
  const t = thresholds.lowResults;
  const common = { indicator: 'LOW_RESULTS_PERSISTENT' as const, marker: MarkerCode.LOW_RESULTS_PERSISTENT, thresholds: t };
  const counted = input.procedures.filter((p) => validatedFailCounts(p.current).participants >= t.minParticipantsPerProcedure);
  const share = (c: FailCounts) => decisionShareOf(c, t.shrinkFailShares);
  const isLow = (c: FailCounts | null): boolean => c !== null && validatedFailCounts(c).participants >= t.minParticipantsPerProcedure && share(c) >= t.failShare;
  const lowNow = counted.filter((p) => isLow(p.current));
  const persistent = lowNow.filter((p) => isLow(p.previous));
  // Raw shares over the bar that the shrunken share does not confirm: shown, so the analyst sees why.
  const rawOnly = counted.filter((p) => !isLow(p.current) && failShareOf(p.current) >= t.failShare);
  const inputs = {
    procedures: input.procedures.map((p) => ({
      ...p,
      currentFailShare: failShareOf(p.current),
      previousFailShare: p.previous ? failShareOf(p.previous) : null,
      currentDecisionShare: share(p.current),
      previousDecisionShare: p.previous ? share(p.previous) : null,
    })),
  };
  if (counted.length === 0) {
    return insufficientData({ ...common, inputs, baseline: {}, explanationRu: `Нет процедур с числом участников не меньше ${t.minParticipantsPerProcedure}: низкие результаты оценить нельзя.` });
  }
  const flagged = lowNow.length >= t.minProceduresThisYear && persistent.length >= t.minPersistentProcedures;
  const adjusted = (c: FailCounts) => share(c) !== failShareOf(c);
  const shareRu = (c: FailCounts) => formatPercentRu(failShareOf(c)) + (adjusted(c) ? ` (с поправкой на малую выборку ${formatPercentRu(share(c))})` : '');
  const list = lowNow.map((p) => {
    const notes: string[] = [];
    if (adjusted(p.current)) notes.push(`с поправкой на малую выборку ${formatPercentRu(share(p.current))}`);
    if (isLow(p.previous)) {
      const previous = p.previous as FailCounts;
      notes.push(`год назад ${formatPercentRu(failShareOf(previous))}${adjusted(previous) ? `, с поправкой ${formatPercentRu(share(previous))}` : ''}`);
    }
    return `${procedureRu(p)} — ${formatPercentRu(failShareOf(p.current))}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
  });
  const rawOnlyRu =
    rawOnly.length > 0
      ? ` Ещё в ${rawOnly.length} ${rawOnly.length === 1 ? 'процедуре' : 'процедурах'} доля «2» не меньше ${formatPercentRu(t.failShare)} лишь по малой выборке: ` +
        `${rawOnly.map((p) => `${procedureRu(p)} — ${shareRu(p.current)}`).join('; ')}.`
      : '';
  const explanationRu =
    (lowNow.length === 0
      ? `Ни в одной из ${counted.length} процедур доля отметок «2» не достигает ${formatPercentRu(t.failShare)}.`
      : `Доля отметок «2» не меньше ${formatPercentRu(t.failShare)} в ${lowNow.length} из ${counted.length} процедур: ${list.join('; ')}; ` +
        `в ${persistent.length} из них — и в прошлом году` +
        (flagged ? ': устойчиво низкие результаты.' : ` (нужно ${t.minProceduresThisYear} процедуры в этом году и ${t.minPersistentProcedures} с прошлогодним повтором).`)) + rawOnlyRu;
  return buildResult({
    ...common,
    status: flagged ? 'FLAGGED' : 'CLEAR',
    value: lowNow.length,
    explanationRu,
    inputs,
    baseline: { lowThisYear: lowNow.map(procedureRu), persistent: persistent.map(procedureRu), notConfirmedBySmallSample: rawOnly.map(procedureRu) },
  });
}
