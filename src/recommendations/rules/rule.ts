import { ZONE_LEVEL_RANK, MarkerCode, ZoneKind, ZoneLevel } from '../../risk/markers';

/**
 * A recommendation rule: when a school × year profile meets `when`, the listed catalogue measures are
 * recommended. All conditions given in `when` must hold (AND); within `anyMarkers` one marker suffices.
 * A rule must be anchored in a finding — a marker condition or a zone condition — so that a clean
 * school can never receive measures.
 */
interface RuleCondition {
  /** At least one of these markers fired. */
  anyMarkers?: MarkerCode[];
  /** Every one of these markers fired (used where two signals agreeing is the escalation point). */
  allMarkers?: MarkerCode[];
  /** Only markers on these grades count for anyMarkers/allMarkers (e.g. the federal list's grades 4–5). */
  grades?: number[];
  /** The school's zone of this kind is at least this level. */
  zone?: { kind: ZoneKind; atLeast: ZoneLevel };
  /** The school has been flagged in `zone.kind` for at least this many consecutive years (requires `zone`). */
  minConsecutiveYears?: number;
  /** Conduct conditions of the last ВПР: a `true` here requires the same `true` in the profile. */
  conduct?: { noObservers?: boolean; noVideoAtChecking?: boolean };
}

export interface RecommendationRule {
  /** Stable identifier, UPPER_SNAKE_CASE; cited on every recommended measure. */
  code: string;
  descriptionRu: string;
  when: RuleCondition;
  /** Catalogue measure codes. */
  measures: string[];
  /** 1 is the most urgent; a measure recommended by several rules takes the most urgent priority. */
  priority: number;
}

/** «At least» in the order of concern; NO_DATA and INSUFFICIENT_DATA reach no threshold from NONE up. */
export function zoneAtLeast(level: ZoneLevel, threshold: ZoneLevel): boolean {
  return ZONE_LEVEL_RANK[level] >= ZONE_LEVEL_RANK[threshold];
}
