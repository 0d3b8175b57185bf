import { MARKER_ZONE, ZoneKind, ZoneLevel } from '../../risk/markers';
import type { MarkerFinding, SchoolRiskProfile } from './profile';
import { RecommendationRule, zoneAtLeast } from './rule';
import { ZONE_KIND_RU, ZONE_LEVEL_RU, yearsRu } from './wording-ru';

/** Why a rule fired: the markers it cites and the non-marker conditions it met, worded in Russian. */
export interface RuleMatch {
  citedMarkers: MarkerFinding[];
  conditionsRu: string[];
}

/** Returns null when the rule does not apply to the profile. */
export function matchRule(rule: RecommendationRule, profile: SchoolRiskProfile): RuleMatch | null {
  const when = rule.when;
  const hasMarkerCondition = Boolean(when.anyMarkers?.length || when.allMarkers?.length);
  // An unanchored rule would hand measures to clean schools; the validator reports it, here it never fires.
  if (!hasMarkerCondition && !when.zone) return null;

  const inGrades = (m: MarkerFinding) => !when.grades || (m.grade !== null && when.grades.includes(m.grade));
  const markers = profile.markers.filter(inGrades);
  const cited: MarkerFinding[] = [];

  if (when.anyMarkers?.length) {
    const hits = markers.filter((m) => when.anyMarkers!.includes(m.code));
    if (hits.length === 0) return null;
    cited.push(...hits);
  }
  if (when.allMarkers?.length) {
    if (!when.allMarkers.every((code) => markers.some((m) => m.code === code))) return null;
    cited.push(...markers.filter((m) => when.allMarkers!.includes(m.code)));
  }

  const conditionsRu: string[] = [];
  if (when.zone) {
    const level = zoneLevelOf(profile, when.zone.kind);
    if (!zoneAtLeast(level, when.zone.atLeast)) return null;
    conditionsRu.push(`зона «${ZONE_LEVEL_RU[level]}» по направлению «${ZONE_KIND_RU[when.zone.kind]}»`);
    // A zone-only rule is triggered by whatever put the school in the zone: cite those markers.
    if (!hasMarkerCondition) cited.push(...profile.markers.filter((m) => MARKER_ZONE[m.code] === when.zone!.kind));
  }
  if (when.minConsecutiveYears !== undefined) {
    if (!when.zone) return null;
    const years = consecutiveYearsOf(profile, when.zone.kind);
    if (years < when.minConsecutiveYears) return null;
    conditionsRu.push(`${yearsRu(years)} подряд в зоне «${ZONE_KIND_RU[when.zone.kind]}»`);
  }
  if (when.conduct?.noObservers) {
    if (!profile.conduct.noObservers) return null;
    conditionsRu.push('ВПР проводилась без независимых наблюдателей');
  }
  if (when.conduct?.noVideoAtChecking) {
    if (!profile.conduct.noVideoAtChecking) return null;
    conditionsRu.push('работы ВПР проверялись без видеонаблюдения');
  }
  return { citedMarkers: cited, conditionsRu };
}

function zoneLevelOf(profile: SchoolRiskProfile, kind: ZoneKind): ZoneLevel {
  return kind === 'OBJECTIVITY' ? profile.objectivityZone : profile.lowResultsZone;
}

function consecutiveYearsOf(profile: SchoolRiskProfile, kind: ZoneKind): number {
  return kind === 'OBJECTIVITY' ? profile.consecutiveYearsFlagged.objectivity : profile.consecutiveYearsFlagged.lowResults;
}
