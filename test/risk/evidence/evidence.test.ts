import { Procedure, TaskLevel } from '../../../src/assessments/enums';
import { combineEvidence } from '../../../src/risk/evidence/combine';
import { comparesBeyondTheSchool, measureSigns, type SignValue } from '../../../src/risk/evidence/signs';
import type { AssessmentInfo, ResultSummary, SchoolInfo } from '../../../src/risk/recompute/risk-dataset';
import type { RegionResults } from '../../../src/risk/recompute/region-results';
import { empiricalNull, omnibusP } from '../../../src/risk/stats/combine-evidence';
import { fitOverdispersedNull, overdispersedZ } from '../../../src/risk/stats/overdispersed-null';
import { createRandom } from '../../../src/risk/stats/random';
import { scaledMad } from '../../../src/stats/robust';

describe('overdispersed null (honest schools differ)', () => {
  it('recovers the spread between honest schools and the sampling factor', () => {
    const random = createRandom(7);
    const effects: number[] = [];
    const variances: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const v = (0.02 * (1 + (i % 10))) ** 2;
      variances.push(v);
      effects.push(0.3 + random.normal(0, 0.1) + random.normal(0, Math.sqrt(1.5 * v)));
    }
    const fit = fitOverdispersedNull(effects, variances)!;
    expect(fit.intercept).toBeCloseTo(0.3, 1);
    expect(Math.sqrt(fit.tau2)).toBeGreaterThan(0.08);
    expect(Math.sqrt(fit.tau2)).toBeLessThan(0.12);
    expect(fit.kappa).toBeGreaterThan(1.2);
    expect(fit.kappa).toBeLessThan(2.3);
  });

  it('a large school is never a marker for a difference usual between honest schools', () => {
    const random = createRandom(11);
    const effects = Array.from({ length: 500 }, () => random.normal(0, 0.1));
    const variances = Array.from({ length: 500 }, (_, i) => (i % 2 ? 0.0004 : 0.01));
    const fit = fitOverdispersedNull(effects, variances)!;
    // One honest SD above the others: against pooled pupils (variance 1e-5) this would be z = 32.
    expect(overdispersedZ(fit, 0.1, 0.00001)).toBeLessThan(1.3);
    // A departure four honest SDs away is found in a large school and not in a tiny one.
    expect(overdispersedZ(fit, 0.4, 0.00001)).toBeGreaterThan(3.5);
    expect(overdispersedZ(fit, 0.4, 0.25)).toBeLessThan(1);
  });

  it('refuses to judge with too few schools', () => {
    expect(fitOverdispersedNull([0.1, 0.2, 0.3], [0.01, 0.01, 0.01])).toBeNull();
  });
});

describe('omnibus combination', () => {
  it('is a uniform p under the null (checked at 1 %, 5 % and 20 %)', () => {
    const random = createRandom(3);
    const ps = Array.from({ length: 20_000 }, () => omnibusP(Array.from({ length: 4 }, () => random.next())));
    for (const level of [0.01, 0.05, 0.2]) {
      const share = ps.filter((p) => p <= level).length / ps.length;
      expect(Math.abs(share - level)).toBeLessThan(level * 0.2 + 0.002);
    }
  });

  it('one strong sign is not diluted by silent ones as Fisher would dilute it', () => {
    expect(omnibusP([1e-4, 0.5, 0.5, 0.5, 0.5])).toBeLessThan(0.002);
  });
});

describe('empirical null', () => {
  it('is not widened by manipulated schools, which only move statistics up', () => {
    const random = createRandom(5);
    const honest = Array.from({ length: 8500 }, () => random.normal(0, 1));
    const manipulated = Array.from({ length: 1500 }, () => random.normal(3, 1.5));
    const all = [...honest, ...manipulated];
    const fit = empiricalNull(all);
    // Measured: a MAD over both halves reads 1.19 here, the lower half 1.07.
    expect(scaledMad(all)).toBeGreaterThan(1.15);
    expect(fit.scale).toBeLessThan(1.1);
    expect(fit.centre).toBeLessThan(0.25);
  });

  it('widens where honest statistics really are wider, and is never more liberal than N(0, 1)', () => {
    const random = createRandom(6);
    expect(empiricalNull(Array.from({ length: 2000 }, () => random.normal(0, 1.5))).scale).toBeGreaterThan(1.35);
    const narrow = empiricalNull(Array.from({ length: 2000 }, () => random.normal(-0.5, 0.6)));
    expect(narrow.scale).toBe(1);
    expect(narrow.centre).toBe(0);
  });
});

