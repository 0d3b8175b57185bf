import type { Knex } from '@mikro-orm/postgresql';
import type { DemoRegion } from '../../demo';
import type { ZoneLevel } from '../markers';
import type { PlantedSchool, SchoolRiskRecord } from './detection-score';

/** Stored zones and fired markers of every school, for scoring. */
export async function loadRiskRecords(knex: Knex): Promise<SchoolRiskRecord[]> {
  const zones = (await knex.raw(`select school_id, year, objectivity, low_results from risk_zone order by school_id, year`)).rows;
  const markers = (await knex.raw(`select school_id, year, array_agg(distinct check_code) as markers from risk_indicator_value where status = 'FLAGGED' group by school_id, year`)).rows;
  const markerMap = new Map(markers.map((m: { school_id: number; year: number; markers: string[] }) => [`${m.school_id}:${m.year}`, m.markers]));
  const records = new Map<number, SchoolRiskRecord>();
  for (const z of zones) {
    const record: SchoolRiskRecord = records.get(z.school_id) ?? { schoolId: z.school_id, years: [] };
    record.years.push({ year: z.year, objectivity: z.objectivity as ZoneLevel, lowResults: z.low_results as ZoneLevel, markers: (markerMap.get(`${z.school_id}:${z.year}`) as string[]) ?? [] });
    records.set(z.school_id, record);
  }
  return [...records.values()];
}

/** The generator's planted manifest in hub school ids. */
export function plantedSchools(region: DemoRegion, hubIdOf: Map<string, number>): PlantedSchool[] {
  const bySchool = new Map<number, PlantedSchool>();
  for (const p of region.planted) {
    const id = hubIdOf.get(p.schoolId);
    if (id === undefined) continue;
    const entry = bySchool.get(id) ?? { schoolId: id, kinds: [] };
    entry.kinds.push({ kind: p.kind, years: p.years });
    bySchool.set(id, entry);
  }
  return [...bySchool.values()];
}
