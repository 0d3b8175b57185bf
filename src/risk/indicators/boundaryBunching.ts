import { MarkerCode } from '../markers';
import { BoundaryBunchingThresholds, RiskThresholds } from '../methodology/thresholds';
import { binomialUpperTail } from '../stats/binomial';
import { smoothedShape, tiltedCounterfactual } from './bunchingCounterfactual';
import { BoundaryWindow, boundaryWindows, excludedScores } from './bunchingWindows';
import { formatNumberRu, formatPercentRu, formatPValueRu, markRu, pluralRu } from './formatRu';
import { assertHistogram, buildResult, insufficientData, roundTo, sum } from './result';
import { BoundaryBunchingInput, HistogramBunchingInput, IndicatorResult } from './types';

/**
 * Indicator 2 — bunching at mark boundaries (marker BOUNDARY_BUNCHING).
 *
 * For each boundary b the tested window is W = {b, …, b + windowWidth − 1} and its neighbourhood
 * is the `exclusionBelow` points below W, W, and as many points above W. Given the M works in the
 * neighbourhood, the window count is Binomial(M, π) under the counterfactual, π = counterfactual mass
 * of W / counterfactual mass of the neighbourhood; the test is the one-sided exact binomial tail,
 * Bonferroni-corrected over the boundaries. Conditioning on M matters: the counterfactual's overall
 * level for a school is itself estimated from ~40 works, and an unconditional test against N·p_W
 * ignores that error (simulated false-positive rate 7% at α = 5%); the local ratio π barely depends on
 * it, while manipulation (works moved from just below b up to W) raises X_W against M in full. A boundary is flagged when that corrected p ≤ alpha *and* the excess (observed −
 * expected) is at least `minExcessShare` of participants. `value` = excess count (works) at the most
 * significant boundary; `pValue` = the corrected p-value of that boundary. The decision here is per
 * school, before multiple testing across schools — `applyBunchingFdr` makes the region-wide one.
 */

export interface BoundaryTest {
  mark: 3 | 4 | 5;
  boundary: number;
  testedScores: number[];
  observed: number;
  /** Counterfactual expected count in the tested window. */
  expected: number;
  /** observed − expected (works; negative when the window is thin). */
  excess: number;
  /** excess / participants. */
  excessShare: number;
  /** Works in the neighbourhood (the conditioning count M). */
  neighbourhoodObserved: number;
  /** Counterfactual share of the window within the neighbourhood (π). */
  windowShareOfNeighbourhood: number;
  /** One-sided exact binomial p-value P(Bin(M, π) ≥ observed) of this window alone. */
  pValue: number;
  /** min(1, pValue × number of boundaries). */
  correctedPValue: number;
  flagged: boolean;
}

export type CounterfactualSource = 'REGION_SHAPE_TILTED' | 'OWN_POLYNOMIAL';

export interface BunchingDetails {
  participants: number;
  observedHistogram: number[];
  /** Expected participants per score without manipulation (same length; draw it over the real one). */
  counterfactualHistogram: number[];
  counterfactualSource: CounterfactualSource;
  boundaries: BoundaryTest[];
}

export interface BoundaryBunchingResult extends IndicatorResult {
  /** Null when the indicator refused to judge. */
  details: BunchingDetails | null;
}

