import type { Knex } from '@mikro-orm/postgresql';
import { intArrayLiteral } from '../../shared/sql';
import { SortedPValues, upperBound } from '../stats/multipleTesting';
import type { ZoneOutcome } from './evaluate-region';
import { PerDatabaseCache, rowVersionSum, versionText } from './row-versions';

/**
 * The stored p-values of the checks decided region-wide (Benjamini–Hochberg across the region's schools:
 * bunching, journal mismatch, task inversion) of the region's schools outside a recompute's targets: in a
 * recompute of some schools they take part in the correction, so it is the same as in a full recompute.
 */
export interface OtherSchoolsP {
  /** The p-values of `check` for `assessmentId`, sorted. */
  of(check: string, assessmentId: number): SortedPValues;
}

export const NO_OTHER_SCHOOLS: OtherSchoolsP = { of: () => EMPTY };
const EMPTY = SortedPValues.trusted(new Float64Array(0));

/** One school's stored p-values by `${check}:${assessmentId}` (one each: assessments belong to one year). */
type SchoolP = Map<string, number>;

interface SchoolEntry {
  version: string;
  p: SchoolP;
}

/**
 * Every school's p-values as stored beside its zones (`risk_zone.details.regionWideP`), each with the version
 * of the school's zone rows, and per check and assessment all of them sorted. Never changed once built: a
 * recompute running beside another may be reading it.
 */
interface RegionP {
  schools: Map<number, SchoolEntry>;
  sorted: Map<string, Float64Array>;
}

/**
 * Per region and years, in this process. Reading the p-values means opening every zone's details (large JSON)
 * and sorting a thousand values per check and assessment; between two recomputes only the schools just
 * recomputed have new ones, which move into the sorted lists one by one.
 */
const cache = new PerDatabaseCache<RegionP>(8);

const cacheKey = (regionId: number, years: readonly number[]) => `${regionId}:${[...years].sort((a, b) => a - b).join(',')}`;
const pKey = (check: string, assessmentId: number) => `${check}:${assessmentId}`;

/** Version of a school's zone rows of the years (the same text in both statements below). */
const ZONE_VERSION = versionText('count(*)', rowVersionSum('z'));

const REGION_VERSIONS_SQL = `
select z.school_id, ${ZONE_VERSION} as version from risk_zone z
where z.year = any(?::int[]) and z.school_id in (select id from school where region_id = ?)
group by z.school_id`;

/**
 * The stored p-values of the region's schools other than `targets`, for `years`. The versions are read
 * before the rows (see loadRegionResults): rows newer than their version are only read again next time.
 */
export async function loadOtherSchoolsP(knex: Knex, regionId: number, years: readonly number[], targets: ReadonlySet<number>): Promise<OtherSchoolsP> {
  const key = cacheKey(regionId, years);
  const cached = cache.get(knex, key);
  const yearList = intArrayLiteral(years);
  const versions: { school_id: number; version: string }[] = (await knex.raw(REGION_VERSIONS_SQL, [yearList, regionId])).rows;
  const changed = versions.filter((v) => cached?.schools.get(v.school_id)?.version !== v.version).map((v) => v.school_id);
  const fresh = new Map<number, unknown[]>();
  if (changed.length > 0) {
    const { rows } = await knex.raw(
      `select school_id, jsonb_agg(details -> 'regionWideP') as p from risk_zone where school_id = any(?::int[]) and year = any(?::int[]) group by school_id`,
      [intArrayLiteral(changed), yearList],
    );
    for (const row of rows as { school_id: number; p: unknown[] }[]) fresh.set(row.school_id, row.p);
  }
  const schools = new Map<number, SchoolEntry>();
  for (const { school_id: schoolId, version } of versions) {
    const p = fresh.get(schoolId);
    const entry = p ? { version, p: readSchoolP(p) } : cached?.schools.get(schoolId);
    if (entry) schools.set(schoolId, entry); // zones gone between the two statements: left out until the next read
  }
  let region = cached;
  if (!region || changed.length > 0 || schools.size !== region.schools.size) {
    region = withSchools(region, schools);
    cache.set(knex, key, region);
  }
  return othersThan(region, targets);
}

/**
 * Versions of the zone rows of `schoolIds` for `years`, read inside the transaction that has just written
 * them: what every reader sees once it commits (the rows' `xmin` is this transaction).
 */
export async function writtenZoneVersions(trx: Knex, schoolIds: readonly number[], years: readonly number[]): Promise<Map<number, string>> {
  const { rows } = await trx.raw(
    `select z.school_id, ${ZONE_VERSION} as version from risk_zone z where z.school_id = any(?::int[]) and z.year = any(?::int[]) group by z.school_id`,
    [intArrayLiteral(schoolIds), intArrayLiteral(years)],
  );
  return new Map((rows as { school_id: number; version: string }[]).map((r) => [r.school_id, r.version]));
}

