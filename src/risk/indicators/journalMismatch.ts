import { MarkerCode } from '../markers';
import { RiskThresholds } from '../methodology/thresholds';
import { binomialUpperTail } from '../stats/binomial';
import { formatPercentRu, formatPValueRu, pluralRu } from './formatRu';
import { buildResult, insufficientData, roundTo } from './result';
import { IndicatorResult, JournalMismatchInput } from './types';

/** The school's totals of the ФИС ОКО comparison. */
export interface JournalComparison {
  participants: number;
  raised: number;
  confirmed: number;
  lowered: number;
  /** Pupils whose ВПР mark differs from the journal by 2 or more, either way. */
  differByTwoOrMore: number;
  /** Of those, ВПР ≥ journal + 2. */
  raisedByTwoOrMore: number;
  /** Of those, ВПР ≤ journal − 2. */
  loweredByTwoOrMore: number;
}

/** Totals of the school's cross-table. */
export function compareWithJournal(input: JournalMismatchInput): JournalComparison {
  const c: JournalComparison = { participants: 0, raised: 0, confirmed: 0, lowered: 0, differByTwoOrMore: 0, raisedByTwoOrMore: 0, loweredByTwoOrMore: 0 };
  for (const cell of input.cells) {
    if (!(Number.isInteger(cell.count) && cell.count >= 0)) throw new RangeError(`cross-table counts must be non-negative integers, got ${cell.count}`);
    const difference = cell.testMark - cell.journalMark;
    c.participants += cell.count;
    if (difference > 0) c.raised += cell.count;
    else if (difference < 0) c.lowered += cell.count;
    else c.confirmed += cell.count;
    if (difference >= 2) c.raisedByTwoOrMore += cell.count;
    if (difference <= -2) c.loweredByTwoOrMore += cell.count;
  }
  c.differByTwoOrMore = c.raisedByTwoOrMore + c.loweredByTwoOrMore;
  return c;
}

/**
 * Indicator 3 — ВПР mark against the journal (term) mark, as ФИС ОКО compares them:
 * «повысили» = ВПР > журнал, «подтвердили» = equal, «понизили» = ВПР < журнал.
 *
 * JOURNAL_RAISED fires when the share «повысили» reaches `raisedShare` and exceeds the region's share
 * significantly (one-sided exact binomial at `alpha`) — inflated ВПР. JOURNAL_LOWERED is the mirror
 * for «понизили» — inflated school marks. `value` = the share; `pValue` = the binomial tail against
 * the region's share. Pupils with |ВПР − журнал| ≥ 2 are counted in both: each of them is to be
 * reviewed whatever the shares say.
 */
export function journalRaised(input: JournalMismatchInput, thresholds: RiskThresholds): IndicatorResult {
  return judge(input, thresholds, 'RAISED');
}

export function journalLowered(input: JournalMismatchInput, thresholds: RiskThresholds): IndicatorResult {
  return judge(input, thresholds, 'LOWERED');
}

function judge(input: JournalMismatchInput, thresholds: RiskThresholds, direction: 'RAISED' | 'LOWERED'): IndicatorResult {
  const t = thresholds.journalMismatch;
  const c = compareWithJournal(input);
  const raisedDirection = direction === 'RAISED';
  const marker = raisedDirection ? MarkerCode.JOURNAL_RAISED : MarkerCode.JOURNAL_LOWERED;
  const regionTotal = input.region.raised + input.region.confirmed + input.region.lowered;
  const inputs = { ...c };
  const common = { indicator: 'JOURNAL_MISMATCH' as const, marker, thresholds: t, inputs };
  if (c.participants < t.minParticipants) {
    return insufficientData({ ...common, baseline: {}, explanationRu: `Отметки ВПР и журнала есть у ${c.participants} ${pupilsRu(c.participants)} — меньше ${t.minParticipants}: доли «повысили/понизили» не показательны.` });
  }
  if (regionTotal === 0) {
    return insufficientData({ ...common, baseline: {}, explanationRu: 'Нет региональных данных о сравнении отметок ВПР с журналом: сравнить долю школы не с чем.' });
  }
  const count = raisedDirection ? c.raised : c.lowered;
  const share = count / c.participants;
  const regionShare = (raisedDirection ? input.region.raised : input.region.lowered) / regionTotal;
  // A region share of exactly 0 would make any single pupil "infinitely" significant; floor it.
  const pValue = binomialUpperTail(count, c.participants, Math.max(regionShare, 1e-3));
  const bar = raisedDirection ? t.raisedShare : t.loweredShare;
  const flagged = share >= bar && pValue <= t.alpha;

  const warnings: string[] = [];
  if (c.differByTwoOrMore > 0) {
    warnings.push(`Расхождение отметок на 2 и более балла у ${c.differByTwoOrMore} ${pupilsRu(c.differByTwoOrMore)} — каждую такую работу нужно разобрать.`);
  }
  const word = raisedDirection ? '«повысили» (отметка ВПР выше журнальной)' : '«понизили» (отметка ВПР ниже журнальной)';
  const twoOrMore = raisedDirection ? c.raisedByTwoOrMore : c.loweredByTwoOrMore;
  const explanationRu =
    `Доля ${word} ${formatPercentRu(share)} при ${formatPercentRu(regionShare)} по региону ` +
    `(${count} из ${c.participants}; «подтвердили» ${formatPercentRu(c.confirmed / c.participants)}), ${formatPValueRu(pValue)}; ` +
    `расхождение на 2 и более балла в эту сторону — у ${twoOrMore} ${pupilsRu(twoOrMore)}` +
    (flagged ? `; порог ${formatPercentRu(bar)} превышен.` : '.');
  return buildResult({
    ...common,
    status: flagged ? 'FLAGGED' : 'CLEAR',
    value: roundTo(share, 4),
    pValue,
    warnings,
    explanationRu,
    baseline: {
      regionParticipants: regionTotal,
      regionRaisedShare: input.region.raised / regionTotal,
      regionConfirmedShare: input.region.confirmed / regionTotal,
      regionLoweredShare: input.region.lowered / regionTotal,
    },
  });
}

/** Genitive after "у", "из": у 1 ученика, у 3 учеников. */
function pupilsRu(n: number): string {
  return pluralRu(n, ['ученика', 'учеников', 'учеников']);
}
