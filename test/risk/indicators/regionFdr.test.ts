import { journalRaised } from '../../../src/risk/indicators/journalMismatch';
import { applyRegionFdr } from '../../../src/risk/indicators/regionFdr';
import { JournalMarkCell } from '../../../src/risk/indicators/types';
import { MarkerCode } from '../../../src/risk/markers';
import { DEFAULT_THRESHOLDS } from '../../../src/risk/methodology/thresholds';
import { createRandom } from '../../../src/risk/stats/random';

const T = DEFAULT_THRESHOLDS;
const region = { lowered: 2200, confirmed: 6800, raised: 1000 };

/** A class of `n` where each pupil's ВПР mark is above the journal with probability `raisedRate`. */
function cells(rng: ReturnType<typeof createRandom>, n: number, raisedRate: number): JournalMarkCell[] {
  const raised = rng.binomial(n, raisedRate);
  return [
    { testMark: 4, journalMark: 3, count: raised },
    { testMark: 3, journalMark: 3, count: n - raised },
  ];
}

describe('region-wide Benjamini–Hochberg for journal mismatch', () => {
  const rng = createRandom(41);
  const clean = Array.from({ length: 400 }, (_, i) => ({ schoolId: `c${i}`, result: journalRaised({ cells: cells(rng, rng.integer(10, 30), 0.1), region }, T) }));
  const inflated = Array.from({ length: 8 }, (_, i) => ({ schoolId: `x${i}`, result: journalRaised({ cells: cells(rng, 20, 0.55), region }, T) }));
  const decisions = applyRegionFdr([...clean, ...inflated], T.journalMismatch.fdrAlpha);

  it('keeps the inflated schools and drops the chance flags among hundreds of clean ones', () => {
    const perSchoolClean = clean.filter((c) => c.result.status === 'FLAGGED').length;
    const cleanFlagged = decisions.slice(0, 400).filter((d) => d.flagged).length;
    expect(perSchoolClean).toBeGreaterThan(0);
    expect(cleanFlagged).toBeLessThanOrEqual(1);
    expect(decisions.slice(400).every((d) => d.flagged)).toBe(true);
    for (const d of decisions.slice(400)) expect(d.result.marker).toBe(MarkerCode.JOURNAL_RAISED);
  });

  it('explains a per-school flag the region does not confirm, and keeps the evidence', () => {
    const dropped = decisions.find((d, i) => i < 400 && clean[i].result.status === 'FLAGGED' && !d.flagged)!;
    expect(dropped.result.status).toBe('CLEAR');
    expect(dropped.result.marker).toBeNull();
    expect(dropped.result.explanationRu).toContain('на уровне региона сигнал не подтверждается');
    expect(dropped.result.evidence.baseline).toHaveProperty('fdr.schoolsTested', 408);
    expect(dropped.qValue!).toBeGreaterThan(T.journalMismatch.fdrAlpha);
  });

  it('gives one school the same decision when the others come as stored p-values', () => {
    const others = [...clean.slice(1), ...inflated].map((e) => e.result.pValue as number);
    const [alone] = applyRegionFdr([clean[0]], T.journalMismatch.fdrAlpha, others);
    expect(alone.qValue).toBeCloseTo(decisions[0].qValue!, 12);
    expect(alone.flagged).toBe(decisions[0].flagged);
  });
});
