import { boundaryBunching, boundaryBunchingInHistogram } from '../../../src/risk/indicators/boundary-bunching';
import { boundaryWindows, fitGroups } from '../../../src/risk/indicators/bunching-windows';
import { MarkerCode } from '../../../src/risk/markers';
import { DEFAULT_THRESHOLDS } from '../../../src/risk/methodology/thresholds';
import { resolveThresholds } from '../../../src/risk/methodology/resolve-thresholds';
import { METHODOLOGY_VERSION } from '../../../src/risk/methodology/version';
import { createRandom } from '../../../src/risk/stats/random';
import { addHistograms, plantBoundaryExcess, simulateRegion, simulateSchoolHistogram, VPR_SCALE } from '../support/vpr-simulation';

const T = DEFAULT_THRESHOLDS;
const region = addHistograms(simulateRegion(11, 400).map((s) => s.histogram));
const total = (h: number[]): number => h.reduce((a, b) => a + b, 0);

describe('boundary windows', () => {
  it('tests the boundary and the point above against the three points below', () => {
    const [three, four, five] = boundaryWindows(VPR_SCALE, 2, 3);
    expect(three).toMatchObject({ mark: 3, boundary: 14, tested: [14, 15], below: [11, 12, 13], excluded: [11, 12, 13, 14, 15] });
    expect(four.tested).toEqual([24, 25]);
    expect(five.below).toEqual([30, 31, 32]);
  });

  it('on a short scale never uses one boundary\'s tested scores as another\'s "below"', () => {
    const maths = { maxScore: 20, boundaries: [{ mark: 3 as const, minScore: 6 }, { mark: 4 as const, minScore: 10 }, { mark: 5 as const, minScore: 14 }] };
    const [three, four, five] = boundaryWindows(maths, 2, 3);
    expect(three).toMatchObject({ tested: [6, 7], below: [3, 4, 5] });
    expect(four).toMatchObject({ tested: [10, 11], below: [8, 9], excluded: [7, 8, 9, 10, 11] });
    expect(five).toMatchObject({ tested: [14, 15], below: [12, 13] });
    // The counterfactual fit sees the manipulable block 3…15 only by its total.
    expect(fitGroups(20, [three, four, five])).toEqual([[0], [1], [2], [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], [16], [17], [18], [19], [20]]);
  });

  it('clips windows at the top of the scale and rejects boundaries outside it', () => {
    const [top] = boundaryWindows({ maxScore: 20, boundaries: [{ mark: 5, minScore: 20 }] }, 2, 3);
    expect(top.tested).toEqual([20]);
    expect(top.below).toEqual([17, 18, 19]);
    expect(() => boundaryWindows({ maxScore: 20, boundaries: [{ mark: 5, minScore: 21 }] }, 2, 3)).toThrow(RangeError);
  });
});

