import { meanObservation, shareObservation } from '../../../src/comparisons/stats/observations';
import { compareTwoShares } from '../../../src/comparisons/stats/share-difference';
import { fitTrend, TrendFit, TrendResult } from '../../../src/comparisons/stats/trend';
import { yearToYearChanges } from '../../../src/comparisons/stats/year-to-year';

function ok(result: TrendResult): TrendFit {
  if (result.status !== 'OK') throw new Error(`expected a trend, got ${result.reason}`);
  return result;
}

const shareOfTwo = [
  { year: 2022, observation: shareObservation(2, 20) },
  { year: 2023, observation: shareObservation(5, 25) },
  { year: 2024, observation: shareObservation(9, 30) },
];

describe('trend of a share', () => {
  it('slope weighted by N, by hand', () => {
    // Shares 0.10, 0.20, 0.30 are exactly linear in the year: slope 0.10 per year, no lack of fit.
    const trend = ok(fitTrend(shareOfTwo));
    expect(trend.kind).toBe('share');
    expect(trend.years).toBe(3);
    expect(trend.participants).toBe(75);
    expect(trend.slopePerYear).toBeCloseTo(0.1, 12);
    expect(trend.pupilVariance).toBeCloseTo((16 / 75) * (59 / 75), 12);
    expect(trend.standardError).toBeCloseTo(0.0587230945, 9);
    expect(trend.lackOfFit.chiSquare).toBeCloseTo(0, 12);
    expect(trend.lackOfFit.degreesOfFreedom).toBe(1);
    expect(trend.points.map((p) => p.fitted)).toEqual([expect.closeTo(0.1, 12), expect.closeTo(0.2, 12), expect.closeTo(0.3, 12)]);
  });

  it('its z is the Cochran–Armitage trend statistic computed from the textbook formula', () => {
    const trend = ok(fitTrend(shareOfTwo));
    const n = [20, 25, 30];
    const r = [2, 5, 9];
    const t = [2022, 2023, 2024];
    const N = 75;
    const p = 16 / N;
    const T = t.reduce((a, ti, i) => a + ti * (r[i] - n[i] * p), 0);
    const variance = p * (1 - p) * (t.reduce((a, ti, i) => a + n[i] * ti * ti, 0) - t.reduce((a, ti, i) => a + n[i] * ti, 0) ** 2 / N);
    expect(trend.z).toBeCloseTo(T / Math.sqrt(variance), 9);
    expect(trend.z).toBeCloseTo(1.70290753, 7);
    expect(trend.significant).toBe(false);
  });

  it('jumps that a line cannot follow show in the lack-of-fit χ²', () => {
    const zigzag = ok(
      fitTrend([
        { year: 2021, observation: shareObservation(5, 100) },
        { year: 2022, observation: shareObservation(40, 100) },
        { year: 2023, observation: shareObservation(5, 100) },
        { year: 2024, observation: shareObservation(40, 100) },
      ]),
    );
    expect(zigzag.lackOfFit.degreesOfFreedom).toBe(2);
    expect(zigzag.lackOfFit.pValue).toBeLessThan(1e-6);
  });

  it('a share that stays at 0 has no trend and no noise', () => {
    const flat = ok(fitTrend([2022, 2023, 2024].map((year) => ({ year, observation: shareObservation(0, 15) }))));
    expect(flat.slopePerYear).toBe(0);
    expect(flat.standardError).toBe(0);
    expect(flat.pValue).toBe(1);
    expect(flat.significant).toBe(false);
  });
});

describe('trend of a mean', () => {
  it('uses the pooled within-year variance', () => {
    // Means 50, 53, 56 (n 10, 20, 30), SDs 10, 12, 14: pooled variance (9·100 + 19·144 + 29·196)/57.
    const trend = ok(
      fitTrend([
        { year: 2022, observation: meanObservation(50, 10, 10) },
        { year: 2023, observation: meanObservation(53, 12, 20) },
        { year: 2024, observation: meanObservation(56, 14, 30) },
      ]),
    );
    const pooled = (9 * 100 + 19 * 144 + 29 * 196) / 57;
    const meanYear = (10 * 2022 + 20 * 2023 + 30 * 2024) / 60;
    const sxx = 10 * (2022 - meanYear) ** 2 + 20 * (2023 - meanYear) ** 2 + 30 * (2024 - meanYear) ** 2;
    expect(trend.slopePerYear).toBeCloseTo(3, 10);
    expect(trend.pupilVariance).toBeCloseTo(pooled, 10);
    expect(trend.standardError).toBeCloseTo(Math.sqrt(pooled / sxx), 10);
    // +3 points a year over 60 pupils is within what pupil turnover alone produces (z ≈ 1.35).
    expect(trend.z).toBeCloseTo(3 / Math.sqrt(pooled / sxx), 10);
    expect(trend.significant).toBe(false);
  });
});

describe('trend guards', () => {
  it('needs three years with participants, one kind, distinct years', () => {
    expect(fitTrend(shareOfTwo.slice(0, 2)).status).toBe('INSUFFICIENT_DATA');
    expect(fitTrend([...shareOfTwo.slice(0, 2), { year: 2024, observation: shareObservation(0, 0) }]).status).toBe('INSUFFICIENT_DATA');
    expect(() => fitTrend([...shareOfTwo, { year: 2025, observation: meanObservation(50, 10, 20) }])).toThrow(TypeError);
    expect(() => fitTrend([...shareOfTwo, { year: 2024, observation: shareObservation(1, 10) }])).toThrow(RangeError);
  });
});

describe('year-to-year changes', () => {
  it('compare each year with the previous available one as independent samples', () => {
    const changes = yearToYearChanges([shareOfTwo[2], shareOfTwo[0], { year: 2021, observation: shareObservation(1, 18) }]);
    expect(changes.map((c) => [c.yearFrom, c.yearTo])).toEqual([
      [2021, 2022],
      [2022, 2024],
    ]);
    expect(changes[1].change).toEqual(compareTwoShares(shareObservation(9, 30), shareObservation(2, 20)));
    expect(changes[1].change.status === 'OK' && changes[1].change.difference).toBeCloseTo(0.2, 12);
  });

  it('reports an empty year as insufficient and rejects duplicate years', () => {
    const changes = yearToYearChanges([shareOfTwo[0], { year: 2023, observation: shareObservation(0, 0) }]);
    expect(changes[0].change.status).toBe('INSUFFICIENT_DATA');
    expect(yearToYearChanges([shareOfTwo[0]])).toEqual([]);
    expect(() => yearToYearChanges([shareOfTwo[0], shareOfTwo[0]])).toThrow(RangeError);
  });
});
