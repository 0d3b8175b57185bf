import type { Measure, MeasureLevel, MeasureSection, MeasureTiming, ResponsibleBody } from '../catalogue/measure';
import { dueDate } from './due-date';
import { matchRule } from './match';
import type { MarkerFinding, SchoolRiskProfile } from './profile';
import type { RecommendationRule } from './rule';
import { markerFindingRu } from './wording-ru';

/** A marker as cited on a recommended measure. */
interface MeasureReason {
  markerCode: MarkerFinding['code'];
  procedure: string;
  subject: string;
  grade: number | null;
  value: number | null;
  explanationRu: string;
}

/** One measure of one school's plan, with the rules and markers that led to it. */
export interface RecommendedMeasure {
  schoolId: string;
  /** Year Y of the results; the measure is carried out in the school year Sept Y – Aug Y+1. */
  planYear: number;
  measureCode: string;
  titleRu: string;
  section: MeasureSection;
  level: MeasureLevel;
  responsible: ResponsibleBody[];
  timing: MeasureTiming;
  dueDate: string;
  priority: number;
  ruleCodes: string[];
  reasons: MeasureReason[];
  /** Non-marker grounds (zone, years in a row, conduct), worded in Russian. */
  conditionsRu: string[];
  reasonRu: string;
}

/**
 * The measures the rules recommend for one school × year, one entry per measure however many rules
 * recommend it, ordered by priority, then due date, then code. A school with no markers and no zone
 * gets nothing, because every rule is anchored in a marker or a zone.
 */
export function recommendMeasures(
  profile: SchoolRiskProfile,
  rules: readonly RecommendationRule[],
  catalogue: readonly Measure[],
): RecommendedMeasure[] {
  const measuresByCode = new Map(catalogue.map((m) => [m.code, m]));
  const byMeasure = new Map<string, RecommendedMeasure>();

  for (const rule of rules) {
    const match = matchRule(rule, profile);
    if (!match) continue;
    for (const measureCode of rule.measures) {
      const measure = measuresByCode.get(measureCode);
      if (!measure) throw new Error(`Правило ${rule.code} ссылается на отсутствующую меру ${measureCode}`);
      const entry = byMeasure.get(measureCode) ?? newEntry(profile, measure, rule.priority);
      byMeasure.set(measureCode, entry);
      entry.priority = Math.min(entry.priority, rule.priority);
      addUnique(entry.ruleCodes, [rule.code], (c) => c);
      addUnique(entry.reasons, match.citedMarkers.map(toReason), reasonKey);
      addUnique(entry.conditionsRu, match.conditionsRu, (c) => c);
    }
  }

  const result = [...byMeasure.values()];
  for (const entry of result) entry.reasonRu = reasonSentenceRu(entry);
  return result.sort(
    (a, b) => a.priority - b.priority || a.dueDate.localeCompare(b.dueDate) || a.measureCode.localeCompare(b.measureCode),
  );
}

function newEntry(profile: SchoolRiskProfile, measure: Measure, priority: number): RecommendedMeasure {
  return {
    schoolId: profile.schoolId,
    planYear: profile.year,
    measureCode: measure.code,
    titleRu: measure.titleRu,
    section: measure.section,
    level: measure.level,
    responsible: [...measure.responsible],
    timing: measure.timing,
    dueDate: dueDate(measure.timing, profile.year),
    priority,
    ruleCodes: [],
    reasons: [],
    conditionsRu: [],
    reasonRu: '',
  };
}

function toReason(m: MarkerFinding): MeasureReason {
  return {
    markerCode: m.code,
    procedure: m.procedure,
    subject: m.subject,
    grade: m.grade,
    value: m.value,
    explanationRu: m.explanationRu,
  };
}

function reasonKey(r: MeasureReason): string {
  return [r.markerCode, r.procedure, r.subject, r.grade, r.value, r.explanationRu].join('|');
}

function addUnique<T>(target: T[], items: readonly T[], key: (item: T) => string): void {
  const seen = new Set(target.map(key));
  for (const item of items) {
    const k = key(item);
    if (!seen.has(k)) {
      seen.add(k);
      target.push(item);
    }
  }
}

function reasonSentenceRu(entry: RecommendedMeasure): string {
  const grounds = [...entry.reasons.map(markerFindingRu), ...entry.conditionsRu];
  return `Мера «${entry.titleRu}» рекомендована на основании: ${grounds.join('; ')}.`;
}
