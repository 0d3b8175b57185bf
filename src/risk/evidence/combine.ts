import { benjaminiHochberg } from '../stats/multiple-testing';
import { againstNull, empiricalNull, omnibusP, pOfZ, stoufferZ, zOfP, type EmpiricalNull } from '../stats/combine-evidence';
import { comparesBeyondTheSchool, OBJECTIVITY_SIGNS, type SignCode, type SignValue } from './signs';

/**
 * The combined evidence of one school-year (methodology v2): each sign pooled over the year's assessments
 * (Stouffer — different works, different pupils: independent under the null), the signs combined by the omnibus
 * test (Fisher's combination or the strongest sign, whichever says more — stats/combine-evidence.ts), the result standardised by the region's empirical null for
 * that year, and Benjamini–Hochberg across the region's school-years of the year. A school's series of years is
 * pooled too (each sign over all its units of all years, then the omnibus; BH across the region's schools), so a
 * small school that shows the same sign every year is judged on all its works together.
 */
interface PooledSign {
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
  /**
   * This year's signs read in the direction of the series (each weighted by how strongly the series shows it;
   * N(0, 1) under the null): whether this year carries what the series found, not whether it stands out alone.
   */
  alongSeries: number | null;
}

/** «Понизили» of one school-year against honest schools, with its q across the region's school-years. */
export interface BalanceFinding {
  value: SignValue;
  q: number;
}

export interface RegionEvidence {
  /**
   * The BALANCE findings by `${schoolId}:${year}` (not part of the evidence), each with its Benjamini–Hochberg q
   * across the region's school-years of its year: a finding names a school as the zones do, so it is corrected for
   * the region's many schools as they are.
   */
  balance: Map<string, BalanceFinding>;
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
    const evidence: SchoolYearEvidence = { schoolId, year, signs: pooled, combinedZ: 0, z: 0, p: 1, q: 1, seriesZ: null, seriesQ: null, seriesYears: 1, alongSeries: null };
    bySchoolYear.set(key, evidence);
    (byYear.get(year) ?? byYear.set(year, []).get(year)!).push(evidence);
  }
  const nullByYear = new Map<number, EmpiricalNull>();
  for (const [year, list] of byYear) {
    // Each sign pooled over the year's units is read against the region's own spread of it first: units of one
    // school are not quite independent (a school's cohort and teachers are shared), so Stouffer's N(0, 1) can be
    // too narrow for one sign, and one miscalibrated sign must not widen the null of all the others.
    calibrateSigns(list.map((e) => e.signs));
    for (const e of list) e.combinedZ = zOfP(omnibusP(e.signs.map((s) => pOfZ(s.z))));
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
  // then the omnibus over signs, as for one year. Only the signs that compare the school with other schools take
  // part, or with a procedure the school does not check itself (ОГЭ, ЕГЭ; signs.ts comparesBeyondTheSchool): a sign
  // that compares a school with its own other years (journal departure, jump) sums to about nothing over its years
  // by construction and would only dilute the others, and next year's ВПР is checked by the school again.
  const bySchool = new Map<number, SchoolYearEvidence[]>();
  for (const e of bySchoolYear.values()) (bySchool.get(e.schoolId) ?? bySchool.set(e.schoolId, []).get(e.schoolId)!).push(e);
  const seriesUnits = (list: SchoolYearEvidence[]) => {
    const units = new Map<SignCode, number[]>();
    for (const e of list) {
      for (const s of e.signs) {
        const beyond = s.values.filter(comparesBeyondTheSchool);
        if (beyond.length > 0) (units.get(s.sign) ?? units.set(s.sign, []).get(s.sign)!).push(...beyond.map((v) => v.z!));
      }
    }
    return units;
  };
  const series = [...bySchool.values()]
    .filter((list) => list.length > 1)
    .map((list) => ({ list, units: seriesUnits(list) }))
    .filter(({ units }) => units.size > 0);
  const seriesSigns = series.map(({ units }) => [...units].map(([sign, zs]) => ({ sign, z: stoufferZ(zs) })));
  calibrateSigns(seriesSigns);
  const seriesZ = seriesSigns.map((signs) => zOfP(omnibusP(signs.map((s) => pOfZ(s.z)))));
  const seriesNull = empiricalNull(seriesZ);
  const seriesQ = benjaminiHochberg(seriesZ.map((z) => pOfZ(againstNull(z, seriesNull))));
  series.forEach(({ list }, i) => {
    for (const e of list) {
      e.seriesZ = againstNull(seriesZ[i], seriesNull);
      e.seriesQ = seriesQ[i];
      e.seriesYears = list.length;
      e.alongSeries = alongSeries(e.signs, seriesSigns[i]);
    }
  });
  const balance = new Map<string, BalanceFinding>();
  const balanceByYear = new Map<number, SignValue[]>();
  for (const v of values) if (v.sign === 'BALANCE' && v.z !== null) (balanceByYear.get(v.year) ?? balanceByYear.set(v.year, []).get(v.year)!).push(v);
  for (const list of balanceByYear.values()) {
    const q = benjaminiHochberg(list.map((v) => pOfZ(v.z!)));
    list.forEach((v, i) => balance.set(`${v.schoolId}:${v.year}`, { value: v, q: q[i] }));
  }
  return { bySchoolYear, nullByYear, balance };
}

/** Standardises each sign's pooled z by that sign's empirical null over the given school-years (or series). */
function calibrateSigns(rows: readonly { sign: SignCode; z: number }[][]): void {
  const bySign = new Map<SignCode, { sign: SignCode; z: number }[]>();
  for (const signs of rows) for (const s of signs) (bySign.get(s.sign) ?? bySign.set(s.sign, []).get(s.sign)!).push(s);
  for (const list of bySign.values()) {
    const fit = empiricalNull(list.map((s) => s.z));
    for (const s of list) s.z = againstNull(s.z, fit);
  }
}

function alongSeries(year: readonly { sign: SignCode; z: number }[], series: readonly { sign: SignCode; z: number }[]): number | null {
  let sum = 0;
  let weights = 0;
  for (const s of series) {
    const here = year.find((y) => y.sign === s.sign);
    if (!here || s.z <= 0) continue;
    sum += s.z * here.z;
    weights += s.z * s.z;
  }
  return weights > 0 ? sum / Math.sqrt(weights) : null;
}
