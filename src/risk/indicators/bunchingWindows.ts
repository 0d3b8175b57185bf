import { ScoreScale } from './types';

/** The scores around one mark boundary that the bunching estimator treats specially. */
export interface BoundaryWindow {
  mark: 3 | 4 | 5;
  boundary: number;
  /** Scores tested for excess mass: the boundary and the points just above it. */
  tested: number[];
  /** Scores left out of the counterfactual fit: the tested ones and the points just below. */
  excluded: number[];
  /**
   * The excluded scores plus as many points above the tested ones as are excluded below: the local
   * neighbourhood the tested window is compared with (conditional test, see `boundaryBunching`).
   */
  neighbourhood: number[];
}

/**
 * Windows around each mark boundary, clipped to the scale. Manipulation takes works from just below a
 * boundary and lifts them to it or one point above, so "just below" is excluded from the fit (it is
 * depleted) and "at and just above" is tested (it is inflated).
 */
export function boundaryWindows(scale: ScoreScale, windowWidth: number, exclusionBelow: number): BoundaryWindow[] {
  validateScale(scale);
  return [...scale.boundaries]
    .sort((a, b) => a.minScore - b.minScore)
    .map(({ mark, minScore }) => {
      const tested = range(minScore, Math.min(scale.maxScore, minScore + windowWidth - 1));
      const lastTested = tested[tested.length - 1];
      const excluded = range(Math.max(0, minScore - exclusionBelow), lastTested);
      const neighbourhood = range(excluded[0], Math.min(scale.maxScore, lastTested + Math.max(exclusionBelow, 1)));
      return { mark, boundary: minScore, tested, excluded, neighbourhood };
    });
}

/** Union of all windows' excluded scores. */
export function excludedScores(windows: readonly BoundaryWindow[]): Set<number> {
  const set = new Set<number>();
  for (const w of windows) for (const s of w.excluded) set.add(s);
  return set;
}

export function validateScale(scale: ScoreScale): void {
  if (!(Number.isInteger(scale.maxScore) && scale.maxScore > 0)) {
    throw new RangeError(`scale.maxScore must be a positive integer, got ${scale.maxScore}`);
  }
  for (const b of scale.boundaries) {
    if (!(Number.isInteger(b.minScore) && b.minScore > 0 && b.minScore <= scale.maxScore)) {
      throw new RangeError(`boundary for mark ${b.mark} must be an integer in 1…${scale.maxScore}, got ${b.minScore}`);
    }
  }
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let s = from; s <= to; s++) out.push(s);
  return out;
}
