import type { SchoolTypeCode } from './context-bands';
import { buildContextDesign, type ContextModelSchool, type ContextVariable, type ContextVariableReport } from './context-design';
import type { ConfidenceOptions } from './inference';
import type { Insufficient } from './insufficient-data';
import { fitWeightedLeastSquares, type CoefficientEstimate, type DroppedColumn } from './weighted-least-squares';

export interface ContextModelOptions extends ConfidenceOptions {
  /** PARTICIPANTS (default): weight = participants; EQUAL: ordinary least squares. */
  weighting?: 'PARTICIPANTS' | 'EQUAL';
  /** Variables to leave out. */
  exclude?: readonly ContextVariable[];
  /** A numeric variable known for fewer than this share of schools is dropped; 0.7 by default. */
  minCoverage?: number;
  /** Minimum schools on each side of any 0/1 column (type level, urban, indicator); 3 by default. */
  minSchoolsPerCategory?: number;
  /** Minimum residual degrees of freedom for a usable fit; 5 by default. */
  minResidualDf?: number;
}

interface SchoolExpectation {
  schoolId: string;
  participants: number;
  actual: number;
  expected: number;
  /** actual − expected. */
  residual: number;
  standardizedResidual: number | null;
  leverage: number;
}

export interface ContextModelFit {
  status: 'OK';
  n: number;
  participants: number;
  weighting: 'PARTICIPANTS' | 'EQUAL';
  parameters: number;
  residualDf: number;
  coefficients: CoefficientEstimate[];
  rSquared: number | null;
  adjustedRSquared: number | null;
  residualSd: number;
  /** The school type every type coefficient is measured against. */
  referenceSchoolType: SchoolTypeCode;
  /** Types with too few schools, folded into the reference type. */
  mergedSchoolTypes: SchoolTypeCode[];
  variables: ContextVariableReport[];
  droppedColumns: DroppedColumn[];
  schools: SchoolExpectation[];
  excludedSchools: { schoolId: string; reason: 'NO_RESULT' | 'NO_PARTICIPANTS' }[];
}

export type ContextModelResult = ContextModelFit | Insufficient;

/**
 * Context-adjusted results: what each school would be expected to score given its context, from a
 * weighted regression across the region's schools (see MODEL.md for the analyst's version):
 *
 *   resultᵢ = β₀ + Σ β_type·[typeᵢ = type] + β_depth·inDepthᵢ + β_urban·urbanᵢ
 *             + β_size·ln(enrolmentᵢ) + β_ovz·ОВЗ%ᵢ + β_social·indexᵢ (+ missing indicators) + eᵢ,
 *   weights wᵢ = participantsᵢ (Var eᵢ ∝ 1/nᵢ: a class of 8 says less than a year group of 120).
 *
 * Returns the coefficients with SEs, fit statistics, and per school expected = ŷᵢ,
 * residual = actual − expected, and the standardized residual. Schools without a result or without
 * participants are listed as excluded. Below `minResidualDf` residual degrees of freedom the fit is
 * refused: the residual SD, and with it every standardized residual, would be noise.
 */
export function fitContextModel(schools: readonly ContextModelSchool[], options: ContextModelOptions = {}): ContextModelResult {
  const weighting = options.weighting ?? 'PARTICIPANTS';
  const minResidualDf = options.minResidualDf ?? 5;
  const excludedSchools: ContextModelFit['excludedSchools'] = [];
  const fitted: (ContextModelSchool & { result: number })[] = [];
  for (const school of schools) {
    const { result } = school;
    if (!(school.participants > 0)) excludedSchools.push({ schoolId: school.schoolId, reason: 'NO_PARTICIPANTS' });
    else if (result == null || !Number.isFinite(result)) excludedSchools.push({ schoolId: school.schoolId, reason: 'NO_RESULT' });
    else fitted.push({ ...school, result });
  }
  if (fitted.length === 0) return { status: 'INSUFFICIENT_DATA', reason: 'no school has both a result and participants' };

  const weights = fitted.map((s) => (weighting === 'PARTICIPANTS' ? s.participants : 1));
  const design = buildContextDesign(fitted, weights, {
    exclude: options.exclude ?? [],
    minCoverage: options.minCoverage ?? 0.7,
    minSchoolsPerCategory: options.minSchoolsPerCategory ?? 3,
  });
  const response = fitted.map((s) => s.result);
  const fit = fitWeightedLeastSquares(response, weights, design.columns, { confidence: options.confidence });
  if (fit.status !== 'OK') return fit;
  if (fit.residualDf < minResidualDf) {
    return {
      status: 'INSUFFICIENT_DATA',
      reason: `${fit.n} schools for ${fit.parameters} parameters leave ${fit.residualDf} residual degrees of freedom (need ${minResidualDf})`,
    };
  }
  // Every fitted school has a positive weight, so the fit has a value and a leverage for each.
  const expectations: SchoolExpectation[] = fitted.map((school, i) => {
    const expected = fit.fitted[i] ?? NaN;
    return {
      schoolId: school.schoolId,
      participants: school.participants,
      actual: response[i],
      expected,
      residual: response[i] - expected,
      standardizedResidual: fit.standardizedResiduals[i],
      leverage: fit.leverage[i] ?? NaN,
    };
  });
  return {
    status: 'OK',
    n: fit.n,
    participants: fitted.reduce((a, s) => a + s.participants, 0),
    weighting,
    parameters: fit.parameters,
    residualDf: fit.residualDf,
    coefficients: fit.coefficients,
    rSquared: fit.rSquared,
    adjustedRSquared: fit.adjustedRSquared,
    residualSd: fit.residualSd,
    referenceSchoolType: design.referenceSchoolType,
    mergedSchoolTypes: design.mergedSchoolTypes,
    variables: design.variables,
    droppedColumns: fit.dropped,
    schools: expectations,
    excludedSchools,
  };
}
