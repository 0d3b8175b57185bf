import { MarkerCode, MARKER_ZONE, ZoneLevel } from '../../src/risk/markers';
import { MEASURES_V1 } from '../../src/recommendations/catalogue/measures-v1';
import { recommendMeasures, RecommendedMeasure } from '../../src/recommendations/rules/recommend';
import type { SchoolRiskProfile } from '../../src/recommendations/rules/profile';
import { RecommendationRule } from '../../src/recommendations/rules/rule';
import { ZONE_LEVEL_RANK } from '../../src/risk/markers';
import { RULES_V1 } from '../../src/recommendations/rules/rules-v1';
import { cleanProfile, lowResultsProfile, marker, objectivityProfile } from './profiles';

const recommend = (profile: SchoolRiskProfile) => recommendMeasures(profile, RULES_V1, MEASURES_V1);
const codesOf = (recs: RecommendedMeasure[]) => recs.map((r) => r.measureCode);
const find = (recs: RecommendedMeasure[], code: string) => recs.find((r) => r.measureCode === code);

/** The smallest profile meeting every condition of a rule, with `anyMarker` standing for its anyMarkers. */
function profileSatisfying(rule: RecommendationRule, anyMarker = rule.when.anyMarkers?.[0]): SchoolRiskProfile {
  const when = rule.when;
  const grade = when.grades?.[0] ?? 6;
  const codes = [...(when.allMarkers ?? []), ...(anyMarker ? [anyMarker] : [])];
  const zoneIf = (kind: 'OBJECTIVITY' | 'LOW_RESULTS') => (when.zone?.kind === kind ? when.zone.atLeast : ZoneLevel.NONE);
  const yearsIf = (kind: 'OBJECTIVITY' | 'LOW_RESULTS') => (when.zone?.kind === kind ? (when.minConsecutiveYears ?? 1) : 0);
  return cleanProfile({
    markers: codes.map((code) => marker(code, { grade })),
    objectivityZone: zoneIf('OBJECTIVITY'),
    lowResultsZone: zoneIf('LOW_RESULTS'),
    consecutiveYearsFlagged: { objectivity: yearsIf('OBJECTIVITY'), lowResults: yearsIf('LOW_RESULTS') },
    conduct: { noObservers: Boolean(when.conduct?.noObservers), noVideoAtChecking: Boolean(when.conduct?.noVideoAtChecking) },
  });
}

const firedRules = (profile: SchoolRiskProfile) => new Set(recommend(profile).flatMap((r) => r.ruleCodes));

describe('recommendMeasures: clean school', () => {
  it('gives nothing to a school with no markers and zones NONE', () => {
    expect(recommend(cleanProfile())).toEqual([]);
  });

  it('gives nothing for context alone: results above Russia\'s in a school in no objectivity zone', () => {
    expect(recommend(cleanProfile({ markers: [marker(MarkerCode.ABOVE_BENCHMARK, { grade: 4 })] }))).toEqual([]);
    expect(firedRules(objectivityProfile([marker(MarkerCode.ABOVE_BENCHMARK, { grade: 4 })])).has('UNEXPLAINED_CHANGE_ANALYSIS')).toBe(true);
  });

  it('gives nothing for conduct gaps alone: a clean school without observers is not flagged', () => {
    const profile = cleanProfile({ conduct: { noObservers: true, noVideoAtChecking: true } });
    expect(recommend(profile)).toEqual([]);
  });
});

