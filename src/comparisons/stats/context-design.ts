import type { SchoolContextInput, SchoolTypeCode } from './context-bands';
import type { DesignColumn } from './weighted-least-squares';

export interface ContextModelSchool extends SchoolContextInput {
  /** The result to adjust (normally mean % of max); null when the school did not take part. */
  result: number | null;
  participants: number;
}

export type ContextVariable = 'SCHOOL_TYPE' | 'IN_DEPTH_STUDY' | 'URBAN' | 'LOG_ENROLMENT' | 'SHARE_DISABLED_PCT' | 'SOCIAL_INDEX';

type ContextVariableTreatment =
  /** Entered the design as is. */
  | 'USED'
  /** Missing values replaced by the weighted mean, plus a 0/1 «value missing» column. */
  | 'MEAN_IMPUTED_WITH_INDICATOR'
  /** Missing in too few schools for an indicator of its own: mean-imputed only. */
  | 'MEAN_IMPUTED'
  /** Known for fewer than `minCoverage` of the schools (e.g. no social index in the region). */
  | 'DROPPED_SPARSE'
  /** The same value in every school (one school type, all urban…): nothing to estimate. */
  | 'NO_VARIATION'
  /** A 0/1 variable whose smaller side has fewer than `minSchoolsPerCategory` schools. */
  | 'DROPPED_RARE'
  /** Switched off by the caller. */
  | 'EXCLUDED';

export interface ContextVariableReport {
  variable: ContextVariable;
  treatment: ContextVariableTreatment;
  /** Schools (among those fitted) with the value missing. */
  missing: number;
  /** The value put in for missing schools, when imputed. */
  imputedValue: number | null;
}

/**
 * The design matrix of the context model, with the rules for rare categories and missing values.
 *
 * Columns, in this order (when a later column is collinear with earlier ones it is the one dropped):
 * INTERCEPT; SCHOOL_TYPE_<type> dummies against the most common type; IN_DEPTH_STUDY; URBAN (1 = urban);
 * LOG_ENROLMENT = ln(pupils); SHARE_DISABLED_PCT = share ОВЗ in percentage points; SOCIAL_INDEX as given.
 *
 * Rare categories: any 0/1 column needs at least `minSchoolsPerCategory` schools on each side. A
 * dummy held by one or two schools would fit them exactly, their residual would be 0 by
 * construction and they could never stand out. Rare school types are folded into the reference type;
 * a rare IN_DEPTH_STUDY / URBAN side drops that variable.
 *
 * Missing numeric values: a variable known for fewer than `minCoverage` of the schools is dropped
 * (a region without a social index simply has no SOCIAL_INDEX column). Otherwise missing values get
 * the weighted mean of the known ones plus a 0/1 «<NAME>_MISSING» column (Cohen & Cohen), so that the
 * schools without the value get their own level instead of being dropped: every school must get an
 * expected value. The indicator obeys the rare-category rule above. The coefficients of imputed
 * variables are slightly attenuated; the model is for expected values, not for causal claims.
 *
 * Unknown descriptive values (a directory with «не указано»): a school of unknown type counts as the reference
 * type, and SCHOOL_TYPE's `missing` says how many; an unknown locality is a missing URBAN value, treated like a
 * missing number above and counted the same way.
 */

export interface ContextDesignOptions {
  exclude: readonly ContextVariable[];
  minCoverage: number;
  minSchoolsPerCategory: number;
}

export interface ContextDesign {
  columns: DesignColumn[];
  variables: ContextVariableReport[];
  referenceSchoolType: SchoolTypeCode;
  mergedSchoolTypes: SchoolTypeCode[];
}

/** Tie-break order for the reference type: the general school first. */
const SCHOOL_TYPE_ORDER: readonly SchoolTypeCode[] = ['SOSH', 'OOSH', 'NOSH', 'GYMNASIUM', 'LYCEUM', 'OTHER'];

