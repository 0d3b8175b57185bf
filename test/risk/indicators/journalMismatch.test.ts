import { compareWithJournal, journalLowered, journalRaised } from '../../../src/risk/indicators/journalMismatch';
import { JournalMarkCell, JournalMismatchInput, Mark } from '../../../src/risk/indicators/types';
import { MarkerCode } from '../../../src/risk/markers';
import { DEFAULT_THRESHOLDS } from '../../../src/risk/methodology/thresholds';

const T = DEFAULT_THRESHOLDS;
const region = { lowered: 2500, confirmed: 6800, raised: 700 }; // 25% / 68% / 7%
const cell = (testMark: Mark, journalMark: Mark, count: number): JournalMarkCell => ({ testMark, journalMark, count });

describe('journal mismatch', () => {
  it('counts повысили / подтвердили / понизили and the |difference| ≥ 2 pupils', () => {
    const c = compareWithJournal({ cells: [cell(5, 3, 2), cell(4, 3, 5), cell(4, 4, 10), cell(3, 4, 4), cell(2, 4, 1)], region });
    expect(c).toEqual({ participants: 22, raised: 7, confirmed: 10, lowered: 5, differByTwoOrMore: 3, raisedByTwoOrMore: 2, loweredByTwoOrMore: 1 });
  });

  it('flags many «повысили» against the region, with the count of large gaps', () => {
    const input: JournalMismatchInput = { cells: [cell(5, 3, 3), cell(4, 3, 6), cell(5, 4, 3), cell(4, 4, 12), cell(3, 3, 4), cell(3, 4, 2)], region };
    const raised = journalRaised(input, T);
    expect(raised.status).toBe('FLAGGED');
    expect(raised.marker).toBe(MarkerCode.JOURNAL_RAISED);
    expect(raised.value).toBeCloseTo(12 / 30, 4);
    expect(raised.pValue!).toBeLessThan(0.001);
    expect(raised.explanationRu).toMatch(/^Доля «повысили» \(отметка ВПР выше журнальной\) 40% при 7% по региону \(12 из 30; «подтвердили» 53%\), p < 0,001; расхождение на 2 и более балла в эту сторону — у 3 учеников/);
    expect(raised.warnings.join(' ')).toContain('у 3 учеников');
    expect(journalLowered(input, T).status).toBe('CLEAR');
  });

  it('flags «понизили» (inflated journal marks) and not «повысили»', () => {
    const input: JournalMismatchInput = { cells: [cell(3, 4, 10), cell(3, 5, 4), cell(4, 5, 4), cell(4, 4, 8), cell(5, 5, 2)], region };
    const lowered = journalLowered(input, T);
    expect(lowered.status).toBe('FLAGGED');
    expect(lowered.marker).toBe(MarkerCode.JOURNAL_LOWERED);
    expect(journalRaised(input, T).status).toBe('CLEAR');
  });

  it('needs significance: a small class at the threshold share is not flagged', () => {
    // 2 of 10 raised = 20%: at the threshold, but P(≥ 2 | 10, 7%) ≈ 0.15.
    const input: JournalMismatchInput = { cells: [cell(4, 3, 2), cell(4, 4, 8)], region };
    const result = journalRaised(input, T);
    expect(result.value).toBeCloseTo(0.2, 6);
    expect(result.pValue!).toBeGreaterThan(0.05);
    expect(result.status).toBe('CLEAR');
  });

  it('a clean class matching the region is clear', () => {
    const input: JournalMismatchInput = { cells: [cell(4, 4, 14), cell(3, 3, 6), cell(3, 4, 6), cell(5, 4, 2)], region };
    expect(journalRaised(input, T).status).toBe('CLEAR');
    expect(journalLowered(input, T).status).toBe('CLEAR');
  });

  it('refuses below the minimum and without region data', () => {
    const small = journalRaised({ cells: [cell(5, 3, 5)], region }, T);
    expect(small.status).toBe('INSUFFICIENT_DATA');
    expect(small.explanationRu).toContain('у 5 учеников — меньше 10');
    expect(journalRaised({ cells: [cell(4, 4, 20)], region: { lowered: 0, confirmed: 0, raised: 0 } }, T).status).toBe('INSUFFICIENT_DATA');
    expect(() => compareWithJournal({ cells: [cell(4, 4, -1)], region })).toThrow(RangeError);
  });
});
