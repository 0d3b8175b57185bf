import { MEASURE_LEVELS, MEASURE_SECTIONS, RESPONSIBLE_BODIES, TIMING_KINDS } from '../catalogue/measure';
import type { Measure, MeasureTiming } from '../catalogue/measure';
import { MarkerCode, ZoneLevel } from '../../risk/markers';
import type { RecommendationRule } from './rule';

/**
 * Checks a measure catalogue and a rule set together. Used on the shipped v1 data by a test and, later, on
 * administrators' additions arriving through the API — which is why it re-checks at run time what the
 * TypeScript types already promise for code written in this repository.
 */
type ValidationIssueCode =
  | 'INVALID_CODE'
  | 'DUPLICATE_MEASURE_CODE'
  | 'INVALID_MEASURE'
  | 'INVALID_TIMING'
  | 'DUPLICATE_RULE_CODE'
  | 'INVALID_RULE'
  | 'UNKNOWN_MEASURE'
  | 'UNKNOWN_MARKER'
  | 'MARKER_NOT_COVERED';

export interface ValidationIssue {
  code: ValidationIssueCode;
  /** The measure or rule code the issue is about (the marker code for MARKER_NOT_COVERED). */
  subject: string;
  messageRu: string;
}

const CODE_PATTERN = /^[A-Z][A-Z0-9_]*$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]; // 29.02 is not a yearly deadline
const MARKER_CODES = new Set<string>(Object.values(MarkerCode));
const ZONE_LEVELS = new Set<string>(Object.values(ZoneLevel));
const ZONE_KINDS = new Set<string>(['OBJECTIVITY', 'LOW_RESULTS']);

/** Returns every issue found; an empty list means the pair can be used by recommendMeasures. */
export function validateCatalogueAndRules(
  catalogue: readonly Measure[],
  rules: readonly RecommendationRule[],
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const report = (code: ValidationIssueCode, subject: string, messageRu: string) =>
    issues.push({ code, subject, messageRu });

  const measureCodes = new Set<string>();
  for (const measure of catalogue) {
    checkCode(measure.code, 'Мера', report);
    if (measureCodes.has(measure.code)) report('DUPLICATE_MEASURE_CODE', measure.code, `Код меры ${measure.code} повторяется`);
    measureCodes.add(measure.code);
    checkMeasure(measure, report);
  }

  const ruleCodes = new Set<string>();
  const coveredMarkers = new Set<string>();
  for (const rule of rules) {
    checkCode(rule.code, 'Правило', report);
    if (ruleCodes.has(rule.code)) report('DUPLICATE_RULE_CODE', rule.code, `Код правила ${rule.code} повторяется`);
    ruleCodes.add(rule.code);
    checkRule(rule, measureCodes, report);
    for (const marker of [...asArray(rule.when?.anyMarkers), ...asArray(rule.when?.allMarkers)]) coveredMarkers.add(marker);
  }

  for (const marker of Object.values(MarkerCode)) {
    if (!coveredMarkers.has(marker)) {
      report('MARKER_NOT_COVERED', marker, `Маркер ${marker} не упомянут ни в одном правиле: школа с ним не получит мер`);
    }
  }
  return issues;
}

type Report = (code: ValidationIssueCode, subject: string, messageRu: string) => void;

function checkCode(code: string, what: string, report: Report): void {
  if (typeof code !== 'string' || !CODE_PATTERN.test(code)) {
    report('INVALID_CODE', String(code), `${what}: код «${code}» должен быть в формате UPPER_SNAKE_CASE`);
  }
}

