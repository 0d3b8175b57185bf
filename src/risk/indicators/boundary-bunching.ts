import { MarkerCode } from '../markers';
import { BoundaryBunchingThresholds, RiskThresholds } from '../methodology/thresholds';
import { binomialPmf } from '../stats/binomial';
import { noncentralHypergeometricPmf } from '../stats/noncentral-hypergeometric';
import { REFERENCE_PSEUDO_COUNT, regionWithoutSchool, smoothedShape, tiltedCounterfactual } from './bunching-counterfactual';
import { BoundaryWindow, boundaryWindows, excludedScores, fitGroups } from './bunching-windows';
import { formatNumberRu, formatPercentRu, formatPValueRu, markRu, pluralRu } from './format-ru';
import { assertHistogram, buildResult, insufficientData, roundTo, sum } from './result';
import { BoundaryBunchingInput, HistogramBunchingInput, IndicatorResult } from './types';

/**
 * Indicator 2 — bunching at mark boundaries (marker BOUNDARY_BUNCHING).
 *
 * For each boundary b the tested window is W = {b, …, b + windowWidth − 1} and the comparison scores are
 * B = the `exclusionBelow` points just below b (see `boundaryWindows`). Manipulation lifts works from B
 * into W, so it raises W's share of W ∪ B from both sides. Conditional on the M works the school has in
 * W ∪ B, the count in W is, without manipulation:
 * - against the rest of the region (the main case): the two-sample comparison "school vs rest of the
 *   region" of the share of W in W ∪ B, shifted by the odds ratio ψ of the school's tilt between W and B —
 *   Fisher's noncentral hypergeometric, exact, so both the school's and the reference's sampling noise
 *   are accounted for (a small region is a noisy reference, and the test knows it);
 * - against a smoothed counterfactual (small regions, a histogram alone): Binomial(M, π), π the
 *   counterfactual share of W in W ∪ B.
 * Conditioning on M makes the test insensitive to the school's overall level (which the counterfactual only
 * estimates); only the local ratio matters. The windows of different boundaries use disjoint scores, so the
 * per-boundary counts are independent given the M's, and the statistic is their *sum* over the boundaries,
 * with the exact null distribution by convolution: manipulation usually acts at several boundaries at once
 * («2»→«3» and «3»→«4»), and the sum collects it where the minimum of Bonferroni-corrected p-values would
 * throw most of it away. Each boundary's own p-value is kept as evidence.
 *
 * Flagged (before the region-wide correction) when p ≤ `alpha` *and* the total excess — observed minus
 * expected in the windows — is at least `minExcessShare` of the participants, so that a large school is
 * not flagged for a deviation too small to matter. `value` = total excess (works); `pValue` = the p-value
 * of the sum. Methodology v2 judges schools with its own bunching sign (src/risk/evidence/signs.ts); this module
 * judges a territory's histogram on its own (`boundaryBunchingInHistogram`, src/risk/territory).
 */

interface BoundaryTest {
  mark: 3 | 4 | 5;
  boundary: number;
  testedScores: number[];
  /** The scores just below the boundary W is compared with (empty at the bottom of the scale). */
  belowScores: number[];
  observed: number;
  /** Counterfactual expected count in the tested window, given the works in tested ∪ below. */
  expected: number;
  /** observed − expected (works; negative when the window is thin). */
  excess: number;
  /** excess / participants. */
  excessShare: number;
  /** Works just below the boundary. */
  belowObserved: number;
  /** Works in tested ∪ below (the conditioning count M). */
  neighbourhoodObserved: number;
  /** Counterfactual share of the window within tested ∪ below (π). */
  windowShareOfNeighbourhood: number;
  /** Works of the reference (rest of the region) in the window and just below; null for a smoothed counterfactual. */
  referenceWindow: number | null;
  referenceBelow: number | null;
  /** One-sided exact p-value of this boundary alone. */
  pValue: number;
  /** This boundary on its own: p ≤ alpha and excess ≥ minExcessShare of participants (for the analyst; the decision uses the sum). */
  flagged: boolean;
}

