import { MarkerCode, ZoneLevel } from '../../src/risk/markers';
import type { Measure } from '../../src/recommendations/catalogue/measure';
import { MEASURE_SECTIONS } from '../../src/recommendations/catalogue/measure';
import { MEASURES_V1 } from '../../src/recommendations/catalogue/measures-v1';
import type { RecommendationRule } from '../../src/recommendations/rules/rule';
import { RULES_V1, RULES_VERSION } from '../../src/recommendations/rules/rules-v1';
import { validateCatalogueAndRules, ValidationIssue } from '../../src/recommendations/rules/validate';

const issueCodes = (issues: ValidationIssue[]) => issues.map((i) => `${i.code}:${i.subject}`);
const withMeasure = (patch: Partial<Measure>) => [...MEASURES_V1, { ...MEASURES_V1[0], code: 'NEW_MEASURE', ...patch }];
const withRule = (patch: Partial<RecommendationRule>) => [...RULES_V1, { ...RULES_V1[0], code: 'NEW_RULE', ...patch }];

describe('v1 catalogue and rules', () => {
  it('pass the validator', () => {
    expect(validateCatalogueAndRules(MEASURES_V1, RULES_V1)).toEqual([]);
  });

  it('hold 20–35 measures over the seed sections, each backed by at least one seed quote', () => {
    expect(RULES_VERSION).toBe(1);
    expect(MEASURES_V1.length).toBeGreaterThanOrEqual(20);
    expect(MEASURES_V1.length).toBeLessThanOrEqual(35);
    expect(new Set(MEASURES_V1.map((m) => m.section))).toEqual(new Set(MEASURE_SECTIONS));
    for (const m of MEASURES_V1) expect(m.sources.every((s) => /^00[0-4]_[0-9a-f]{16}\.txt$/.test(s.seed))).toBe(true);
  });

  it('keeps the published measure codes: stored plans refer to them, so a rename must be deliberate', () => {
    expect(MEASURES_V1.map((m) => m.code).sort()).toEqual([
      'COLLEGIAL_CHECKING', 'CRITERIA_ASSESSMENT_TRAINING', 'DIFFICULT_TOPICS_METHODICAL_WORK',
      'EXTERNAL_SPECIALISTS_CHECKING', 'FLAGGED_HEADS_MEETING', 'FLAGGED_THREE_YEARS_CONSULTATIONS',
      'HEADS_ASSISTANCE_PROGRAMME', 'HEADS_EXPLANATORY_MEETINGS', 'HEAD_PERSONAL_CONTROL', 'INFORMATION_SECURITY',
      'INTERNAL_ASSESSMENT_REVIEW', 'MANAGEMENT_INTERVIEW', 'MENTORING_BY_OBJECTIVE_SCHOOL', 'MOUO_STAFF_OBSERVERS',
      'MUNICIPAL_RECHECK_RU_MATH_4_5', 'NON_OBJECTIVITY_RISK_PRACTICUMS', 'OBJECTIVITY_PROGRAMME',
      'OBSERVERS_INDEPENDENT', 'ONSITE_MEETING', 'PARENTS_CONSULTATIONS', 'PROBLEM_ZONES_TARGETED_HELP',
      'PROFESSIONAL_DEVELOPMENT_PLAN', 'RESULTS_CAUSES_ANALYSIS', 'RISK_GROUP_STUDENTS', 'SCHOOL_OBJECTIVITY_PLAN',
      'SITE_PUBLICATION', 'STUDENTS_PARENTS_OBJECTIVITY_WORK', 'STUDENTS_PSYCHOLOGICAL_SUPPORT',
      'TEACHERS_EXPLANATORY_WORK', 'TEACHERS_PERSONAL_CONTROL_ROUTE', 'TEACHER_DEFICIT_HELP_PROGRAMME',
      'VIDEO_AT_CHECKING', 'VIDEO_AT_CONDUCT', 'VPR_SCHOOL_REGULATION', 'VSOKO_REGULATION_UPDATE',
    ]);
  });

  it('uses every catalogue measure in some rule', () => {
    const used = new Set(RULES_V1.flatMap((r) => r.measures));
    expect(MEASURES_V1.filter((m) => !used.has(m.code)).map((m) => m.code)).toEqual([]);
  });
});

