/**
 * The region's municipalities and schools, with the hidden profile that drives their results. The mix is what a
 * real region looks like: city districts full of big СОШ plus a few lyceums and gymnasiums with in-depth study;
 * rural districts with a small town centre and many малокомплектные СОШ, ООШ and НОШ in villages.
 */
import { CITY_DISTRICTS, REGION_NAME, RURAL_DISTRICTS, VILLAGES, ruralSchoolName, urbanSchoolName } from './names';
import { clamp, Rng, rngFor } from './random';
import type { Municipality, Region, School, SchoolAlias, SchoolType } from './types';

const REGION_CODE = '99';

type SchoolKind = 'ELITE' | 'URBAN_LARGE' | 'URBAN_MEDIUM' | 'RURAL_SOSH' | 'RURAL_SMALL_SOSH' | 'RURAL_OOSH' | 'RURAL_NOSH';
type MunicipalityKind = 'CITY' | 'DISTRICT';

interface KindTraits {
  type: SchoolType;
  urban: boolean;
  small: boolean;
  topGrade: 4 | 9 | 11;
  /** Students per grade at entry, min–max. */
  gradeSize: [number, number];
  socialIndex: number;
  abilityEffect: number;
  /** School-level ability spread not explained by context (rural schools differ more). */
  residualSd: number;
  shareDisabled: [number, number];
  remotenessKm: [number, number];
  /** Logit offset of staying on after grade 9 (lyceums keep most, rural schools lose most). */
  stayBias: number;
  /** Logit offset of choosing profile Maths at ЕГЭ. */
  profileMathBias: number;
}

const KIND_TRAITS: Record<SchoolKind, KindTraits> = {
  ELITE: { type: 'LYCEUM', urban: true, small: false, topGrade: 11, gradeSize: [50, 100], socialIndex: 0.72, abilityEffect: 0.55, residualSd: 0.25, shareDisabled: [0.005, 0.03], remotenessKm: [0, 8], stayBias: 1.4, profileMathBias: 0.6 },
  URBAN_LARGE: { type: 'SOSH', urban: true, small: false, topGrade: 11, gradeSize: [60, 120], socialIndex: 0.58, abilityEffect: 0.1, residualSd: 0.3, shareDisabled: [0.03, 0.08], remotenessKm: [0, 10], stayBias: 0, profileMathBias: -0.2 },
  URBAN_MEDIUM: { type: 'SOSH', urban: true, small: false, topGrade: 11, gradeSize: [30, 60], socialIndex: 0.5, abilityEffect: 0, residualSd: 0.3, shareDisabled: [0.04, 0.1], remotenessKm: [0, 4], stayBias: -0.2, profileMathBias: -0.4 },
  RURAL_SOSH: { type: 'SOSH', urban: false, small: false, topGrade: 11, gradeSize: [12, 25], socialIndex: 0.42, abilityEffect: -0.15, residualSd: 0.4, shareDisabled: [0.05, 0.14], remotenessKm: [8, 70], stayBias: -0.3, profileMathBias: -0.8 },
  RURAL_SMALL_SOSH: { type: 'SOSH', urban: false, small: true, topGrade: 11, gradeSize: [3, 10], socialIndex: 0.36, abilityEffect: -0.25, residualSd: 0.4, shareDisabled: [0.05, 0.16], remotenessKm: [15, 140], stayBias: -0.4, profileMathBias: -0.8 },
  RURAL_OOSH: { type: 'OOSH', urban: false, small: true, topGrade: 9, gradeSize: [3, 10], socialIndex: 0.33, abilityEffect: -0.3, residualSd: 0.4, shareDisabled: [0.05, 0.16], remotenessKm: [15, 140], stayBias: 0, profileMathBias: 0 },
  RURAL_NOSH: { type: 'NOSH', urban: false, small: true, topGrade: 4, gradeSize: [3, 10], socialIndex: 0.38, abilityEffect: -0.15, residualSd: 0.4, shareDisabled: [0.04, 0.14], remotenessKm: [10, 120], stayBias: 0, profileMathBias: 0 },
};

/** Share of each kind among a municipality's schools. */
const MIX: Record<MunicipalityKind, Partial<Record<SchoolKind, number>>> = {
  CITY: { ELITE: 0.16, URBAN_LARGE: 0.56, URBAN_MEDIUM: 0.2, RURAL_SOSH: 0.04, RURAL_SMALL_SOSH: 0.04 },
  DISTRICT: { ELITE: 0.05, URBAN_MEDIUM: 0.15, RURAL_SOSH: 0.2, RURAL_SMALL_SOSH: 0.24, RURAL_OOSH: 0.2, RURAL_NOSH: 0.16 },
};