type CounterfactualSource = 'REGION_REST_TILTED' | 'REGION_SHAPE_TILTED' | 'OWN_POLYNOMIAL';

interface BunchingDetails {
  participants: number;
  observedHistogram: number[];
  /** Expected participants per score without manipulation (same length; draw it over the real one). */
  counterfactualHistogram: number[];
  counterfactualSource: CounterfactualSource;
  boundaries: BoundaryTest[];
  /** Works in all tested windows, and expected there. */
  observed: number;
  expected: number;
  /** observed − expected over all boundaries. */
  excess: number;
  excessShare: number;
}

export interface BoundaryBunchingResult extends IndicatorResult {
  /** Null when the indicator refused to judge. */
  details: BunchingDetails | null;
}

/** Per-boundary null distribution of the window count given M, and what it needs. */
interface BoundaryNull {
  window: BoundaryWindow;
  observed: number;
  below: number;
  pmf: number[];
  pi: number;
  referenceWindow: number | null;
  referenceBelow: number | null;
}

/** A school's histogram against the rest of the region, tilted to the school (the main per-school test). */
export function boundaryBunching(input: BoundaryBunchingInput, thresholds: RiskThresholds): BoundaryBunchingResult {
  const t = thresholds.boundaryBunching;
  const { scale, schoolHistogram, regionHistogram } = input;
  const windows = boundaryWindows(scale, t.windowWidth, t.exclusionBelow);
  assertHistogram(schoolHistogram, scale.maxScore, 'schoolHistogram');
  assertHistogram(regionHistogram, scale.maxScore, 'regionHistogram');
  const participants = sum(schoolHistogram);
  const refusal = refuseToJudge(participants, windows, t, 'школы');
  if (refusal) return refusal;

  const { rest, inconsistentScores } = regionWithoutSchool(regionHistogram, schoolHistogram, input.regionIncludesSchool ?? false);
  const dataWarnings =
    inconsistentScores.length > 0
      ? [`Гистограмма региона содержит меньше работ, чем у школы, при ${inconsistentScores.length} ${pluralRu(inconsistentScores.length, ['значении', 'значениях', 'значениях'])} балла: региональные итоги устарели, их нужно пересчитать.`]
      : [];
  const restWorks = sum(rest);
  const groups = fitGroups(scale.maxScore, windows);
  if (restWorks >= t.minReferenceWorks) {
    const reference = rest.map((c) => c + REFERENCE_PSEUDO_COUNT);
    const { expected, tilt } = tiltedCounterfactual(schoolHistogram, reference, groups, t.schoolTiltDegree);
    const nulls = windows.map((w) => referenceNull(w, schoolHistogram, rest, reference, tilt));
    const result = judge(schoolHistogram, expected, 'REGION_REST_TILTED', nulls, t, { referenceWorks: restWorks, regionParticipants: sum(regionHistogram) });
    result.warnings.push(...dataWarnings);
    return result;
  }

  const excluded = excludedScores(windows);
  const regionOutside = rest.reduce((acc, c, s) => acc + (excluded.has(s) ? 0 : c), 0);
  if (regionOutside < t.reliableParticipants) {
    const refusal = refuse(t, `По остальным школам региона вне окон у границ отметок лишь ${regionOutside} ${worksRu(regionOutside)}: контрфактическое распределение не построить, индикатор не рассчитывается.`, participants);
    refusal.warnings.push(...dataWarnings);
    return refusal;
  }
  const regionShape = smoothedShape(rest, excluded, t.regionPolynomialDegree);
  const { expected } = tiltedCounterfactual(schoolHistogram, regionShape, groups, t.schoolTiltDegree);
  const nulls = windows.map((w) => smoothNull(w, schoolHistogram, expected));
  const result = judge(schoolHistogram, expected, 'REGION_SHAPE_TILTED', nulls, t, { referenceWorks: restWorks, regionParticipants: sum(regionHistogram), regionCounterfactualShare: regionShape });
  result.warnings.push(...dataWarnings, `В остальных школах региона лишь ${restWorks} ${worksRu(restWorks)} (меньше ${t.minReferenceWorks}): образец распределения сглажен полиномом.`);
  return result;
}