describe('validateCatalogueAndRules catches', () => {
  it('a duplicate measure code', () => {
    const catalogue = [...MEASURES_V1, { ...MEASURES_V1[3] }];
    expect(issueCodes(validateCatalogueAndRules(catalogue, RULES_V1))).toEqual([`DUPLICATE_MEASURE_CODE:${MEASURES_V1[3].code}`]);
  });

  it('a rule pointing at a measure that is not in the catalogue', () => {
    const rules = withRule({ measures: ['OBSERVERS_INDEPENDENT', 'OBSERVERS_INDEPENDENTT'] });
    expect(issueCodes(validateCatalogueAndRules(MEASURES_V1, rules))).toEqual(['UNKNOWN_MEASURE:NEW_RULE']);
  });

  it('a duplicate rule code and a lower-case code', () => {
    const rules = [...RULES_V1, { ...RULES_V1[1] }, { ...RULES_V1[1], code: 'lower_case' }];
    expect(issueCodes(validateCatalogueAndRules(MEASURES_V1, rules))).toEqual([
      `DUPLICATE_RULE_CODE:${RULES_V1[1].code}`,
      'INVALID_CODE:lower_case',
    ]);
  });

  it('a marker that no rule covers', () => {
    const rules = RULES_V1.map((r) => ({
      ...r,
      when: { ...r.when, anyMarkers: r.when.anyMarkers?.filter((c) => c !== MarkerCode.JOURNAL_LOWERED) },
    })).filter((r) => r.when.anyMarkers?.length !== 0);
    expect(issueCodes(validateCatalogueAndRules(MEASURES_V1, rules))).toEqual([`MARKER_NOT_COVERED:${MarkerCode.JOURNAL_LOWERED}`]);
  });

  it('an unknown marker code arriving through the API', () => {
    const rules = withRule({ when: { anyMarkers: ['HIGH_RESULT' as MarkerCode] } });
    expect(issueCodes(validateCatalogueAndRules(MEASURES_V1, rules))).toEqual(['UNKNOWN_MARKER:NEW_RULE']);
  });

  it('a rule anchored in neither a marker nor a zone, which would hand measures to clean schools', () => {
    const rules = withRule({ when: { conduct: { noObservers: true } } });
    expect(issueCodes(validateCatalogueAndRules(MEASURES_V1, rules))).toEqual(['INVALID_RULE:NEW_RULE']);
  });

  it('years in a row without a zone, a grade filter without markers, a bad priority', () => {
    const rules = [
      ...RULES_V1,
      { ...RULES_V1[0], code: 'YEARS_NO_ZONE', when: { anyMarkers: [MarkerCode.HIGH_RESULTS], minConsecutiveYears: 3 } },
      { ...RULES_V1[0], code: 'GRADES_NO_MARKERS', when: { zone: { kind: 'OBJECTIVITY' as const, atLeast: ZoneLevel.RISK }, grades: [4] } },
      { ...RULES_V1[0], code: 'PRIORITY_ZERO', priority: 0 },
    ];
    expect(issueCodes(validateCatalogueAndRules(MEASURES_V1, rules))).toEqual([
      'INVALID_RULE:YEARS_NO_ZONE',
      'INVALID_RULE:GRADES_NO_MARKERS',
      'INVALID_RULE:PRIORITY_ZERO',
    ]);
  });

  it('a fixed deadline without a date and a date that is not in the calendar', () => {
    const catalogue = [
      ...MEASURES_V1,
      { ...MEASURES_V1[0], code: 'NO_DATE', timing: { kind: 'BEFORE_DATE' as const, labelRu: 'до …' } },
      { ...MEASURES_V1[0], code: 'FEB_31', timing: { kind: 'BEFORE_DATE' as const, labelRu: 'до 31.02', month: 2, day: 31 } },
    ];
    expect(issueCodes(validateCatalogueAndRules(catalogue, RULES_V1))).toEqual(['INVALID_TIMING:NO_DATE', 'INVALID_TIMING:FEB_31']);
  });

  it('a measure with an unknown responsible body, no evidence and no source', () => {
    const catalogue = withMeasure({ responsible: ['Министерство' as 'МОУО'], evidence: [], sources: [] });
    const issues = validateCatalogueAndRules(catalogue, RULES_V1);
    expect(issueCodes(issues)).toEqual(['INVALID_MEASURE:NEW_MEASURE', 'INVALID_MEASURE:NEW_MEASURE', 'INVALID_MEASURE:NEW_MEASURE']);
    expect(issues[0].messageRu).toContain('Министерство');
  });
});