describe('boundaryBunching (school against the region)', () => {
  it('refuses to judge below 20 participants, in Russian', () => {
    const rng = createRandom(1);
    const small = simulateSchoolHistogram(rng, 14, 0);
    const result = boundaryBunching({ scale: VPR_SCALE, schoolHistogram: small, regionHistogram: region }, T);
    expect(result.status).toBe('INSUFFICIENT_DATA');
    expect(result.marker).toBeNull();
    expect(result.value).toBeNull();
    expect(result.details).toBeNull();
    expect(result.explanationRu).toContain('Участников 14 — меньше 20');
    expect(result.explanationRu).toContain('судить нельзя');
  });

  it('judges 20–49 participants with a warning', () => {
    const rng = createRandom(2);
    const result = boundaryBunching({ scale: VPR_SCALE, schoolHistogram: simulateSchoolHistogram(rng, 35, 0), regionHistogram: region }, T);
    expect(result.status).not.toBe('INSUFFICIENT_DATA');
    expect(result.warnings.join(' ')).toContain('Участников 35 (меньше 50)');
  });

  it('finds a planted peak at «4», reports excess and p-value, and explains it in Russian', () => {
    const rng = createRandom(3);
    const clean = simulateSchoolHistogram(rng, 80, 0);
    const planted = plantBoundaryExcess(clean, 24, 0.3);
    const result = boundaryBunching({ scale: VPR_SCALE, schoolHistogram: planted, regionHistogram: region }, T);
    expect(result.status).toBe('FLAGGED');
    expect(result.marker).toBe(MarkerCode.BOUNDARY_BUNCHING);
    const four = result.details!.boundaries.find((b) => b.mark === 4)!;
    expect(four.flagged).toBe(true);
    expect(four.observed).toBe(planted[24] + planted[25]);
    expect(four.excess).toBeCloseTo(four.observed - four.expected, 2);
    expect(four.excess).toBeGreaterThan(15);
    // The hole just below the boundary is where the works came from.
    expect(four.belowScores).toEqual([21, 22, 23]);
    expect(four.belowObserved).toBe(planted[21] + planted[22] + planted[23]);
    // value = the excess summed over the boundaries (the test statistic is the sum).
    expect(result.value).toBeCloseTo(result.details!.excess, 1);
    expect(result.details!.excess).toBeGreaterThan(10);
    expect(result.pValue).toBeLessThan(0.001);
    expect(result.explanationRu).toMatch(/^Пик на границе отметки «4» \(24–25 баллов\): \d+ работ.? при ожидаемых \d+(,\d)? — избыток \d+(,\d)?/);
    expect(result.explanationRu).toContain('p < 0,001');
    expect(result.evidence.methodologyVersion).toBe(METHODOLOGY_VERSION);
    expect(result.evidence.baseline).toHaveProperty('thresholds.alpha', 0.05);
  });

  it('leaves a clean school clear and exposes a counterfactual histogram for the chart', () => {
    const rng = createRandom(4);
    const clean = simulateSchoolHistogram(rng, 100, 0.3);
    const result = boundaryBunching({ scale: VPR_SCALE, schoolHistogram: clean, regionHistogram: region }, T);
    expect(result.status).toBe('CLEAR');
    expect(result.marker).toBeNull();
    expect(result.explanationRu).toMatch(
      /^Пиков на границах отметок не найдено: «3» \(14–15 баллов\) — \d+ при ожидаемых \d+(,\d+)?, сразу ниже границы \d+; «4» \(24–25 баллов\) — .*; «5» \(33–34 балла\) — .*; всего у границ \d+ работ.? при ожидаемых [\d,]+ \(избыток −?[\d,]+, −?[\d,]+% участников\), p [=<] 0,\d+\.$/,
    );
    const counterfactual = result.details!.counterfactualHistogram;
    expect(counterfactual).toHaveLength(VPR_SCALE.maxScore + 1);
    expect(total(counterfactual)).toBeCloseTo(100, 1);
    expect(result.details!.counterfactualSource).toBe('REGION_REST_TILTED');
    // The tilt follows the school's level: a strong school's counterfactual mean is above the region's.
    const mean = (h: number[]): number => h.reduce((acc, c, s) => acc + c * s, 0) / total(h);
    expect(mean(counterfactual)).toBeGreaterThan(mean(region));
  });

  it('a bunched region only makes the comparison conservative; its own region-level test finds the bunching', () => {
    const schools = simulateRegion(12, 300);
    const bunchedRegion = addHistograms(schools.map((s, i) => (i % 3 === 0 ? plantBoundaryExcess(s.histogram, 24, 0.2) : s.histogram)));
    const rng = createRandom(5);
    const clean = simulateSchoolHistogram(rng, 90, 0);
    const againstBunched = boundaryBunching({ scale: VPR_SCALE, schoolHistogram: clean, regionHistogram: bunchedRegion }, T);
    const againstClean = boundaryBunching({ scale: VPR_SCALE, schoolHistogram: clean, regionHistogram: region }, T);
    const four = (r: typeof againstClean) => r.details!.boundaries.find((b) => b.mark === 4)!;
    // The raw reference carries the region's peak: the school's expected share of the window is higher, never lower.
    expect(four(againstBunched).windowShareOfNeighbourhood).toBeGreaterThan(four(againstClean).windowShareOfNeighbourhood);
    expect(four(againstBunched).pValue).toBeGreaterThan(four(againstClean).pValue);
    expect(againstBunched.status).toBe('CLEAR');
    expect(boundaryBunchingInHistogram({ scale: VPR_SCALE, histogram: bunchedRegion }, T).status).toBe('FLAGGED');
  });

  it('a small region falls back to its smoothed shape, which ignores the region\'s own peaks', () => {
    const schools = simulateRegion(14, 300);
    const bunchedRegion = addHistograms(schools.map((s, i) => (i % 3 === 0 ? plantBoundaryExcess(s.histogram, 24, 0.2) : s.histogram)));
    const rng = createRandom(5);
    const clean = simulateSchoolHistogram(rng, 90, 0);
    const smoothing = resolveThresholds({ boundaryBunching: { minReferenceWorks: 1_000_000 } });
    const againstBunched = boundaryBunching({ scale: VPR_SCALE, schoolHistogram: clean, regionHistogram: bunchedRegion }, smoothing);
    const againstClean = boundaryBunching({ scale: VPR_SCALE, schoolHistogram: clean, regionHistogram: region }, smoothing);
    expect(againstBunched.details!.counterfactualSource).toBe('REGION_SHAPE_TILTED');
    expect(againstBunched.warnings.join(' ')).toContain('сглажен полиномом');
    const at24 = (r: typeof againstClean): number => r.details!.counterfactualHistogram[24];
    // A raw-region counterfactual would inherit the region's peak (~+7% of works at 24–25); the smoothed one does not.
    expect(Math.abs(at24(againstBunched) - at24(againstClean)) / at24(againstClean)).toBeLessThan(0.15);
    expect(againstBunched.status).toBe('CLEAR');
  });

  it('compares the school with the rest of the region: its own works are taken out of a region total', () => {
    const rng = createRandom(15);
    const others = addHistograms(simulateRegion(16, 40).map((s) => s.histogram));
    const big = plantBoundaryExcess(simulateSchoolHistogram(rng, 400, 0), 24, 0.15);
    const regionTotal = addHistograms([others, big]);
    const leftOut = boundaryBunching({ scale: VPR_SCALE, schoolHistogram: big, regionHistogram: regionTotal, regionIncludesSchool: true }, T);
    const rest = boundaryBunching({ scale: VPR_SCALE, schoolHistogram: big, regionHistogram: others }, T);
    const keptIn = boundaryBunching({ scale: VPR_SCALE, schoolHistogram: big, regionHistogram: regionTotal }, T);
    expect(leftOut.pValue).toBeCloseTo(rest.pValue as number, 12);
    expect(leftOut.evidence.baseline).toHaveProperty('referenceWorks', total(others));
    // Kept in, the school's own peak (a tenth of the region) would raise its own reference.
    expect(keptIn.pValue as number).toBeGreaterThan(leftOut.pValue as number);
    // A region total that cannot contain the school (stale aggregates) is clipped with a warning, not a crash.
    const tooSmall = addHistograms(simulateRegion(17, 5, 60, 60).map((s) => s.histogram));
    const stale = boundaryBunching({ scale: VPR_SCALE, schoolHistogram: big, regionHistogram: tooSmall, regionIncludesSchool: true }, T);
    expect(stale.warnings.join(' ')).toContain('региональные итоги устарели');
  });

  it('needs the minimum excess as well as significance', () => {
    const rng = createRandom(6);
    const planted = plantBoundaryExcess(simulateSchoolHistogram(rng, 80, 0), 24, 0.3);
    const strict = resolveThresholds({ boundaryBunching: { minExcessShare: 0.9 } });
    const result = boundaryBunching({ scale: VPR_SCALE, schoolHistogram: planted, regionHistogram: region }, strict);
    expect(result.pValue).toBeLessThan(0.001);
    expect(result.status).toBe('CLEAR');
  });

  it('rejects histograms of the wrong length or with non-counts', () => {
    expect(() => boundaryBunching({ scale: VPR_SCALE, schoolHistogram: [1, 2, 3], regionHistogram: region }, T)).toThrow(RangeError);
    const bad = [...region];
    bad[3] = -1;
    expect(() => boundaryBunching({ scale: VPR_SCALE, schoolHistogram: region, regionHistogram: bad }, T)).toThrow(RangeError);
  });

  it('refuses when the scale has no boundaries', () => {
    const rng = createRandom(7);
    const result = boundaryBunching(
      { scale: { maxScore: 38, boundaries: [] }, schoolHistogram: simulateSchoolHistogram(rng, 60, 0), regionHistogram: region },
      T,
    );
    expect(result.status).toBe('INSUFFICIENT_DATA');
  });
});

