import { benjaminiHochberg } from '../stats/multipleTesting';
import { againstNull, empiricalNull, omnibusP, pOfZ, stoufferZ, zOfP, type EmpiricalNull } from '../stats/combineEvidence';
import { OBJECTIVITY_SIGNS, type SignCode, type SignValue } from './signs';

/**
 * The combined evidence of one school-year (methodology v2): each sign pooled over the year's assessments
 * (Stouffer — different works, different pupils: independent under the null), the signs combined by the omnibus
 * test (Fisher's combination or the strongest sign, whichever says more — stats/combineEvidence.ts), the result standardised by the region's empirical null for
 * that year, and Benjamini–Hochberg across the region's school-years of the year. A school's series of years is
 * pooled too (each sign over all its units of all years, then the omnibus; BH across the region's schools), so a
 * small school that shows the same sign every year is judged on all its works together.
 */
export interface PooledSign {
  sign: SignCode;
  /** The sign's z pooled over the units (assessments) where it was measured. */
  z: number;
  values: SignValue[];
}

export interface SchoolYearEvidence {
  schoolId: number;
  year: number;
  signs: PooledSign[];
  /** The omnibus combination as a z-score, before the empirical null. */
  combinedZ: number;
  /** Against the region's empirical null for the year. */
  z: number;
  p: number;
  /** Benjamini–Hochberg across the region's school-years of the year. */
  q: number;
  /** The school's years pooled sign by sign, against the empirical null, and its q across the region's schools; null for one year. */
  seriesZ: number | null;
  seriesQ: number | null;
  seriesYears: number;
}

export interface RegionEvidence {
  /** The BALANCE findings by `${schoolId}:${year}` (not part of the evidence). */
  balance: Map<string, SignValue>;
  /** By `${schoolId}:${year}`; school-years without one measured sign are absent. */
  bySchoolYear: Map<string, SchoolYearEvidence>;
  nullByYear: Map<number, EmpiricalNull>;
}

export function combineEvidence(values: readonly SignValue[]): RegionEvidence {
  const grouped = new Map<string, Map<SignCode, SignValue[]>>();
  for (const v of values) {
    if (v.z === null || !OBJECTIVITY_SIGNS.includes(v.sign)) continue;
    const key = `${v.schoolId}:${v.year}`;
    const signs = grouped.get(key) ?? grouped.set(key, new Map()).get(key)!;
    (signs.get(v.sign) ?? signs.set(v.sign, []).get(v.sign)!).push(v);
  }
  const byYear = new Map<number, SchoolYearEvidence[]>();
  const bySchoolYear = new Map<string, SchoolYearEvidence>();
  for (const [key, signs] of grouped) {
    const [schoolId, year] = key.split(':').map(Number);
    const pooled: PooledSign[] = [...signs].map(([sign, list]) => ({ sign, z: stoufferZ(list.map((v) => v.z!)), values: list }));
    const combinedZ = zOfP(omnibusP(pooled.map((s) => pOfZ(s.z))));
    const evidence: SchoolYearEvidence = { schoolId, year, signs: pooled, combinedZ, z: combinedZ, p: 1, q: 1, seriesZ: null, seriesQ: null, seriesYears: 1 };
    bySchoolYear.set(key, evidence);
    (byYear.get(year) ?? byYear.set(year, []).get(year)!).push(evidence);
  }
  const nullByYear = new Map<number, EmpiricalNull>();
  for (const [year, list] of byYear) {
    const fit = empiricalNull(list.map((e) => e.combinedZ));
    nullByYear.set(year, fit);
    for (const e of list) {
      e.z = againstNull(e.combinedZ, fit);
      e.p = pOfZ(e.z);
    }
    const q = benjaminiHochberg(list.map((e) => e.p));
    list.forEach((e, i) => (e.q = q[i]));
  }
  // The school's years: each sign pooled over all its units of all years (a small school's works judged together),
  // then the omnibus over signs, as for one year.
  const bySchool = new Map<number, SchoolYearEvidence[]>();
  for (const e of bySchoolYear.values()) (bySchool.get(e.schoolId) ?? bySchool.set(e.schoolId, []).get(e.schoolId)!).push(e);
  const series = [...bySchool.values()].filter((list) => list.length > 1);
  const seriesZ = series.map((list) => {
    const units = new Map<SignCode, number[]>();
    for (const e of list) for (const s of e.signs) (units.get(s.sign) ?? units.set(s.sign, []).get(s.sign)!).push(...s.values.map((v) => v.z!));
    return zOfP(omnibusP([...units.values()].map((zs) => pOfZ(stoufferZ(zs)))));
  });
  const seriesNull = empiricalNull(seriesZ);
  const seriesQ = benjaminiHochberg(seriesZ.map((z) => pOfZ(againstNull(z, seriesNull))));
  series.forEach((list, i) => {
    for (const e of list) {
      e.seriesZ = againstNull(seriesZ[i], seriesNull);
      e.seriesQ = seriesQ[i];
      e.seriesYears = list.length;
    }
  });
  const balance = new Map(values.filter((v) => v.sign === 'BALANCE').map((v) => [`${v.schoolId}:${v.year}`, v]));
  return { bySchoolYear, nullByYear, balance };
}
