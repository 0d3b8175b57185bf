import { MarkerCode, ZONE_LEVEL_RANK, ZONE_LEVEL_RU, ZoneLevel } from '../markers';
import type { EvidenceThresholds } from '../methodology/thresholds';
import { formatNumberRu, formatPercentRu, formatPointsRu, pluralRu, worksCountRu } from '../indicators/format-ru';
import { MARKER_NAME_RU } from '../indicators/marker-names-ru';
import type { FiredMarker, PreviousYearZones, SubjectGradeMarkers, ZoneAssessment } from '../indicators/zones';
import type { SchoolYearEvidence } from './combine';
import { OBJECTIVITY_SIGNS, type SignCode, type SignValue } from './signs';
import { pOfZ } from '../stats/combine-evidence';

/** Where a sign was measured, as the analyst names it. */
export interface AssessmentNames {
  procedure: string;
  subject: string;
  grade: number;
}

export interface ObjectivityInput {
  year: number;
  /** The school-year's combined evidence; absent when not one sign could be measured. */
  evidence: SchoolYearEvidence | undefined;
  /** The school has results this year at all. */
  hasResults: boolean;
  /** Context findings of this year (high results, above the benchmarks): listed, never a reason for a level. */
  context: FiredMarker[];
  /**
   * Re-checks of this year's works that found marks lost (RECHECK_DISCREPANCY flagged), with their explanation: an
   * expert re-check is the most direct evidence there is, so it reaches RISK on its own.
   */
  rechecks?: { marker: FiredMarker; explanationRu: string }[];
  previousYears: PreviousYearZones[];
  names: (assessmentId: number) => AssessmentNames | undefined;
}

/** Numbers kept with the zone: what the level was decided on. */
interface EvidenceSummary extends Pick<SchoolYearEvidence, 'combinedZ' | 'z' | 'p' | 'q' | 'seriesZ' | 'seriesQ'> {
  signs: { sign: SignCode; z: number; units: number }[];
  notMeasured: SignCode[];
}

export interface ObjectivityOutcome {
  zone: ZoneAssessment & { evidence: EvidenceSummary | null };
  /** The sign values that carry the evidence (their markers fire). */
  firing: SignValue[];
  summaryRu: string;
}

export const SIGN_MARKER: Record<SignCode, MarkerCode> = {
  BUNCHING: MarkerCode.BOUNDARY_BUNCHING,
  JOURNAL: MarkerCode.JOURNAL_RAISED,
  TASKS: MarkerCode.TASK_INVERSION,
  JUMP: MarkerCode.SHARP_CHANGE,
  CONFIRMATION: MarkerCode.COHORT_DROP,
  BALANCE: MarkerCode.JOURNAL_LOWERED,
};

const SIGN_NAME_RU: Record<SignCode, string> = {
  BUNCHING: 'работы скапливаются у границ отметок',
  JOURNAL: 'отметки ВПР выше журнальных сильнее обычного для школы',
  TASKS: 'трудные задания выполнены лучше, чем предсказывают базовые',
  JUMP: 'результат выше собственных результатов школы в другие годы',
  CONFIRMATION: 'результат не подтверждается следующей процедурой',
  BALANCE: 'школьные отметки выше отметок ВПР сильнее обычного',
};

const NOT_MEASURED_RU: Record<SignCode, string> = {
  BUNCHING: 'скопление у границ — нет распределения первичных баллов или шкалы',
  JOURNAL: 'сравнение с журналом — нет журнальных отметок',
  TASKS: 'профиль заданий — нет выполнения заданий по уровням',
  JUMP: 'сравнение с другими годами — нет результатов тех же предметов и классов в другие годы',
  CONFIRMATION: 'подтверждение — нет результатов того же потока в следующей процедуре',
  BALANCE: 'сбалансированность оценок — нет журнальных отметок',
};

const ALL_SIGNS = OBJECTIVITY_SIGNS;

/** What was checked, in a few words, for the line of a school-year with nothing found. */
const SIGN_SHORT_RU: Record<SignCode, string> = {
  BUNCHING: 'скопление работ у границ отметок',
  JOURNAL: 'сравнение с журналом',
  TASKS: 'профиль заданий',
  JUMP: 'сравнение с другими годами',
  CONFIRMATION: 'подтверждение следующей процедурой',
  BALANCE: 'сбалансированность оценок',
};