describe('boundaryBunchingInHistogram (a histogram on its own)', () => {
  it('flags a region histogram where a third of schools pushed works to «4», and not a clean one', () => {
    const schools = simulateRegion(13, 300);
    const pushed = addHistograms(schools.map((s, i) => (i % 3 === 0 ? plantBoundaryExcess(s.histogram, 24, 0.15) : s.histogram)));
    const bunched = boundaryBunchingInHistogram({ scale: VPR_SCALE, histogram: pushed }, T);
    expect(bunched.status).toBe('FLAGGED');
    expect(bunched.details!.boundaries.find((b) => b.mark === 4)!.flagged).toBe(true);
    expect(bunched.details!.boundaries.find((b) => b.mark === 3)!.flagged).toBe(false);
    expect(bunched.details!.counterfactualSource).toBe('OWN_POLYNOMIAL');
    expect(bunched.evidence.baseline).toHaveProperty('polynomialDegree', T.boundaryBunching.regionPolynomialDegree);

    const clean = boundaryBunchingInHistogram({ scale: VPR_SCALE, histogram: region }, T);
    expect(clean.status).toBe('CLEAR');
  });

  it('works on a single school with a low-degree fit', () => {
    const rng = createRandom(8);
    const planted = plantBoundaryExcess(simulateSchoolHistogram(rng, 120, 0), 24, 0.3);
    const result = boundaryBunchingInHistogram({ scale: VPR_SCALE, histogram: planted }, T);
    expect(result.evidence.baseline).toHaveProperty('polynomialDegree', T.boundaryBunching.smallHistogramPolynomialDegree);
    expect(result.status).toBe('FLAGGED');
    expect(total(result.details!.counterfactualHistogram)).toBeCloseTo(120, 1);
  });

  it('refuses a tiny histogram', () => {
    const result = boundaryBunchingInHistogram({ scale: VPR_SCALE, histogram: new Array<number>(39).fill(0) }, T);
    expect(result.status).toBe('INSUFFICIENT_DATA');
    expect(result.explanationRu).toContain('Участников 0 — меньше 20');
  });
});
