import type { ContextModelSchool } from '../../../src/comparisons/stats/context-design';
import { ContextModelFit, ContextModelResult, fitContextModel } from '../../../src/comparisons/stats/context-model';
import { PLANTED, simulateRegion } from './support/region';

function ok(result: ContextModelResult): ContextModelFit {
  if (result.status !== 'OK') throw new Error(`expected a fit, got ${result.reason}`);
  return result;
}

const coefficient = (fit: ContextModelFit, name: string) => {
  const found = fit.coefficients.find((c) => c.name === name);
  if (!found) throw new Error(`no coefficient ${name}`);
  return found;
};

describe('context model on a simulated region', () => {
  const region = simulateRegion(2024, 150);
  const fit = ok(fitContextModel(region));

  it('recovers every planted effect within four standard errors', () => {
    for (const [name, value] of Object.entries(PLANTED)) {
      const c = coefficient(fit, name);
      expect(Math.abs(c.estimate - value)).toBeLessThan(4 * c.standardError);
    }
    expect(fit.coefficients.map((c) => c.name)).toEqual([
      'INTERCEPT',
      'SCHOOL_TYPE_OOSH',
      'SCHOOL_TYPE_GYMNASIUM',
      'SCHOOL_TYPE_LYCEUM',
      'URBAN',
      'LOG_ENROLMENT',
      'SHARE_DISABLED_PCT',
      'SOCIAL_INDEX',
    ]);
    expect(fit.referenceSchoolType).toBe('SOSH');
    expect(fit.rSquared).toBeGreaterThan(0.5);
    expect(fit.adjustedRSquared).toBeLessThan(fit.rSquared as number);
  });

  it('reports expectation and residual per school, and standardized residuals near N(0, 1)', () => {
    expect(fit.n).toBe(150);
    expect(fit.schools).toHaveLength(150);
    for (const s of fit.schools) expect(s.actual - s.expected).toBeCloseTo(s.residual, 12);
    const z = fit.schools.map((s) => s.standardizedResidual as number);
    const meanSquare = z.reduce((a, v) => a + v * v, 0) / z.length;
    expect(meanSquare).toBeGreaterThan(0.75);
    expect(meanSquare).toBeLessThan(1.25);
    // With weights ∝ participants the residual SD for an average-sized school ≈ 18 / √(mean participants).
    const meanParticipants = fit.participants / fit.n;
    expect(fit.residualSd).toBeGreaterThan(0.7 * (18 / Math.sqrt(meanParticipants)));
    expect(fit.residualSd).toBeLessThan(1.5 * (18 / Math.sqrt(meanParticipants)));
    expect(fit.variables.every((v) => v.treatment === 'USED' || v.variable === 'IN_DEPTH_STUDY')).toBe(true);
    expect(fit.variables.find((v) => v.variable === 'IN_DEPTH_STUDY')?.treatment).toBe('NO_VARIATION');
  });

  it('EQUAL weighting gives ordinary least squares (different, valid estimates)', () => {
    const ols = ok(fitContextModel(region, { weighting: 'EQUAL' }));
    expect(ols.weighting).toBe('EQUAL');
    expect(coefficient(ols, 'URBAN').estimate).not.toBeCloseTo(coefficient(fit, 'URBAN').estimate, 6);
    const sameWeights = ok(fitContextModel(region.map((s) => ({ ...s, participants: 25 }))));
    ols.coefficients.forEach((c, k) => expect(sameWeights.coefficients[k].estimate).toBeCloseTo(c.estimate, 9));
  });
});

