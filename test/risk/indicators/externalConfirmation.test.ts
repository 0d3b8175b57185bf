import { externalConfirmation } from '../../../src/risk/indicators/externalConfirmation';
import { ExternalConfirmationKind, PairedSchoolResult } from '../../../src/risk/indicators/types';
import { MarkerCode } from '../../../src/risk/markers';
import { DEFAULT_THRESHOLDS } from '../../../src/risk/methodology/thresholds';
import { createRandom } from '../../../src/risk/stats/random';

const T = DEFAULT_THRESHOLDS;

/** Region where the second assessment tracks the first closely (correlation ≈ 0.9). */
function region(): PairedSchoolResult[] {
  const rng = createRandom(9);
  return Array.from({ length: 60 }, (_, i) => {
    const level = rng.normal(0.55, 0.08);
    return { schoolId: `r${i}`, first: { value: level, participants: 40 }, second: { value: level - 0.05 + rng.normal(0, 0.03), participants: 35 } };
  });
}

describe('not confirmed externally (criterion A)', () => {
  const regionSchools = region();

  it.each<[ExternalConfirmationKind, MarkerCode, string]>([
    ['VPR8_OGE', MarkerCode.NOT_CONFIRMED_OGE, 'не подтверждается ОГЭ'],
    ['VPR11_EGE', MarkerCode.NOT_CONFIRMED_EGE, 'не подтверждается ЕГЭ'],
    ['VPR4_VPR5', MarkerCode.COHORT_DROP, 'не сохраняется у того же потока'],
  ])('%s: high first, low second fires %s', (kind, marker, phrase) => {
    const school: PairedSchoolResult = { schoolId: 'x', first: { value: 0.75, participants: 30 }, second: { value: 0.45, participants: 28 } };
    const result = externalConfirmation({ kind, school, regionSchools }, T);
    expect(result.status).toBe('FLAGGED');
    expect(result.marker).toBe(marker);
    expect(result.value!).toBeGreaterThanOrEqual(40);
    expect(result.explanationRu).toContain(phrase);
    expect(result.explanationRu).toMatch(/школа выше 9\d% школ региона \(75% выполнения\)/);
  });

  it('a high school that stays high is clear, and so are the region’s own schools', () => {
    const school: PairedSchoolResult = { schoolId: 'x', first: { value: 0.75, participants: 30 }, second: { value: 0.68, participants: 28 } };
    expect(externalConfirmation({ kind: 'VPR8_OGE', school, regionSchools }, T).status).toBe('CLEAR');
    const flaggedOwn = regionSchools.filter((s) => externalConfirmation({ kind: 'VPR8_OGE', school: s, regionSchools }, T).status === 'FLAGGED');
    expect(flaggedOwn).toHaveLength(0);
  });

  it('a drop from the middle is not criterion A (the first result was not high)', () => {
    const school: PairedSchoolResult = { schoolId: 'x', first: { value: 0.58, participants: 30 }, second: { value: 0.3, participants: 28 } };
    const result = externalConfirmation({ kind: 'VPR4_VPR5', school, regionSchools }, T);
    expect(result.value!).toBeGreaterThan(40);
    expect(result.status).toBe('CLEAR');
  });

  it('measures the drop in normal scores, so a top school falling sharply is seen despite the crowded top ranks', () => {
    // 0.80 is above every school of the region; 0.60 sits around its 70th percentile: a fall of ~1.9 between-school SD.
    const top: PairedSchoolResult = { schoolId: 'x', first: { value: 0.8, participants: 40 }, second: { value: 0.55, participants: 38 } };
    const result = externalConfirmation({ kind: 'VPR4_VPR5', school: top, regionSchools }, T);
    expect(result.status).toBe('FLAGGED');
    expect(result.value!).toBeLessThan(40);
    expect(result.evidence.baseline).toHaveProperty('normalScoreDrop');
    expect((result.evidence.baseline as { normalScoreDrop: number }).normalScoreDrop).toBeGreaterThanOrEqual(T.externalConfirmation.minNormalScoreDrop);
    expect(result.explanationRu).toMatch(/стандартного отклонения между школами \(порог 1,5 при исходном ранге не ниже 70%\): высокий результат не сохраняется/);
  });

  it('refuses small schools and thin regions', () => {
    const small: PairedSchoolResult = { schoolId: 'x', first: { value: 0.75, participants: 8 }, second: { value: 0.45, participants: 28 } };
    expect(externalConfirmation({ kind: 'VPR8_OGE', school: small, regionSchools }, T).status).toBe('INSUFFICIENT_DATA');
    const school: PairedSchoolResult = { schoolId: 'x', first: { value: 0.75, participants: 30 }, second: { value: 0.45, participants: 28 } };
    const thin = externalConfirmation({ kind: 'VPR8_OGE', school, regionSchools: regionSchools.slice(0, 5) }, T);
    expect(thin.status).toBe('INSUFFICIENT_DATA');
    expect(thin.explanationRu).toContain('лишь у 6 школ');
  });
});
