import { MARKER_ZONE, MarkerCode, ZONE_LEVEL_RANK, ZONE_LEVEL_RU, ZoneKind, ZoneLevel } from '../markers';
import { RiskThresholds } from '../methodology/thresholds';
import { METHODOLOGY_VERSION } from '../methodology/version';
import { MARKER_NAME_RU } from './marker-names-ru';

/**
 * Zones per school × year (methodology v2). The objectivity zone is decided on combined evidence
 * (src/risk/evidence/objectivity-zone.ts) and arrives here ready; this module assembles it with the low-results
 * zone and the review priority, and writes the explanation.
 *
 * The low-results zone keeps v1's rule (by `MARKER_ZONE`):
 * 1. Markers are grouped by subject × grade ("unit"), as the official lists count them: the
 *    "Количество маркеров" is the number of units with at least one marker. Markers without a subject
 *    or grade (e.g. LOW_RESULTS_PERSISTENT, across procedures) form one school-wide unit.
 * 2. Context markers (`contextMarkers`: below the benchmarks, a graduate below the ГИА minimum) are listed
 *    but give no level on their own (v2: a school is not watched for being below the region's average).
 * 3. This year's level: no evidence marker → NONE; isolated signals → WATCH; RISK when two different
 *    indicators agree in one unit, or markers in `subjectGradesForRisk` units, or the same marker in the same
 *    unit in `sameSignYearsForRisk` consecutive years, or any `riskOnTheirOwn` marker.
 * 4. Persistence: a year at `persistenceLevel` or above whose unbroken run of such years reaches
 *    `escalationConsecutiveYears` becomes HIGH_RISK.
 * 5. Conduct conditions (no independent observers, no video at checking) for a unit with an objectivity
 *    marker raise `priority` to ELEVATED — who is looked at first — but never the level.
 * A school-year without results is NO_DATA in both zones.
 */

export interface FiredMarker {
  marker: MarkerCode;
  /** 'ВПР', 'ОГЭ', …; null for markers across procedures. */
  procedure: string | null;
  subject: string | null;
  grade: number | null;
}

/** How one procedure was conducted and checked in the school this year; null = not known. */
interface ConductConditions {
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
  /** The school has results this year; without them both zones are NO_DATA. */
  hasResults: boolean;
  /** The objectivity zone, decided on combined evidence. */
  objectivity: ZoneAssessment;
  /** Its one-paragraph explanation (starting with the one-line summary). */
  objectivitySummaryRu: string;
  /** Low-results markers fired this year. */
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

type ReviewPriority = 'NORMAL' | 'ELEVATED';

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

export function assignZones(input: ZoneInput, thresholds: RiskThresholds): SchoolZones {
  const objectivity = input.objectivity;
  const lowResults = input.hasResults ? assessLowResults(input, thresholds) : noData(input.year);
  const priorityReasonsRu = rank(objectivity.level) >= rank(ZoneLevel.WATCH) ? conductConcerns(objectivity, input.conductConditions) : [];
  const priority: ReviewPriority = priorityReasonsRu.length > 0 ? 'ELEVATED' : 'NORMAL';
  const explanationRu = [
    `Объективность: ${input.objectivitySummaryRu}`,
    `Низкие результаты: ${summaryRu(lowResults)}`,
    ...(priority === 'ELEVATED'
      ? [`Приоритет проверки повышен (${priorityReasonsRu.join('; ')}) — условия проведения не доказывают необъективность, но такую школу смотрят первой.`]
      : []),
  ].join(' ');
  return { year: input.year, objectivity, lowResults, priority, priorityReasonsRu, explanationRu, methodologyVersion: METHODOLOGY_VERSION };
}

function noData(year: number): ZoneAssessment {
  return {
    zone: 'LOW_RESULTS', level: ZoneLevel.NO_DATA, markerCount: 0, markersBySubjectGrade: [], distinctMarkers: [], signalsAgree: false, consecutiveFlaggedYears: 0,
    reasonsRu: [`результатов за ${year} год нет`],
  };
}

function assessLowResults(input: ZoneInput, thresholds: RiskThresholds): ZoneAssessment {
  const zone: ZoneKind = 'LOW_RESULTS';
  const t = thresholds.zones;
  const markers = input.markers.filter((m) => MARKER_ZONE[m.marker] === zone);
  const units = groupBySubjectGrade(markers);
  const distinctMarkers = unique(markers.map((m) => m.marker));
  // The rule sees only the markers that are evidence, not context.
  const evidence = markers.filter((m) => !t.contextMarkers.includes(m.marker));
  const evidenceUnits = groupBySubjectGrade(evidence);
  const schoolWide = evidenceUnits.find((u) => u.subject === null || u.grade === null);
  const agreementIn = evidenceUnits.filter((u) => {
    const together = unique([...u.markers, ...(schoolWide && schoolWide !== u ? schoolWide.markers : [])]);
    return together.length >= t.agreeingIndicatorsForRisk && together.some((m) => !t.corroborativeMarkers.includes(m));
  });
  const signalsAgree = agreementIn.length > 0;
  const isDirect = (m: MarkerCode) => !t.corroborativeMarkers.includes(m) && !t.contextMarkers.includes(m);
  const directUnits = evidenceUnits.filter((u) => u.markers.some(isDirect));
  const repeated = repeatedSigns(zone, input, evidenceUnits, isDirect, t.sameSignYearsForRisk);
  const onTheirOwn = distinctMarkers.filter((m) => t.riskOnTheirOwn.includes(m));
  const reasonsRu: string[] = [];

  let level = ZoneLevel.NONE;
  if (evidence.length > 0) {
    level = ZoneLevel.WATCH;
    if (signalsAgree) reasonsRu.push(`совпали ${t.agreeingIndicatorsForRisk} и более индикатора: ${agreementIn.map(unitRu).join('; ')}`);
    if (directUnits.length >= t.subjectGradesForRisk) reasonsRu.push(`признаки по ${directUnits.length} предметам/классам`);
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
  return { zone, level, markerCount: groupBySubjectGrade(evidence).length, markersBySubjectGrade: units, distinctMarkers, signalsAgree, consecutiveFlaggedYears, reasonsRu };
}

const rank = (level: ZoneLevel) => ZONE_LEVEL_RANK[level];

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

/** One line first (the level and why), then the signs with subject and grade. */
function summaryRu(z: ZoneAssessment): string {
  if (z.level === ZoneLevel.NO_DATA) return `нет данных (${z.reasonsRu.join('; ')}).`;
  const context = z.markersBySubjectGrade.length > 0 && z.level === ZoneLevel.NONE ? ` Для сведения: ${z.markersBySubjectGrade.map(unitRu).join('; ')}.` : '';
  if (z.level === ZoneLevel.NONE) return `признаков нет.${context}`;
  const why = z.reasonsRu.length > 0 ? z.reasonsRu.join('; ') : 'одиночный признак, не подтверждённый другими';
  const run = z.level !== ZoneLevel.HIGH_RISK && z.consecutiveFlaggedYears >= 2 ? ` (${z.consecutiveFlaggedYears}-й год подряд)` : '';
  return `зона «${ZONE_LEVEL_RU[z.level]}»${run}: ${why}. Признаки: ${z.markersBySubjectGrade.map(unitRu).join('; ')}.`;
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
