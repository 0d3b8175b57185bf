import type { SchoolYearEvidence } from '../../../src/risk/evidence/combine';
import { assessObjectivity, type ObjectivityInput } from '../../../src/risk/evidence/objectivity-zone';
import type { SignValue } from '../../../src/risk/evidence/signs';
import { assignZones, FiredMarker, ZoneInput } from '../../../src/risk/indicators/zones';
import { MarkerCode, ZoneLevel } from '../../../src/risk/markers';
import { DEFAULT_THRESHOLDS } from '../../../src/risk/methodology/thresholds';

const T = DEFAULT_THRESHOLDS;
const m = (marker: MarkerCode, subject: string | null = 'русский язык', grade: number | null = 5, procedure: string | null = 'ВПР'): FiredMarker => ({ marker, procedure, subject, grade });
const names = (id: number) => (id === 1 ? { procedure: 'ВПР', subject: 'математика', grade: 4 } : id === 2 ? { procedure: 'ВПР', subject: 'русский язык', grade: 5 } : undefined);

const bunching = (z: number, assessmentId = 1): SignValue => ({
  sign: 'BUNCHING', schoolId: 7, year: 2025, assessmentId, effect: 0.1, variance: 0.001, z,
  detail: { participants: 40, inWindows: 20, above: 16, expected: 10.4 },
});
const journal = (z: number): SignValue => ({
  sign: 'JOURNAL', schoolId: 7, year: 2025, assessmentId: null, effect: 0.1, variance: 0.001, z,
  detail: { pupils: 160, raised: 40, lowered: 10, raisedShare: 0.25, loweredShare: 0.0625, styleRaisedShare: 0.12, otherYears: 2 },
});
const evidence = (q: number, values: SignValue[], extra: Partial<SchoolYearEvidence> = {}): SchoolYearEvidence => ({
  schoolId: 7, year: 2025, combinedZ: 3, z: 3, p: 0.001, q, seriesZ: null, seriesQ: null, seriesYears: 1, alongSeries: null,
  signs: [...new Set(values.map((v) => v.sign))].map((sign) => ({ sign, z: Math.max(...values.filter((v) => v.sign === sign).map((v) => v.z!)), values: values.filter((v) => v.sign === sign) })),
  ...extra,
});
const objectivity = (extra: Partial<ObjectivityInput>) => assessObjectivity({ year: 2025, evidence: undefined, hasResults: true, context: [], previousYears: [], names, ...extra }, T.evidence);

function zones(markers: FiredMarker[], extra: Partial<ZoneInput> = {}) {
  const o = objectivity({ evidence: evidence(0.9, [bunching(0.3)]) });
  return assignZones({ year: 2025, hasResults: true, objectivity: o.zone, objectivitySummaryRu: o.summaryRu, markers, conductConditions: [], previousYears: [], ...extra }, T);
}