describe('context model: missing values, rare categories, singular designs', () => {
  const region = simulateRegion(77, 60);

  it('drops a variable the region lacks, imputes with an indicator or alone', () => {
    const data: ContextModelSchool[] = region.map((s, i) => ({
      ...s,
      socialIndex: null,
      enrolment: i < 6 ? null : s.enrolment,
      shareDisabled: i === 10 ? null : s.shareDisabled,
    }));
    const fit = ok(fitContextModel(data));
    const report = Object.fromEntries(fit.variables.map((v) => [v.variable, v]));
    expect(report.SOCIAL_INDEX).toMatchObject({ treatment: 'DROPPED_SPARSE', missing: 60 });
    expect(report.LOG_ENROLMENT).toMatchObject({ treatment: 'MEAN_IMPUTED_WITH_INDICATOR', missing: 6 });
    const known = data.slice(6);
    const imputed = known.reduce((a, s) => a + s.participants * Math.log(s.enrolment as number), 0) / known.reduce((a, s) => a + s.participants, 0);
    expect(report.LOG_ENROLMENT.imputedValue).toBeCloseTo(imputed, 10);
    expect(report.SHARE_DISABLED_PCT).toMatchObject({ treatment: 'MEAN_IMPUTED', missing: 1 });
    expect(fit.coefficients.map((c) => c.name)).toContain('LOG_ENROLMENT_MISSING');
    expect(fit.coefficients.map((c) => c.name)).not.toContain('SOCIAL_INDEX');
    expect(fit.schools).toHaveLength(60);
  });

  it('drops a variable known for fewer than minCoverage of the schools', () => {
    const data = region.map((s, i) => ({ ...s, shareDisabled: i < 20 ? null : s.shareDisabled }));
    const fit = ok(fitContextModel(data, { minCoverage: 0.7 }));
    expect(fit.variables.find((v) => v.variable === 'SHARE_DISABLED_PCT')?.treatment).toBe('DROPPED_SPARSE');
    const lenient = ok(fitContextModel(data, { minCoverage: 0.5 }));
    expect(lenient.variables.find((v) => v.variable === 'SHARE_DISABLED_PCT')?.treatment).toBe('MEAN_IMPUTED_WITH_INDICATOR');
  });

  it('folds a school type held by fewer than 3 schools into the reference and drops a rare urban side', () => {
    const data: ContextModelSchool[] = region.map((s, i) => ({
      ...s,
      type: i === 0 ? 'GYMNASIUM' : s.type === 'GYMNASIUM' ? 'SOSH' : s.type,
      urban: i >= 2,
    }));
    const fit = ok(fitContextModel(data));
    expect(fit.mergedSchoolTypes).toEqual(['GYMNASIUM']);
    expect(fit.coefficients.map((c) => c.name)).not.toContain('SCHOOL_TYPE_GYMNASIUM');
    expect(fit.variables.find((v) => v.variable === 'URBAN')?.treatment).toBe('DROPPED_RARE');
    // The lone gymnasium is not fitted exactly: its residual is not forced to 0.
    expect(Math.abs(fit.schools[0].residual)).toBeGreaterThan(1e-6);
  });

  it('reports a collinear context column', () => {
    const data = region.map((s) => ({ ...s, shareDisabled: 0.01 * Math.log(s.enrolment as number) }));
    const fit = ok(fitContextModel(data));
    expect(fit.droppedColumns).toEqual([{ name: 'SHARE_DISABLED_PCT', reason: 'COLLINEAR' }]);
  });

  it('all schools with the same context: intercept only, expected = participant-weighted mean', () => {
    const data = region.map((s) => ({ ...s, type: 'SOSH' as const, urban: true, enrolment: 500, shareDisabled: 0.05, socialIndex: 0.4 }));
    const fit = ok(fitContextModel(data));
    expect(fit.coefficients.map((c) => c.name)).toEqual(['INTERCEPT']);
    expect(fit.variables.filter((v) => v.treatment === 'NO_VARIATION').map((v) => v.variable)).toEqual([
      'SCHOOL_TYPE',
      'IN_DEPTH_STUDY',
      'URBAN',
      'LOG_ENROLMENT',
      'SHARE_DISABLED_PCT',
      'SOCIAL_INDEX',
    ]);
    const weightedMean = data.reduce((a, s) => a + s.participants * (s.result as number), 0) / data.reduce((a, s) => a + s.participants, 0);
    for (const s of fit.schools) expect(s.expected).toBeCloseTo(weightedMean, 9);
    expect(fit.rSquared).toBeCloseTo(0, 12);
  });

  it('all schools with the same result: zero residuals, R² and standardized residuals undefined', () => {
    const fit = ok(fitContextModel(region.map((s) => ({ ...s, result: 61.5 }))));
    for (const s of fit.schools) {
      expect(s.expected).toBeCloseTo(61.5, 9);
      expect(s.residual).toBeCloseTo(0, 9);
      expect(s.standardizedResidual).toBeNull();
    }
    expect(fit.rSquared).toBeNull();
  });

  it('excludes schools without result or participants, honours exclusions, refuses tiny regions', () => {
    const data = region.map((s, i) => ({ ...s, result: i === 0 ? null : s.result, participants: i === 1 ? 0 : s.participants }));
    const fit = ok(fitContextModel(data, { exclude: ['SOCIAL_INDEX'] }));
    expect(fit.excludedSchools).toEqual([
      { schoolId: region[0].schoolId, reason: 'NO_RESULT' },
      { schoolId: region[1].schoolId, reason: 'NO_PARTICIPANTS' },
    ]);
    expect(fit.n).toBe(58);
    expect(fit.variables.find((v) => v.variable === 'SOCIAL_INDEX')?.treatment).toBe('EXCLUDED');
    expect(fitContextModel([]).status).toBe('INSUFFICIENT_DATA');
    expect(fitContextModel(region.slice(0, 10)).status).toBe('INSUFFICIENT_DATA');
    expect(fitContextModel(region.slice(0, 10), { exclude: ['SCHOOL_TYPE', 'URBAN', 'SOCIAL_INDEX', 'SHARE_DISABLED_PCT'] }).status).toBe('OK');
  });
});