/**
 * After a commit: the p-values just written, under the versions of the rows they were written in, so that the
 * next recompute of the region need not read them back. Passed through JSON as they were stored, so they are
 * exactly what reading them back would give.
 */
export function rememberWrittenP(knex: Knex, regionId: number, years: readonly number[], versions: ReadonlyMap<number, string>, zones: readonly ZoneOutcome[]): void {
  const key = cacheKey(regionId, years);
  const bySchool = new Map<number, unknown[]>();
  for (const zone of zones) {
    const list = bySchool.get(zone.schoolId) ?? bySchool.set(zone.schoolId, []).get(zone.schoolId)!;
    list.push(JSON.parse(JSON.stringify(zone.regionWideP)));
  }
  const cached = cache.get(knex, key);
  const schools = new Map(cached?.schools);
  for (const [schoolId, version] of versions) schools.set(schoolId, { version, p: readSchoolP(bySchool.get(schoolId) ?? []) });
  cache.set(knex, key, withSchools(cached, schools));
}

/** A school's zone rows' `regionWideP` objects ({check: [assessmentId, p, …]}) as one map. */
function readSchoolP(zones: readonly unknown[]): SchoolP {
  const out: SchoolP = new Map();
  for (const zone of zones) {
    for (const [check, pairs] of Object.entries((zone ?? {}) as Record<string, unknown>)) {
      if (!Array.isArray(pairs)) continue; // not written by this methodology: the next region recompute rewrites it
      for (let i = 0; i + 1 < pairs.length; i += 2) out.set(pKey(check, pairs[i]), pairs[i + 1]);
    }
  }
  return out;
}

/** Beyond this share of changed schools the sorted lists are built afresh rather than moved value by value. */
const REBUILD_SHARE = 0.05;

/** The region's p-values with `schools` as its entries: only the changed schools' values move in the sorted lists. */
function withSchools(base: RegionP | undefined, schools: Map<number, SchoolEntry>): RegionP {
  const removed = base ? [...base.schools].filter(([id, entry]) => schools.get(id) !== entry) : [];
  const added = [...schools].filter(([id, entry]) => base?.schools.get(id) !== entry);
  if (!base || removed.length + added.length > REBUILD_SHARE * Math.max(schools.size, 1)) {
    const lists = new Map<string, number[]>();
    for (const entry of schools.values()) {
      for (const [key, p] of entry.p) (lists.get(key) ?? lists.set(key, []).get(key)!).push(p);
    }
    return { schools, sorted: new Map([...lists].map(([key, values]) => [key, SortedPValues.of(values).values])) };
  }
  const sorted = new Map(base.sorted);
  for (const [, entry] of removed) {
    for (const [key, p] of entry.p) sorted.set(key, withoutValues(sorted.get(key)!, [p]));
  }
  for (const [, entry] of added) {
    for (const [key, p] of entry.p) sorted.set(key, withValue(sorted.get(key) ?? EMPTY.values, p));
  }
  return { schools, sorted };
}

/** The sorted lists without the targets' own values (computed per check and assessment when asked). */
function othersThan(region: RegionP, targets: ReadonlySet<number>): OtherSchoolsP {
  const targetEntries = [...targets].map((id) => region.schools.get(id)).filter((e): e is SchoolEntry => e !== undefined);
  return {
    of(check, assessmentId) {
      const key = pKey(check, assessmentId);
      const all = region.sorted.get(key);
      if (!all) return EMPTY;
      const own = targetEntries.map((e) => e.p.get(key)).filter((p): p is number => p !== undefined);
      return SortedPValues.trusted(own.length === 0 ? all : withoutValues(all, own));
    },
  };
}

/** `sorted` with `value` inserted in order (a new array). */
function withValue(sorted: Float64Array, value: number): Float64Array {
  const p = SortedPValues.of([value]).values[0]; // checked like every stored value
  const at = upperBound(sorted, p);
  const out = new Float64Array(sorted.length + 1);
  out.set(sorted.subarray(0, at));
  out[at] = p;
  out.set(sorted.subarray(at), at + 1);
  return out;
}

/** `sorted` without one occurrence of each of `values` (a new array); each must be there. */
function withoutValues(sorted: Float64Array, values: readonly number[]): Float64Array {
  const drop = Float64Array.from(values).sort();
  const out = new Float64Array(sorted.length - drop.length);
  let j = 0;
  let k = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (j < drop.length && sorted[i] === drop[j]) j++;
    else if (k < out.length) out[k++] = sorted[i];
    else break; // more values kept than there is room for: one of `values` is not there
  }
  if (j !== drop.length) throw new Error('a school’s stored p-value is missing from the region’s sorted p-values');
  return out;
}
