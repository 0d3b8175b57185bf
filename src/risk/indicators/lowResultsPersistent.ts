import { MarkerCode } from '../markers';
import { RiskThresholds } from '../methodology/thresholds';
import { failShareOf, validatedFailCounts } from './failCounts';
import { formatPercentRu } from './formatRu';
import { procedureRu } from './procedureRu';
import { buildResult, insufficientData } from './result';
import { FailCounts, IndicatorResult, SchoolYearFailsInput } from './types';

/**
 * Indicator 8a — persistently low results, per school × year across procedures (marker
 * LOW_RESULTS_PERSISTENT; the ШНОР criterion). A procedure is "low" when its share of «2» is at least
 * `failShare` with at least `minParticipantsPerProcedure` participants. Fires when at least
 * `minProceduresThisYear` procedures are low this year and at least `minPersistentProcedures` of them
 * were also low in the same procedure (procedure, subject, grade) last year. `value` = number of low
 * procedures this year.
 */
export function lowResultsPersistent(input: SchoolYearFailsInput, thresholds: RiskThresholds): IndicatorResult {
  const t = thresholds.lowResults;
  const common = { indicator: 'LOW_RESULTS_PERSISTENT' as const, marker: MarkerCode.LOW_RESULTS_PERSISTENT, thresholds: t };
  const counted = input.procedures.filter((p) => validatedFailCounts(p.current).participants >= t.minParticipantsPerProcedure);
  const isLow = (c: FailCounts | null): boolean =>
    c !== null && validatedFailCounts(c).participants >= t.minParticipantsPerProcedure && c.failCount / c.participants >= t.failShare;
  const lowNow = counted.filter((p) => isLow(p.current));
  const persistent = lowNow.filter((p) => isLow(p.previous));
  const inputs = {
    procedures: input.procedures.map((p) => ({ ...p, currentFailShare: failShareOf(p.current), previousFailShare: p.previous ? failShareOf(p.previous) : null })),
  };
  if (counted.length === 0) {
    return insufficientData({ ...common, inputs, baseline: {}, explanationRu: `Нет процедур с числом участников не меньше ${t.minParticipantsPerProcedure}: низкие результаты оценить нельзя.` });
  }
  const flagged = lowNow.length >= t.minProceduresThisYear && persistent.length >= t.minPersistentProcedures;
  const list = lowNow.map((p) => `${procedureRu(p)} — ${formatPercentRu(failShareOf(p.current))}${isLow(p.previous) ? ` (год назад ${formatPercentRu(failShareOf(p.previous as FailCounts))})` : ''}`);
  const explanationRu =
    lowNow.length === 0
      ? `Ни в одной из ${counted.length} процедур доля отметок «2» не достигает ${formatPercentRu(t.failShare)}.`
      : `Доля отметок «2» не меньше ${formatPercentRu(t.failShare)} в ${lowNow.length} из ${counted.length} процедур: ${list.join('; ')}; ` +
        `в ${persistent.length} из них — и в прошлом году` +
        (flagged ? ': устойчиво низкие результаты.' : ` (нужно ${t.minProceduresThisYear} процедуры в этом году и ${t.minPersistentProcedures} с прошлогодним повтором).`);
  return buildResult({
    ...common,
    status: flagged ? 'FLAGGED' : 'CLEAR',
    value: lowNow.length,
    explanationRu,
    inputs,
    baseline: { lowThisYear: lowNow.map(procedureRu), persistent: persistent.map(procedureRu) },
  });
}
