import { chiSquareUpperTail } from './chi-square';
import { checkedConfidence, type ConfidenceOptions } from './inference';
import { shareObservation, type ShareObservation } from './observations';
import { compareShareWithReference } from './share-difference';
import type { Difference, Reference } from './difference';
import type { Insufficient } from './insufficient-data';

/** Counts of pupils per mark. */
export interface MarkCounts {
  count2: number;
  count3: number;
  count4: number;
  count5: number;
}

/** Shares of pupils per mark (proportions summing to 1). */
interface MarkShares {
  share2: number;
  share3: number;
  share4: number;
  share5: number;
}

export type MarkDistributionReference =
  | { kind: 'population'; shares: MarkShares }
  | { kind: 'sample'; counts: MarkCounts; includesSchool?: boolean };

interface MarkDifference {
  mark: 2 | 3 | 4 | 5;
  difference: Difference;
}

export interface MarkDistributionComparison {
  status: 'OK';
  participants: number;
  /** Share of each mark against the reference. */
  byMark: MarkDifference[];
  /** Share of «4» + «5» against the reference. */
  share45: Difference;
  /** Pearson χ² (goodness of fit vs a fixed reference, homogeneity vs a sampled one). */
  chiSquare: number;
  degreesOfFreedom: number;
  pValue: number;
  significant: boolean;
  /** True when some expected count is below 5: the χ² p-value is then only indicative. */
  smallExpectedCounts: boolean;
}

export type MarkDistributionResult = MarkDistributionComparison | Insufficient;

const MARKS = [2, 3, 4, 5] as const;

/**
 * The whole mark distribution «2»/«3»/«4»/«5» of a school against a reference: each mark's share
 * (and 4+5) with its interval, plus one overall Pearson χ² test so that four separate per-mark
 * flags do not multiply false alarms.
 *
 * - Fixed reference shares πₖ: goodness of fit, χ² = Σ (Oₖ − nπₖ)² / (nπₖ) over marks with πₖ > 0.
 * - Sampled reference counts: 2 × K homogeneity test, χ² = Σ (O − E)² / E with E from the margins.
 * df = (marks that occur) − 1. Expected counts below 5 make the χ² p-value only indicative.
 */
export function compareMarkDistribution(
  school: MarkCounts,
  reference: MarkDistributionReference,
  options: ConfidenceOptions = {},
): MarkDistributionResult {
  const confidence = checkedConfidence(options.confidence);
  const observed = countsOf(school);
  const n = sum(observed);
  if (n === 0) return { status: 'INSUFFICIENT_DATA', reason: 'the school has no marks' };
  const base: ReferenceBase =
    reference.kind === 'sample'
      ? { kind: 'counts', counts: referenceCountsWithoutSchool(reference.counts, observed, reference.includesSchool) }
      : { kind: 'shares', shares: sharesOf(reference.shares) };
  if (base.kind === 'counts' && sum(base.counts) === 0) return { status: 'INSUFFICIENT_DATA', reason: 'the reference has no marks' };

  // The share of a set of marks (one mark, or «4» and «5») against the same set in the reference.
  const compareMarks = (marks: readonly number[]): Difference => {
    const own = shareObservation(sumAt(observed, marks), n);
    const shareReference: Reference<ShareObservation> =
      base.kind === 'counts'
        ? { kind: 'sample', observation: shareObservation(sumAt(base.counts, marks), sum(base.counts)) }
        : { kind: 'population', value: Math.min(1, sumAt(base.shares, marks)) };
    const result = compareShareWithReference(own, shareReference, { confidence });
    if (result.status !== 'OK') throw new Error('unreachable: both groups have marks');
    return result;
  };
  const byMark: MarkDifference[] = MARKS.map((mark, k) => ({ mark, difference: compareMarks([k]) }));
  const share45 = compareMarks([2, 3]);

  const { chiSquare, degreesOfFreedom, minExpected } =
    base.kind === 'counts' ? homogeneityChiSquare(observed, base.counts) : goodnessOfFitChiSquare(observed, base.shares);
  const pValue = degreesOfFreedom > 0 ? chiSquareUpperTail(chiSquare, degreesOfFreedom) : 1;
  return {
    status: 'OK',
    participants: n,
    byMark,
    share45,
    chiSquare,
    degreesOfFreedom,
    pValue,
    significant: pValue < 1 - confidence,
    smallExpectedCounts: minExpected < 5,
  };
}

type ReferenceBase = { kind: 'counts'; counts: number[] } | { kind: 'shares'; shares: number[] };

interface ChiSquareParts {
  chiSquare: number;
  degreesOfFreedom: number;
  minExpected: number;
}

function goodnessOfFitChiSquare(observed: readonly number[], shares: readonly number[]): ChiSquareParts {
  const n = sum(observed);
  let chiSquare = 0;
  let categories = 0;
  let minExpected = Infinity;
  observed.forEach((o, k) => {
    const expected = n * shares[k];
    if (expected > 0) {
      chiSquare += (o - expected) ** 2 / expected;
      categories++;
      minExpected = Math.min(minExpected, expected);
    } else if (o > 0) {
      chiSquare = Infinity; // a mark the reference says never occurs
    }
  });
  return { chiSquare, degreesOfFreedom: Math.max(0, categories - 1), minExpected };
}

function homogeneityChiSquare(first: readonly number[], second: readonly number[]): ChiSquareParts {
  const n1 = sum(first);
  const n2 = sum(second);
  const total = n1 + n2;
  let chiSquare = 0;
  let categories = 0;
  let minExpected = Infinity;
  first.forEach((o1, k) => {
    const column = o1 + second[k];
    if (column === 0) return;
    categories++;
    const e1 = (n1 * column) / total;
    const e2 = (n2 * column) / total;
    chiSquare += (o1 - e1) ** 2 / e1 + (second[k] - e2) ** 2 / e2;
    minExpected = Math.min(minExpected, e1, e2);
  });
  return { chiSquare, degreesOfFreedom: Math.max(0, categories - 1), minExpected };
}

function referenceCountsWithoutSchool(reference: MarkCounts, school: readonly number[], includesSchool = false): number[] {
  const counts = countsOf(reference);
  if (!includesSchool) return counts;
  const rest = counts.map((c, k) => c - school[k]);
  if (rest.some((c) => c < 0)) throw new RangeError('the reference is said to include the school but has fewer marks than it');
  return rest;
}

function countsOf(counts: MarkCounts): number[] {
  const values = [counts.count2, counts.count3, counts.count4, counts.count5];
  for (const v of values) if (!Number.isInteger(v) || v < 0) throw new RangeError(`mark counts must be non-negative integers, got ${v}`);
  return values;
}

function sharesOf(shares: { share2: number; share3: number; share4: number; share5: number }): number[] {
  const values = [shares.share2, shares.share3, shares.share4, shares.share5];
  const total = sum(values);
  if (values.some((v) => !(v >= 0)) || Math.abs(total - 1) > 0.01) {
    throw new RangeError(`reference mark shares must be ≥ 0 and sum to 1 (got ${total}); divide percentages by 100`);
  }
  // Published shares are rounded (sum 0.999 or 1.001): renormalise so the χ² expected counts sum to n.
  return values.map((v) => v / total);
}

function sumAt(values: readonly number[], indices: readonly number[]): number {
  return indices.reduce((total, k) => total + values[k], 0);
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
