/** A mark boundary as scales carry it: the lowest primary score that gets `mark`. */
export interface MarkBoundary {
  mark: number;
  minPrimary: number;
}

/**
 * The mark a primary score gets: the highest mark whose boundary it reaches, «2» below them all. Boundaries come as
 * the scale stores them ([min for «3», min for «4», min for «5»]) or as { mark, minPrimary } (the scale's API form).
 * The one rule for marks from scores in TypeScript; SQL applies the same one in src/assessments/aggregate.sql.ts.
 */
export function markFor(primaryScore: number, boundaries: readonly number[] | readonly MarkBoundary[]): number {
  let mark = 2;
  for (let index = 0; index < boundaries.length; index++) {
    // Read without building anything: this runs for every row of a million-row import.
    const boundary = boundaries[index];
    const candidate = typeof boundary === 'number' ? index + 3 : boundary.mark;
    if (primaryScore >= (typeof boundary === 'number' ? boundary : boundary.minPrimary) && candidate > mark) mark = candidate;
  }
  return mark;
}

/**
 * The mark a participant row reads with, and where it comes from: the file's mark, else the one its primary score
 * gets by markFor on the boundaries of the scale that applies in the school's region (`applicable_scale`, the same
 * scale the aggregates of src/assessments/aggregate.sql.ts judge the row by); no mark while that scale has none.
 */
export function participantMark(
  fileMark: number | null,
  primaryScore: number,
  applicableBoundaries: readonly number[] | null,
): { mark: number | null; source: 'FILE' | 'SCALE' | null } {
  if (fileMark !== null) return { mark: fileMark, source: 'FILE' };
  if (applicableBoundaries === null) return { mark: null, source: null };
  return { mark: markFor(primaryScore, applicableBoundaries), source: 'SCALE' };
}