/** q and p as an analyst reads them: never «0». */
const rateRu = (x: number) => (x < 0.001 ? '< 0,001' : `= ${formatNumberRu(x, 3)}`);
const RANK = ZONE_LEVEL_RANK;
const LEVEL_RU = ZONE_LEVEL_RU;

/**
 * The objectivity zone of one school-year under methodology v2:
 * - NO_DATA: no results that year; INSUFFICIENT_DATA: results, but not one sign could be measured (the
 *   explanation says which and why). No measure is ever recommended from either.
 * - RISK: the combined evidence is significant across the region's school-years (BH q ≤ `riskFdr`), or the
 *   school's series of years is (q ≤ `riskFdr` across schools) and this year points the same way
 *   (z ≥ `seriesMinYearZ`) — how a small school is judged on all its works.
 * - WATCH: the same at `watchFdr`. Benchmarks and high results are context and never give WATCH.
 * - HIGH_RISK: RISK this year and RISK or above the year before — the evidence holds year after year, on new
 *   cohorts and new works; a stable trait of the school (its grading style) is not evidence in the first place.
 * - A re-check of the school's works that found marks lost (RECHECK_DISCREPANCY) reaches RISK on its own.
 */
export function assessObjectivity(input: ObjectivityInput, t: EvidenceThresholds): ObjectivityOutcome {
  const outcome = fromEvidence(input, t);
  return input.rechecks?.length && input.hasResults ? withRechecks(outcome, input) : outcome;
}

/** A re-check that found marks lost: RISK at least (HIGH_RISK when the year before was at RISK), the finding first. */
function withRechecks(outcome: ObjectivityOutcome, input: ObjectivityInput): ObjectivityOutcome {
  const rechecks = input.rechecks!;
  const zone = outcome.zone;
  const consecutive = 1 + previousRun(input);
  const level = RANK[zone.level] >= RANK[ZoneLevel.RISK] ? zone.level : consecutive >= 2 ? ZoneLevel.HIGH_RISK : ZoneLevel.RISK;
  const units = [...zone.markersBySubjectGrade];
  for (const { marker: m } of rechecks) {
    const unit = units.find((u) => u.subject === m.subject && u.grade === m.grade);
    if (unit) {
      if (!unit.markers.includes(m.marker)) unit.markers = [...unit.markers, m.marker];
    } else units.push({ subject: m.subject, grade: m.grade, procedures: m.procedure ? [m.procedure] : [], markers: [m.marker] });
  }
  const reasonsRu = [...rechecks.map((r) => r.explanationRu), ...(zone.level === ZoneLevel.INSUFFICIENT_DATA ? [] : zone.reasonsRu)];
  const rest = zone.level === ZoneLevel.INSUFFICIENT_DATA || zone.level === ZoneLevel.NONE ? '' : ` Кроме того: ${outcome.summaryRu}`;
  const summaryRu = `зона «${LEVEL_RU[level]}»${level === ZoneLevel.HIGH_RISK && zone.level !== ZoneLevel.HIGH_RISK ? ` (${consecutive}-й год подряд)` : ''}: при перепроверке работы потеряли отметки — ${rechecks.map((r) => r.explanationRu).join(' ')}${rest}`;
  return {
    zone: {
      ...zone, level, markerCount: units.length, markersBySubjectGrade: units, distinctMarkers: unique([...zone.distinctMarkers, MarkerCode.RECHECK_DISCREPANCY]),
      consecutiveFlaggedYears: Math.max(zone.consecutiveFlaggedYears, consecutive), reasonsRu,
    },
    firing: outcome.firing,
    summaryRu,
  };
}