export function buildContextDesign(schools: readonly ContextModelSchool[], weights: readonly number[], options: ContextDesignOptions): ContextDesign {
  const columns: DesignColumn[] = [{ name: 'INTERCEPT', values: schools.map(() => 1), isIntercept: true }];
  const variables: ContextVariableReport[] = [];
  const report = (variable: ContextVariable, treatment: ContextVariableReport['treatment'], missing = 0, imputedValue: number | null = null): void => {
    variables.push({ variable, treatment, missing, imputedValue });
  };
  const excluded = (variable: ContextVariable): boolean => {
    if (!options.exclude.includes(variable)) return false;
    report(variable, 'EXCLUDED');
    return true;
  };

  const types = schoolTypeDummies(schools, options.minSchoolsPerCategory);
  if (!excluded('SCHOOL_TYPE')) {
    columns.push(...types.columns);
    // Schools of unknown type count as the reference type; `missing` says how many they are.
    const unknownTypes = schools.filter((s) => s.type === null).length;
    report('SCHOOL_TYPE', types.levels === 1 ? 'NO_VARIATION' : types.columns.length === 0 ? 'DROPPED_RARE' : 'USED', unknownTypes);
  }
  for (const [variable, value] of [
    ['IN_DEPTH_STUDY', (s: ContextModelSchool) => (s.inDepthStudy ? 1 : 0)],
    ['URBAN', (s: ContextModelSchool) => (s.urban === null ? null : s.urban ? 1 : 0)],
  ] as const) {
    if (excluded(variable)) continue;
    const raw = schools.map(value);
    if (raw.some((v) => v === null)) {
      // Locality unknown for some schools: like a missing number (mean-imputed, with an indicator when enough), counted.
      const numeric = numericColumns(variable, raw, weights, options);
      columns.push(...numeric.columns);
      report(variable, numeric.treatment, numeric.missing, numeric.imputedValue);
      continue;
    }
    const values = raw as number[];
    const treatment = binaryTreatment(values, options.minSchoolsPerCategory);
    if (treatment === 'USED') columns.push({ name: variable, values });
    report(variable, treatment);
  }
  for (const [variable, value] of [
    ['LOG_ENROLMENT', (s: ContextModelSchool) => (s.enrolment != null && s.enrolment > 0 ? Math.log(s.enrolment) : null)],
    ['SHARE_DISABLED_PCT', (s: ContextModelSchool) => (s.shareDisabled == null ? null : 100 * s.shareDisabled)],
    ['SOCIAL_INDEX', (s: ContextModelSchool) => s.socialIndex],
  ] as const) {
    if (excluded(variable)) continue;
    const numeric = numericColumns(variable, schools.map(value), weights, options);
    columns.push(...numeric.columns);
    report(variable, numeric.treatment, numeric.missing, numeric.imputedValue);
  }
  return { columns, variables, referenceSchoolType: types.reference, mergedSchoolTypes: types.merged };
}

interface SchoolTypeDesign {
  reference: SchoolTypeCode;
  merged: SchoolTypeCode[];
  columns: DesignColumn[];
  /** Distinct types present among the fitted schools. */
  levels: number;
}

function schoolTypeDummies(schools: readonly ContextModelSchool[], minSchools: number): SchoolTypeDesign {
  const counts = new Map<SchoolTypeCode, number>();
  for (const s of schools) if (s.type !== null) counts.set(s.type, (counts.get(s.type) ?? 0) + 1);
  const present = SCHOOL_TYPE_ORDER.filter((t) => counts.has(t));
  const reference = present.reduce((best, t) => ((counts.get(t) ?? 0) > (counts.get(best) ?? 0) ? t : best), present[0] ?? 'SOSH');
  const merged = present.filter((t) => t !== reference && (counts.get(t) ?? 0) < minSchools);
  const dummies = present.filter((t) => t !== reference && !merged.includes(t));
  const columns: DesignColumn[] = dummies.map((t) => ({ name: `SCHOOL_TYPE_${t}`, values: schools.map((s) => (s.type === t ? 1 : 0)) }));
  return { reference, merged, columns, levels: present.length };
}

function binaryTreatment(values: readonly number[], minSchools: number): ContextVariableReport['treatment'] {
  const ones = values.filter((v) => v === 1).length;
  const smaller = Math.min(ones, values.length - ones);
  if (smaller === 0) return 'NO_VARIATION';
  return smaller < minSchools ? 'DROPPED_RARE' : 'USED';
}

interface NumericVariableDesign {
  columns: DesignColumn[];
  treatment: ContextVariableReport['treatment'];
  missing: number;
  imputedValue: number | null;
}

function numericColumns(
  name: ContextVariable,
  raw: readonly (number | null)[],
  weights: readonly number[],
  options: ContextDesignOptions,
): NumericVariableDesign {
  const known = raw.map((v, i) => ({ v, i })).filter((e): e is { v: number; i: number } => e.v != null && Number.isFinite(e.v));
  const missing = raw.length - known.length;
  const without = (treatment: ContextVariableReport['treatment']): NumericVariableDesign => ({ columns: [], treatment, missing, imputedValue: null });
  if (known.length === 0 || known.length < options.minCoverage * raw.length) return without('DROPPED_SPARSE');
  if (known.every((e) => e.v === known[0].v)) return without('NO_VARIATION');
  if (missing === 0) return { columns: [{ name, values: known.map((e) => e.v) }], treatment: 'USED', missing, imputedValue: null };
  const knownWeight = known.reduce((a, e) => a + weights[e.i], 0);
  const imputedValue = known.reduce((a, e) => a + weights[e.i] * e.v, 0) / knownWeight;
  const isKnown = (v: number | null): v is number => v != null && Number.isFinite(v);
  const columns: DesignColumn[] = [{ name, values: raw.map((v) => (isKnown(v) ? v : imputedValue)) }];
  if (missing < options.minSchoolsPerCategory) return { columns, treatment: 'MEAN_IMPUTED', missing, imputedValue };
  columns.push({ name: `${name}_MISSING`, values: raw.map((v) => (isKnown(v) ? 0 : 1)) });
  return { columns, treatment: 'MEAN_IMPUTED_WITH_INDICATOR', missing, imputedValue };
}
