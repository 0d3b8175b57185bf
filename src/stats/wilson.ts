import { normalQuantile } from './normal';

export interface ProportionInterval {
  lower: number;
  upper: number;
}

/**
 * Wilson score interval for a proportion. Unlike the Wald interval it stays inside [0, 1] and keeps
 * its coverage for the small classes (5–25 pupils) that dominate rural schools.
 */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): ProportionInterval {
  if (!(trials > 0)) throw new RangeError(`Wilson interval needs trials > 0, got ${trials}`);
  if (successes < 0 || successes > trials) {
    throw new RangeError(`successes must be within [0, ${trials}], got ${successes}`);
  }
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = successes / trials;
  const z2n = (z * z) / trials;
  const centre = (p + z2n / 2) / (1 + z2n);
  const halfWidth = (z * Math.sqrt((p * (1 - p)) / trials + (z * z) / (4 * trials * trials))) / (1 + z2n);
  // At 0 or n successes the bound is exactly 0 or 1; the formula gives it only up to rounding.
  return {
    lower: successes === 0 ? 0 : Math.max(0, centre - halfWidth),
    upper: successes === trials ? 1 : Math.min(1, centre + halfWidth),
  };
}
