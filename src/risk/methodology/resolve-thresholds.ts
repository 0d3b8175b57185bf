import { MarkerCode, ZoneLevel } from '../markers';
import { DEFAULT_THRESHOLDS, RiskThresholds } from './thresholds';

/** A region's overrides: any subset of any section (stored per region and version by the hub). */
export type ThresholdOverrides = { [Section in keyof RiskThresholds]?: Partial<RiskThresholds[Section]> };

/** Thrown when an override (or a merged combination) is not a valid threshold. */
export class InvalidThresholdsError extends Error {
  constructor(
    /** Dotted path of the offending key, e.g. "boundaryBunching.alpha". */
    readonly key: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`Invalid risk threshold "${key}": expected ${expected}, got ${describe(value)}`);
    this.name = 'InvalidThresholdsError';
  }
}

/**
 * Deep-merges a region's overrides onto `DEFAULT_THRESHOLDS` and validates the result.
 * Unknown sections or keys are errors rather than being ignored: a typo in a stored regional config
 * ("alpah") would otherwise silently run the defaults. Arrays (e.g. `zones.riskOnTheirOwn`) replace
 * the default whole. The result is a fresh frozen object.
 */
export function resolveThresholds(overrides: ThresholdOverrides = {}): RiskThresholds {
  if (!isPlainObject(overrides)) throw new InvalidThresholdsError('(root)', overrides, 'an object of sections');
  const merged: Record<string, Record<string, unknown>> = {};
  for (const [section, defaults] of Object.entries(DEFAULT_THRESHOLDS)) {
    merged[section] = { ...(defaults as object) };
  }
  for (const [section, sectionOverrides] of Object.entries(overrides)) {
    if (!(section in merged)) throw new InvalidThresholdsError(section, sectionOverrides, `a known section (${Object.keys(merged).join(', ')})`);
    if (sectionOverrides === undefined) continue;
    if (!isPlainObject(sectionOverrides)) throw new InvalidThresholdsError(section, sectionOverrides, 'an object of thresholds');
    for (const [key, value] of Object.entries(sectionOverrides)) {
      if (!(key in merged[section])) {
        throw new InvalidThresholdsError(`${section}.${key}`, value, `a known key of "${section}" (${Object.keys(merged[section]).join(', ')})`);
      }
      if (value === undefined) continue;
      merged[section][key] = Array.isArray(value) ? [...value] : value;
    }
  }
  const thresholds = merged as unknown as RiskThresholds;
  validateThresholds(thresholds);
  for (const section of Object.values(merged)) {
    for (const value of Object.values(section)) if (Array.isArray(value)) Object.freeze(value);
    Object.freeze(section);
  }
  return Object.freeze(thresholds);
}

type Check = (value: unknown) => string | null;

const probability: Check = (v) => (typeof v === 'number' && v > 0 && v < 1 ? null : 'a number strictly between 0 and 1');
const share: Check = (v) => (typeof v === 'number' && v >= 0 && v <= 1 ? null : 'a share between 0 and 1');
const positiveShare: Check = (v) => (typeof v === 'number' && v > 0 && v <= 1 ? null : 'a share in (0, 1]');
const positiveNumber: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? null : 'a positive number');
const nonNegativeNumber: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? null : 'a non-negative number');
const integerAtLeast =
  (min: number): Check =>
  (v) => (typeof v === 'number' && Number.isInteger(v) && v >= min ? null : `an integer ≥ ${min}`);
const oneOf =
  (...options: string[]): Check =>
  (v) => (typeof v === 'string' && options.includes(v) ? null : `one of ${options.join(', ')}`);
const boolean: Check = (v) => (typeof v === 'boolean' ? null : 'true or false');
const markerList: Check = (v) =>
  Array.isArray(v) && v.every((m) => Object.values(MarkerCode).includes(m as MarkerCode)) ? null : 'a list of MarkerCode values';

