import type { Knex } from '@mikro-orm/postgresql';
import { intArrayLiteral } from '../../shared/sql';
import { packedResultsSql, unpackResults } from './packed-results';
import type { AssessmentInfo, ResultSummary, SchoolInfo } from './risk-dataset';
import { PerDatabaseCache, rowVersionSum, versionText } from './row-versions';

/**
 * What a recompute needs of every school of the region, whichever schools it recomputes: the assessments,
 * the schools (type, in-depth study by year) and every school's result summaries — the baselines, ranks,
 * year-to-year changes and shrinkage models are built from them. A snapshot is never changed once built;
 * derived structures may be kept beside it (evaluate-region.ts keys them on the snapshot object).
 */
export interface RegionResults {
  assessments: Map<number, AssessmentInfo>;
  schools: Map<number, SchoolInfo>;
  /** Each school's summaries, by assessment id. */
  resultsBySchool: Map<number, ResultSummary[]>;
  /**
   * The same rows in one list: schools by id, each school's rows by assessment id. A fixed order, so that sums
   * over the region come out the same to the last bit whether the region was read whole or school by school.
   */
  results: ResultSummary[];
}

interface SchoolEntry {
  version: string;
  info: SchoolInfo;
  results: ResultSummary[];
}

interface CachedRegion {
  snapshot: RegionResults;
  assessmentsKey: string;
  /** Version of all the region's rows together: unchanged, nothing needs comparing school by school. */
  regionVersion: string;
  schools: Map<number, SchoolEntry>;
}

const IN_DEPTH_TYPES = new Set(['LYCEUM', 'GYMNASIUM']);

/**
 * The last snapshot read per region and year range, in this process. Reading a region whole is most of a
 * one-school recompute (tens of thousands of summaries, and the models built on them); between two recomputes
 * almost nothing changes, so each read asks only for the schools whose rows have a new version (row-versions.ts).
 */
const cache = new PerDatabaseCache<CachedRegion>(8);

/**
 * The version of all the region's school, result and context rows together: one pass over the rows and no
 * grouping, the usual answer being "nothing changed".
 */
const REGION_VERSION_SQL = `
select ${versionText(
  `(select ${versionText('count(*)', `coalesce(${rowVersionSum('s')}, 0)`)} from school s where s.region_id = ?)`,
  `(select ${versionText('count(*)', `coalesce(${rowVersionSum('sr')}, 0)`)} from school_result sr
    where sr.year between ? and ? and sr.school_id in (select id from school where region_id = ?))`,
  `(select ${versionText('count(*)', `coalesce(${rowVersionSum('c')}, 0)`)} from school_context c
    where c.year between ? and ? and c.school_id in (select id from school where region_id = ?))`,
)} as version`;

/**
 * Per school of the region, the version of its school row, its result rows and its yearly context rows.
 * Plain joins on the tables (not on CTEs or parameter arrays, which the planner cannot estimate): a cheap plan,
 * and one PostgreSQL does not stop to compile.
 */
const REGION_VERSIONS_SQL = `
select s.id, ${versionText('s.xmin::text', 'coalesce(r.n, 0)', 'coalesce(r.h, 0)', 'coalesce(c.n, 0)', 'coalesce(c.h, 0)')} as version
from school s
left join (
  select sr.school_id, count(*) as n, ${rowVersionSum('sr')} as h from school_result sr
  where sr.year between ? and ? and sr.school_id in (select id from school where region_id = ?) group by sr.school_id
) r on r.school_id = s.id
left join (
  select c.school_id, count(*) as n, ${rowVersionSum('c')} as h from school_context c
  where c.year between ? and ? and c.school_id in (select id from school where region_id = ?) group by c.school_id
) c on c.school_id = s.id
where s.region_id = ?
order by s.id`;

/** The rows of the given schools: the school, its packed summaries, its in-depth flags by year. */
const SCHOOL_ROWS_SQL = `
select s.id, s.municipality_id, s.type, r.results, c.years as context_years, c.in_depth as context_in_depth
from school s
left join (
  select sr.school_id, ${packedResultsSql('sr')} as results from school_result sr
  where sr.year between ? and ? and sr.school_id = any(?::int[]) group by sr.school_id
) r on r.school_id = s.id
left join (
  select c.school_id, array_agg(c.year order by c.year) as years, array_agg(c.in_depth_study order by c.year) as in_depth from school_context c
  where c.year between ? and ? and c.school_id = any(?::int[]) group by c.school_id
) c on c.school_id = s.id
where s.id = any(?::int[])`;