describe('recommendMeasures: every v1 rule fires on its own conditions and not without them', () => {
  it.each(RULES_V1.map((rule) => [rule.code, rule] as const))('%s', (_code, rule) => {
    for (const anyMarker of rule.when.anyMarkers ?? [undefined]) {
      const recs = recommend(profileSatisfying(rule, anyMarker));
      for (const measureCode of rule.measures) {
        expect(find(recs, measureCode)?.ruleCodes).toContain(rule.code);
      }
    }

    const satisfied = profileSatisfying(rule);
    if (rule.when.anyMarkers || rule.when.allMarkers) {
      expect(firedRules({ ...satisfied, markers: [] }).has(rule.code)).toBe(false);
    }
    if (rule.when.zone) {
      const lower = (Object.keys(ZONE_LEVEL_RANK) as ZoneLevel[]).find((l) => ZONE_LEVEL_RANK[l] === ZONE_LEVEL_RANK[rule.when.zone!.atLeast] - 1)!;
      const zoneField = rule.when.zone.kind === 'OBJECTIVITY' ? 'objectivityZone' : 'lowResultsZone';
      expect(firedRules({ ...satisfied, [zoneField]: lower }).has(rule.code)).toBe(false);
      // Nothing is said about a school without data: no measure follows from NO_DATA or INSUFFICIENT_DATA.
      for (const unknown of [ZoneLevel.NO_DATA, ZoneLevel.INSUFFICIENT_DATA]) expect(firedRules({ ...satisfied, [zoneField]: unknown }).has(rule.code)).toBe(false);
    }
    if (rule.when.minConsecutiveYears !== undefined) {
      const years = { objectivity: rule.when.minConsecutiveYears - 1, lowResults: rule.when.minConsecutiveYears - 1 };
      expect(firedRules({ ...satisfied, consecutiveYearsFlagged: years }).has(rule.code)).toBe(false);
    }
    if (rule.when.conduct) {
      const conduct = { noObservers: false, noVideoAtChecking: false };
      expect(firedRules({ ...satisfied, conduct }).has(rule.code)).toBe(false);
    }
  });

  it.each(Object.values(MarkerCode))('a school with only %s gets measures that cite it', (code) => {
    const single = marker(code, { value: 3.14 });
    const profile = MARKER_ZONE[code] === 'OBJECTIVITY' ? objectivityProfile([single]) : lowResultsProfile([single]);
    const citing = recommend(profile).filter((r) => r.reasons.some((reason) => reason.markerCode === code));
    expect(citing.length).toBeGreaterThan(0);
  });
});

describe('recommendMeasures: the v1 mapping', () => {
  it('boundary bunching on ВПР 4 → observers, video at conduct and checking, collegial checking, municipal re-check, interview', () => {
    const codes = codesOf(recommend(objectivityProfile([marker(MarkerCode.BOUNDARY_BUNCHING, { grade: 4 })])));
    expect(codes).toEqual(
      expect.arrayContaining([
        'OBSERVERS_INDEPENDENT',
        'VIDEO_AT_CONDUCT',
        'VIDEO_AT_CHECKING',
        'COLLEGIAL_CHECKING',
        'MUNICIPAL_RECHECK_RU_MATH_4_5',
        'MANAGEMENT_INTERVIEW',
      ]),
    );
  });

  it('re-checks grades 4–5 only: high ВПР 8 not confirmed by ОГЭ gets observers but no grade 4–5 re-check', () => {
    const codes = codesOf(
      recommend(objectivityProfile([marker(MarkerCode.NOT_CONFIRMED_OGE, { procedure: 'ВПР/ОГЭ', grade: 8 })])),
    );
    expect(codes).toContain('OBSERVERS_INDEPENDENT');
    expect(codes).not.toContain('MUNICIPAL_RECHECK_RU_MATH_4_5');
    const grade7 = codesOf(recommend(objectivityProfile([marker(MarkerCode.HIGH_RESULTS, { grade: 7 })])));
    expect(grade7).not.toContain('MUNICIPAL_RECHECK_RU_MATH_4_5');
  });

  it('many «понизили» → review of ВСОКО and criterion-based assessment training, not observers', () => {
    const codes = codesOf(recommend(objectivityProfile([marker(MarkerCode.JOURNAL_LOWERED)])));
    expect(codes).toEqual(
      expect.arrayContaining(['INTERNAL_ASSESSMENT_REVIEW', 'VSOKO_REGULATION_UPDATE', 'CRITERIA_ASSESSMENT_TRAINING']),
    );
    expect(codes).not.toContain('OBSERVERS_INDEPENDENT');
    expect(codes).not.toContain('MUNICIPAL_RECHECK_RU_MATH_4_5');
  });

  it('low results → methodical help, mentoring, professional development, psychological support, parents', () => {
    const codes = codesOf(recommend(lowResultsProfile([marker(MarkerCode.GIA_BELOW_MINIMUM, { procedure: 'ЕГЭ', grade: 11 })])));
    expect(codes).toEqual(
      expect.arrayContaining([
        'PROBLEM_ZONES_TARGETED_HELP',
        'MENTORING_BY_OBJECTIVE_SCHOOL',
        'PROFESSIONAL_DEVELOPMENT_PLAN',
        'STUDENTS_PSYCHOLOGICAL_SUPPORT',
        'PARENTS_CONSULTATIONS',
      ]),
    );
    expect(codes).not.toContain('OBSERVERS_INDEPENDENT');
  });

  it('below-benchmark averages alone get methodical help but not the pupil-level support', () => {
    const codes = codesOf(recommend(lowResultsProfile([marker(MarkerCode.BELOW_BENCHMARK)])));
    expect(codes).toContain('PROBLEM_ZONES_TARGETED_HELP');
    expect(codes).not.toContain('RISK_GROUP_STUDENTS');
  });

  it('high results with bunching (two signals agree) escalate to МОУО observers; either alone does not', () => {
    const both = [marker(MarkerCode.HIGH_RESULTS), marker(MarkerCode.BOUNDARY_BUNCHING)];
    expect(codesOf(recommend(objectivityProfile(both)))).toContain('MOUO_STAFF_OBSERVERS');
    expect(codesOf(recommend(objectivityProfile([both[0]])))).not.toContain('MOUO_STAFF_OBSERVERS');
    expect(codesOf(recommend(objectivityProfile([both[1]])))).not.toContain('MOUO_STAFF_OBSERVERS');
  });

  it('a flagged school whose last ВПР had no observers gets МОУО observers', () => {
    const profile = objectivityProfile([marker(MarkerCode.SHARP_CHANGE)], { conduct: { noObservers: true, noVideoAtChecking: false } });
    const mouo = find(recommend(profile), 'MOUO_STAFF_OBSERVERS');
    expect(mouo?.ruleCodes).toEqual(['FLAGGED_WITHOUT_OBSERVERS']);
    expect(mouo?.reasonRu).toContain('ВПР проводилась без независимых наблюдателей');
  });
});