function fromEvidence(input: ObjectivityInput, t: EvidenceThresholds): ObjectivityOutcome {
  const e = input.evidence;
  const notMeasured = ALL_SIGNS.filter((s) => !e?.signs.some((p) => p.sign === s));
  const contextRu = input.context.length > 0 ? ` Для сведения (не основание для зоны): ${unique(input.context.map((m) => MARKER_NAME_RU[m.marker])).join(', ')}.` : '';
  if (!input.hasResults || !e) {
    const level = input.hasResults ? ZoneLevel.INSUFFICIENT_DATA : ZoneLevel.NO_DATA;
    const summaryRu = input.hasResults
      ? `данных недостаточно: не удалось вычислить ни одного признака (${notMeasured.map((s) => NOT_MEASURED_RU[s]).join('; ')}).`
      : `нет данных: результатов за ${input.year} год нет.`;
    return { zone: emptyZone(level, summaryRu), firing: [], summaryRu };
  }
  const seriesHit = (alpha: number) => e.seriesQ !== null && e.seriesQ <= alpha && (e.alongSeries ?? -Infinity) >= t.seriesMinYearZ;
  let level = ZoneLevel.NONE;
  if (e.q <= t.riskFdr || seriesHit(t.riskFdr)) level = ZoneLevel.RISK;
  else if (e.q <= t.watchFdr || seriesHit(t.watchFdr)) level = ZoneLevel.WATCH;
  const consecutive = RANK[level] >= RANK[ZoneLevel.RISK] ? 1 + previousRun(input) : 0;
  if (consecutive >= 2) level = ZoneLevel.HIGH_RISK;

  const flagged = RANK[level] >= RANK[ZoneLevel.WATCH];
  const firing = flagged ? e.signs.flatMap((s) => (s.z >= t.markerZ ? s.values.filter((v) => v.z !== null && v.z >= t.markerZ) : [])) : [];
  // Evidence spread thinly over several signs: the strongest two carry it.
  const carrying = flagged && firing.length === 0 ? [...e.signs].sort((a, b) => b.z - a.z).slice(0, 2).flatMap((s) => [...s.values].sort((a, b) => b.z! - a.z!).slice(0, 1)) : firing;
  const units = groupUnits(carrying, input.names);
  const reasonsRu = carrying.map((v) => signSentenceRu(v, input.names));
  const why =
    e.q <= t.watchFdr
      ? `совокупность признаков за год (q ${rateRu(e.q)})`
      : `признаки повторяются из года в год (${e.seriesYears} ${pluralRu(e.seriesYears, ['год', 'года', 'лет'])}, q ${rateRu(e.seriesQ ?? 1)})`;
  const summaryRu = flagged
    ? `зона «${LEVEL_RU[level]}»${consecutive >= 2 ? ` (${consecutive}-й год подряд)` : ''}: ${why} — ${unique(carrying.map((v) => SIGN_NAME_RU[v.sign])).join('; ')}.` +
      ` ${reasonsRu.join(' ')}${notMeasured.length ? ` Не вычислено: ${notMeasured.map((s) => NOT_MEASURED_RU[s]).join('; ')}.` : ''}${contextRu}`
    : `признаков необъективности нет (проверено: ${e.signs.map((s) => SIGN_SHORT_RU[s.sign]).join(', ')}).${notMeasured.length ? ` Не вычислено: ${notMeasured.map((s) => NOT_MEASURED_RU[s]).join('; ')}.` : ''}${contextRu}`;
  const evidence: EvidenceSummary = {
    combinedZ: round(e.combinedZ), z: round(e.z), p: e.p, q: e.q, seriesZ: e.seriesZ === null ? null : round(e.seriesZ), seriesQ: e.seriesQ,
    signs: e.signs.map((s) => ({ sign: s.sign, z: round(s.z), units: s.values.length })), notMeasured,
  };
  return {
    zone: {
      zone: 'OBJECTIVITY', level, markerCount: units.length, markersBySubjectGrade: units, distinctMarkers: unique(carrying.map((v) => SIGN_MARKER[v.sign])),
      signalsAgree: unique(carrying.map((v) => v.sign)).length >= 2, consecutiveFlaggedYears: consecutive, reasonsRu, evidence,
    },
    firing: flagged ? carrying : [],
    summaryRu,
  };
}

function emptyZone(level: ZoneLevel, reason: string): ZoneAssessment & { evidence: null } {
  return { zone: 'OBJECTIVITY', level, markerCount: 0, markersBySubjectGrade: [], distinctMarkers: [], signalsAgree: false, consecutiveFlaggedYears: 0, reasonsRu: [reason], evidence: null };
}

function previousRun(input: ObjectivityInput): number {
  const byYear = new Map(input.previousYears.map((p) => [p.year, p.objectivity]));
  let run = 0;
  for (let year = input.year - 1; byYear.has(year) && RANK[byYear.get(year)!] >= RANK[ZoneLevel.RISK]; year--) run++;
  return run;
}