/**
 * Variant for one histogram on its own — the region's, or a school's when no region is at hand:
 * the counterfactual is the histogram's own Poisson log-polynomial fitted outside the windows
 * (degree `regionPolynomialDegree` from `largeHistogramParticipants` on, else
 * `smallHistogramPolynomialDegree`).
 */
export function boundaryBunchingInHistogram(input: HistogramBunchingInput, thresholds: RiskThresholds): BoundaryBunchingResult {
  const t = thresholds.boundaryBunching;
  const { scale, histogram } = input;
  const windows = boundaryWindows(scale, t.windowWidth, t.exclusionBelow);
  assertHistogram(histogram, scale.maxScore, 'histogram');
  const participants = sum(histogram);
  const refusal = refuseToJudge(participants, windows, t, 'гистограммы');
  if (refusal) return refusal;
  const excluded = excludedScores(windows);
  if (histogram.every((count, s) => excluded.has(s) || count === 0)) {
    return refuse(t, 'Все работы попали в окна у границ отметок: сгладить распределение вне окон нельзя, индикатор не рассчитывается.', participants);
  }
  const degree = participants >= t.largeHistogramParticipants ? t.regionPolynomialDegree : t.smallHistogramPolynomialDegree;
  const counterfactual = smoothedShape(histogram, excluded, degree).map((share) => share * participants);
  const nulls = windows.map((w) => smoothNull(w, histogram, counterfactual));
  return judge(histogram, counterfactual, 'OWN_POLYNOMIAL', nulls, t, { polynomialDegree: degree });
}

function refuseToJudge(
  participants: number,
  windows: readonly BoundaryWindow[],
  t: BoundaryBunchingThresholds,
  whose: string,
): BoundaryBunchingResult | null {
  if (windows.length === 0) {
    return refuse(t, 'Для шкалы не заданы границы отметок: проверять пики не на чем, индикатор не рассчитывается.', participants);
  }
  if (participants < t.minParticipants) {
    return refuse(
      t,
      `Участников ${participants} — меньше ${t.minParticipants}: по гистограмме ${whose} такого размера о пиках на границах отметок судить нельзя, индикатор не рассчитывается.`,
      participants,
    );
  }
  return null;
}

function refuse(t: BoundaryBunchingThresholds, explanationRu: string, participants: number): BoundaryBunchingResult {
  return {
    ...insufficientData({
      indicator: 'BOUNDARY_BUNCHING',
      marker: MarkerCode.BOUNDARY_BUNCHING,
      explanationRu,
      inputs: { participants },
      baseline: {},
      thresholds: t,
    }),
    details: null,
  };
}

const countIn = (histogram: readonly number[], scores: readonly number[]) => scores.reduce((acc, s) => acc + histogram[s], 0);