describe('recommendMeasures: three consecutive years', () => {
  const escalation = ['HEAD_PERSONAL_CONTROL', 'OBJECTIVITY_PROGRAMME'];
  const flagged = (years: number) =>
    objectivityProfile([marker(MarkerCode.BOUNDARY_BUNCHING)], { consecutiveYearsFlagged: { objectivity: years, lowResults: 0 } });

  it('two years in a row is not yet the escalation point', () => {
    const codes = codesOf(recommend(flagged(2)));
    for (const code of escalation) expect(codes).not.toContain(code);
  });

  it('three years in a row adds the head’s personal control and the objectivity programme, at priority 1', () => {
    const recs = recommend(flagged(3));
    for (const code of escalation) {
      expect(find(recs, code)?.ruleCodes).toEqual(['OBJECTIVITY_THREE_YEARS']);
      expect(find(recs, code)?.priority).toBe(1);
    }
    expect(find(recs, 'HEAD_PERSONAL_CONTROL')?.reasonRu).toContain('3 года подряд');
  });

  it('three years of low results adds the programme of help for the head', () => {
    const profile = lowResultsProfile([marker(MarkerCode.LOW_RESULTS_PERSISTENT)], {
      consecutiveYearsFlagged: { objectivity: 0, lowResults: 3 },
    });
    expect(codesOf(recommend(profile))).toContain('HEADS_ASSISTANCE_PROGRAMME');
    expect(codesOf(recommend({ ...profile, consecutiveYearsFlagged: { objectivity: 0, lowResults: 2 } }))).not.toContain(
      'HEADS_ASSISTANCE_PROGRAMME',
    );
  });
});

