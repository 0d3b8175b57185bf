import { MARKER_ZONE, MarkerCode, ZoneKind, ZoneLevel } from '../markers';
import { RiskThresholds } from '../methodology/thresholds';
import { METHODOLOGY_VERSION } from '../methodology/version';
import { MARKER_NAME_RU } from './markerNamesRu';

/**
 * Zone assignment per school × year from the markers fired that year.
 *
 * The rule, for each zone separately (objectivity; low results — by `MARKER_ZONE`):
 * 1. Markers are grouped by subject × grade ("unit"), as the official lists count them: the
 *    "Количество маркеров" is the number of units with at least one marker. Markers without a subject
 *    or grade (e.g. LOW_RESULTS_PERSISTENT, across procedures) form one school-wide unit.
 * 2. Context markers (`contextMarkers`: deviations from benchmarks, a graduate below the ГИА minimum) are
 *    listed and on their own give WATCH, but take no part in the RISK rule below. Corroborating markers
 *    (`corroborativeMarkers`: high results, a sharp rise) take part in agreement but a unit with nothing
 *    else is not counted as a unit of its own.
 * 3. This year's level: no marker → NONE; isolated signals → WATCH; RISK when two signals agree —
 *    `agreeingIndicatorsForRisk` different non-context indicators in one unit (school-wide markers count
 *    towards every unit), with at least one of them direct evidence — or direct-evidence markers in
 *    `subjectGradesForRisk` units, or the same direct-evidence marker in the same unit in
 *    `sameSignYearsForRisk` consecutive years (a repetition on a new cohort), or any `riskOnTheirOwn` marker.
 * 4. Persistence: consecutive years at `persistenceLevel` (RISK) or above = this year plus the unbroken run
 *    of immediately preceding years at that level (a missing year breaks the run). A year at that level whose
 *    run reaches `escalationConsecutiveYears` (3, the ФИОКО escalation point) becomes HIGH_RISK.
 * 5. Conduct conditions (no independent observers, no video at checking) for a unit with an objectivity
 *    marker raise `priority` to ELEVATED — who is looked at first — but never the level: an absent
 *    observer is not evidence of anything, and a school with no markers stays NONE whatever its conditions.
 */

export interface FiredMarker {
  marker: MarkerCode;
  /** 'ВПР', 'ОГЭ', …; null for markers across procedures. */
  procedure: string | null;
  subject: string | null;
  grade: number | null;
}

/** How one procedure was conducted and checked in the school this year; null = not known. */
export interface ConductConditions {
  procedure: string;
  subject: string;
  grade: number;
  observersPresent: boolean | null;
  videoAtChecking: boolean | null;
}

export interface PreviousYearZones {
  year: number;
  objectivity: ZoneLevel;
  lowResults: ZoneLevel;
  /** Markers fired that year (for the repeated-sign rule); omitted = not known, the rule then does not apply. */
  markers?: FiredMarker[];
}

export interface ZoneInput {
  year: number;
  markers: FiredMarker[];
  conductConditions: ConductConditions[];
  /** Zones assigned in earlier years (any order; years not listed count as not flagged). */
  previousYears: PreviousYearZones[];
}

export interface SubjectGradeMarkers {
  /** Null for the school-wide unit. */
  subject: string | null;
  grade: number | null;
  procedures: string[];
  markers: MarkerCode[];
}

export interface ZoneAssessment {
  zone: ZoneKind;
  level: ZoneLevel;
  /** Units (subject × grade) with at least one marker — "Количество маркеров". */
  markerCount: number;
  markersBySubjectGrade: SubjectGradeMarkers[];
  distinctMarkers: MarkerCode[];
  /** True when two or more indicators agree within one unit. */
  signalsAgree: boolean;
  /** Consecutive years (this one included) at `zones.persistenceLevel` or above; 0 when this year is below it. */
  consecutiveFlaggedYears: number;
  reasonsRu: string[];
}

export type ReviewPriority = 'NORMAL' | 'ELEVATED';

export interface SchoolZones {
  year: number;
  objectivity: ZoneAssessment;
  lowResults: ZoneAssessment;
  /** Objectivity review priority from conduct conditions; never changes a level. */
  priority: ReviewPriority;
  priorityReasonsRu: string[];
  explanationRu: string;
  methodologyVersion: number;
}

const LEVEL_RU: Record<ZoneLevel, string> = {
  [ZoneLevel.NONE]: 'нет',
  [ZoneLevel.WATCH]: 'наблюдение',
  [ZoneLevel.RISK]: 'риск',
  [ZoneLevel.HIGH_RISK]: 'высокий риск',
};