/** A region of `schools` schools with one ВПР in three years; `patch` changes one school's rows. */
function region(schools: number, row: (schoolId: number, year: number, random: ReturnType<typeof createRandom>) => Partial<ResultSummary>): RegionResults {
  const random = createRandom(5);
  const assessments = new Map<number, AssessmentInfo>();
  for (const year of [2023, 2024, 2025]) {
    assessments.set(year, {
      id: year, procedure: Procedure.VPR, year, grade: 5, subjectCode: 'MATH', subjectName: 'Математика', maxPrimary: 10, boundaries: [4, 7, 9], minimumTestScore: null,
      tasks: [1, 2, 3, 4, 5].map((n) => ({ number: String(n), maxPoints: 2, level: n > 3 ? TaskLevel.ADVANCED : TaskLevel.BASIC })),
    } as AssessmentInfo);
  }
  const resultsBySchool = new Map<number, ResultSummary[]>();
  const schoolInfo = new Map<number, SchoolInfo>();
  for (let id = 1; id <= schools; id++) {
    schoolInfo.set(id, { id, municipalityId: 1, type: 'SOSH', inDepthByYear: new Map() });
    resultsBySchool.set(id, [2023, 2024, 2025].map((year) => ({
      schoolId: id, assessmentId: year, year, participants: 100, counts: [10, 40, 35, 15], meanPercent: 55, sdPercent: 20, meanTestScore: null, belowMinimum: null,
      journal: null, histogram: null, taskCompletion: null, ...row(id, year, random),
    })));
  }
  return { assessments, schools: schoolInfo, resultsBySchool, results: [...resultsBySchool.values()].flat() };
}

describe('signs and combined evidence', () => {
  it('grading style is a trait: a strict school is not evidence, a departure from its own style is', () => {
    // Honest schools differ in how many pupils get a ВПР mark above the journal (5 %–35 %), each keeps its style.
    const style = (id: number) => 0.05 + ((id * 37) % 31) / 100;
    const r = region(200, (id, year, random) => {
      const raisedShare = id === 1 ? 0.35 : id === 2 && year === 2025 ? style(2) + 0.3 : style(id);
      const raised = random.binomial(100, raisedShare);
      return { journal: [10, 90 - raised, raised] };
    });
    const evidence = combineEvidence(measureSigns(r, [2023, 2024, 2025]));
    const journalZ = (schoolId: number, year: number) => evidence.bySchoolYear.get(`${schoolId}:${year}`)!.signs.find((s) => s.sign === 'JOURNAL')!.z;
    // School 1 marks strictly every year: a third of its pupils «повысили», every year — its style.
    expect(Math.abs(journalZ(1, 2025))).toBeLessThan(2);
    // School 2 departs from its own style in 2025 by 30 points.
    expect(journalZ(2, 2025)).toBeGreaterThan(2.5);
    expect(evidence.bySchoolYear.get('2:2025')!.q).toBeLessThan(0.05);
    expect(evidence.bySchoolYear.get('1:2025')!.q).toBeGreaterThan(0.2);
  });

  it('bunching: works raised to a boundary are found against the windows of produced scores', () => {
    const honest = [2, 4, 6, 8, 10, 12, 12, 12, 10, 8, 16].map((c) => c / 100);
    const r = region(120, (id, _year, random) => {
      const histogram = random.multinomial(300, honest);
      if (id === 5) {
        // Works at 2 and 3 points (just below «3» at 4) raised to 4; at 5 and 6 raised to 7.
        const from = (score: number, n: number) => {
          const moved = Math.min(n, histogram[score]);
          histogram[score] -= moved;
          return moved;
        };
        histogram[4] += from(2, 10) + from(3, 14);
        histogram[7] += from(5, 16) + from(6, 16);
      }
      return { histogram };
    });
    const evidence = combineEvidence(measureSigns(r, [2025]));
    const bunching = (id: number) => evidence.bySchoolYear.get(`${id}:2025`)!.signs.find((s) => s.sign === 'BUNCHING')!;
    expect(bunching(5).z).toBeGreaterThan(3);
    expect(bunching(6).z).toBeLessThan(1);
    expect(bunching(5).values[0].detail.above).toBeGreaterThan(bunching(5).values[0].detail.expected);
  });
});

describe('each sign read against its own spread first', () => {
  it('a sign too wide for N(0, 1) neither names honest schools nor takes the power of the others', () => {
    const random = createRandom(9);
    const values: SignValue[] = [];
    for (let id = 1; id <= 600; id++) {
      const sign = (code: SignValue['sign'], z: number): SignValue => ({ sign: code, schoolId: id, year: 2025, assessmentId: null, effect: z, variance: 1, z, detail: {} });
      // Bunching is calibrated; the jump sign's honest spread is twice what its variance model says.
      values.push(sign('BUNCHING', id === 1 ? 4.2 : random.normal(0, 1)), sign('JUMP', random.normal(0, 2)));
    }
    const evidence = combineEvidence(values);
    const named = [...evidence.bySchoolYear.values()].filter((e) => e.schoolId !== 1 && e.q <= 0.1).length;
    expect(named).toBeLessThanOrEqual(3);
    expect(evidence.bySchoolYear.get('1:2025')!.q).toBeLessThanOrEqual(0.1);
    const jump = evidence.bySchoolYear.get('2:2025')!.signs.find((s) => s.sign === 'JUMP')!;
    expect(Math.abs(jump.z)).toBeLessThan(Math.abs(jump.values[0].z!));
  });
});

