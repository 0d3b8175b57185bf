import { boundaryBunching, boundaryBunchingInHistogram } from '../../../src/risk/indicators/boundaryBunching';
import { boundaryWindows } from '../../../src/risk/indicators/bunchingWindows';
import { MarkerCode } from '../../../src/risk/markers';
import { DEFAULT_THRESHOLDS_V1 } from '../../../src/risk/methodology/thresholds';
import { resolveThresholds } from '../../../src/risk/methodology/resolveThresholds';
import { METHODOLOGY_VERSION } from '../../../src/risk/methodology/version';
import { createRandom } from '../../../src/risk/stats/random';
import { addHistograms, plantBoundaryExcess, simulateRegion, simulateSchoolHistogram, VPR_SCALE } from '../support/vprSimulation';

const T = DEFAULT_THRESHOLDS_V1;
const region = addHistograms(simulateRegion(11, 400).map((s) => s.histogram));
const total = (h: number[]): number => h.reduce((a, b) => a + b, 0);

describe('boundary windows', () => {
  it('tests the boundary and the point above, excludes three points below, compares with a symmetric neighbourhood', () => {
    const [three, four, five] = boundaryWindows(VPR_SCALE, 2, 3);
    expect(three).toMatchObject({ mark: 3, boundary: 14, tested: [14, 15], excluded: [11, 12, 13, 14, 15] });
    expect(three.neighbourhood).toEqual([11, 12, 13, 14, 15, 16, 17, 18]);
    expect(four.tested).toEqual([24, 25]);
    expect(five.neighbourhood).toEqual([30, 31, 32, 33, 34, 35, 36, 37]);
  });

  it('clips windows at the top of the scale and rejects boundaries outside it', () => {
    const [top] = boundaryWindows({ maxScore: 20, boundaries: [{ mark: 5, minScore: 20 }] }, 2, 3);
    expect(top.tested).toEqual([20]);
    expect(top.neighbourhood).toEqual([17, 18, 19, 20]);
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
    expect(result.value).toBeCloseTo(four.excess, 1);
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
    expect(result.explanationRu).toMatch(/^Пиков на границах отметок не найдено: «3» \(14–15 баллов\) — \d+ при ожидаемых \d+(,\d)?; «4» \(24–25 баллов\) — .*; «5» \(33–34 балла\) — .*; наименьшее p [=<] 0,\d+ с поправкой на 3 границы\.$/);
    const counterfactual = result.details!.counterfactualHistogram;
    expect(counterfactual).toHaveLength(VPR_SCALE.maxScore + 1);
    expect(total(counterfactual)).toBeCloseTo(100, 1);
    expect(result.details!.counterfactualSource).toBe('REGION_SHAPE_TILTED');
    // The tilt follows the school's level: a strong school's counterfactual mean is above the region's.
    const mean = (h: number[]): number => h.reduce((acc, c, s) => acc + c * s, 0) / total(h);
    expect(mean(counterfactual)).toBeGreaterThan(mean(region));
  });

  it('builds the counterfactual from the smoothed region shape even when the region itself is bunched', () => {
    const schools = simulateRegion(12, 300);
    const bunchedRegion = addHistograms(schools.map((s, i) => (i % 3 === 0 ? plantBoundaryExcess(s.histogram, 24, 0.2) : s.histogram)));
    const rng = createRandom(5);
    const clean = simulateSchoolHistogram(rng, 90, 0);
    const againstBunched = boundaryBunching({ scale: VPR_SCALE, schoolHistogram: clean, regionHistogram: bunchedRegion }, T);
    const againstClean = boundaryBunching({ scale: VPR_SCALE, schoolHistogram: clean, regionHistogram: region }, T);
    const at24 = (r: typeof againstClean): number => r.details!.counterfactualHistogram[24];
    // A raw-region counterfactual would inherit the region's peak (~+7% of works at 24–25); the smoothed one does not.
    expect(Math.abs(at24(againstBunched) - at24(againstClean)) / at24(againstClean)).toBeLessThan(0.15);
    expect(againstBunched.status).toBe('CLEAR');
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