interface SchoolRow {
  id: number;
  municipality_id: number;
  type: string;
  results: string | null;
  context_years: number[] | null;
  context_in_depth: boolean[] | null;
}

/**
 * The region's assessments, schools and summaries for `minYear`…`maxYear`: the snapshot kept from an earlier
 * read when no school's rows and no assessment changed since, else a new one with only the changed schools
 * read again. Versions are always read before the rows they describe: rows newer than their version only make
 * the next read read them again, while rows older than their version — which would then be kept for good —
 * cannot happen.
 */
export async function loadRegionResults(knex: Knex, regionId: number, minYear: number, maxYear: number): Promise<RegionResults> {
  const key = `${regionId}:${minYear}-${maxYear}`;
  const cached = cache.get(knex, key);
  const [assessmentRows, [{ version: regionVersion }]] = await Promise.all([
    rows(knex,
      // The scale that applies in this region: the confirmed one, else the region's provisional one.
      `select a.id, a.procedure, a.year, a.grade, s.code as subject_code, s.name as subject_name, sc.max_primary, sc.mark_boundaries, sc.minimum_test_score, sc.tasks
       from assessment a join subject s on s.id = a.subject_id join applicable_scale sc on sc.assessment_id = a.id and sc.region_id = ?
       where a.year between ? and ? order by a.id`,
      [regionId, minYear, maxYear]),
    rows(knex, REGION_VERSION_SQL, [regionId, minYear, maxYear, regionId, minYear, maxYear, regionId]),
  ]);
  // What the derived structures read of an assessment; compared as text, so any change of them is seen.
  const assessmentsKey = JSON.stringify(assessmentRows);
  if (cached && regionVersion === cached.regionVersion && assessmentsKey === cached.assessmentsKey) return cached.snapshot;

  const versionRows: { id: number; version: string }[] = await rows(knex, REGION_VERSIONS_SQL, [minYear, maxYear, regionId, minYear, maxYear, regionId, regionId]);
  const changed = versionRows.filter((v) => cached?.schools.get(v.id)?.version !== v.version).map((v) => v.id);
  const fresh = new Map<number, SchoolRow>();
  if (changed.length > 0) {
    const ids = intArrayLiteral(changed);
    for (const row of await rows(knex, SCHOOL_ROWS_SQL, [minYear, maxYear, ids, minYear, maxYear, ids, ids])) fresh.set(row.id, row);
  }
  const schools = new Map<number, SchoolEntry>();
  for (const { id, version } of versionRows) {
    const row = fresh.get(id);
    const entry = row ? readSchool(row, version) : cached?.schools.get(id);
    if (entry) schools.set(id, entry); // a school gone between the two statements: left out until the next read
  }
  const snapshot: RegionResults = {
    assessments: new Map(assessmentRows.map((a: any) => [a.id, toAssessment(a)])),
    schools: new Map([...schools].map(([id, entry]) => [id, entry.info])),
    resultsBySchool: new Map([...schools].map(([id, entry]) => [id, entry.results])),
    results: [...schools.values()].flatMap((entry) => entry.results),
  };
  cache.set(knex, key, { snapshot, assessmentsKey, regionVersion, schools });
  return snapshot;
}

function readSchool(row: SchoolRow, version: string): SchoolEntry {
  const inDepthByYear = new Map<number, boolean>();
  (row.context_years ?? []).forEach((year, i) => inDepthByYear.set(year, Boolean(row.context_in_depth?.[i]) || IN_DEPTH_TYPES.has(row.type)));
  return {
    version,
    info: { id: row.id, municipalityId: row.municipality_id, type: row.type, inDepthByYear },
    results: row.results ? unpackResults(row.id, row.results) : [],
  };
}

function toAssessment(a: any): AssessmentInfo {
  return {
    id: a.id, procedure: a.procedure, year: a.year, grade: a.grade, subjectCode: a.subject_code, subjectName: a.subject_name,
    maxPrimary: a.max_primary, boundaries: a.mark_boundaries, minimumTestScore: a.minimum_test_score, tasks: a.tasks,
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function rows(knex: Knex, sql: string, bindings: readonly (string | number)[]): Promise<any[]> {
  return (await knex.raw(sql, bindings as (string | number)[])).rows;
}
