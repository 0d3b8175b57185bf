import type { Knex } from '@mikro-orm/postgresql';
import { intArrayLiteral } from '../../shared/sql';
import type { RecheckedWork } from '../indicators/types';
import type { FiredMarker, PreviousYearZones, SubjectGradeMarkers } from '../indicators/zones';
import type { ZoneLevel } from '../markers';
import { loadRegionResults } from './region-results';
import { resultKey, yearKey, type Baseline, type ConductRow, type RiskDataset } from './risk-dataset';

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Reads a region's risk inputs: the region snapshot (assessments, schools, every school's summaries with their
 * histograms, journal comparison and task completion — kept between recomputes and read again only for the schools
 * whose rows changed, see region-results.ts), the per-school detail (re-checks, conduct, earlier zones) only for the
 * target schools, and the region and Russia baselines the aggregates job keeps beside the reference values.
 * A fixed number of statements, issued together (a full recompute first needs the region's schools).
 */
export async function loadRiskDataset(knex: Knex, regionId: number, years: number[], targetSchoolIds: number[] | null): Promise<RiskDataset> {
  const minYear = Math.min(...years) - 1;
  const maxYear = Math.max(...years) + 1;
  const regionPromise = loadRegionResults(knex, regionId, minYear, maxYear);
  const targets = targetSchoolIds ?? [...(await regionPromise).schools.keys()];
  const targetSet = new Set(targets);
  const targetLiteral = intArrayLiteral(targets);
  // Independent statements, issued together: one school's recompute waits for the slowest of them rather
  // than for their sum.
  const [region, recheckRows, conductRows, baselineRows, storedZoneRows] = await Promise.all([
    regionPromise,
    rows(knex,
      `select school_id, assessment_id, original_score, recheck_score, original_mark, recheck_mark from recheck_result
       where school_id = any(?::int[]) and original_mark is not null and recheck_mark is not null`,
      [targetLiteral]),
    rows(knex,
      `select c.school_id, c.year, c.procedure, s.code as subject_code, c.grade, c.observers, c.video_at_checking
       from conduct_conditions c left join subject s on s.id = c.subject_id
       where c.school_id = any(?::int[]) and c.year between ? and ?`,
      [targetLiteral, minYear, maxYear]),
    rows(knex,
      `select b.assessment_id, b.level, b.percent2, b.percent3, b.percent4, b.percent5, b.mean_percent
       from benchmark_result b join assessment a on a.id = b.assessment_id
       where a.year between ? and ? and (b.level = 'RUSSIA' or (b.level = 'REGION' and b.region_id = ?))`,
      [minYear, maxYear, regionId]),
    rows(knex,
      `select school_id, year, objectivity, low_results, details -> 'objectivity' -> 'markersBySubjectGrade' as objectivity_units,
              details -> 'lowResults' -> 'markersBySubjectGrade' as low_results_units
       from risk_zone where school_id = any(?::int[]) and year < ?`,
      [targetLiteral, Math.min(...years)]),
  ]);

  const rechecks = new Map<string, RecheckedWork[]>();
  for (const r of recheckRows) {
    push(rechecks, resultKey(r.school_id, r.assessment_id), { originalScore: r.original_score, recheckScore: r.recheck_score, originalMark: r.original_mark, recheckMark: r.recheck_mark });
  }
  const conduct = new Map<string, ConductRow[]>();
  for (const r of conductRows) {
    push(conduct, yearKey(r.school_id, r.year), {
      procedure: r.procedure, subjectCode: r.subject_code, grade: r.grade, observersPresent: r.observers !== 'NONE', videoAtChecking: r.video_at_checking,
    });
  }
  const regionBaselines = new Map<number, Baseline>();
  const russia = new Map<number, Baseline>();
  for (const b of baselineRows) {
    const baseline: Baseline = {
      percents: b.percent2 === null ? null : [b.percent2, b.percent3, b.percent4, b.percent5],
      meanPercent: b.mean_percent,
    };
    (b.level === 'RUSSIA' ? russia : regionBaselines).set(b.assessment_id, baseline);
  }
  const storedZones = new Map<number, PreviousYearZones[]>();
  for (const r of storedZoneRows) {
    const units = [...(r.objectivity_units ?? []), ...(r.low_results_units ?? [])] as SubjectGradeMarkers[];
    const markers: FiredMarker[] = units.flatMap((u) => (u.markers ?? []).map((marker) => ({ marker, procedure: u.procedures?.[0] ?? null, subject: u.subject, grade: u.grade })));
    push(storedZones, r.school_id, { year: r.year, objectivity: r.objectivity as ZoneLevel, lowResults: r.low_results as ZoneLevel, markers });
  }

  return {
    regionId, years: [...years].sort((a, b) => a - b), targetSchoolIds: targetSet, region,
    rechecks, conduct, regionBaselines, russia, storedZones,
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function rows(knex: Knex, sql: string, bindings: readonly (string | number)[]): Promise<any[]> {
  return (await knex.raw(sql, bindings as (string | number)[])).rows;
}