/** Hidden per-school parameters of the results model (not part of the contract). */
export interface SchoolProfile {
  school: School;
  /** 1-based position in the region, used in participant codes. */
  number: number;
  kind: SchoolKind;
  small: boolean;
  topGrade: 4 | 9 | 11;
  gradeSize: number;
  /** Mean ability of the school's students (logits; 0 = national mean). */
  ability: number;
  subjectEffect: { RUS: number; MATH: number };
  /** Spread of students around the school mean, and of cohorts around the school. */
  withinSd: number;
  cohortSd: number;
  stayBias: number;
  profileMathBias: number;
  socialIndex: number;
  shareDisabled: number;
  nonNativeShare: number;
  remotenessKm: number;
  settlement: string;
  settlementType: 'город' | 'пгт' | 'село' | 'деревня';
}

export interface RegionLayout {
  region: Region;
  municipalities: Municipality[];
  profiles: SchoolProfile[];
}

/** Largest-remainder apportionment of `total` by weights (deterministic, sums exactly). */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  const order = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) })).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (let i = 0; counts.reduce((a, b) => a + b, 0) < total; i++) counts[order[i % order.length].index]++;
  return counts;
}

/** 10-digit ИНН of a legal entity with its check digit. */
function innFor(rng: Rng, inspection: number): string {
  const digits = [9, 9, Math.floor(inspection / 10) % 10, inspection % 10];
  for (let i = 0; i < 5; i++) digits.push(rng.int(0, 9));
  const weights = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  const check = (weights.reduce((sum, w, i) => sum + w * digits[i], 0) % 11) % 10;
  return digits.join('') + check;
}

function softFloor(value: number, floor: number, width: number): number {
  return floor + width * Math.log1p(Math.exp((value - floor) / width));
}

interface Draft {
  municipalityIndex: number;
  kind: SchoolKind;
  type: SchoolType;
  inDepthStudy: boolean;
  name: string;
  settlement: string;
  settlementType: SchoolProfile['settlementType'];
}

interface MunicipalityPlan {
  kind: MunicipalityKind;
  municipality: Municipality;
  centre: string;
  centreType: 'город' | 'пгт';
  weight: number;
}

/** One municipality's schools by kind; `eliteCounter` alternates lyceums and gymnasiums across the region. */
function draftMunicipalitySchools(rng: Rng, plan: MunicipalityPlan, municipalityIndex: number, count: number, eliteCounter: { value: number }): Draft[] {
  const { kind, centre, centreType } = plan;
  const kinds = Object.keys(MIX[kind]) as SchoolKind[];
  const counts = apportion(count, kinds.map((k) => MIX[kind][k]!));
  const villages = rng.shuffle(VILLAGES);
  const villageUse = new Map<string, number>();
  const urbanNumbers = rng.shuffle(Array.from({ length: count }, (_, i) => i + 1));
  let nextUrban = 0;
  let lyceums = 0;
  let gymnasiums = 0;
  const drafts: Draft[] = [];
  kinds.forEach((schoolKind, k) => {
    for (let i = 0; i < counts[k]; i++) {
      const traits = KIND_TRAITS[schoolKind];
      if (traits.urban) {
        let type = traits.type;
        let number: number;
        if (schoolKind === 'ELITE') {
          type = eliteCounter.value++ % 2 === 0 ? 'LYCEUM' : 'GYMNASIUM';
          number = type === 'LYCEUM' ? ++lyceums : ++gymnasiums;
        } else {
          number = urbanNumbers[nextUrban++];
        }
        const inDepthStudy = schoolKind === 'ELITE' || (schoolKind === 'URBAN_LARGE' && rng.chance(0.25));
        drafts.push({ municipalityIndex, kind: schoolKind, type, inDepthStudy, name: urbanSchoolName(type, number, inDepthStudy, centre), settlement: centre, settlementType: centreType });
      } else {
        const [village, adjective] = villages[drafts.length % villages.length];
        const duplicate = (villageUse.get(village) ?? 0) + 1;
        villageUse.set(village, duplicate);
        drafts.push({
          municipalityIndex, kind: schoolKind, type: traits.type, inDepthStudy: false,
          name: ruralSchoolName(traits.type, adjective, traits.small, duplicate),
          settlement: village, settlementType: traits.small && rng.chance(0.4) ? 'деревня' : 'село',
        });
      }
    }
  });
  return drafts;
}

/** Unique ФИС ОКО login and ИНН, and the РЦОИ code from the school's number (≤ 9999 schools). */
function aliasesFor(own: Rng, number: number, municipalityIndex: number, taken: { logins: Set<number>; inns: Set<string> }): SchoolAlias[] {
  let login: number;
  do login = own.int(1000, 9999);
  while (taken.logins.has(login));
  taken.logins.add(login);
  let inn: string;
  do inn = innFor(own, municipalityIndex + 1);
  while (taken.inns.has(inn));
  taken.inns.add(inn);
  return [
    { kind: 'FISOKO_LOGIN', value: `sch${REGION_CODE}${login}` },
    { kind: 'RCOI_CODE', value: `${REGION_CODE}-${String(number).padStart(4, '0')}` },
    { kind: 'INN', value: inn },
  ];
}