/** One check per key: the spec has exactly the keys of `RiskThresholds` (the type enforces it). */
const SPEC: { [S in keyof RiskThresholds]: { [K in keyof RiskThresholds[S]]: Check } } = {
  highResults: {
    minShrunkenZ: positiveNumber,
    minParticipants: integerAtLeast(1),
    minRegionSchools: integerAtLeast(3),
    minPeerGroupSchools: integerAtLeast(3),
    inDepthExtraZ: nonNegativeNumber,
  },
  boundaryBunching: {
    alpha: probability,
    fdrAlpha: probability,
    minParticipants: integerAtLeast(1),
    reliableParticipants: integerAtLeast(1),
    windowWidth: integerAtLeast(1),
    exclusionBelow: integerAtLeast(1),
    minReferenceWorks: integerAtLeast(1),
    regionPolynomialDegree: integerAtLeast(1),
    schoolTiltDegree: integerAtLeast(0),
    smallHistogramPolynomialDegree: integerAtLeast(1),
    largeHistogramParticipants: integerAtLeast(1),
    minExcessShare: share,
  },
  recheck: {
    minWorks: integerAtLeast(1),
    lostMarkShare: positiveShare,
    minLostMarks: integerAtLeast(1),
    meanPointsLostShareOfMax: positiveShare,
    honestLostMarkRate: probability,
  },
  lowResults: {
    failShare: positiveShare,
    minProceduresThisYear: integerAtLeast(1),
    minPersistentProcedures: integerAtLeast(0),
    minParticipantsPerProcedure: integerAtLeast(1),
    shrinkFailShares: boolean,
    failsRisingPoints: positiveShare,
    failsRisingMinParticipants: integerAtLeast(1),
    minGraduatesBelowMinimum: integerAtLeast(1),
  },
  benchmarks: {
    meanShareOfMaxMargin: share,
    failShareMargin: share,
    share45Margin: share,
    compareWith: oneOf('REGION', 'RUSSIA', 'BOTH', 'EITHER'),
    minParticipants: integerAtLeast(1),
  },
  zones: {
    agreeingIndicatorsForRisk: integerAtLeast(1),
    subjectGradesForRisk: integerAtLeast(1),
    sameSignYearsForRisk: integerAtLeast(0),
    escalationConsecutiveYears: integerAtLeast(2),
    persistenceLevel: oneOf(ZoneLevel.WATCH, ZoneLevel.RISK),
    riskOnTheirOwn: markerList,
    contextMarkers: markerList,
    corroborativeMarkers: markerList,
  },
  evidence: {
    riskFdr: probability,
    watchFdr: probability,
    markerZ: positiveNumber,
    seriesMinYearZ: nonNegativeNumber,
    minParticipants: integerAtLeast(2),
    windowWidth: integerAtLeast(1),
  },
};

/** Validates every key, then the constraints that tie keys together. */
function validateThresholds(thresholds: RiskThresholds): void {
  for (const [section, checks] of Object.entries(SPEC) as [keyof RiskThresholds, Record<string, Check>][]) {
    const values = thresholds[section] as unknown as Record<string, unknown>;
    for (const [key, check] of Object.entries(checks)) {
      const problem = check(values[key]);
      if (problem) throw new InvalidThresholdsError(`${section}.${key}`, values[key], problem);
    }
  }
  const bunching = thresholds.boundaryBunching;
  if (bunching.reliableParticipants < bunching.minParticipants) {
    throw new InvalidThresholdsError(
      'boundaryBunching.reliableParticipants',
      bunching.reliableParticipants,
      `a value ≥ boundaryBunching.minParticipants (${bunching.minParticipants})`,
    );
  }
  const zones = thresholds.zones;
  const both = zones.riskOnTheirOwn.find((m) => zones.contextMarkers.includes(m) || zones.corroborativeMarkers.includes(m));
  if (both) {
    throw new InvalidThresholdsError('zones.riskOnTheirOwn', zones.riskOnTheirOwn, `no marker that is also a context or corroborating marker (${both})`);
  }
  const contextAndCorroborating = zones.contextMarkers.find((m) => zones.corroborativeMarkers.includes(m));
  if (contextAndCorroborating) {
    throw new InvalidThresholdsError('zones.corroborativeMarkers', zones.corroborativeMarkers, `no marker that is also a context marker (${contextAndCorroborating})`);
  }
  const evidence = thresholds.evidence;
  if (evidence.watchFdr < evidence.riskFdr) {
    throw new InvalidThresholdsError('evidence.watchFdr', evidence.watchFdr, `a rate ≥ evidence.riskFdr (${evidence.riskFdr}): WATCH is the looser of the two`);
  }
  const low = thresholds.lowResults;
  if (low.minPersistentProcedures > low.minProceduresThisYear) {
    throw new InvalidThresholdsError(
      'lowResults.minPersistentProcedures',
      low.minPersistentProcedures,
      `a value ≤ lowResults.minProceduresThisYear (${low.minProceduresThisYear})`,
    );
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
