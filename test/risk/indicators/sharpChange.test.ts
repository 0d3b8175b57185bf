import { sharpChange } from '../../../src/risk/indicators/sharpChange';
import { SchoolYearChange } from '../../../src/risk/indicators/types';
import { MarkerCode } from '../../../src/risk/markers';
import { DEFAULT_THRESHOLDS } from '../../../src/risk/methodology/thresholds';
import { resolveThresholds } from '../../../src/risk/methodology/resolveThresholds';
import { createRandom } from '../../../src/risk/stats/random';

const T = DEFAULT_THRESHOLDS;
const rng = createRandom(17);
const regionSchools: SchoolYearChange[] = Array.from({ length: 80 }, (_, i) => {
  const before = rng.normal(0.58, 0.08);
  return { schoolId: `r${i}`, previous: { meanShareOfMax: before, participants: 40 }, current: { meanShareOfMax: before + rng.normal(0.01, 0.04), participants: 40 } };
});
// Two wild schools that would inflate a non-robust SD.
regionSchools.push({ schoolId: 'wild1', previous: { meanShareOfMax: 0.3, participants: 30 }, current: { meanShareOfMax: 0.8, participants: 30 } });
regionSchools.push({ schoolId: 'wild2', previous: { meanShareOfMax: 0.8, participants: 30 }, current: { meanShareOfMax: 0.35, participants: 30 } });
const change = (id: string, from: number, to: number, participants = 50): SchoolYearChange => ({
  schoolId: id,
  previous: { meanShareOfMax: from, participants },
  current: { meanShareOfMax: to, participants },
});

describe('SHARP_CHANGE', () => {
  it('flags a jump far outside the region’s spread of changes', () => {
    const result = sharpChange({ school: change('x', 0.5, 0.72), regionSchools }, T);
    expect(result.status).toBe('FLAGGED');
    expect(result.marker).toBe(MarkerCode.SHARP_CHANGE);
    expect(result.value!).toBeGreaterThan(3);
    expect(result.explanationRu).toMatch(/^Средний процент выполнения вырос с 50% до 72% \(\+22 п\.п\.\) при медианном изменении по региону \+1 п\.п\.; робастная z-оценка \d,\d/);
  });

  it('does not flag ordinary changes, and a fall only with direction BOTH', () => {
    expect(sharpChange({ school: change('x', 0.5, 0.55), regionSchools }, T).status).toBe('CLEAR');
    const fall = change('x', 0.7, 0.48);
    const up = sharpChange({ school: fall, regionSchools }, T);
    expect(up.value!).toBeLessThan(-3);
    expect(up.status).toBe('CLEAR');
    expect(sharpChange({ school: fall, regionSchools }, resolveThresholds({ sharpChange: { direction: 'BOTH' } })).status).toBe('FLAGGED');
  });

  it('uses a robust scale: the two wild schools barely move it', () => {
    const withoutWild = regionSchools.filter((s) => !s.schoolId.startsWith('wild'));
    const a = sharpChange({ school: change('x', 0.5, 0.72), regionSchools }, T);
    const b = sharpChange({ school: change('x', 0.5, 0.72), regionSchools: withoutWild }, T);
    expect(Math.abs(a.value! - b.value!) / b.value!).toBeLessThan(0.1);
  });

  it('needs an absolute change as well (a homogeneous region)', () => {
    const tight = Array.from({ length: 20 }, (_, i) => change(`t${i}`, 0.6, 0.6 + (i % 5) * 0.002));
    const result = sharpChange({ school: change('x', 0.6, 0.66), regionSchools: tight }, T);
    expect(result.value!).toBeGreaterThan(3);
    expect(result.status).toBe('CLEAR');
  });

  it('refuses small schools and thin regions', () => {
    expect(sharpChange({ school: change('x', 0.5, 0.8, 6), regionSchools }, T).status).toBe('INSUFFICIENT_DATA');
    const thin = sharpChange({ school: change('x', 0.5, 0.8), regionSchools: regionSchools.slice(0, 3) }, T);
    expect(thin.status).toBe('INSUFFICIENT_DATA');
    expect(thin.explanationRu).toContain('лишь для 4 школ');
  });
});