describe('recommendMeasures: reasons', () => {
  it('cites the triggering markers with procedure, subject, grade and value, and words them in reasonRu', () => {
    const bunching = marker(MarkerCode.BOUNDARY_BUNCHING, {
      subject: 'Математика',
      grade: 5,
      value: 2.417,
      explanationRu: 'избыток работ у границы отметки «3»',
    });
    const lowered = marker(MarkerCode.JOURNAL_LOWERED, { value: 41 });
    const recs = recommend(objectivityProfile([bunching, lowered]));

    const video = find(recs, 'VIDEO_AT_CONDUCT')!;
    expect(video.reasons).toEqual([
      {
        markerCode: MarkerCode.BOUNDARY_BUNCHING,
        procedure: 'ВПР',
        subject: 'Математика',
        grade: 5,
        value: 2.417,
        explanationRu: 'избыток работ у границы отметки «3»',
      },
    ]);
    expect(video.reasonRu).toContain('ВПР, Математика, 5 класс: избыток работ у границы отметки «3» (значение 2,42)');
    // «понизили» does not call for video: it must not be cited as a reason for it.
    expect(video.reasons.map((r) => r.markerCode)).not.toContain(MarkerCode.JOURNAL_LOWERED);
  });

  it('a zone rule cites the markers of its zone and names the zone', () => {
    const recs = recommend(objectivityProfile([marker(MarkerCode.SHARP_CHANGE)], { objectivityZone: ZoneLevel.RISK }));
    const plan = find(recs, 'SCHOOL_OBJECTIVITY_PLAN')!;
    expect(plan.reasons.map((r) => r.markerCode)).toEqual([MarkerCode.SHARP_CHANGE]);
    expect(plan.reasonRu).toContain('зона «риск»');
  });

  it('every recommended measure for a flagged school cites at least one marker', () => {
    const profile = objectivityProfile(
      [marker(MarkerCode.HIGH_RESULTS), marker(MarkerCode.JOURNAL_LOWERED)],
      { objectivityZone: ZoneLevel.HIGH_RISK, consecutiveYearsFlagged: { objectivity: 3, lowResults: 0 } },
    );
    const recs = recommend(profile);
    expect(recs.length).toBeGreaterThan(10);
    for (const rec of recs) expect(rec.reasons.length).toBeGreaterThan(0);
  });
});

describe('recommendMeasures: deduplication and order', () => {
  const profile = objectivityProfile(
    [
      marker(MarkerCode.BOUNDARY_BUNCHING, { subject: 'Русский язык' }),
      marker(MarkerCode.BOUNDARY_BUNCHING, { subject: 'Математика' }),
      marker(MarkerCode.HIGH_RESULTS),
    ],
    { conduct: { noObservers: true, noVideoAtChecking: true } },
  );
  const recs = recommend(profile);

  it('lists each measure once, merging the rules that recommend it', () => {
    expect(new Set(codesOf(recs)).size).toBe(recs.length);
    const observers = find(recs, 'OBSERVERS_INDEPENDENT')!;
    expect(observers.ruleCodes).toEqual(['INFLATED_RESULTS_CONDUCT_CONTROL', 'FLAGGED_WITHOUT_OBSERVERS']);
    const collegial = find(recs, 'COLLEGIAL_CHECKING')!;
    expect(collegial.ruleCodes).toEqual(['INFLATED_RESULTS_CONDUCT_CONTROL', 'FLAGGED_WITHOUT_VIDEO_AT_CHECKING']);
  });

  it('cites each marker once even when several rules cite it, keeping distinct subjects apart', () => {
    const observers = find(recs, 'OBSERVERS_INDEPENDENT')!;
    expect(observers.reasons.map((r) => `${r.markerCode}:${r.subject}`)).toEqual([
      'BOUNDARY_BUNCHING:Русский язык',
      'BOUNDARY_BUNCHING:Математика',
      'HIGH_RESULTS:Русский язык',
    ]);
  });

  it('takes the most urgent priority of the rules and sorts by priority, then due date', () => {
    // COLLEGIAL_CHECKING comes from a priority-1 and a priority-2 rule.
    expect(find(recs, 'COLLEGIAL_CHECKING')!.priority).toBe(1);
    const keys = recs.map((r) => `${r.priority}|${r.dueDate}|${r.measureCode}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('throws when a rule points at a measure missing from the catalogue', () => {
    const broken: RecommendationRule = { ...RULES_V1[0], measures: ['NO_SUCH_MEASURE'] };
    expect(() => recommendMeasures(profile, [broken], MEASURES_V1)).toThrow(/NO_SUCH_MEASURE/);
  });
});
