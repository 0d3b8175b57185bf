import type { RowIssues } from '../row-issues';

/**
 * ФИС ОКО publishes per-school results as shares in %, rounded. The hub stores counts, so the shares are
 * turned back into numbers of participants, and shares that cannot come from whole participants are errors.
 */

export type ShareConversion =
  | { ok: true; counts: number[] }
  | { ok: false; problem: 'sum'; sum: number; tolerance: number }
  | { ok: false; problem: 'fit'; index: number; exact: number };

/** Rounding slack of one share written with `decimals` digits after the comma. */
function halfUnit(decimals: number): number {
  return 0.5 * 10 ** -decimals;
}

/**
 * How far a count may sit from share × N: one unit of the last written digit, not half, because producers nudge one
 * share so that the row adds up to exactly 100 %.
 */
function countSlack(participants: number, decimals: number): number {
  return (participants * 2 * halfUnit(decimals)) / 100 + 1e-6;
}

/** The row error of a share that no whole number of the participants gives. */
export function shareMisfitReason(participants: number, exact: number): (shown: string) => string {
  const people = String(Math.round(exact * 100) / 100).replace('.', ',');
  return (shown) => `доля ${shown} % от ${participants} участников — это ${people} чел., не целое число участников`;
}

/** How far from 100 % `count` shares rounded to `decimals` digits may add up. */
export function shareSumTolerance(count: number, decimals: number): number {
  return count * halfUnit(decimals) + 1e-6;
}

/**
 * Counts from shares: largest remainders, so the counts always add up to `participants`.
 * Fails when the shares do not add up to 100 % within their rounding, or when a share is further from a
 * whole number of participants than its rounding allows (12,5 % of 10 participants is 1.25 people).
 */
export function sharesToCounts(percents: readonly number[], decimals: number, participants: number): ShareConversion {
  const sum = percents.reduce((total, share) => total + share, 0);
  if (participants === 0) {
    return sum === 0 ? { ok: true, counts: percents.map(() => 0) } : { ok: false, problem: 'fit', index: percents.findIndex((p) => p > 0), exact: 0 };
  }
  const tolerance = shareSumTolerance(percents.length, decimals);
  if (Math.abs(sum - 100) > tolerance) return { ok: false, problem: 'sum', sum, tolerance };

  const exact = percents.map((share) => (share * participants) / 100);
  const slack = countSlack(participants, decimals);
  const counts = exact.map(Math.floor);
  let missing = participants - counts.reduce((total, count) => total + count, 0);
  const byRemainder = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) })).sort((a, b) => b.remainder - a.remainder);
  for (const { index } of byRemainder) {
    if (missing <= 0) break;
    counts[index]++;
    missing--;
  }
  for (let index = 0; index < counts.length; index++) {
    if (Math.abs(counts[index] - exact[index]) > slack) return { ok: false, problem: 'fit', index, exact: exact[index] };
  }
  return { ok: true, counts };
}

/**
 * Counts from a row's shares of marks, or null with the row's error said (the sum off 100 %, or shares that no whole
 * number of participants gives) — for layouts that read the shares as one group.
 */
export function markCountsFromShares(issues: RowIssues, percents: readonly number[], decimals: number, participants: number): number[] | null {
  const conversion = sharesToCounts(percents, decimals, participants);
  if (conversion.ok) return conversion.counts;
  issues.row(
    conversion.problem === 'sum' ? 'SHARES_SUM_MISMATCH' : 'SHARES_DO_NOT_FIT_PARTICIPANTS',
    conversion.problem === 'sum'
      ? `доли отметок в сумме дают ${String(Math.round(conversion.sum * 1000) / 1000).replace('.', ',')} %, а должны давать 100 %`
      : `доли отметок не соответствуют целому числу участников из ${participants}`,
  );
  return null;
}

/**
 * One share of the participants that is not part of a partition (a threshold: ЕГЭ ≥ 80 points, below the minimum) as a
 * count: the nearest whole number, refused like a share of marks when it is further from share × N than its rounding
 * allows.
 */
export function shareToCount(percent: number, decimals: number, participants: number): { ok: true; count: number } | { ok: false; exact: number } {
  const exact = (percent * participants) / 100;
  const count = Math.round(exact);
  return Math.abs(count - exact) <= countSlack(participants, decimals) ? { ok: true, count } : { ok: false, exact };
}

/** A count from one share in `column`, or null with the cell's error said — the single-share counterpart of markCountsFromShares. */
export function countFromShare(issues: RowIssues, column: number, percent: number, decimals: number, participants: number): number | null {
  const conversion = shareToCount(percent, decimals, participants);
  if (conversion.ok) return conversion.count;
  issues.cell('SHARES_DO_NOT_FIT_PARTICIPANTS', column, shareMisfitReason(participants, conversion.exact));
  return null;
}
