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