export function assignZones(input: ZoneInput, thresholds: RiskThresholds): SchoolZones {
  const objectivity = assessZone('OBJECTIVITY', input, thresholds);
  const lowResults = assessZone('LOW_RESULTS', input, thresholds);
  const priorityReasonsRu = objectivity.level === ZoneLevel.NONE ? [] : conductConcerns(objectivity, input.conductConditions);
  const priority: ReviewPriority = priorityReasonsRu.length > 0 ? 'ELEVATED' : 'NORMAL';
  const explanationRu = [
    `Объективность: ${summaryRu(objectivity)}`,
    `Низкие результаты: ${summaryRu(lowResults)}`,
    ...(priority === 'ELEVATED'
      ? [`Приоритет проверки повышен (${priorityReasonsRu.join('; ')}) — условия проведения не доказывают необъективность, но такую школу смотрят первой.`]
      : []),
  ].join(' ');
  return { year: input.year, objectivity, lowResults, priority, priorityReasonsRu, explanationRu, methodologyVersion: METHODOLOGY_VERSION };
}

function assessZone(zone: ZoneKind, input: ZoneInput, thresholds: RiskThresholds): ZoneAssessment {
  const t = thresholds.zones;
  const markers = input.markers.filter((m) => MARKER_ZONE[m.marker] === zone);
  const units = groupBySubjectGrade(markers);
  const distinctMarkers = unique(markers.map((m) => m.marker));
  // The RISK rule sees only the markers that are evidence, not context.
  const evidenceUnits = groupBySubjectGrade(markers.filter((m) => !t.contextMarkers.includes(m.marker)));
  const schoolWide = evidenceUnits.find((u) => u.subject === null || u.grade === null);
  // Agreement within a unit (school-wide markers agree with every unit), with at least one marker that is
  // direct evidence: two corroborating markers (high and risen) describe one fact.
  const agreementIn = evidenceUnits.filter((u) => {
    const together = unique([...u.markers, ...(schoolWide && schoolWide !== u ? schoolWide.markers : [])]);
    return together.length >= t.agreeingIndicatorsForRisk && together.some((m) => !t.corroborativeMarkers.includes(m));
  });
  const signalsAgree = agreementIn.length > 0;
  // Units that count on their own: with a marker that is direct evidence, not only corroborating ones.
  const isDirect = (m: MarkerCode) => !t.corroborativeMarkers.includes(m) && !t.contextMarkers.includes(m);
  const directUnits = evidenceUnits.filter((u) => u.markers.some(isDirect));
  const repeated = repeatedSigns(zone, input, evidenceUnits, isDirect, t.sameSignYearsForRisk);
  const onTheirOwn = distinctMarkers.filter((m) => t.riskOnTheirOwn.includes(m));
  const reasonsRu: string[] = [];

  let level = ZoneLevel.NONE;
  if (markers.length > 0) {
    level = ZoneLevel.WATCH;
    if (signalsAgree) reasonsRu.push(`совпали ${t.agreeingIndicatorsForRisk} и более индикатора: ${agreementIn.map(unitRu).join('; ')}`);
    if (directUnits.length >= t.subjectGradesForRisk) reasonsRu.push(`маркеры по ${directUnits.length} предметам/классам`);
    if (repeated.length > 0) {
      reasonsRu.push(`тот же признак ${t.sameSignYearsForRisk}-й год подряд: ${repeated.map((r) => `${unitRu({ ...r.unit, markers: [r.marker] })}`).join('; ')}`);
    }
    if (onTheirOwn.length > 0) reasonsRu.push(`${onTheirOwn.map((m) => MARKER_NAME_RU[m]).join(', ')}`);
    if (reasonsRu.length > 0) level = ZoneLevel.RISK;
  }
  const counts = rank(level) >= rank(t.persistenceLevel);
  const consecutiveFlaggedYears = counts ? 1 + previousRun(zone, input, t.persistenceLevel) : 0;
  if (counts && consecutiveFlaggedYears >= t.escalationConsecutiveYears) {
    level = ZoneLevel.HIGH_RISK;
    reasonsRu.push(`${consecutiveFlaggedYears}-й год подряд в зоне${t.persistenceLevel === ZoneLevel.RISK ? ' риска' : ''}`);
  }
  return { zone, level, markerCount: units.length, markersBySubjectGrade: units, distinctMarkers, signalsAgree, consecutiveFlaggedYears, reasonsRu };
}