function groupUnits(values: readonly SignValue[], names: ObjectivityInput['names']): SubjectGradeMarkers[] {
  const units = new Map<string, SubjectGradeMarkers>();
  for (const v of values) {
    const n = v.assessmentId === null ? undefined : names(v.assessmentId);
    const key = n ? `${n.subject}|${n.grade}` : '*';
    const unit = units.get(key) ?? { subject: n?.subject ?? null, grade: n?.grade ?? null, procedures: [], markers: [] };
    if (n && !unit.procedures.includes(n.procedure)) unit.procedures.push(n.procedure);
    const marker = SIGN_MARKER[v.sign];
    if (!unit.markers.includes(marker)) unit.markers.push(marker);
    units.set(key, unit);
  }
  return [...units.values()];
}


/** One sentence with the numbers of one sign, for a school head. */
export function signSentenceRu(v: SignValue, names: ObjectivityInput['names']): string {
  const n = v.assessmentId === null ? undefined : names(v.assessmentId);
  const where = n ? `${n.procedure}, ${n.subject}, ${n.grade} класс: ` : '';
  const z = v.z === null ? '' : ` (${unusualRu(v.z)})`;
  const d = v.detail;
  switch (v.sign) {
    case 'BUNCHING':
      return `${where}на границах отметок и сразу выше — ${formatNumberRu(d.above, 0)} из ${worksCountRu(d.inWindows)} у границ, у школ с таким же результатом было бы около ${formatNumberRu(d.expected, 1)}${z}.`;
    case 'JOURNAL':
      return d.styleRaisedShare !== undefined
        ? `Отметка ВПР выше журнальной («повысили») у ${formatPercentRu(d.raisedShare)} учеников (${d.raised} из ${d.pupils}), а в другие годы у этой школы у ${formatPercentRu(d.styleRaisedShare)}${z}.`
        : `Отметка ВПР выше журнальной («повысили») у ${formatPercentRu(d.raisedShare)} учеников (${d.raised} из ${d.pupils}); других лет для сравнения со стилем оценивания школы нет${z}.`;
    case 'BALANCE':
      return d.styleLoweredShare !== undefined
        ? `Школьная отметка выше отметки ВПР («понизили») у ${formatPercentRu(d.loweredShare)} учеников (${d.lowered} из ${d.pupils}), а в другие годы у этой школы у ${formatPercentRu(d.styleLoweredShare)}${z} — вопрос к сбалансированности системы оценки в школе, не к объективности ВПР.`
        : `Школьная отметка выше отметки ВПР («понизили») у ${formatPercentRu(d.loweredShare)} учеников (${d.lowered} из ${d.pupils})${z} — вопрос к сбалансированности системы оценки в школе, не к объективности ВПР.`;
    case 'TASKS':
      return `${where}задания повышенного уровня выполнены на ${formatPercentRu(d.hardCompletion)} при ${formatPercentRu(d.basicCompletion)} базовых — выше, чем у школ с таким же выполнением базовых${z}.`;
    case 'JUMP':
      return `Результат выше собственных результатов школы в тех же предметах и классах в другие годы: ${formatPointsRu(v.effect, 1)} к проценту выполнения${z}.`;
    case 'CONFIRMATION': {
      const second = names(d.secondAssessmentId);
      return `${where}школа стоит среди школ региона на ${signedRu(d.firstStanding)} обычного разброса между школами от середины, а тот же поток${second ? ` на ${second.procedure} ${second.grade} класса` : ' в следующей процедуре'} — на ${signedRu(d.secondStanding)}${z}.`;
    }
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;

const signedRu = (x: number) => `${x > 0.05 ? '+' : ''}${formatNumberRu(x, 1)}`;

/** How unusual a z is among schools without violations, in words a school head reads. */
function unusualRu(z: number): string {
  const p = pOfZ(z);
  if (p < 0.001) return 'у школ без нарушений так почти не бывает';
  if (p > 0.2) return 'обычно для школ без нарушений';
  return `так бывает лишь у ${formatPercentRu(p, p < 0.01 ? 1 : 0)} школ без нарушений`;
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
