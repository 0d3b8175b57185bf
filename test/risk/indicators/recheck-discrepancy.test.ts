import { recheckDiscrepancy } from '../../../src/risk/indicators/recheck-discrepancy';
import { Mark, RecheckedWork } from '../../../src/risk/indicators/types';
import { MarkerCode } from '../../../src/risk/markers';
import { DEFAULT_THRESHOLDS } from '../../../src/risk/methodology/thresholds';

const T = DEFAULT_THRESHOLDS;
const work = (originalScore: number, recheckScore: number, originalMark: Mark, recheckMark: Mark): RecheckedWork => ({ originalScore, recheckScore, originalMark, recheckMark });
const agreeing = (n: number): RecheckedWork[] => Array.from({ length: n }, () => work(25, 25, 4, 4));

describe('RECHECK_DISCREPANCY', () => {
  it('flags when re-marked works lost marks', () => {
    const works = [...agreeing(16), work(24, 21, 4, 3), work(14, 12, 3, 2), work(33, 30, 5, 4), work(25, 24, 4, 4)];
    const result = recheckDiscrepancy({ maxScore: 38, works }, T);
    expect(result.status).toBe('FLAGGED');
    expect(result.marker).toBe(MarkerCode.RECHECK_DISCREPANCY);
    expect(result.value).toBeCloseTo(3 / 20, 6);
    expect(result.pValue!).toBeLessThan(0.01);
    expect(result.explanationRu).toMatch(/^При перепроверке 20 работ отметку снизили в 3 \(15%\), повысили в 0; в среднем снято 0,5 балла/);
    expect(result.evidence.baseline).toHaveProperty('firedBy', ['LOST_MARKS']);
  });

  it('flags large point losses even without lost marks', () => {
    const works = Array.from({ length: 10 }, () => work(30, 27, 4, 4));
    const result = recheckDiscrepancy({ maxScore: 38, works }, T);
    expect(result.status).toBe('FLAGGED');
    expect(result.evidence.baseline).toHaveProperty('firedBy', ['POINTS_LOST']);
    expect(result.explanationRu).toContain('снято 3 балла');
  });

  it('one lost mark is not enough, and gained marks never fire', () => {
    expect(recheckDiscrepancy({ maxScore: 38, works: [...agreeing(5), work(24, 23, 4, 3)] }, T).status).toBe('CLEAR');
    const gained = recheckDiscrepancy({ maxScore: 38, works: [...agreeing(8), work(20, 25, 3, 4), work(20, 25, 3, 4)] }, T);
    expect(gained.status).toBe('CLEAR');
    expect(gained.evidence.inputs).toHaveProperty('gainedMark', 2);
  });

  it('refuses too few works', () => {
    const result = recheckDiscrepancy({ maxScore: 38, works: agreeing(3) }, T);
    expect(result.status).toBe('INSUFFICIENT_DATA');
    expect(result.explanationRu).toContain('Перепроверено 3 работы — меньше 5');
    expect(() => recheckDiscrepancy({ maxScore: 0, works: agreeing(6) }, T)).toThrow(RangeError);
  });
});