const LEVEL_RANK: Record<ZoneLevel, number> = { [ZoneLevel.NONE]: 0, [ZoneLevel.WATCH]: 1, [ZoneLevel.RISK]: 2, [ZoneLevel.HIGH_RISK]: 3 };
const rank = (level: ZoneLevel) => LEVEL_RANK[level];

function groupBySubjectGrade(markers: readonly FiredMarker[]): SubjectGradeMarkers[] {
  const units = new Map<string, SubjectGradeMarkers>();
  for (const m of markers) {
    const wide = m.subject === null || m.grade === null;
    const key = wide ? '*' : `${m.subject}|${m.grade}`;
    const unit = units.get(key) ?? { subject: wide ? null : m.subject, grade: wide ? null : m.grade, procedures: [], markers: [] };
    if (m.procedure !== null && !unit.procedures.includes(m.procedure)) unit.procedures.push(m.procedure);
    if (!unit.markers.includes(m.marker)) unit.markers.push(m.marker);
    units.set(key, unit);
  }
  return [...units.values()];
}

/**
 * Direct-evidence markers of this year that fired in the same subject × grade in each of the `years − 1`
 * immediately preceding years (a new cohort and new works each year: an independent repetition).
 */
function repeatedSigns(
  zone: ZoneKind,
  input: ZoneInput,
  units: readonly SubjectGradeMarkers[],
  isDirect: (m: MarkerCode) => boolean,
  years: number,
): { unit: SubjectGradeMarkers; marker: MarkerCode }[] {
  if (years < 2) return [];
  const byYear = new Map(input.previousYears.map((p) => [p.year, p.markers]));
  const out: { unit: SubjectGradeMarkers; marker: MarkerCode }[] = [];
  for (const unit of units) {
    if (unit.subject === null || unit.grade === null) continue;
    for (const marker of unit.markers) {
      if (!isDirect(marker) || MARKER_ZONE[marker] !== zone) continue;
      let run = 1;
      for (let year = input.year - 1; run < years; year--, run++) {
        const earlier = byYear.get(year);
        if (!earlier || !earlier.some((m) => m.marker === marker && m.subject === unit.subject && m.grade === unit.grade)) break;
      }
      if (run >= years) out.push({ unit, marker });
    }
  }
  return out;
}

/** Unbroken run of years at `minimum` or above immediately before `input.year`. */
function previousRun(zone: ZoneKind, input: ZoneInput, minimum: ZoneLevel): number {
  const byYear = new Map(input.previousYears.map((p) => [p.year, zone === 'OBJECTIVITY' ? p.objectivity : p.lowResults]));
  let run = 0;
  for (let year = input.year - 1; byYear.has(year) && rank(byYear.get(year)!) >= rank(minimum); year--) run++;
  return run;
}

function conductConcerns(objectivity: ZoneAssessment, conditions: readonly ConductConditions[]): string[] {
  const concerns: string[] = [];
  for (const unit of objectivity.markersBySubjectGrade) {
    for (const c of conditions) {
      if (c.subject !== unit.subject || c.grade !== unit.grade) continue;
      if (unit.procedures.length > 0 && !unit.procedures.includes(c.procedure)) continue;
      const where = `${c.procedure}, ${c.subject}, ${c.grade} класс`;
      if (c.observersPresent === false) concerns.push(`${where}: без независимых наблюдателей`);
      if (c.videoAtChecking === false) concerns.push(`${where}: проверка без видеозаписи`);
    }
  }
  return concerns;
}

function unitRu(unit: SubjectGradeMarkers): string {
  const where = unit.subject === null ? 'по школе в целом' : `${unit.subject}, ${unit.grade} класс`;
  return `${where} — ${unit.markers.map((m) => MARKER_NAME_RU[m]).join(', ')}`;
}

function summaryRu(z: ZoneAssessment): string {
  if (z.level === ZoneLevel.NONE) return 'маркеров нет.';
  const units = z.markersBySubjectGrade.map(unitRu).join('; ');
  const reasons = z.reasonsRu.length > 0 ? `; основания: ${z.reasonsRu.join('; ')}` : '; одиночный сигнал';
  const run = z.level !== ZoneLevel.HIGH_RISK && z.consecutiveFlaggedYears >= 2 ? `; ${z.consecutiveFlaggedYears}-й год подряд` : '';
  return `зона «${LEVEL_RU[z.level]}», количество маркеров ${z.markerCount} (${units})${reasons}${run}.`;
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
