import { ZoneLevel } from '../markers';

/** A school's stored zones and fired markers, as the scoring needs them. */
export interface SchoolRiskRecord {
  schoolId: number;
  years: { year: number; objectivity: ZoneLevel; lowResults: ZoneLevel; markers: string[] }[];
}

export interface PlantedSchool {
  schoolId: number;
  kinds: { kind: string; years: number[] }[];
}

export interface DetectionScore {
  planted: number;
  found: number;
  flagged: number;
  flaggedPlanted: number;
  clean: number;
  flaggedClean: number;
  precision: number;
  recall: number;
  cleanFalsePositiveRate: number;
  missed: { schoolId: number; kinds: string[] }[];
  falseAlarms: number[];
}

const AT_LEAST_RISK = new Set([ZoneLevel.RISK, ZoneLevel.HIGH_RISK]);
/** Planted kinds that show as low results rather than as non-objective results. */
const LOW_RESULT_KINDS = new Set(['PERSISTENT_FAILS']);

/**
 * How well zones find planted anomalies. A school is flagged when its objectivity zone reaches RISK in any
 * year, or the persistent-low-results marker fires. A planted school is found when, in one of its planted
 * years, the zone matching its kind reaches RISK (for low results: or the persistent marker fires).
 * Naturally weak schools with honest low results are not anomalies and are not counted as flagged.
 */
export function scoreDetection(records: SchoolRiskRecord[], planted: PlantedSchool[]): DetectionScore {
  const plantedById = new Map(planted.map((p) => [p.schoolId, p]));
  const flaggedIds = new Set<number>();
  let found = 0;
  const missed: DetectionScore['missed'] = [];
  for (const record of records) {
    if (record.years.some((y) => AT_LEAST_RISK.has(y.objectivity) || y.markers.includes('LOW_RESULTS_PERSISTENT'))) flaggedIds.add(record.schoolId);
  }
  const byId = new Map(records.map((r) => [r.schoolId, r]));
  for (const p of planted) {
    const record = byId.get(p.schoolId);
    const isFound = p.kinds.some(({ kind, years }) =>
      (record?.years ?? []).some(
        (y) =>
          years.includes(y.year) &&
          (LOW_RESULT_KINDS.has(kind) ? AT_LEAST_RISK.has(y.lowResults) || y.markers.includes('LOW_RESULTS_PERSISTENT') : AT_LEAST_RISK.has(y.objectivity)),
      ),
    );
    if (isFound) found++;
    else missed.push({ schoolId: p.schoolId, kinds: p.kinds.map((k) => k.kind) });
  }
  const flaggedPlanted = [...flaggedIds].filter((id) => plantedById.has(id)).length;
  const falseAlarms = [...flaggedIds].filter((id) => !plantedById.has(id)).sort((a, b) => a - b);
  const clean = records.filter((r) => !plantedById.has(r.schoolId)).length;
  return {
    planted: planted.length,
    found,
    flagged: flaggedIds.size,
    flaggedPlanted,
    clean,
    flaggedClean: falseAlarms.length,
    precision: flaggedIds.size === 0 ? 1 : flaggedPlanted / flaggedIds.size,
    recall: planted.length === 0 ? 1 : found / planted.length,
    cleanFalsePositiveRate: clean === 0 ? 0 : falseAlarms.length / clean,
    missed,
    falseAlarms,
  };
}