function profileFor(seed: number, draft: Draft, number: number, municipalityCode: string, taken: { logins: Set<number>; inns: Set<string> }): SchoolProfile {
  const id = `DEMO-${String(number).padStart(4, '0')}`;
  const own = rngFor(seed, 'profile', id);
  const traits = KIND_TRAITS[draft.kind];
  const school: School = {
    id,
    name: draft.name,
    municipalityCode,
    type: draft.type,
    inDepthStudy: draft.inDepthStudy,
    urban: traits.urban,
    aliases: aliasesFor(own, number, draft.municipalityIndex, taken),
  };
  const socialIndex = clamp(traits.socialIndex + 0.1 * own.normal(), 0.05, 0.95);
  const shareDisabled = own.uniform(...traits.shareDisabled);
  const nonNativeShare = own.chance(0.1) ? own.uniform(0.1, 0.35) : own.uniform(0, 0.04);
  // Context explains part of the ability; the residual is what no context variable captures.
  const typeEffect = draft.type === 'LYCEUM' ? 0.05 : draft.type === 'GYMNASIUM' ? -0.05 : draft.inDepthStudy ? 0.2 : 0;
  const ability =
    traits.abilityEffect + typeEffect + 0.9 * (socialIndex - 0.5) - 1.5 * (shareDisabled - 0.06) -
    0.6 * Math.max(0, nonNativeShare - 0.1) + traits.residualSd * own.normal();
  return {
    school,
    number,
    kind: draft.kind,
    small: traits.small,
    topGrade: traits.topGrade,
    gradeSize: own.int(...traits.gradeSize),
    ability,
    subjectEffect: { RUS: 0.15 * own.normal(), MATH: 0.15 * own.normal() },
    withinSd: traits.urban ? 1 : 1.1,
    cohortSd: traits.urban ? 0.12 : 0.25,
    stayBias: traits.stayBias,
    profileMathBias: traits.profileMathBias,
    socialIndex,
    shareDisabled,
    nonNativeShare,
    remotenessKm: Math.round(own.uniform(...traits.remotenessKm)),
    settlement: draft.settlement,
    settlementType: draft.settlementType,
  };
}

/** Municipalities and schools for `schoolCount` schools: 3 municipalities for small regions, ~1 per 50 schools otherwise. */
export function layOutRegion(seed: number, schoolCount: number): RegionLayout {
  const rng = rngFor(seed, 'layout');
  const municipalityCount = Math.max(3, Math.round(schoolCount / 50));
  const cities = rng.shuffle(CITY_DISTRICTS);
  const districts = rng.shuffle(RURAL_DISTRICTS);
  const plan: MunicipalityPlan[] = [];
  for (let i = 0; i < municipalityCount; i++) {
    const kind: MunicipalityKind = i % 3 === 0 ? 'CITY' : 'DISTRICT';
    const pool = kind === 'CITY' ? cities : districts;
    const used = plan.filter((p) => p.kind === kind).length;
    const base = pool[used % pool.length];
    const round = Math.floor(used / pool.length);
    const name = round === 0 ? base.name : `${base.name} (${round + 1})`;
    const code = `${REGION_CODE}${String(i + 1).padStart(2, '0')}`;
    const weight = (kind === 'CITY' ? 1.6 : 1) * rng.uniform(0.8, 1.2);
    plan.push({ kind, municipality: { code, name }, centre: base.centre, centreType: base.centreType, weight });
  }
  const perMunicipality = apportion(schoolCount, plan.map((p) => p.weight));
  const eliteCounter = { value: 0 };
  const drafts = plan.flatMap((p, index) => draftMunicipalitySchools(rng, p, index, perMunicipality[index], eliteCounter));

  const taken = { logins: new Set<number>(), inns: new Set<string>() };
  const profiles = drafts.map((draft, index) => profileFor(seed, draft, index + 1, plan[draft.municipalityIndex].municipality.code, taken));
  centreAbilities(profiles);
  return { region: { code: REGION_CODE, name: REGION_NAME }, municipalities: plan.map((p) => p.municipality), profiles };
}

/**
 * Puts the region's pupil-weighted mean slightly above the national mean (so region and Russia benchmarks are
 * close), and softly bounds clean schools: no clean school is so weak that low results are its normal state —
 * persistent low results are planted deliberately (see anomalies.ts). A small clean school can still cross a
 * per-assessment threshold by chance in some year: that is the small-N noise the methodology has to shrink.
 */
function centreAbilities(profiles: SchoolProfile[]): void {
  const weight = (p: SchoolProfile) => p.gradeSize * (p.topGrade === 4 ? 4 : p.topGrade);
  const totalWeight = profiles.reduce((sum, p) => sum + weight(p), 0);
  const mean = profiles.reduce((sum, p) => sum + weight(p) * p.ability, 0) / totalWeight;
  for (const profile of profiles) {
    const centred = profile.ability - mean + 0.03;
    profile.ability = -softFloor(-softFloor(centred, -0.5, 0.15), -1.4, 0.15);
  }
}