describe('objectivity zone (methodology v2: combined evidence)', () => {
  it('significant combined evidence is RISK; the explanation starts with one line and names signs with subject and grade', () => {
    const o = objectivity({ evidence: evidence(0.01, [bunching(3.1), bunching(0.4, 2), journal(2.6)]) });
    expect(o.zone.level).toBe(ZoneLevel.RISK);
    expect(o.summaryRu.split('. ')[0]).toMatch(/^зона «риск»: совокупность признаков за год \(q = 0,01\) — /);
    expect(o.summaryRu).toContain('ВПР, математика, 4 класс: на границах отметок и сразу выше — 16 из 20 работ у границ, у школ с таким же результатом было бы около 10,4 (у школ без нарушений так почти не бывает)');
    expect(o.summaryRu).toContain('(так бывает лишь у 0,5% школ без нарушений)');
    expect(o.summaryRu).toContain('а в другие годы у этой школы у 12%');
    expect(o.summaryRu).not.toMatch(/[A-Z_]{6,}/); // no marker codes in what a school head reads
    // Only the signs that carry the evidence fire their markers, in the subject × grade where they were seen.
    expect(o.firing.map((v) => [v.sign, v.assessmentId])).toEqual([['BUNCHING', 1], ['JOURNAL', null]]);
    expect(o.zone.markersBySubjectGrade).toEqual([
      { subject: 'математика', grade: 4, procedures: ['ВПР'], markers: [MarkerCode.BOUNDARY_BUNCHING] },
      { subject: null, grade: null, procedures: [], markers: [MarkerCode.JOURNAL_RAISED] },
    ]);
  });

  it('WATCH between the two rates; nothing at all when the evidence is usual', () => {
    expect(objectivity({ evidence: evidence(0.15, [bunching(2.2)]) }).zone.level).toBe(ZoneLevel.WATCH);
    const none = objectivity({ evidence: evidence(0.8, [bunching(0.5)]), context: [m(MarkerCode.HIGH_RESULTS), m(MarkerCode.ABOVE_BENCHMARK)] });
    expect(none.zone.level).toBe(ZoneLevel.NONE);
    expect(none.firing).toEqual([]);
    // High results and benchmarks are context: listed, never a level.
    expect(none.summaryRu).toContain('Для сведения (не основание для зоны): высокие результаты относительно региона, выше региональных и российских ориентиров.');
  });

  it('HIGH_RISK needs the evidence to hold in the year before too; WATCH years do not count', () => {
    const strong = evidence(0.01, [bunching(3.5)]);
    const afterRisk = objectivity({ evidence: strong, previousYears: [{ year: 2024, objectivity: ZoneLevel.RISK, lowResults: ZoneLevel.NONE }] });
    expect(afterRisk.zone.level).toBe(ZoneLevel.HIGH_RISK);
    expect(afterRisk.zone.consecutiveFlaggedYears).toBe(2);
    const afterWatch = objectivity({ evidence: strong, previousYears: [{ year: 2024, objectivity: ZoneLevel.WATCH, lowResults: ZoneLevel.NONE }] });
    expect(afterWatch.zone.level).toBe(ZoneLevel.RISK);
    const gap = objectivity({ evidence: strong, previousYears: [{ year: 2023, objectivity: ZoneLevel.RISK, lowResults: ZoneLevel.NONE }] });
    expect(gap.zone.level).toBe(ZoneLevel.RISK);
  });

  it('a significant series names a year only when that year carries what the series found', () => {
    const series = { seriesZ: 3.4, seriesQ: 0.01, seriesYears: 3 };
    expect(objectivity({ evidence: evidence(0.6, [bunching(1.4)], { ...series, z: 1.4, alongSeries: 1.4 }) }).zone.level).toBe(ZoneLevel.RISK);
    expect(objectivity({ evidence: evidence(0.9, [bunching(0.2)], { ...series, z: 0.2, alongSeries: 0.2 }) }).zone.level).toBe(ZoneLevel.NONE);
    // The year's own combination is diluted by silent signs, but the sign the series rests on is there this year.
    expect(objectivity({ evidence: evidence(0.9, [bunching(1.6)], { ...series, z: 0.7, alongSeries: 1.6 }) }).zone.level).toBe(ZoneLevel.RISK);
    // A year that is high on some other sign does not borrow the series.
    expect(objectivity({ evidence: evidence(0.9, [bunching(0.1)], { ...series, z: 1.5, alongSeries: 0.1 }) }).zone.level).toBe(ZoneLevel.NONE);
    expect(objectivity({ evidence: evidence(0.6, [bunching(1.4)], { ...series, z: 1.4, alongSeries: 1.4 }) }).summaryRu).toContain('признаки повторяются из года в год (3 года');
  });

  it('a re-check that found marks lost reaches RISK on its own, with the finding first', () => {
    const recheck = { marker: m(MarkerCode.RECHECK_DISCREPANCY, 'математика', 4), explanationRu: 'Из 10 перепроверенных работ 4 потеряли отметку.' };
    const clear = objectivity({ evidence: evidence(0.9, [bunching(0.2)]), rechecks: [recheck] });
    expect(clear.zone.level).toBe(ZoneLevel.RISK);
    expect(clear.summaryRu).toMatch(/^зона «риск»: при перепроверке работы потеряли отметки — Из 10 перепроверенных работ 4 потеряли отметку\.$/);
    expect(clear.zone.markersBySubjectGrade).toEqual([{ subject: 'математика', grade: 4, procedures: ['ВПР'], markers: [MarkerCode.RECHECK_DISCREPANCY] }]);
    // Even where no sign could be measured; and a second year running is HIGH_RISK.
    expect(objectivity({ rechecks: [recheck] }).zone.level).toBe(ZoneLevel.RISK);
    const again = objectivity({ rechecks: [recheck], previousYears: [{ year: 2024, objectivity: ZoneLevel.RISK, lowResults: ZoneLevel.NONE }] });
    expect(again.zone.level).toBe(ZoneLevel.HIGH_RISK);
    // Without results there is nothing to re-check.
    expect(objectivity({ hasResults: false, rechecks: [recheck] }).zone.level).toBe(ZoneLevel.NO_DATA);
  });

  it('says what is not known: NO_DATA without results, INSUFFICIENT_DATA when no sign could be measured', () => {
    const noData = objectivity({ hasResults: false });
    expect(noData.zone.level).toBe(ZoneLevel.NO_DATA);
    expect(noData.summaryRu).toBe('нет данных: результатов за 2025 год нет.');
    const insufficient = objectivity({ hasResults: true });
    expect(insufficient.zone.level).toBe(ZoneLevel.INSUFFICIENT_DATA);
    expect(insufficient.summaryRu).toContain('сравнение с журналом — нет журнальных отметок');
    // A school-year judged on some signs lists the ones that could not be computed.
    const clear = objectivity({ evidence: evidence(0.8, [bunching(0.1)], { q: 0.8 }) }).summaryRu;
    expect(clear).toMatch(/^признаков необъективности нет \(проверено: скопление работ у границ отметок\)\. Не вычислено: сравнение с журналом/);
    // A q too small to print is never «0».
    expect(objectivity({ evidence: evidence(0.00001, [bunching(5)]) }).summaryRu).toContain('(q < 0,001)');
  });
});

