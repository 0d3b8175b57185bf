import { ScoreScale } from './types';

/** The scores around one mark boundary that the bunching estimator treats specially. */
export interface BoundaryWindow {
  mark: 3 | 4 | 5;
  boundary: number;
  /** Scores tested for excess mass: the boundary and the points just above it. */
  tested: number[];
  /**
   * The points just below the boundary that manipulation empties (works there are lifted to the boundary),
   * minus any score that is another boundary's tested window (on short scales boundaries are close). The
   * tested window is compared with them: the test statistic is the window's share of tested ∪ below.
   */
  below: number[];
  /** Scores whose inner shape manipulation changes: tested and the `exclusionBelow` points below the boundary. */
  excluded: number[];
}

/**
 * Windows around each mark boundary, clipped to the scale. Manipulation takes works from just below a
 * boundary and lifts them to it (or one point above), so "just below" is depleted and "at and just above"
 * is inflated. Comparing the two — the window's share of (window ∪ just below) — uses both halves of the
 * signature; the points further above the window, which manipulation leaves alone, would only dilute it.
 * A score cannot be "below" for one boundary and "tested" for another, so the per-boundary comparisons use
 * disjoint scores and are independent given the school's counts.
 */
export function boundaryWindows(scale: ScoreScale, windowWidth: number, exclusionBelow: number): BoundaryWindow[] {
  validateScale(scale);
  const sorted = [...scale.boundaries].sort((a, b) => a.minScore - b.minScore);
  const tested = sorted.map(({ minScore }) => range(minScore, Math.min(scale.maxScore, minScore + windowWidth - 1)));
  const testedAnywhere = new Set(tested.flat());
  return sorted.map(({ mark, minScore }, i) => {
    const lastTested = tested[i][tested[i].length - 1];
    const excluded = range(Math.max(0, minScore - exclusionBelow), lastTested);
    const below = excluded.filter((s) => s < minScore && !testedAnywhere.has(s));
    return { mark, boundary: minScore, tested: tested[i], below, excluded };
  });
}

/** Union of all windows' excluded scores. */
export function excludedScores(windows: readonly BoundaryWindow[]): Set<number> {
  const set = new Set<number>();
  for (const w of windows) for (const s of w.excluded) set.add(s);
  return set;
}

/**
 * Partition of the scores 0…maxScore into groups for the counterfactual fit: every run of consecutive
 * excluded scores is one group (manipulation moves works *within* such a run, so its total is unchanged),
 * every other score is a group of its own.
 */
export function fitGroups(maxScore: number, windows: readonly BoundaryWindow[]): number[][] {
  const excluded = excludedScores(windows);
  const groups: number[][] = [];
  let run: number[] = [];
  for (let s = 0; s <= maxScore; s++) {
    if (excluded.has(s)) {
      run.push(s);
      continue;
    }
    if (run.length > 0) groups.push(run);
    run = [];
    groups.push([s]);
  }
  if (run.length > 0) groups.push(run);
  return groups;
}

function validateScale(scale: ScoreScale): void {
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
