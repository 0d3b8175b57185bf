import { boundaryBunching } from '../../../src/risk/indicators/boundary-bunching';
import { DEFAULT_THRESHOLDS } from '../../../src/risk/methodology/thresholds';
import { addHistograms, MATHS_SCALE, plantBoundaryExcess, simulateMathsRegion, simulateRegion, simulateSchoolsWithEffect, VPR_SCALE } from '../support/vpr-simulation';

/**
 * Calibration of the per-school bunching test (before Benjamini–Hochberg) on simulated ВПР schools:
 * ВПР scale max 38 with boundaries «3» 14, «4» 24, «5» 33; primary score = sum of 15 task scores with
 * school-level ability variation (see support/vpr-simulation.ts); school sizes uniform in 20–120.
 *
 * "30% excess" (the planted anomaly) = round(0.3 · participants) pupils moved from the scores just
 * below the boundary (b − 1 first, then b − 2, … while pupils remain) up to b and b + 1, alternating.
 * At «3» a typical school has too few pupils below 14 for that, so the «3» power is measured on weak
 * schools (school effect −1.2 logit) where 18 pupils below the boundary exist.
 */

const T = DEFAULT_THRESHOLDS;
const ALPHA = T.boundaryBunching.alpha;
const cleanSchools = simulateRegion(20240501, 1000);
const regionHistogram = addHistograms(cleanSchools.map((s) => s.histogram));

function judge(histogram: number[]) {
  return boundaryBunching({ scale: VPR_SCALE, schoolHistogram: histogram, regionHistogram }, T);
}

describe('bunching test calibration (simulation)', () => {
  it('keeps the false-positive rate at α = 0.05 at or below 5% over 1,000 clean schools of 20–120', () => {
    const results = cleanSchools.map((s) => judge(s.histogram));
    const rejected = results.filter((r) => (r.pValue as number) <= ALPHA).length;
    const flagged = results.filter((r) => r.status === 'FLAGGED').length;
    const falsePositiveRate = rejected / results.length;
    // eslint-disable-next-line no-console
    console.info(`bunching FPR: p ≤ ${ALPHA} in ${rejected}/1000 clean schools (${(100 * falsePositiveRate).toFixed(1)}%), flagged ${flagged}`);
    expect(results.every((r) => r.status !== 'INSUFFICIENT_DATA')).toBe(true);
    expect(falsePositiveRate).toBeLessThanOrEqual(0.05);
    expect(flagged).toBeLessThanOrEqual(rejected);
    // The test is not vacuous: it does reject some clean schools, as any calibrated test must.
    expect(rejected).toBeGreaterThan(0);
  });

  const powerCases: { boundary: number; schoolEffect: number | null; label: string }[] = [
    { boundary: 24, schoolEffect: null, label: '«4», typical schools' },
    { boundary: 33, schoolEffect: null, label: '«5», typical schools' },
    { boundary: 14, schoolEffect: -1.2, label: '«3», weak schools' },
  ];

  it.each(powerCases)('finds a 30% excess at $label in schools of 60 at least 90% of the time', ({ boundary, schoolEffect }) => {
    const schools =
      schoolEffect === null
        ? simulateRegion(boundary * 1000 + 7, 300, 60, 60)
        : simulateSchoolsWithEffect(boundary * 1000 + 7, 300, 60, schoolEffect);
    let found = 0;
    let planted30 = 0;
    for (const school of schools) {
      const base = school.histogram;
      const planted = plantBoundaryExcess(base, boundary, 0.3);
      const moved = planted[boundary] + planted[boundary + 1] - base[boundary] - base[boundary + 1];
      // A strong school may have fewer than 18 pupils below the boundary: then it is not a 30% plant.
      if (moved !== 18) continue;
      planted30++;
      if (judge(planted).status === 'FLAGGED') found++;
    }
    const power = found / planted30;
    // eslint-disable-next-line no-console
    console.info(`bunching power at ${boundary}: ${found}/${planted30} (${(100 * power).toFixed(1)}%) of schools with a full 30% plant`);
    expect(planted30).toBeGreaterThanOrEqual(200);
    expect(power).toBeGreaterThanOrEqual(0.9);
  });
});

/**
 * Beyond the bars: the cases that broke a smoothed counterfactual on real-shaped data — a short, lumpy Maths
 * scale whose boundary windows cover most of the scale, and large schools, where a tiny systematic misfit of
 * the counterfactual becomes "significant". The school is judged against the rest of the region (its own
 * works taken out), as the region recompute does.
 */
describe('bunching test on a short lumpy scale and in large schools (simulation)', () => {
  const judgeIn = (scale: typeof VPR_SCALE, histogram: number[], regionTotal: number[]) =>
    boundaryBunching({ scale, schoolHistogram: histogram, regionHistogram: regionTotal, regionIncludesSchool: true }, T);

  it('keeps the false-positive rate at or below 5% on a 20-point Maths scale, and finds a planted 30% excess at «4»', () => {
    const schools = simulateMathsRegion(20240502, 1000);
    const regionTotal = addHistograms(schools.map((s) => s.histogram));
    const rejected = schools.filter((s) => (judgeIn(MATHS_SCALE, s.histogram, regionTotal).pValue as number) <= ALPHA).length;
    // eslint-disable-next-line no-console
    console.info(`bunching FPR, Maths scale: ${rejected}/1000`);
    expect(rejected / schools.length).toBeLessThanOrEqual(0.05);

    let found = 0;
    let planted30 = 0;
    for (const school of simulateMathsRegion(777, 300, 60, 60)) {
      const planted = plantBoundaryExcess(school.histogram, 10, 0.3);
      if (planted[10] + planted[11] - school.histogram[10] - school.histogram[11] !== 18) continue;
      planted30++;
      const withPlanted = addHistograms([regionTotal, planted]);
      if (judgeIn(MATHS_SCALE, planted, withPlanted).status === 'FLAGGED') found++;
    }
    expect(planted30).toBeGreaterThanOrEqual(100);
    expect(found / planted30).toBeGreaterThanOrEqual(0.9);
  });

  it('does not flag large clean schools for trivial deviations', () => {
    const schools = simulateRegion(20240503, 300, 200, 400);
    const regionTotal = addHistograms([...schools.map((s) => s.histogram), ...cleanSchools.map((s) => s.histogram)]);
    const results = schools.map((s) => judgeIn(VPR_SCALE, s.histogram, regionTotal));
    const rejected = results.filter((r) => (r.pValue as number) <= ALPHA).length;
    const flagged = results.filter((r) => r.status === 'FLAGGED').length;
    // eslint-disable-next-line no-console
    console.info(`bunching, schools of 200–400: p ≤ ${ALPHA} in ${rejected}/300, flagged ${flagged}`);
    expect(rejected / results.length).toBeLessThanOrEqual(0.05);
    expect(flagged).toBeLessThanOrEqual(rejected);
  });
});
