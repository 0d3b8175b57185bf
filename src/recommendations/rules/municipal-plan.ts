import type { Measure, MeasureLevel, MeasureSection, MeasureTiming, ResponsibleBody } from '../catalogue/measure';
import { MEASURES_V1 } from '../catalogue/measures-v1';
import type { SchoolRiskProfile } from './profile';
import { recommendMeasures } from './recommend';
import type { RecommendationRule } from './rule';
import { RULES_V1 } from './rules-v1';

/** A school named under a municipal plan entry, with why it is there. */
interface MunicipalPlanSchool {
  schoolId: string;
  ruleCodes: string[];
  reasonRu: string;
}

/**
 * One line of the МОУО's own road map: a measure and the schools it covers, as the Томск 2023 plan
 * (seed 004) lists «лицеи № 51, …; СОШ № 3, 4, …» under observers, video and collegial checking.
 */
export interface MunicipalPlanEntry {
  planYear: number;
  measureCode: string;
  titleRu: string;
  section: MeasureSection;
  level: MeasureLevel;
  responsible: ResponsibleBody[];
  timing: MeasureTiming;
  dueDate: string;
  priority: number;
  schools: MunicipalPlanSchool[];
  /** «<мера> — ОО: sch1, sch2». */
  textRu: string;
}

/**
 * The municipal plan for a set of schools: every municipal-level measure recommended to at least one school,
 * and every school-level measure the МОУО names schools for (`namedInMunicipalPlan`), each with its schools.
 * Built from the same per-school recommendations, so the municipal lists always agree with school plans.
 */
export function recommendMunicipalMeasures(
  schools: readonly SchoolRiskProfile[],
  rules: readonly RecommendationRule[] = RULES_V1,
  catalogue: readonly Measure[] = MEASURES_V1,
): MunicipalPlanEntry[] {
  const measuresByCode = new Map(catalogue.map((m) => [m.code, m]));
  const entries = new Map<string, MunicipalPlanEntry>();

  for (const profile of schools) {
    for (const rec of recommendMeasures(profile, rules, catalogue)) {
      const measure = measuresByCode.get(rec.measureCode)!;
      if (measure.level !== 'MUNICIPALITY' && !measure.namedInMunicipalPlan) continue;
      // Plans of different years are different road maps.
      const key = `${rec.planYear}:${rec.measureCode}`;
      const entry = entries.get(key) ?? newEntry(measure, rec.planYear, rec.dueDate, rec.priority);
      entries.set(key, entry);
      entry.priority = Math.min(entry.priority, rec.priority);
      entry.schools.push({ schoolId: rec.schoolId, ruleCodes: rec.ruleCodes, reasonRu: rec.reasonRu });
    }
  }

  const result = [...entries.values()];
  for (const entry of result) {
    entry.schools.sort((a, b) => a.schoolId.localeCompare(b.schoolId));
    entry.textRu = `${entry.titleRu} — ОО: ${entry.schools.map((s) => s.schoolId).join(', ')}`;
  }
  return result.sort(
    (a, b) =>
      a.planYear - b.planYear ||
      a.priority - b.priority ||
      a.dueDate.localeCompare(b.dueDate) ||
      a.measureCode.localeCompare(b.measureCode),
  );
}

function newEntry(measure: Measure, planYear: number, due: string, priority: number): MunicipalPlanEntry {
  return {
    planYear,
    measureCode: measure.code,
    titleRu: measure.titleRu,
    section: measure.section,
    level: measure.level,
    // A school-level line of the municipal plan is executed by the school and controlled by МОУО («КОО, ОО»).
    responsible: measure.level === 'SCHOOL' ? withMouoFirst(measure.responsible) : [...measure.responsible],
    timing: measure.timing,
    dueDate: due,
    priority,
    schools: [],
    textRu: '',
  };
}

function withMouoFirst(responsible: readonly ResponsibleBody[]): ResponsibleBody[] {
  return ['МОУО', ...responsible.filter((r) => r !== 'МОУО')];
}
