import { boundaryBunching, BoundaryBunchingResult } from '../../../src/risk/indicators/boundaryBunching';
import { applyBunchingFdr } from '../../../src/risk/indicators/bunchingFdr';
import { MarkerCode } from '../../../src/risk/markers';
import { DEFAULT_THRESHOLDS } from '../../../src/risk/methodology/thresholds';
import { addHistograms, plantBoundaryExcess, simulateRegion, simulateSchoolsWithEffect, VPR_SCALE } from '../support/vprSimulation';

const T = DEFAULT_THRESHOLDS;

describe('Benjamini–Hochberg across the region’s schools', () => {
  const clean = simulateRegion(31, 200);
  const manipulated = simulateSchoolsWithEffect(32, 10, 60, 0).map((s) => plantBoundaryExcess(s.histogram, 24, 0.3));
  const tiny = simulateRegion(33, 3, 12, 15);
  const histograms = [...clean.map((s) => s.histogram), ...manipulated, ...tiny.map((s) => s.histogram)];
  const regionHistogram = addHistograms(histograms);
  const perSchool = histograms.map((h, i) => ({
    schoolId: `sch${i}`,
    result: boundaryBunching({ scale: VPR_SCALE, schoolHistogram: h, regionHistogram }, T),
  }));
  const decisions = applyBunchingFdr(perSchool, T);

  it('returns one decision per school in input order', () => {
    expect(decisions.map((d) => d.schoolId)).toEqual(perSchool.map((p) => p.schoolId));
  });

  it('finds the manipulated schools and flags few clean ones', () => {
    const manipulatedFlagged = decisions.slice(200, 210).filter((d) => d.flagged).length;
    const cleanFlagged = decisions.slice(0, 200).filter((d) => d.flagged).length;
    expect(manipulatedFlagged).toBeGreaterThanOrEqual(9);
    expect(cleanFlagged).toBeLessThanOrEqual(2);
    // BH is stricter than the per-school decision.
    const perSchoolClean = perSchool.slice(0, 200).filter((p) => p.result.status === 'FLAGGED').length;
    expect(cleanFlagged).toBeLessThanOrEqual(perSchoolClean);
  });

  it('q-values are at least the p-values and decide status and marker', () => {
    for (const d of decisions.slice(0, 210)) {
      expect(d.qValue).not.toBeNull();
      expect(d.qValue!).toBeGreaterThanOrEqual(d.pValue!);
      expect(d.result.status).toBe(d.flagged ? 'FLAGGED' : 'CLEAR');
      expect(d.result.marker).toBe(d.flagged ? MarkerCode.BOUNDARY_BUNCHING : null);
      expect(d.result.explanationRu).toContain('Бенджамини–Хохберга по 210 школам');
      expect(d.result.evidence.baseline).toHaveProperty('fdr.schoolsTested', 210);
    }
  });

  it('lets p-values of schools judged earlier take part in the correction (single-school recomputes)', () => {
    const fresh = perSchool.slice(200, 201);
    const others = perSchool.filter((_, i) => i !== 200 && i < 210).map((p) => p.result.pValue as number);
    const alone = applyBunchingFdr(fresh, T, others)[0];
    const together = decisions[200];
    expect(alone.qValue).toBeCloseTo(together.qValue!, 12);
    expect(alone.flagged).toBe(together.flagged);
    expect(alone.result.evidence.baseline).toHaveProperty('fdr.schoolsTested', 210);
  });

  it('passes refused schools through without a q-value', () => {
    for (const d of decisions.slice(210)) {
      expect(d.result.status).toBe('INSUFFICIENT_DATA');
      expect(d.qValue).toBeNull();
      expect(d.flagged).toBe(false);
    }
  });

  it('matches a hand computation on a small list', () => {
    const fake = (p: number, excessShare: number): BoundaryBunchingResult =>
      ({
        ...perSchool[0].result,
        status: 'CLEAR',
        pValue: p,
        details: { ...perSchool[0].result.details!, excessShare, boundaries: [{ ...perSchool[0].result.details!.boundaries[0], pValue: p, excessShare }] },
      }) as BoundaryBunchingResult;
    const out = applyBunchingFdr(
      [
        { schoolId: 'a', result: fake(0.01, 0.2) },
        { schoolId: 'b', result: fake(0.04, 0.2) },
        { schoolId: 'c', result: fake(0.001, 0.01) },
      ],
      T,
    );
    // Sorted p: 0.001, 0.01, 0.04 → q = 0.003, 0.015, 0.04.
    expect(out.map((d) => d.qValue)).toEqual([expect.closeTo(0.015, 12), expect.closeTo(0.04, 12), expect.closeTo(0.003, 12)]);
    // c is significant but its excess (1% of participants) is below minExcessShare.
    expect(out.map((d) => d.flagged)).toEqual([true, true, false]);
  });
});
