import type { Assessment } from './assessment.entity';
import type { AssessmentScale } from './assessment.types';

/** The scale of an assessment as the API shows it; null while the scale is unknown. */
export function scaleOf(assessment: Assessment): AssessmentScale | null {
  if (assessment.maxPrimary == null) return null;
  return {
    maxPrimary: assessment.maxPrimary,
    markBoundaries: (assessment.markBoundaries ?? []).map((minPrimary, index) => ({ mark: index + 3, minPrimary })),
    minimumTestScore: assessment.minimumTestScore,
    testScale: assessment.testScale,
    tasks: assessment.tasks,
  };
}

/** Mark for a primary score under boundaries [min for 3, min for 4, min for 5]. */
export function markFor(primaryScore: number, boundaries: readonly number[]): number {
  let mark = 2;
  boundaries.forEach((minPrimary, index) => {
    if (primaryScore >= minPrimary) mark = index + 3;
  });
  return mark;
}
