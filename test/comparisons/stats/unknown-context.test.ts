import { typeFamilyOf } from '../../../src/comparisons/stats/context-bands';
import { fitContextModel } from '../../../src/comparisons/stats/context-model';
import { findPeers } from '../../../src/comparisons/context/peers';
import type { ContextModelSchool } from '../../../src/comparisons/stats/context-design';
import { simulateRegion } from './support/region';

/** A directory with «не указано»: type or locality unknown is counted, never guessed as «село» or «общая». */
describe('schools of unknown type or locality in the analyses', () => {
  const region = simulateRegion(2024, 150);

  it('the kind of a school of unknown type is unknown, unless it has in-depth study', () => {
    expect(typeFamilyOf(null)).toBeNull();
    expect(typeFamilyOf(null, true)).toBe('SELECTIVE');
    expect(typeFamilyOf('SOSH')).toBe('GENERAL');
  });

  it('the context model keeps every school and reports how many lack their type and locality', () => {
    const data: ContextModelSchool[] = region.map((s, i) => ({ ...s, type: i % 15 === 0 ? null : s.type, urban: i % 10 === 1 ? null : s.urban }));
    const fit = fitContextModel(data);
    if (fit.status !== 'OK') throw new Error(`expected a fit, got ${fit.reason}`);
    expect(fit.schools).toHaveLength(region.length);
    expect(fit.variables.find((v) => v.variable === 'SCHOOL_TYPE')).toMatchObject({ treatment: 'USED', missing: 10 });
    expect(fit.variables.find((v) => v.variable === 'URBAN')).toMatchObject({ treatment: 'MEAN_IMPUTED_WITH_INDICATOR', missing: 15 });
    expect(fit.coefficients.map((c) => c.name)).toContain('URBAN_MISSING');
  });

  it('peers of a school of unknown locality are sought among schools like it, then more widely', () => {
    const data = region.map((s, i) => ({ ...s, urban: i < 3 ? null : s.urban }));
    const selection = findPeers(data[0].schoolId, data, { k: 5 });
    expect(selection.restriction).not.toBe('SAME_LOCALITY_AND_FAMILY'); // only two others share the unknown
    expect(selection.peers).toHaveLength(5);
  });
});