/** A school's histogram against the region's smoothed, tilted shape (the main per-school test). */
export function boundaryBunching(input: BoundaryBunchingInput, thresholds: RiskThresholds): BoundaryBunchingResult {
  const t = thresholds.boundaryBunching;
  const { scale, schoolHistogram, regionHistogram } = input;
  const windows = boundaryWindows(scale, t.windowWidth, t.exclusionBelow);
  assertHistogram(schoolHistogram, scale.maxScore, 'schoolHistogram');
  assertHistogram(regionHistogram, scale.maxScore, 'regionHistogram');
  const participants = sum(schoolHistogram);
  const refusal = refuseToJudge(participants, windows, t, 'школы');
  if (refusal) return refusal;

  const excluded = excludedScores(windows);
  const regionOutside = regionHistogram.reduce((acc, c, s) => acc + (excluded.has(s) ? 0 : c), 0);
  if (regionOutside < t.reliableParticipants) {
    return refuse(t, `По региону вне окон у границ отметок лишь ${regionOutside} ${worksRu(regionOutside)}: контрфактическое распределение не построить, индикатор не рассчитывается.`, participants);
  }
  const regionShape = smoothedShape(regionHistogram, excluded, t.regionPolynomialDegree);
  const counterfactual = tiltedCounterfactual(schoolHistogram, regionShape, excluded, t.schoolTiltDegree);
  return judge(schoolHistogram, counterfactual, 'REGION_SHAPE_TILTED', windows, t, {
    regionParticipants: sum(regionHistogram),
    regionCounterfactualShare: regionShape,
  });
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
  return judge(histogram, counterfactual, 'OWN_POLYNOMIAL', windows, t, { polynomialDegree: degree });
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

function judge(
  histogram: readonly number[],
  counterfactual: readonly number[],
  source: CounterfactualSource,
  windows: readonly BoundaryWindow[],
  t: BoundaryBunchingThresholds,
  baselineExtras: Record<string, unknown>,
): BoundaryBunchingResult {
  const participants = sum(histogram);
  const tests = windows.map((w) => testWindow(w, histogram, counterfactual, participants, windows.length, t));
  const mostSignificant = tests.reduce((best, test) => (test.pValue < best.pValue ? test : best));
  const flagged = tests.filter((test) => test.flagged);
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
  };
  const result = buildResult({
    indicator: 'BOUNDARY_BUNCHING',
    marker: MarkerCode.BOUNDARY_BUNCHING,
    status: flagged.length > 0 ? 'FLAGGED' : 'CLEAR',
    value: roundTo(mostSignificant.excess, 2),
    pValue: mostSignificant.correctedPValue,
    warnings,
    explanationRu: explain(tests, flagged, mostSignificant, participants),
    inputs: { participants, histogram: [...histogram] },
    baseline: { ...baselineExtras, counterfactualSource: source, counterfactualHistogram: details.counterfactualHistogram, boundaries: tests },
    thresholds: t,
  });
  return { ...result, details };
}

function testWindow(
  window: BoundaryWindow,
  histogram: readonly number[],
  counterfactual: readonly number[],
  participants: number,
  boundaries: number,
  t: BoundaryBunchingThresholds,
): BoundaryTest {
  const observed = sum(window.tested.map((s) => histogram[s]));
  const expected = sum(window.tested.map((s) => counterfactual[s]));
  const neighbourhoodObserved = sum(window.neighbourhood.map((s) => histogram[s]));
  const neighbourhoodExpected = sum(window.neighbourhood.map((s) => counterfactual[s]));
  const share = neighbourhoodExpected > 0 ? Math.min(1, expected / neighbourhoodExpected) : 1;
  const pValue = binomialUpperTail(observed, neighbourhoodObserved, share);
  const correctedPValue = Math.min(1, pValue * boundaries);
  const excess = observed - expected;
  return {
    mark: window.mark,
    boundary: window.boundary,
    testedScores: window.tested,
    observed,
    expected: roundTo(expected, 3),
    neighbourhoodObserved,
    windowShareOfNeighbourhood: roundTo(share, 5),
    excess: roundTo(excess, 3),
    excessShare: roundTo(excess / participants, 4),
    pValue,
    correctedPValue,
    flagged: correctedPValue <= t.alpha && excess >= t.minExcessShare * participants,
  };
}

function explain(tests: readonly BoundaryTest[], flagged: readonly BoundaryTest[], top: BoundaryTest, participants: number): string {
  const correction = tests.length > 1 ? ` с поправкой на ${tests.length} ${pluralRu(tests.length, ['границу', 'границы', 'границ'])}` : '';
  if (flagged.length === 0) {
    const perBoundary = tests.map((t) => `${markRu(t.mark)} (${scoresRu(t.testedScores)}) — ${t.observed} при ожидаемых ${formatNumberRu(t.expected)}`);
    return `Пиков на границах отметок не найдено: ${perBoundary.join('; ')}; наименьшее ${formatPValueRu(top.correctedPValue)}${correction}.`;
  }
  const [first, ...others] = [...flagged].sort((a, b) => a.pValue - b.pValue);
  const othersText = others.length
    ? `; также на ${others.map((o) => `границе ${markRu(o.mark)} (избыток ${formatNumberRu(o.excess)})`).join(', ')}`
    : '';
  return (
    `Пик на границе отметки ${markRu(first.mark)} (${scoresRu(first.testedScores)}): ${first.observed} ${worksRu(first.observed)} ` +
    `при ожидаемых ${formatNumberRu(first.expected)} — избыток ${formatNumberRu(first.excess)} (${formatPercentRu(first.excess / participants)} участников), ` +
    `${formatPValueRu(first.correctedPValue)}${correction}${othersText}.`
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

