import { buildCohortChains, CohortResultRow } from '../../../src/comparisons/cohorts/cohort-chains';

function row(schoolId: string, procedure: string, grade: number, year: number, value: number | null, participants = 25): CohortResultRow {
  return { schoolId, procedure, grade, year, subject: 'MATH', value, participants };
}

const region: CohortResultRow[] = [
  // ВПР 4 (2022) → ВПР 5 (2023) → ВПР 6 (2024): cohort in grade 1 in 2019.
  row('A', 'VPR', 4, 2022, 80),
  row('B', 'VPR', 4, 2022, 70),
  row('C', 'VPR', 4, 2022, 60),
  row('D', 'VPR', 4, 2022, 50),
  row('A', 'VPR', 5, 2023, 50),
  row('B', 'VPR', 5, 2023, 70),
  row('C', 'VPR', 5, 2023, 60),
  row('D', 'VPR', 5, 2023, 40),
  row('A', 'VPR', 6, 2024, 55, 8),
  row('B', 'VPR', 6, 2024, 55),
  row('C', 'VPR', 6, 2024, 60),
  row('D', 'VPR', 6, 2024, null),
  // ВПР 8 (2023) → ОГЭ 9 (2024), the ОГЭ on its own (mark) scale.
  row('A', 'VPR', 8, 2023, 60),
  row('B', 'VPR', 8, 2023, 50),
  row('A', 'OGE', 9, 2024, 3.9),
  row('B', 'OGE', 9, 2024, 4.1),
  row('C', 'OGE', 9, 2024, 3.5),
  // ОГЭ 9 (2022) and then ВПР 10 (2023) → ВПР 11 and ЕГЭ 11 (2024): same grade-1 year, two stages.
  row('A', 'OGE', 9, 2022, 4.0),
  row('B', 'OGE', 9, 2022, 3.0),
  row('A', 'VPR', 10, 2023, 60),
  row('B', 'VPR', 10, 2023, 40),
  row('A', 'EGE', 11, 2024, 65),
  row('B', 'EGE', 11, 2024, 70),
  row('A', 'VPR', 11, 2024, 70),
  // Not chained: a lone ВПР 6 (2022), a ГВЭ result (not in the default procedures).
  row('A', 'VPR', 6, 2022, 45),
  row('A', 'GVE', 9, 2024, 3.2),
];

describe('cohort chains', () => {
  const chains = buildCohortChains('A', region);

  it('builds one chain per subject, grade-1 year and stage, ordered', () => {
    expect(chains.map((c) => [c.gradeOneYear, c.stage, c.steps.map((s) => `${s.procedure}${s.grade}/${s.year}`).join(' → ')])).toEqual([
      [2014, 'SECONDARY', 'VPR10/2023 → VPR11/2024 → EGE11/2024'],
      [2016, 'BASIC', 'VPR8/2023 → OGE9/2024'],
      [2019, 'BASIC', 'VPR4/2022 → VPR5/2023 → VPR6/2024'],
    ]);
  });

  it('places each step by mid-rank percentile among the region’s schools of that step', () => {
    const primary = chains[2];
    // ВПР 4: best of 4 → (3 + ½)/4; ВПР 5: above one of 4 → (1 + ½)/4; ВПР 6: tied with B, below C, D has no value → (0 + 1)/3.
    expect(primary.steps.map((s) => s.percentile)).toEqual([87.5, 37.5, expect.closeTo(100 / 3, 10)]);
    expect(primary.steps.map((s) => s.regionSchools)).toEqual([4, 4, 3]);
    expect(primary.steps.map((s) => s.percentileChange)).toEqual([null, -50, expect.closeTo(100 / 3 - 37.5, 10)]);
    expect(primary.totalPercentileChange).toBeCloseTo(100 / 3 - 87.5, 10);
    expect(primary.steps.map((s) => s.smallSample)).toEqual([false, false, true]);
    const basic = chains[1];
    expect(basic.steps.map((s) => s.percentile)).toEqual([75, 50]);
    expect(basic.steps[1].value).toBe(3.9);
    const secondary = chains[0];
    expect(secondary.steps.map((s) => s.percentile)).toEqual([75, 50, 25]);
  });

  it('can rank metrics where lower is better', () => {
    const reversed = buildCohortChains('A', region, { higherIsBetter: false });
    expect(reversed[2].steps[0].percentile).toBe(12.5);
  });

  it('rejects two results for one step and ignores other schools’ lone rows', () => {
    expect(() => buildCohortChains('A', [...region, row('B', 'VPR', 4, 2022, 10)])).toThrow(RangeError);
    expect(buildCohortChains('D', region)).toHaveLength(1);
    expect(buildCohortChains('Z', region)).toEqual([]);
  });
});
