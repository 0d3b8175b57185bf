import { MarkerCode, ZoneLevel } from '../../src/risk/markers';
import type { MarkerFinding, SchoolRiskProfile } from '../../src/recommendations/rules/profile';

/** Builders for school × year profiles used by the recommendation tests. */

export function cleanProfile(overrides: Partial<SchoolRiskProfile> = {}): SchoolRiskProfile {
  return {
    schoolId: 'sch660001',
    year: 2024,
    objectivityZone: ZoneLevel.NONE,
    lowResultsZone: ZoneLevel.NONE,
    consecutiveYearsFlagged: { objectivity: 0, lowResults: 0 },
    markers: [],
    conduct: { noObservers: false, noVideoAtChecking: false },
    ...overrides,
  };
}

export function marker(code: MarkerCode, overrides: Partial<MarkerFinding> = {}): MarkerFinding {
  return {
    code,
    procedure: 'ВПР',
    subject: 'Русский язык',
    grade: 4,
    value: 2.5,
    explanationRu: `сработал маркер ${code}`,
    ...overrides,
  };
}

/** A profile flagged in the objectivity zone (WATCH) by the given markers. */
export function objectivityProfile(markers: MarkerFinding[], overrides: Partial<SchoolRiskProfile> = {}): SchoolRiskProfile {
  return cleanProfile({
    objectivityZone: ZoneLevel.WATCH,
    consecutiveYearsFlagged: { objectivity: 1, lowResults: 0 },
    markers,
    ...overrides,
  });
}

/** A profile flagged in the low-results zone (WATCH) by the given markers. */
export function lowResultsProfile(markers: MarkerFinding[], overrides: Partial<SchoolRiskProfile> = {}): SchoolRiskProfile {
  return cleanProfile({
    lowResultsZone: ZoneLevel.WATCH,
    consecutiveYearsFlagged: { objectivity: 0, lowResults: 1 },
    markers,
    ...overrides,
  });
}