/** Exact null of the window count against the rest of the region, shifted by the school's tilt. */
function referenceNull(w: BoundaryWindow, school: readonly number[], rest: readonly number[], reference: readonly number[], tilt: readonly number[]): BoundaryNull {
  const observed = countIn(school, w.tested);
  const below = countIn(school, w.below);
  const m = observed + below;
  const referenceWindow = countIn(rest, w.tested);
  const referenceBelow = countIn(rest, w.below);
  // Tilt averaged over each side with the reference's weights: the school's odds of W against B relative to the region's.
  const weightedTilt = (scores: readonly number[]) => {
    let weighted = 0;
    let weights = 0;
    for (const s of scores) {
      weighted += reference[s] * tilt[s];
      weights += reference[s];
    }
    return { weighted, weights };
  };
  const wSide = weightedTilt(w.tested);
  const bSide = weightedTilt(w.below);
  if (w.below.length === 0 || m === 0) return { window: w, observed, below, pmf: [1], pi: 1, referenceWindow, referenceBelow };
  const oddsRatio = clampOdds(wSide.weighted / wSide.weights / (bSide.weighted / bSide.weights));
  const pi = wSide.weighted / (wSide.weighted + bSide.weighted);
  const pmf = noncentralHypergeometricPmf(m, referenceWindow + referenceBelow, referenceWindow + observed, oddsRatio);
  return { window: w, observed, below, pmf, pi, referenceWindow, referenceBelow };
}

/** Binomial null of the window count against a smoothed counterfactual. */
function smoothNull(w: BoundaryWindow, histogram: readonly number[], counterfactual: readonly number[]): BoundaryNull {
  const observed = countIn(histogram, w.tested);
  const below = countIn(histogram, w.below);
  const m = observed + below;
  const cfWindow = countIn(counterfactual, w.tested);
  const cfBelow = countIn(counterfactual, w.below);
  if (w.below.length === 0 || m === 0) return { window: w, observed, below, pmf: [1], pi: 1, referenceWindow: null, referenceBelow: null };
  const pi = cfWindow + cfBelow > 0 ? Math.min(1, cfWindow / (cfWindow + cfBelow)) : 1;
  const pmf = Array.from({ length: m + 1 }, (_, k) => binomialPmf(k, m, pi));
  return { window: w, observed, below, pmf, pi, referenceWindow: null, referenceBelow: null };
}

function clampOdds(odds: number): number {
  return Number.isFinite(odds) && odds > 0 ? Math.min(1e6, Math.max(1e-6, odds)) : 1;
}

function upperTail(pmf: readonly number[], from: number): number {
  let tail = 0;
  for (let k = Math.max(0, from); k < pmf.length; k++) tail += pmf[k];
  return Math.min(1, Math.max(0, tail));
}

function mean(pmf: readonly number[]): number {
  let m = 0;
  for (let k = 0; k < pmf.length; k++) m += k * pmf[k];
  return m;
}

function convolve(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(a.length + b.length - 1).fill(0);
  for (let i = 0; i < a.length; i++) {
    if (a[i] === 0) continue;
    for (let j = 0; j < b.length; j++) out[i + j] += a[i] * b[j];
  }
  return out;
}

