import { highResults } from '../../../src/risk/indicators/high-results';
import { SchoolResultSummary } from '../../../src/risk/indicators/types';
import { MarkerCode } from '../../../src/risk/markers';
import { DEFAULT_THRESHOLDS } from '../../../src/risk/methodology/thresholds';
import { createRandom, SeededRandom } from '../../../src/risk/stats/random';

const T = DEFAULT_THRESHOLDS;
const BETWEEN_SD = 0.07;
const WITHIN_SD = 0.18;

/** A school whose true mean share of max is `trueMean`; marks follow from it. */
function school(rng: SeededRandom, id: string, participants: number, trueMean: number, inDepthStudy = false): SchoolResultSummary {
  const meanShareOfMax = trueMean + rng.normal(0, WITHIN_SD / Math.sqrt(participants));
  const p45 = Math.min(0.98, Math.max(0.02, 0.45 + 2.5 * (trueMean - 0.6)));
  const m45 = rng.binomial(participants, p45);
  const mark2 = rng.binomial(participants - m45, 0.15);
  const mark4 = Math.round(0.7 * m45);
  return {
    schoolId: id,
    participants,
    meanShareOfMax,
    sdShareOfMax: WITHIN_SD,
    marks: { mark2, mark3: participants - m45 - mark2, mark4, mark5: m45 - mark4 },
    inDepthStudy,
  };
}

function region(seed: number, count: number): SchoolResultSummary[] {
  const rng = createRandom(seed);
  return Array.from({ length: count }, (_, i) => school(rng, `r${i}`, rng.integer(5, 120), 0.6 + rng.normal(0, BETWEEN_SD)));
}

/** A school with fixed observed values (no noise), to compare sizes on equal results. */
function fixed(id: string, participants: number, meanShareOfMax: number, share45: number, inDepthStudy = false): SchoolResultSummary {
  const m45 = Math.round(share45 * participants);
  return { schoolId: id, participants, meanShareOfMax, sdShareOfMax: WITHIN_SD, marks: { mark2: 0, mark3: participants - m45, mark4: m45, mark5: 0 }, inDepthStudy };
}

describe('HIGH_RESULTS', () => {
  const regionSchools = region(1, 200);

  it('flags a large school well above the region and explains it in Russian', () => {
    const result = highResults({ school: fixed('x', 80, 0.88, 0.95), regionSchools }, T);
    expect(result.status).toBe('FLAGGED');
    expect(result.marker).toBe(MarkerCode.HIGH_RESULTS);
    expect(result.value!).toBeGreaterThanOrEqual(2);
    expect(result.pValue!).toBeLessThan(0.01);
    expect(result.explanationRu).toMatch(/^Средний процент выполнения 88% при 6\d% по школам региона, доля отметок «4» и «5» 95% при \d+%; сжатая z-оценка \d+,\d \(порог 2\)/);
    expect(result.evidence.baseline).toHaveProperty('comparison', 'ALL_SCHOOLS');
  });

  it('does not flag a class of 5 with the same results: shrinkage absorbs the noise', () => {
    const large = highResults({ school: fixed('x', 80, 0.88, 1), regionSchools }, T);
    const small = highResults({ school: fixed('y', 5, 0.88, 1), regionSchools }, T);
    expect(small.status).toBe('CLEAR');
    expect(small.value!).toBeLessThan(large.value!);
    const shrinkage = (r: typeof small): number => (r.evidence.baseline.meanShareOfMax as { shrinkageFactor: number }).shrinkageFactor;
    expect(shrinkage(small)).toBeLessThan(shrinkage(large));
  });

  it('flags few of the region’s own schools (calibration)', () => {
    const flagged = regionSchools.filter((s) => highResults({ school: s, regionSchools }, T).status === 'FLAGGED').length;
    expect(flagged / regionSchools.length).toBeLessThanOrEqual(0.05);
  });

  it('compares a gymnasium with its own peer group when there are enough peers', () => {
    const rng = createRandom(2);
    const gymnasiums = Array.from({ length: 10 }, (_, i) => school(rng, `g${i}`, 60, 0.8 + rng.normal(0, 0.03), true));
    const all = [...regionSchools, ...gymnasiums];
    const gymnasium = fixed('g-x', 60, 0.86, 0.9, true);
    const asGymnasium = highResults({ school: gymnasium, regionSchools: all }, T);
    const asOrdinary = highResults({ school: { ...gymnasium, inDepthStudy: false }, regionSchools: all }, T);
    expect(asGymnasium.evidence.baseline).toHaveProperty('comparison', 'IN_DEPTH_PEERS');
    expect(asGymnasium.evidence.baseline).toHaveProperty('comparisonSchools', 11);
    expect(asOrdinary.status).toBe('FLAGGED');
    expect(asGymnasium.status).toBe('CLEAR');
    expect(asGymnasium.explanationRu).toContain('по 11 школам с углублённым изучением');
  });

  it('holds a gymnasium without enough peers to a higher bar, and says so', () => {
    const gymnasium = fixed('g', 60, 0.78, 0.8, true);
    const asGymnasium = highResults({ school: gymnasium, regionSchools }, T);
    const asOrdinary = highResults({ school: { ...gymnasium, inDepthStudy: false }, regionSchools }, T);
    expect(asGymnasium.evidence.baseline).toHaveProperty('comparison', 'ALL_SCHOOLS_HIGHER_BAR');
    expect(asGymnasium.evidence.baseline).toHaveProperty('bar', 3);
    expect(asGymnasium.value).toBeCloseTo(asOrdinary.value!, 6);
    expect(asOrdinary.value!).toBeGreaterThanOrEqual(2);
    expect(asOrdinary.value!).toBeLessThan(3);
    expect(asOrdinary.status).toBe('FLAGGED');
    expect(asGymnasium.status).toBe('CLEAR');
    expect(asGymnasium.warnings.join(' ')).toContain('по повышенному порогу 3');
  });

  it('refuses tiny schools and tiny regions', () => {
    expect(highResults({ school: fixed('x', 3, 0.9, 1), regionSchools }, T).status).toBe('INSUFFICIENT_DATA');
    const few = highResults({ school: fixed('x', 50, 0.9, 1), regionSchools: regionSchools.slice(0, 5) }, T);
    expect(few.status).toBe('INSUFFICIENT_DATA');
    expect(few.explanationRu).toContain('Для сравнения лишь 6 школ');
  });

  it('gives z = 0 with a warning when schools differ only by noise', () => {
    const same = Array.from({ length: 20 }, (_, i) => fixed(`s${i}`, 50, 0.6, 0.45));
    const result = highResults({ school: fixed('x', 50, 0.6, 0.45), regionSchools: same }, T);
    expect(result.value).toBe(0);
    expect(result.status).toBe('CLEAR');
    expect(result.warnings.join(' ')).toContain('сжатая оценка равна нулю');
  });
});
