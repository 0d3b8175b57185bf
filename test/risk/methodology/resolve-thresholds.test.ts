import { MarkerCode } from '../../../src/risk/markers';
import { DEFAULT_THRESHOLDS, RiskThresholds } from '../../../src/risk/methodology/thresholds';
import { InvalidThresholdsError, resolveThresholds, ThresholdOverrides } from '../../../src/risk/methodology/resolve-thresholds';
import { METHODOLOGY_VERSION } from '../../../src/risk/methodology/version';

describe('methodology thresholds', () => {
  it('is version 2 and the defaults validate', () => {
    expect(METHODOLOGY_VERSION).toBe(2);
    expect(resolveThresholds()).toEqual(DEFAULT_THRESHOLDS);
    expect(resolveThresholds({})).toEqual(DEFAULT_THRESHOLDS);
  });

  it('defaults are frozen so nobody mutates the shared methodology', () => {
    expect(Object.isFrozen(DEFAULT_THRESHOLDS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_THRESHOLDS.boundaryBunching)).toBe(true);
    expect(Object.isFrozen(DEFAULT_THRESHOLDS.zones.riskOnTheirOwn)).toBe(true);
  });

  it('overrides any subset and keeps the other defaults', () => {
    const resolved = resolveThresholds({ boundaryBunching: { alpha: 0.01 }, lowResults: { failShare: 0.25 } });
    expect(resolved.boundaryBunching.alpha).toBe(0.01);
    expect(resolved.boundaryBunching.minParticipants).toBe(DEFAULT_THRESHOLDS.boundaryBunching.minParticipants);
    expect(resolved.lowResults.failShare).toBe(0.25);
    expect(resolved.highResults).toEqual(DEFAULT_THRESHOLDS.highResults);
    expect(DEFAULT_THRESHOLDS.boundaryBunching.alpha).toBe(0.05);
  });

  it('replaces arrays whole', () => {
    const resolved = resolveThresholds({ zones: { riskOnTheirOwn: [MarkerCode.FAILS_RISING, MarkerCode.LOW_RESULTS_PERSISTENT] } });
    expect(resolved.zones.riskOnTheirOwn).toEqual([MarkerCode.FAILS_RISING, MarkerCode.LOW_RESULTS_PERSISTENT]);
    // A graduate below the ГИА minimum as a RISK driver is a configuration away — once it is no longer context.
    const strict = resolveThresholds({
      zones: { riskOnTheirOwn: [MarkerCode.GIA_BELOW_MINIMUM, MarkerCode.LOW_RESULTS_PERSISTENT], contextMarkers: [MarkerCode.ABOVE_BENCHMARK, MarkerCode.BELOW_BENCHMARK] },
    });
    expect(strict.zones.riskOnTheirOwn).toEqual([MarkerCode.GIA_BELOW_MINIMUM, MarkerCode.LOW_RESULTS_PERSISTENT]);
  });

  it('rejects a marker that is both a RISK driver and context, or context and corroborating', () => {
    expect(() => resolveThresholds({ zones: { riskOnTheirOwn: [MarkerCode.GIA_BELOW_MINIMUM] } })).toThrow(/"zones\.riskOnTheirOwn".*GIA_BELOW_MINIMUM/);
    expect(() => resolveThresholds({ zones: { corroborativeMarkers: [MarkerCode.ABOVE_BENCHMARK] } })).toThrow(/"zones\.corroborativeMarkers".*ABOVE_BENCHMARK/);
  });

  it.each<[string, unknown, RegExp]>([
    ['boundaryBunching.alpha', { boundaryBunching: { alpha: 1.5 } }, /"boundaryBunching\.alpha".*strictly between 0 and 1.*1\.5/],
    ['lowResults.failShare', { lowResults: { failShare: '0,3' } }, /"lowResults\.failShare".*"0,3"/],
    ['boundaryBunching.minParticipants', { boundaryBunching: { minParticipants: 20.5 } }, /integer ≥ 1, got 20\.5/],
    ['benchmarks.compareWith', { benchmarks: { compareWith: 'ALL' } }, /one of REGION, RUSSIA, BOTH, EITHER, got "ALL"/],
    ['evidence.riskFdr', { evidence: { riskFdr: 0 } }, /"evidence\.riskFdr".*strictly between 0 and 1/],
    ['zones.persistenceLevel', { zones: { persistenceLevel: 'HIGH_RISK' } }, /one of WATCH, RISK, got "HIGH_RISK"/],
    ['lowResults.shrinkFailShares', { lowResults: { shrinkFailShares: 'yes' } }, /true or false, got "yes"/],
    ['boundaryBunching.exclusionBelow', { boundaryBunching: { exclusionBelow: 0 } }, /integer ≥ 1, got 0/],
    ['zones.riskOnTheirOwn', { zones: { riskOnTheirOwn: ['NOT_A_MARKER'] } }, /list of MarkerCode values/],
    ['boundaryBunching.alpah', { boundaryBunching: { alpah: 0.01 } }, /"boundaryBunching\.alpah".*known key/],
    ['bunching', { bunching: { alpha: 0.01 } }, /"bunching".*known section/],
    ['evidence', { evidence: 5 }, /"evidence".*object of thresholds/],
    ['journalMismatch', { journalMismatch: { alpha: 0.01 } }, /"journalMismatch".*known section/],
  ])('rejects a bad %s with a clear message', (key, overrides, message) => {
    expect(() => resolveThresholds(overrides as ThresholdOverrides)).toThrow(message);
    try {
      resolveThresholds(overrides as ThresholdOverrides);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidThresholdsError);
      expect((error as InvalidThresholdsError).key).toBe(key);
    }
  });

  it('checks keys that constrain each other', () => {
    expect(() => resolveThresholds({ boundaryBunching: { minParticipants: 60 } })).toThrow(/reliableParticipants.*≥ boundaryBunching\.minParticipants \(60\)/);
    expect(() => resolveThresholds({ lowResults: { minPersistentProcedures: 3 } })).toThrow(/minPersistentProcedures/);
    expect(() => resolveThresholds({ evidence: { watchFdr: 0.05, riskFdr: 0.1 } })).toThrow(/"evidence\.watchFdr".*≥ evidence\.riskFdr/);
    expect(resolveThresholds({ boundaryBunching: { minParticipants: 60, reliableParticipants: 80 } }).boundaryBunching.reliableParticipants).toBe(80);
  });

  it('returns a frozen copy the caller cannot change', () => {
    const resolved: RiskThresholds = resolveThresholds({ zones: { escalationConsecutiveYears: 4 } });
    expect(Object.isFrozen(resolved.zones)).toBe(true);
    expect(() => {
      (resolved.zones as { escalationConsecutiveYears: number }).escalationConsecutiveYears = 9;
    }).toThrow(TypeError);
  });
});