function judge(
  histogram: readonly number[],
  counterfactual: readonly number[],
  source: CounterfactualSource,
  nulls: readonly BoundaryNull[],
  t: BoundaryBunchingThresholds,
  baselineExtras: Record<string, unknown>,
): BoundaryBunchingResult {
  const participants = sum(histogram);
  const tests: BoundaryTest[] = nulls.map((n) => {
    const expected = mean(n.pmf);
    const excess = n.observed - expected;
    const pValue = upperTail(n.pmf, n.observed);
    return {
      mark: n.window.mark,
      boundary: n.window.boundary,
      testedScores: n.window.tested,
      belowScores: n.window.below,
      observed: n.observed,
      expected: roundTo(expected, 3),
      excess: roundTo(excess, 3),
      excessShare: roundTo(excess / participants, 4),
      belowObserved: n.below,
      neighbourhoodObserved: n.observed + n.below,
      windowShareOfNeighbourhood: roundTo(n.pi, 5),
      referenceWindow: n.referenceWindow,
      referenceBelow: n.referenceBelow,
      pValue,
      flagged: pValue <= t.alpha && excess >= t.minExcessShare * participants,
    };
  });
  const sumNull = nulls.reduce<number[]>((acc, n) => convolve(acc, n.pmf), [1]);
  const observed = sum(nulls.map((n) => n.observed));
  const expected = mean(sumNull);
  const excess = observed - expected;
  const pValue = upperTail(sumNull, observed);
  const flagged = pValue <= t.alpha && excess >= t.minExcessShare * participants;
  const warnings: string[] = [];
  if (participants < t.reliableParticipants) {
    warnings.push(`Участников ${participants} (меньше ${t.reliableParticipants}): гистограмма грубая, вывод предварительный.`);
  }
  const details: BunchingDetails = {
    participants,
    observedHistogram: [...histogram],
    counterfactualHistogram: counterfactual.map((v) => roundTo(v, 4)),
    counterfactualSource: source,
    boundaries: tests,
    observed,
    expected: roundTo(expected, 3),
    excess: roundTo(excess, 3),
    excessShare: roundTo(excess / participants, 4),
  };
  const result = buildResult({
    indicator: 'BOUNDARY_BUNCHING',
    marker: MarkerCode.BOUNDARY_BUNCHING,
    status: flagged ? 'FLAGGED' : 'CLEAR',
    value: roundTo(excess, 2),
    pValue,
    warnings,
    explanationRu: explain(tests, details, pValue, flagged, t),
    inputs: { participants, histogram: [...histogram] },
    baseline: {
      ...baselineExtras,
      counterfactualSource: source,
      counterfactualHistogram: details.counterfactualHistogram,
      boundaries: tests,
      windowsObserved: observed,
      windowsExpected: details.expected,
      excessShare: details.excessShare,
    },
    thresholds: t,
  });
  return { ...result, details };
}

function explain(tests: readonly BoundaryTest[], details: BunchingDetails, pValue: number, flagged: boolean, t: BoundaryBunchingThresholds): string {
  const perBoundary = tests.map(
    (b) =>
      `${markRu(b.mark)} (${scoresRu(b.testedScores)}) — ${b.observed} при ожидаемых ${formatNumberRu(b.expected)}` +
      (b.belowScores.length > 0 ? `, сразу ниже границы ${b.belowObserved}` : ''),
  );
  const total =
    `всего у границ ${details.observed} ${worksRu(details.observed)} при ожидаемых ${formatNumberRu(details.expected)} ` +
    `(избыток ${formatNumberRu(details.excess)}, ${formatPercentRu(details.excessShare, 1)} участников), ${formatPValueRu(pValue)}`;
  if (!flagged) {
    const small = pValue <= t.alpha ? `; избыток меньше ${formatPercentRu(t.minExcessShare)} участников — не считается` : '';
    return `Пиков на границах отметок не найдено: ${perBoundary.join('; ')}; ${total}${small}.`;
  }
  const [first, ...others] = [...tests].filter((b) => b.excess > 0).sort((a, b) => a.pValue - b.pValue);
  const othersText = others.length ? `; также на ${others.map((o) => `границе ${markRu(o.mark)} (избыток ${formatNumberRu(o.excess)})`).join(', ')}` : '';
  return (
    `Пик на границе отметки ${markRu(first.mark)} (${scoresRu(first.testedScores)}): ${first.observed} ${worksRu(first.observed)} ` +
    `при ожидаемых ${formatNumberRu(first.expected)} — избыток ${formatNumberRu(first.excess)} (${formatPercentRu(first.excess / details.participants)} участников), ` +
    `${formatPValueRu(first.pValue)}, сразу ниже границы ${first.belowObserved}${othersText}; ${total}.`
  );
}

function scoresRu(scores: readonly number[]): string {
  const last = scores[scores.length - 1];
  return scores.length === 1 ? `${scores[0]} ${pointsRu(scores[0])}` : `${scores[0]}–${last} ${pointsRu(last)}`;
}

function pointsRu(n: number): string {
  return pluralRu(n, ['балл', 'балла', 'баллов']);
}

function worksRu(n: number): string {
  return pluralRu(n, ['работа', 'работы', 'работ']);
}
