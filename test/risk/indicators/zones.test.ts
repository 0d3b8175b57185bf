import { assignZones, FiredMarker, ZoneInput } from '../../../src/risk/indicators/zones';
import { MarkerCode, ZoneLevel } from '../../../src/risk/markers';
import { DEFAULT_THRESHOLDS_V1 } from '../../../src/risk/methodology/thresholds';

const T = DEFAULT_THRESHOLDS_V1;
const m = (marker: MarkerCode, subject: string | null = 'русский язык', grade: number | null = 5, procedure: string | null = 'ВПР'): FiredMarker => ({ marker, procedure, subject, grade });
const base = (markers: FiredMarker[], extra: Partial<ZoneInput> = {}): ZoneInput => ({ year: 2025, markers, conductConditions: [], previousYears: [], ...extra });

describe('zone assignment', () => {
  it('no markers: no zone, whatever the conduct conditions', () => {
    const zones = assignZones(
      base([], { conductConditions: [{ procedure: 'ВПР', subject: 'русский язык', grade: 5, observersPresent: false, videoAtChecking: false }] }),
      T,
    );
    expect(zones.objectivity.level).toBe(ZoneLevel.NONE);
    expect(zones.lowResults.level).toBe(ZoneLevel.NONE);
    expect(zones.priority).toBe('NORMAL');
    expect(zones.explanationRu).toBe('Объективность: маркеров нет. Низкие результаты: маркеров нет.');
  });

  it('one isolated signal: WATCH, one marker', () => {
    const zones = assignZones(base([m(MarkerCode.BOUNDARY_BUNCHING)]), T);
    expect(zones.objectivity.level).toBe(ZoneLevel.WATCH);
    expect(zones.objectivity.markerCount).toBe(1);
    expect(zones.objectivity.signalsAgree).toBe(false);
    expect(zones.lowResults.level).toBe(ZoneLevel.NONE);
    expect(zones.explanationRu).toContain('зона «наблюдение», количество маркеров 1 (русский язык, 5 класс — пики на границах отметок); одиночный сигнал');
  });

  it('two indicators agreeing in one subject × grade escalate to RISK', () => {
    const zones = assignZones(base([m(MarkerCode.BOUNDARY_BUNCHING), m(MarkerCode.JOURNAL_RAISED)]), T);
    expect(zones.objectivity.level).toBe(ZoneLevel.RISK);
    expect(zones.objectivity.signalsAgree).toBe(true);
    // One subject × grade → one marker in the official count, however many indicators fired there.
    expect(zones.objectivity.markerCount).toBe(1);
    expect(zones.objectivity.distinctMarkers).toEqual([MarkerCode.BOUNDARY_BUNCHING, MarkerCode.JOURNAL_RAISED]);
  });

  it('direct-evidence markers in two subject × grade units reach RISK and count as 2', () => {
    const zones = assignZones(base([m(MarkerCode.JOURNAL_RAISED, 'русский язык', 6), m(MarkerCode.JOURNAL_RAISED, 'математика', 6)]), T);
    expect(zones.objectivity.level).toBe(ZoneLevel.RISK);
    expect(zones.objectivity.markerCount).toBe(2);
    expect(zones.objectivity.signalsAgree).toBe(false);
  });

  it('corroborating markers (high results, a sharp rise) need a direct sign beside them', () => {
    // A strong school is strong in both subjects: one fact, not two signals.
    const strong = assignZones(base([m(MarkerCode.HIGH_RESULTS, 'русский язык', 4), m(MarkerCode.HIGH_RESULTS, 'математика', 4)]), T);
    expect(strong.objectivity.level).toBe(ZoneLevel.WATCH);
    expect(strong.objectivity.markerCount).toBe(2);
    // High and risen describe the same level: still no direct sign.
    expect(assignZones(base([m(MarkerCode.HIGH_RESULTS, 'русский язык', 8), m(MarkerCode.SHARP_CHANGE, 'русский язык', 8)]), T).objectivity.level).toBe(ZoneLevel.WATCH);
    // Criterion A: high results not confirmed by the ОГЭ.
    const notConfirmed = assignZones(base([m(MarkerCode.HIGH_RESULTS, 'русский язык', 8), m(MarkerCode.NOT_CONFIRMED_OGE, 'русский язык', 8)]), T);
    expect(notConfirmed.objectivity.level).toBe(ZoneLevel.RISK);
    expect(notConfirmed.objectivity.signalsAgree).toBe(true);
  });

  it('context markers (benchmarks, a graduate below the ГИА minimum) are shown but never make RISK', () => {
    const selective = assignZones(base([4, 5, 6, 7, 8].flatMap((grade) => [m(MarkerCode.ABOVE_BENCHMARK, 'русский язык', grade), m(MarkerCode.ABOVE_BENCHMARK, 'математика', grade)])), T);
    expect(selective.objectivity.level).toBe(ZoneLevel.WATCH);
    expect(selective.objectivity.markerCount).toBe(10);
    const weak = assignZones(
      base([m(MarkerCode.BELOW_BENCHMARK, 'русский язык', 5), m(MarkerCode.BELOW_BENCHMARK, 'математика', 7), m(MarkerCode.GIA_BELOW_MINIMUM, null, null, null), m(MarkerCode.FAILS_RISING, null, null, null)]),
      T,
    );
    expect(weak.lowResults.level).toBe(ZoneLevel.WATCH);
    expect(weak.lowResults.distinctMarkers).toContain(MarkerCode.GIA_BELOW_MINIMUM);
    // …while the persistent-low-results marker still makes RISK on its own.
    expect(assignZones(base([m(MarkerCode.GIA_BELOW_MINIMUM, null, null, null), m(MarkerCode.LOW_RESULTS_PERSISTENT, null, null, null)]), T).lowResults.level).toBe(ZoneLevel.RISK);
  });

  it('the same direct sign in the same subject × grade two years running reaches RISK', () => {
    const lastYear = { year: 2024, objectivity: ZoneLevel.WATCH, lowResults: ZoneLevel.NONE, markers: [m(MarkerCode.BOUNDARY_BUNCHING, 'математика', 5)] };
    const repeated = assignZones(base([m(MarkerCode.BOUNDARY_BUNCHING, 'математика', 5)], { previousYears: [lastYear] }), T);
    expect(repeated.objectivity.level).toBe(ZoneLevel.RISK);
    expect(repeated.objectivity.reasonsRu.join(' ')).toContain('тот же признак 2-й год подряд: математика, 5 класс — пики на границах отметок');
    // Another subject, or a corroborating marker, or a year without the markers known: not a repetition.
    expect(assignZones(base([m(MarkerCode.BOUNDARY_BUNCHING, 'русский язык', 5)], { previousYears: [lastYear] }), T).objectivity.level).toBe(ZoneLevel.WATCH);
    const highTwice = { ...lastYear, markers: [m(MarkerCode.HIGH_RESULTS, 'математика', 5)] };
    expect(assignZones(base([m(MarkerCode.HIGH_RESULTS, 'математика', 5)], { previousYears: [highTwice] }), T).objectivity.level).toBe(ZoneLevel.WATCH);
    const unknown = { year: 2024, objectivity: ZoneLevel.WATCH, lowResults: ZoneLevel.NONE };
    expect(assignZones(base([m(MarkerCode.BOUNDARY_BUNCHING, 'математика', 5)], { previousYears: [unknown] }), T).objectivity.level).toBe(ZoneLevel.WATCH);
    const off = { ...T, zones: { ...T.zones, sameSignYearsForRisk: 0 } };
    expect(assignZones(base([m(MarkerCode.BOUNDARY_BUNCHING, 'математика', 5)], { previousYears: [lastYear] }), off).objectivity.level).toBe(ZoneLevel.WATCH);
  });

  it('sorts markers into the two zones', () => {
    const zones = assignZones(base([m(MarkerCode.FAILS_RISING, 'математика', 6), m(MarkerCode.HIGH_RESULTS, 'русский язык', 4)]), T);
    expect(zones.objectivity.distinctMarkers).toEqual([MarkerCode.HIGH_RESULTS]);
    expect(zones.lowResults.distinctMarkers).toEqual([MarkerCode.FAILS_RISING]);
    expect(zones.lowResults.level).toBe(ZoneLevel.WATCH);
  });

  it('LOW_RESULTS_PERSISTENT reaches RISK on its own and agrees with every unit', () => {
    const alone = assignZones(base([m(MarkerCode.LOW_RESULTS_PERSISTENT, null, null, null)]), T);
    expect(alone.lowResults.level).toBe(ZoneLevel.RISK);
    expect(alone.lowResults.markersBySubjectGrade[0]).toMatchObject({ subject: null, grade: null });
    expect(alone.explanationRu).toContain('по школе в целом');
  });

  it('three consecutive years at RISK escalate to HIGH_RISK; a gap year breaks the run', () => {
    const agreeing = [m(MarkerCode.BOUNDARY_BUNCHING), m(MarkerCode.JOURNAL_RAISED)];
    const previousYears = [
      { year: 2024, objectivity: ZoneLevel.RISK, lowResults: ZoneLevel.NONE },
      { year: 2023, objectivity: ZoneLevel.HIGH_RISK, lowResults: ZoneLevel.NONE },
    ];
    const third = assignZones(base(agreeing, { previousYears }), T);
    expect(third.objectivity.consecutiveFlaggedYears).toBe(3);
    expect(third.objectivity.level).toBe(ZoneLevel.HIGH_RISK);
    expect(third.explanationRu).toContain('3-й год подряд в зоне риска');

    const gap = assignZones(base(agreeing, { previousYears: [previousYears[1], { year: 2022, objectivity: ZoneLevel.RISK, lowResults: ZoneLevel.NONE }] }), T);
    expect(gap.objectivity.consecutiveFlaggedYears).toBe(1);
    expect(gap.objectivity.level).toBe(ZoneLevel.RISK);

    const second = assignZones(base(agreeing, { previousYears: [previousYears[0]] }), T);
    expect(second.objectivity.level).toBe(ZoneLevel.RISK);
    expect(second.explanationRu).toContain('2-й год подряд');
    // Low-results history is separate.
    expect(third.lowResults.consecutiveFlaggedYears).toBe(0);
  });

  it('years of mere WATCH do not count towards persistence (unless configured)', () => {
    const watching = [
      { year: 2024, objectivity: ZoneLevel.WATCH, lowResults: ZoneLevel.NONE },
      { year: 2023, objectivity: ZoneLevel.WATCH, lowResults: ZoneLevel.NONE },
    ];
    const isolated = assignZones(base([m(MarkerCode.BOUNDARY_BUNCHING)], { previousYears: watching }), T);
    expect(isolated.objectivity.level).toBe(ZoneLevel.WATCH);
    expect(isolated.objectivity.consecutiveFlaggedYears).toBe(0);
    // RISK this year after two WATCH years is a first year at RISK.
    const nowRisk = assignZones(base([m(MarkerCode.BOUNDARY_BUNCHING), m(MarkerCode.JOURNAL_RAISED)], { previousYears: watching }), T);
    expect(nowRisk.objectivity.level).toBe(ZoneLevel.RISK);
    expect(nowRisk.objectivity.consecutiveFlaggedYears).toBe(1);
    const loose = { ...T, zones: { ...T.zones, persistenceLevel: ZoneLevel.WATCH as const } };
    const old = assignZones(base([m(MarkerCode.BOUNDARY_BUNCHING)], { previousYears: watching }), loose);
    expect(old.objectivity.level).toBe(ZoneLevel.HIGH_RISK);
    expect(old.explanationRu).toContain('3-й год подряд в зоне');
  });

  it('missing observers raise priority, never the level', () => {
    const markers = [m(MarkerCode.BOUNDARY_BUNCHING)];
    const conductConditions = [
      { procedure: 'ВПР', subject: 'русский язык', grade: 5, observersPresent: false, videoAtChecking: null },
      { procedure: 'ВПР', subject: 'математика', grade: 5, observersPresent: false, videoAtChecking: false },
    ];
    const withConditions = assignZones(base(markers, { conductConditions }), T);
    const without = assignZones(base(markers), T);
    expect(withConditions.objectivity.level).toBe(without.objectivity.level);
    expect(withConditions.priority).toBe('ELEVATED');
    expect(without.priority).toBe('NORMAL');
    // Only the flagged subject × grade counts.
    expect(withConditions.priorityReasonsRu).toEqual(['ВПР, русский язык, 5 класс: без независимых наблюдателей']);
    expect(withConditions.explanationRu).toContain('не доказывают необъективность');
  });

  it('respects configured thresholds', () => {
    const markers = [m(MarkerCode.BOUNDARY_BUNCHING), m(MarkerCode.JOURNAL_RAISED)];
    const stricter = { ...T, zones: { ...T.zones, agreeingIndicatorsForRisk: 3 } };
    expect(assignZones(base(markers), stricter).objectivity.level).toBe(ZoneLevel.WATCH);
  });
});
