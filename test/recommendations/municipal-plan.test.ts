import { MarkerCode } from '../../src/risk/markers';
import { MEASURES_V1 } from '../../src/recommendations/catalogue/measures-v1';
import { recommendMunicipalMeasures } from '../../src/recommendations/rules/municipal-plan';
import { recommendMeasures } from '../../src/recommendations/rules/recommend';
import { RULES_V1 } from '../../src/recommendations/rules/rules-v1';
import { cleanProfile, lowResultsProfile, marker, objectivityProfile } from './profiles';

const bunchingInGrade4 = objectivityProfile([marker(MarkerCode.BOUNDARY_BUNCHING, { grade: 4 })], { schoolId: 'sch-B' });
const notConfirmedOge = objectivityProfile([marker(MarkerCode.NOT_CONFIRMED_OGE, { grade: 8 })], { schoolId: 'sch-A' });
const lowResults = lowResultsProfile([marker(MarkerCode.LOW_RESULTS_PERSISTENT)], { schoolId: 'sch-C' });
const clean = cleanProfile({ schoolId: 'sch-D' });
const schools = [bunchingInGrade4, notConfirmedOge, lowResults, clean];

const plan = recommendMunicipalMeasures(schools);
const entry = (code: string) => plan.find((e) => e.measureCode === code);
const listed = (code: string) => entry(code)?.schools.map((s) => s.schoolId);

describe('recommendMunicipalMeasures', () => {
  it('lists the schools under observers, video and collegial checking, sorted, without clean or low-results-only schools', () => {
    for (const code of ['OBSERVERS_INDEPENDENT', 'VIDEO_AT_CONDUCT', 'VIDEO_AT_CHECKING', 'COLLEGIAL_CHECKING']) {
      expect(listed(code)).toEqual(['sch-A', 'sch-B']);
    }
  });

  it('lists only grade 4–5 findings for the municipal re-check of Russian and Maths', () => {
    expect(listed('MUNICIPAL_RECHECK_RU_MATH_4_5')).toEqual(['sch-B']);
  });

  it('gathers the heads of flagged schools for the interview and the meeting', () => {
    expect(listed('MANAGEMENT_INTERVIEW')).toEqual(['sch-A', 'sch-B']);
    expect(listed('FLAGGED_HEADS_MEETING')).toEqual(['sch-A', 'sch-B']);
  });

  it('leaves school-only measures to the school plans', () => {
    expect(entry('PARENTS_CONSULTATIONS')).toBeUndefined();
    expect(entry('INFORMATION_SECURITY')).toBeUndefined();
  });

  it('writes the line as the Томск road map does and puts МОУО in control of school-level lines', () => {
    const video = entry('VIDEO_AT_CONDUCT')!;
    expect(video.textRu).toBe('Видеонаблюдение в местах проведения ВПР — ОО: sch-A, sch-B');
    expect(video.responsible).toEqual(['МОУО', 'ОО']);
    expect(video.dueDate).toBe('2025-05-31');
    expect(entry('MANAGEMENT_INTERVIEW')!.responsible).toEqual(['МОУО']);
  });

  it('says why each school is on the list', () => {
    const school = entry('MUNICIPAL_RECHECK_RU_MATH_4_5')!.schools[0];
    expect(school.ruleCodes).toEqual(['PRIMARY_VPR_MUNICIPAL_RECHECK']);
    expect(school.reasonRu).toContain('4 класс');
  });

  it('agrees with the school plans: a school is listed exactly when its own plan has the measure', () => {
    for (const e of plan) {
      const expected = schools
        .filter((s) => recommendMeasures(s, RULES_V1, MEASURES_V1).some((r) => r.measureCode === e.measureCode))
        .map((s) => s.schoolId)
        .sort();
      expect(e.schools.map((s) => s.schoolId)).toEqual(expected);
    }
  });

  it('keeps the municipal-level measures and the named school-level ones only', () => {
    const byCode = new Map(MEASURES_V1.map((m) => [m.code, m]));
    for (const e of plan) {
      const measure = byCode.get(e.measureCode)!;
      expect(measure.level === 'MUNICIPALITY' || measure.namedInMunicipalPlan === true).toBe(true);
    }
  });

  it('is empty when every school is clean', () => {
    expect(recommendMunicipalMeasures([clean, cleanProfile({ schoolId: 'sch-E' })])).toEqual([]);
  });

  it('keeps plans of different years apart', () => {
    const lastYear = { ...bunchingInGrade4, year: 2023 };
    const twoYears = recommendMunicipalMeasures([lastYear, bunchingInGrade4]);
    const observers = twoYears.filter((e) => e.measureCode === 'OBSERVERS_INDEPENDENT');
    expect(observers.map((e) => [e.planYear, e.dueDate])).toEqual([
      [2023, '2024-05-31'],
      [2024, '2025-05-31'],
    ]);
  });
});
