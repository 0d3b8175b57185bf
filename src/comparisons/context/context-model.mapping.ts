import type { SchoolType } from '../../territory/enums';
import type { ContextModelResult } from '../stats';
import { finite } from '../shared/statistics.mapping';
import { StatisticStatus } from '../shared/statistics.types';
import type { ContextVariable, ContextVariableTreatment, ContextWeighting } from './context.enums';
import { ContextModelType, MODEL_DOCUMENTATION, MODEL_FORMULA } from './context-model.types';

export interface ModelIdentity {
  regionId: number;
  assessmentId: number;
  year: number;
  weighting: ContextWeighting;
}

/** The pure fit as the API shows it; per-school expectations are kept aside for scoped output. */
export function toContextModel(result: ContextModelResult, identity: ModelIdentity, schoolsInRegion: number): ContextModelType {
  const base = {
    regionId: identity.regionId,
    assessmentId: identity.assessmentId,
    year: identity.year,
    response: 'MEAN_PERCENT — средний процент от максимального первичного балла (0–100)',
    formula: MODEL_FORMULA,
    documentation: MODEL_DOCUMENTATION,
    weighting: identity.weighting,
  };
  if (result.status !== 'OK') {
    return {
      ...base, expectations: [], status: StatisticStatus.INSUFFICIENT_DATA, reason: result.reason, n: schoolsInRegion, participants: 0,
      parameters: null, residualDf: null, rSquared: null, adjustedRSquared: null, residualSd: null, referenceSchoolType: null,
      mergedSchoolTypes: [], coefficients: [], variables: [], droppedColumns: [], excludedSchools: 0,
    };
  }
  return {
    ...base,
    status: StatisticStatus.OK,
    reason: null,
    n: result.n,
    participants: result.participants,
    parameters: result.parameters,
    residualDf: result.residualDf,
    rSquared: finite(result.rSquared),
    adjustedRSquared: finite(result.adjustedRSquared),
    residualSd: finite(result.residualSd),
    referenceSchoolType: result.referenceSchoolType as SchoolType,
    mergedSchoolTypes: result.mergedSchoolTypes as SchoolType[],
    coefficients: result.coefficients.map((c) => ({
      name: c.name,
      estimate: c.estimate,
      standardError: finite(c.standardError),
      tValue: finite(c.tValue),
      pValue: finite(c.pValue),
      lower: finite(c.lower),
      upper: finite(c.upper),
    })),
    variables: result.variables.map((v) => ({
      variable: v.variable as ContextVariable,
      treatment: v.treatment as ContextVariableTreatment,
      missing: v.missing,
      imputedValue: finite(v.imputedValue),
    })),
    droppedColumns: result.droppedColumns.map((d) => ({ name: d.name, reason: d.reason })),
    excludedSchools: result.excludedSchools.length,
    expectations: result.schools.map((s) => ({
      schoolId: Number(s.schoolId),
      participants: s.participants,
      actual: s.actual,
      expected: s.expected,
      residual: s.residual,
      standardizedResidual: finite(s.standardizedResidual),
      leverage: s.leverage,
    })),
  };
}
