import { FailCounts } from './types';

/** Share of «2»; 0 for an empty procedure. */
export function failShareOf(c: FailCounts): number {
  return c.participants > 0 ? c.failCount / c.participants : 0;
}

/** Throws unless 0 ≤ failCount ≤ participants, both integers (a service bug should not become a marker). */
export function validatedFailCounts(c: FailCounts): FailCounts {
  if (!(Number.isInteger(c.participants) && c.participants >= 0 && Number.isInteger(c.failCount) && c.failCount >= 0 && c.failCount <= c.participants)) {
    throw new RangeError(`fail counts must be integers with 0 ≤ failCount ≤ participants, got ${c.failCount}/${c.participants}`);
  }
  return c;
}

/**
 * The share a decision uses. With `shrink` and a shrunken share provided: the smaller of the raw and the
 * shrunken share — shrinkage is there to keep the luck of one pupil in a small class from making a
 * procedure "low", not to call a procedure low whose observed share is below the bar (the criterion is
 * about the results observed; the model only judges whether they are credible). Else the raw share.
 */
export function decisionShareOf(c: FailCounts, shrink: boolean): number {
  const raw = failShareOf(c);
  return shrink && typeof c.shrunkenFailShare === 'number' ? Math.min(raw, c.shrunkenFailShare) : raw;
}