describe('a school\'s series of years', () => {
  it('is judged on the signs that compare it with other schools; signs that compare it with itself do not dilute them', () => {
    const random = createRandom(12);
    const values: SignValue[] = [];
    const sign = (code: SignValue['sign'], id: number, year: number, z: number): SignValue => ({ sign: code, schoolId: id, year, assessmentId: null, effect: z, variance: 1, z, detail: {} });
    for (let id = 1; id <= 400; id++) {
      for (const year of [2023, 2024, 2025]) {
        // Schools 1–20 raise a few works every year: bunching a little above honest schools, year after year.
        if (id > 390) continue;
        values.push(sign('BUNCHING', id, year, (id <= 20 ? 1.5 : 0) + random.normal(0, 1)));
        values.push(sign('JOURNAL', id, year, random.normal(0, 1)), sign('JUMP', id, year, random.normal(0, 1)));
      }
    }
    // Schools 391–400 have only signs that compare them with their own other years.
    for (let id = 391; id <= 400; id++) for (const year of [2023, 2024, 2025]) values.push(sign('JOURNAL', id, year, random.normal(0, 1)));
    const evidence = combineEvidence(values);
    const first = (id: number) => evidence.bySchoolYear.get(`${id}:2023`)!;
    const found = Array.from({ length: 20 }, (_, i) => first(i + 1)).filter((e) => e.seriesQ! <= 0.1).length;
    const named = Array.from({ length: 370 }, (_, i) => first(i + 21)).filter((e) => e.seriesQ! <= 0.1).length;
    // Measured: 7 of the 20 found on bunching (with tasks); with the two self-comparing signs pooled in too, 2.
    expect(found).toBeGreaterThanOrEqual(5);
    expect(named).toBeLessThanOrEqual(4);
    expect(first(395).seriesZ).toBeNull();
    // Confirmation counts in a series where the next procedure is one the school does not check itself.
    const confirmation = (checkedOutside: number): SignValue => ({ ...sign('CONFIRMATION', 1, 2023, 2), detail: { checkedOutside } });
    expect(comparesBeyondTheSchool(confirmation(1))).toBe(true);
    expect(comparesBeyondTheSchool(confirmation(0))).toBe(false);
    expect(comparesBeyondTheSchool(sign('JOURNAL', 1, 2023, 2))).toBe(false);
    expect(first(1).alongSeries).not.toBeNull();
  });
});

describe('small schools judged on all their years', () => {
  it('the same sign every year is found more often in the series than in any one year; honest small schools are not named', () => {
    const honest = [2, 4, 6, 8, 10, 12, 12, 12, 10, 8, 16].map((c) => c / 100);
    // Schools 1–40 are small (40 works a year) and raise a few works to «3» and «4» every year; 41–80 are small
    // and honest; the rest are large and honest.
    const r = region(300, (id, _year, random) => {
      const histogram = random.multinomial(id <= 80 ? 40 : 300, honest);
      if (id <= 40) {
        for (const [from, to] of [[3, 4], [3, 4], [2, 4], [6, 7], [6, 7], [5, 7]]) {
          if (histogram[from] > 0) {
            histogram[from]--;
            histogram[to]++;
          }
        }
      }
      return { histogram };
    });
    const evidence = combineEvidence(measureSigns(r, [2023, 2024, 2025]));
    const of = (id: number) => [2023, 2024, 2025].map((y) => evidence.bySchoolYear.get(`${id}:${y}`)!);
    const raisers = Array.from({ length: 40 }, (_, i) => of(i + 1));
    const honestSmall = Array.from({ length: 40 }, (_, i) => of(i + 41));
    const share = (schools: ReturnType<typeof of>[], found: (years: ReturnType<typeof of>) => boolean) => schools.filter(found).length / schools.length;
    const inAYear = share(raisers, (years) => years.some((e) => e.q <= 0.1));
    const inTheSeries = share(raisers, (years) => years[0].seriesQ! <= 0.1);
    expect(raisers.every((years) => years.every((e) => e.seriesYears === 3))).toBe(true);
    // Measured: 0.33 of the raisers found in the series, 0.23 in any one of their years.
    expect(inTheSeries).toBeGreaterThan(0.25);
    expect(inTheSeries).toBeGreaterThanOrEqual(inAYear + 0.05);
    expect(share(honestSmall, (years) => years[0].seriesQ! <= 0.1)).toBeLessThanOrEqual(0.05);
  });
});
