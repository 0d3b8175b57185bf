import { normalQuantile } from '../../risk/stats/normal';
import { studentTUpperTail } from '../../risk/stats/studentT';

/**
 * t such that P(T > t) = upperTail for Student's t with `df` degrees of freedom (df may be
 * fractional, as Welch's is). Found by bisection on the colleague's exact upper tail: monotone, so
 * bisection cannot fail, and 200 halvings reach machine precision for any df ≥ 0.1.
 *
 * Why a t and not a z: classes of 8–15 pupils are common, and t₀.₉₇₅ with 7 df is 2.36, not 1.96.
 */
export function studentTQuantile(upperTail: number, df: number): number {
  if (!(upperTail > 0 && upperTail < 1)) throw new RangeError(`upper tail must be in (0, 1), got ${upperTail}`);
  if (!(df > 0)) throw new RangeError(`Student t needs df > 0, got ${df}`);
  if (upperTail > 0.5) return -studentTQuantile(1 - upperTail, df);
  if (upperTail === 0.5) return 0;
  let low = 0;
  let high = Math.max(1, normalQuantile(1 - upperTail));
  while (studentTUpperTail(high, df) > upperTail) high *= 2;
  for (let i = 0; i < 200 && high - low > 1e-14 * high; i++) {
    const mid = (low + high) / 2;
    if (studentTUpperTail(mid, df) > upperTail) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}
