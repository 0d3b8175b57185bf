/** Checks against a known scale of the assessment (given in the options). */

/** Mark for a primary score under boundaries { mark, minPrimary } (the same rule as src/assessments/scale.ts). */
export function markForScore(primaryScore: number, boundaries: readonly { mark: number; minPrimary: number }[]): number {
  let mark = 2;
  for (const boundary of boundaries) {
    if (primaryScore >= boundary.minPrimary && boundary.mark > mark) mark = boundary.mark;
  }
  return mark;
}