function checkMeasure(m: Measure, report: Report): void {
  const bad = (what: string) => report('INVALID_MEASURE', m.code, `Мера ${m.code}: ${what}`);
  if (!(MEASURE_SECTIONS as readonly string[]).includes(m.section)) bad(`неизвестный раздел «${m.section}»`);
  if (!MEASURE_LEVELS.includes(m.level)) bad(`неизвестный уровень «${m.level}»`);
  for (const field of ['titleRu', 'descriptionRu', 'expectedResultRu'] as const) {
    if (!isText(m[field])) bad(`не заполнено поле ${field}`);
  }
  if (!Array.isArray(m.responsible) || m.responsible.length === 0) bad('не указаны ответственные');
  else {
    for (const r of m.responsible) if (!(RESPONSIBLE_BODIES as readonly string[]).includes(r)) bad(`неизвестный ответственный «${r}»`);
    if (new Set(m.responsible).size !== m.responsible.length) bad('ответственные повторяются');
  }
  if (!Array.isArray(m.evidence) || m.evidence.length === 0 || !m.evidence.every(isText)) {
    bad('не указаны подтверждающие документы (evidence)');
  }
  if (!Array.isArray(m.sources) || m.sources.length === 0) bad('не указан источник');
  else if (!m.sources.every((s) => isText(s.seed) && isText(s.item) && isText(s.quote))) {
    bad('в источнике не заполнены seed, item или quote');
  }
  const timingProblem = timingIssue(m.timing);
  if (timingProblem) report('INVALID_TIMING', m.code, `Мера ${m.code}: ${timingProblem}`);
}

function timingIssue(t: MeasureTiming | undefined): string | null {
  if (!t || !(TIMING_KINDS as readonly string[]).includes(t.kind)) return `неизвестный вид срока «${t?.kind}»`;
  if (!isText(t.labelRu)) return 'не заполнена формулировка срока';
  const hasMonth = t.month !== undefined;
  if (hasMonth !== (t.day !== undefined)) return 'месяц и день срока задаются вместе';
  if (t.kind === 'BEFORE_DATE' && !hasMonth) return 'для срока «до даты» нужны месяц и день';
  if (hasMonth) {
    const month = t.month!;
    const day = t.day!;
    if (!Number.isInteger(month) || month < 1 || month > 12) return `месяц ${month} вне 1–12`;
    if (!Number.isInteger(day) || day < 1 || day > DAYS_IN_MONTH[month - 1]) return `дня ${day}.${month} нет в календаре`;
  }
  return null;
}

function checkRule(rule: RecommendationRule, measureCodes: Set<string>, report: Report): void {
  const bad = (what: string) => report('INVALID_RULE', rule.code, `Правило ${rule.code}: ${what}`);
  if (!isText(rule.descriptionRu)) bad('не заполнено описание');
  if (!Number.isInteger(rule.priority) || rule.priority < 1) bad(`приоритет ${rule.priority} должен быть целым ≥ 1`);

  if (!Array.isArray(rule.measures) || rule.measures.length === 0) bad('не указаны меры');
  else {
    if (new Set(rule.measures).size !== rule.measures.length) bad('меры повторяются');
    for (const code of rule.measures) {
      if (!measureCodes.has(code)) report('UNKNOWN_MEASURE', rule.code, `Правило ${rule.code}: меры ${code} нет в каталоге`);
    }
  }

  const when = rule.when ?? {};
  for (const list of [when.anyMarkers, when.allMarkers]) {
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length === 0) bad('пустой список маркеров');
    else for (const code of list) {
      if (!MARKER_CODES.has(code)) report('UNKNOWN_MARKER', rule.code, `Правило ${rule.code}: неизвестный маркер ${code}`);
    }
  }
  const hasMarkerCondition = Boolean(when.anyMarkers?.length || when.allMarkers?.length);
  // Without a marker or zone condition the rule would recommend measures to clean schools.
  if (!hasMarkerCondition && !when.zone) bad('нет условия по маркерам или зоне');
  if (when.zone && (!ZONE_KINDS.has(when.zone.kind) || !ZONE_LEVELS.has(when.zone.atLeast))) {
    bad('неизвестный вид или уровень зоны');
  }
  if (when.minConsecutiveYears !== undefined) {
    if (!when.zone) bad('число лет подряд задаётся вместе с зоной');
    if (!Number.isInteger(when.minConsecutiveYears) || when.minConsecutiveYears < 1) bad('число лет подряд должно быть целым ≥ 1');
  }
  if (when.grades !== undefined) {
    if (!hasMarkerCondition) bad('фильтр по классам применяется только к условию по маркерам');
    if (!Array.isArray(when.grades) || when.grades.length === 0 || !when.grades.every((g) => Number.isInteger(g) && g >= 1 && g <= 11)) {
      bad('классы должны быть целыми 1–11');
    }
  }
}

function asArray<T>(value: T[] | undefined): T[] {
  return Array.isArray(value) ? value : [];
}

function isText(value: unknown): boolean {
  return typeof value === 'string' && value.trim().length > 0;
}