describe('zones of a school-year', () => {
  it('no results: both zones NO_DATA', () => {
    const o = objectivity({ hasResults: false });
    const z = assignZones({ year: 2025, hasResults: false, objectivity: o.zone, objectivitySummaryRu: o.summaryRu, markers: [], conductConditions: [], previousYears: [] }, T);
    expect(z.objectivity.level).toBe(ZoneLevel.NO_DATA);
    expect(z.lowResults.level).toBe(ZoneLevel.NO_DATA);
    expect(z.explanationRu).toBe('Объективность: нет данных: результатов за 2025 год нет. Низкие результаты: нет данных (результатов за 2025 год нет).');
  });

  it('low results: benchmarks alone are context, not WATCH', () => {
    const z = zones([m(MarkerCode.BELOW_BENCHMARK), m(MarkerCode.GIA_BELOW_MINIMUM, 'математика', 9, 'ОГЭ')]);
    expect(z.lowResults.level).toBe(ZoneLevel.NONE);
    expect(z.explanationRu).toContain('Низкие результаты: признаков нет. Для сведения: русский язык, 5 класс — ниже региональных и российских ориентиров');
  });

  it('low results: a persistent share of «2» reaches RISK on its own; rising fails in two units too', () => {
    expect(zones([m(MarkerCode.LOW_RESULTS_PERSISTENT, null, null, null)]).lowResults.level).toBe(ZoneLevel.RISK);
    expect(zones([m(MarkerCode.FAILS_RISING)]).lowResults.level).toBe(ZoneLevel.WATCH);
    const two = zones([m(MarkerCode.FAILS_RISING, 'русский язык', 5), m(MarkerCode.FAILS_RISING, 'математика', 5)]);
    expect(two.lowResults.level).toBe(ZoneLevel.RISK);
    expect(two.lowResults.markerCount).toBe(2);
  });

  it('low results: three consecutive years at RISK escalate to HIGH_RISK; a gap year breaks the run', () => {
    const persistent = [m(MarkerCode.LOW_RESULTS_PERSISTENT, null, null, null)];
    const previousYears = [
      { year: 2024, objectivity: ZoneLevel.NONE, lowResults: ZoneLevel.RISK },
      { year: 2023, objectivity: ZoneLevel.NONE, lowResults: ZoneLevel.RISK },
    ];
    const third = zones(persistent, { previousYears });
    expect(third.lowResults.level).toBe(ZoneLevel.HIGH_RISK);
    expect(third.explanationRu).toContain('3-й год подряд в зоне риска');
    expect(zones(persistent, { previousYears: [previousYears[1]] }).lowResults.level).toBe(ZoneLevel.RISK);
  });

  it('missing observers raise priority of a flagged school, never the level', () => {
    const o = objectivity({ evidence: evidence(0.15, [bunching(2.4)]) });
    const conductConditions = [
      { procedure: 'ВПР', subject: 'математика', grade: 4, observersPresent: false, videoAtChecking: null },
      { procedure: 'ВПР', subject: 'русский язык', grade: 5, observersPresent: false, videoAtChecking: false },
    ];
    const z = assignZones({ year: 2025, hasResults: true, objectivity: o.zone, objectivitySummaryRu: o.summaryRu, markers: [], conductConditions, previousYears: [] }, T);
    expect(z.objectivity.level).toBe(ZoneLevel.WATCH);
    expect(z.priority).toBe('ELEVATED');
    expect(z.priorityReasonsRu).toEqual(['ВПР, математика, 4 класс: без независимых наблюдателей']);
    const clean = zones([], { conductConditions });
    expect(clean.priority).toBe('NORMAL');
  });
});
