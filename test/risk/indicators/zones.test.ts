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

  it('markers in two subject × grade units reach RISK and count as 2', () => {
    const zones = assignZones(base([m(MarkerCode.HIGH_RESULTS, 'русский язык', 4), m(MarkerCode.HIGH_RESULTS, 'математика', 4)]), T);
    expect(zones.objectivity.level).toBe(ZoneLevel.RISK);
    expect(zones.objectivity.markerCount).toBe(2);
    expect(zones.objectivity.signalsAgree).toBe(false);
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

  it('three consecutive flagged years escalate to HIGH_RISK; a gap year breaks the run', () => {
    const previousYears = [
      { year: 2024, objectivity: ZoneLevel.WATCH, lowResults: ZoneLevel.NONE },
      { year: 2023, objectivity: ZoneLevel.RISK, lowResults: ZoneLevel.NONE },
    ];
    const third = assignZones(base([m(MarkerCode.BOUNDARY_BUNCHING)], { previousYears }), T);
    expect(third.objectivity.consecutiveFlaggedYears).toBe(3);
    expect(third.objectivity.level).toBe(ZoneLevel.HIGH_RISK);
    expect(third.explanationRu).toContain('3-й год подряд в зоне');

    const gap = assignZones(base([m(MarkerCode.BOUNDARY_BUNCHING)], { previousYears: [previousYears[1], { year: 2022, objectivity: ZoneLevel.RISK, lowResults: ZoneLevel.NONE }] }), T);
    expect(gap.objectivity.consecutiveFlaggedYears).toBe(1);
    expect(gap.objectivity.level).toBe(ZoneLevel.WATCH);

    const second = assignZones(base([m(MarkerCode.BOUNDARY_BUNCHING)], { previousYears: [previousYears[0]] }), T);
    expect(second.objectivity.level).toBe(ZoneLevel.WATCH);
    expect(second.explanationRu).toContain('2-й год подряд');
    // Low-results history is separate.
    expect(third.lowResults.consecutiveFlaggedYears).toBe(0);
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
