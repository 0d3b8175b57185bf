/**
 * Planted anomalies: which schools distort which results, how strongly, and the manifest that says so.
 * Strengths are chosen so that a municipal analyst looking at the usual ФИС ОКО views would see them
 * (not borderline cases), while clean schools stay clean. Each planted kind touches its own grades, so a school
 * with two kinds never has two distortions on the same assessment.
 */
import { assessmentKey } from './scales';
import type { SchoolProfile } from './school-mix';
import { Rng, rngFor } from './random';
import { PLANTED_KINDS, type PlantedAnomaly, type PlantedKind, type SubjectCode } from './types';

/** How a school's works in one assessment differ from honest ones. */
export interface Distortion {
  /** Logits added to every student's ability while writing/checking (help during the work, "dorisovka"). */
  inflation: number;
  /** True when the school raised its journal marks along with the ВПР (no journal mismatch shows). */
  journalFollowsInflation: boolean;
  /** Journal leniency override (logits); null keeps the usual slight leniency of term marks. */
  journalLeniency: number | null;
  /** Extra logits per task level [Б, П, В]: hard tasks "solved" with outside help, easy ones neglected. */
  levelShift: [number, number, number] | null;
  /** Works a few points below a mark boundary are raised to exactly that boundary. */
  boundaryPush: BoundaryPush | null;
  /** Chance that the school's checker adds one point to a task not fully earned (found again at re-check). */
  lenientPointProbability: number;
}

interface BoundaryPush {
  /** Works 1..window points below «3» (resp. «4») are raised with the given probability. */
  mark3Window: number;
  mark3Probability: number;
  mark4Window: number;
  mark4Probability: number;
}

/** All strengths in one place, so the methodology's authors can see what they must detect. */
const PLANTING_STRENGTH = {
  boundaryPush: { mark3Window: 3, mark3Probability: 0.85, mark4Window: 2, mark4Probability: 0.65 } satisfies BoundaryPush,
  /** ВПР 4 inflation of a cohort that then drops in ВПР 5 (logits; the national student sd is ≈ 1.15). */
  cohortDropInflation: 1.1,
  /** ВПР 8 inflation not confirmed by the same students' ОГЭ a year later. */
  highNotConfirmedInflation: 1.2,
  /** ВПР 6–7 inflation while the journal keeps the real level (and no usual leniency). */
  journalInflation: 1.2,
  /** [Б, П, В] logit shifts for task inversion in ВПР 6–7. */
  taskInversionShift: [-0.8, 1.3, 1.8] as [number, number, number],
  /** Lenient checking of ВПР 4–5 found by municipal re-checks. */
  lenientPointProbability: 0.3,
  /** School mean ability of a persistently low school (logits; clean schools are kept above ≈ −0.5). */
  persistentFailsAbility: -1.4,
};

const HONEST: Distortion = {
  inflation: 0,
  journalFollowsInflation: false,
  journalLeniency: null,
  levelShift: null,
  boundaryPush: null,
  lenientPointProbability: 0,
};

const VPR_SUBJECTS: SubjectCode[] = ['RUS', 'MATH'];

interface Planting {
  distortions: Map<string, Distortion>;
  anomaly: PlantedAnomaly;
}

interface KindRule {
  /** Grades whose results the kind distorts or reads; kinds on one school must not share grades. */
  grades: number[];
  needsFollowUpYear: boolean;
  eligible(profile: SchoolProfile): boolean;
  plant(profile: SchoolProfile, activeYears: number[], allYears: number[]): Planting;
}

const yearsText = (years: number[]) => years.join(', ');
const vprKeys = (years: number[], grades: number[]) =>
  years.flatMap((year) => grades.flatMap((grade) => VPR_SUBJECTS.map((subject) => assessmentKey('VPR', year, subject, grade))));
const followUps = (activeYears: number[], allYears: number[]) => activeYears.map((y) => y + 1).filter((y) => allYears.includes(y));
const teachesUpTo9 = (p: SchoolProfile) => p.topGrade >= 9;
const ordinaryType = (p: SchoolProfile) => (p.school.type === 'SOSH' || p.school.type === 'OOSH') && !p.school.inDepthStudy;

function distortAll(keys: string[], distortion: Partial<Distortion>): Map<string, Distortion> {
  return new Map(keys.map((key) => [key, { ...HONEST, ...distortion }]));
}

function anomaly(profile: SchoolProfile, kind: PlantedKind, years: number[], assessmentKeys: string[], descriptionRu: string): PlantedAnomaly {
  return { schoolId: profile.school.id, kind, years: [...new Set(years)].sort(), assessmentKeys: [...assessmentKeys].sort(), descriptionRu };
}

const RULES: Record<PlantedKind, KindRule> = {
  BOUNDARY_BUNCHING: {
    grades: [4, 5],
    needsFollowUpYear: false,
    // Peaks are only visible in histograms of big grades (N ≥ 50 per ФИОКО guidance).
    eligible: (p) => teachesUpTo9(p) && p.gradeSize >= 40 && ordinaryType(p),
    plant(profile, active) {
      const keys = vprKeys(active, [4, 5]);
      const push = PLANTING_STRENGTH.boundaryPush;
      return {
        distortions: distortAll(keys, { boundaryPush: push }),
        anomaly: anomaly(profile, 'BOUNDARY_BUNCHING', active, keys,
          `ВПР 4 и 5 классов (русский язык, математика), ${yearsText(active)}: работы, которым до «3» не хватало 1–${push.mark3Window} первичных баллов, ` +
          `в ${push.mark3Probability * 100} % случаев дотянуты ровно до границы, до «4» (1–${push.mark4Window} балла) — в ${push.mark4Probability * 100} %; ` +
          'на гистограмме первичных баллов — пики на границах отметок и провалы перед ними.'),
      };
    },
  },
  HIGH_NOT_CONFIRMED_OGE: {
    grades: [8, 9],
    needsFollowUpYear: true,
    // Criterion A excludes lyceums, gymnasiums and in-depth schools; an average school makes the gap stand out.
    eligible: (p) => teachesUpTo9(p) && ordinaryType(p) && p.gradeSize >= 12 && p.ability <= 0.3,
    plant(profile, active, all) {
      const inflated = vprKeys(active, [8]);
      const checks = followUps(active, all);
      const ogeKeys = checks.flatMap((year) => VPR_SUBJECTS.map((subject) => assessmentKey('OGE', year, subject, 9)));
      return {
        distortions: distortAll(inflated, { inflation: PLANTING_STRENGTH.highNotConfirmedInflation, journalFollowsInflation: true }),
        anomaly: anomaly(profile, 'HIGH_NOT_CONFIRMED_OGE', [...active, ...checks], [...inflated, ...ogeKeys],
          `ВПР 8 класса (русский язык, математика), ${yearsText(active)}: результаты завышены (≈ +${PLANTING_STRENGTH.highNotConfirmedInflation} логита, ` +
          `заметно выше региона, отметки в журнале подогнаны); ОГЭ тех же обучающихся в ${yearsText(checks)} их не подтверждает.`),
      };
    },
  },
  COHORT_DROP: {
    grades: [4, 5],
    needsFollowUpYear: true,
    eligible: (p) => teachesUpTo9(p) && ordinaryType(p) && p.gradeSize >= 12,
    plant(profile, active, all) {
      const inflated = vprKeys(active, [4]);
      const checks = followUps(active, all);
      return {
        distortions: distortAll(inflated, { inflation: PLANTING_STRENGTH.cohortDropInflation, journalFollowsInflation: true }),
        anomaly: anomaly(profile, 'COHORT_DROP', [...active, ...checks], [...inflated, ...vprKeys(checks, [5])],
          `ВПР 4 класса, ${yearsText(active)}: результаты завышены (≈ +${PLANTING_STRENGTH.cohortDropInflation} логита); ` +
          `та же параллель в ВПР 5 класса (${yearsText(checks)}) показывает резкое падение.`),
      };
    },
  },
  PERSISTENT_FAILS: {
    grades: [4, 5, 6, 7, 8, 9, 10, 11],
    needsFollowUpYear: true,
    // A real ШНОР: ordinary school in difficult social conditions.
    eligible: (p) => teachesUpTo9(p) && ordinaryType(p) && p.gradeSize >= 5 && p.socialIndex < 0.5,
    plant(profile, _active, all) {
      const grades = profile.topGrade === 11 ? [4, 5, 6, 7, 8, 9, 11] : [4, 5, 6, 7, 8, 9];
      const keys = all.flatMap((year) =>
        grades.flatMap((grade) =>
          grade <= 8 ? VPR_SUBJECTS.map((s) => assessmentKey('VPR', year, s, grade))
            : grade === 9 ? VPR_SUBJECTS.map((s) => assessmentKey('OGE', year, s, 9))
              : [assessmentKey('EGE', year, 'RUS', 11), assessmentKey('EGE', year, 'MATH_PROF', 11)],
        ),
      );
      return {
        distortions: new Map(),
        anomaly: anomaly(profile, 'PERSISTENT_FAILS', all, keys,
          `Устойчиво низкие результаты (средний уровень ≈ ${PLANTING_STRENGTH.persistentFailsAbility} логита), ${yearsText(all)}: ` +
          'доля «2» около 30 % и выше в нескольких процедурах подряд по годам, участники ОГЭ/ЕГЭ ниже минимума. Результаты честные — это зона низких результатов, а не необъективности.'),
      };
    },
  },
  JOURNAL_INFLATED: {
    grades: [6, 7],
    needsFollowUpYear: false,
    eligible: (p) => teachesUpTo9(p) && ordinaryType(p) && p.gradeSize >= 10,
    plant(profile, active) {
      const keys = vprKeys(active, [6, 7]);
      return {
        distortions: distortAll(keys, { inflation: PLANTING_STRENGTH.journalInflation, journalFollowsInflation: false, journalLeniency: 0 }),
        anomaly: anomaly(profile, 'JOURNAL_INFLATED', active, keys,
          `ВПР 6 и 7 классов, ${yearsText(active)}: отметки ВПР завышены (≈ +${PLANTING_STRENGTH.journalInflation} логита), а отметки по журналу отражают реальный уровень — ` +
          'большая доля «повысили», у части участников расхождение на 2 отметки.'),
      };
    },
  },
  TASK_INVERSION: {
    grades: [6, 7],
    needsFollowUpYear: false,
    eligible: (p) => teachesUpTo9(p) && ordinaryType(p) && p.gradeSize >= 15,
    plant(profile, active) {
      const keys = vprKeys(active, [6, 7]);
      const [easy, medium, hard] = PLANTING_STRENGTH.taskInversionShift;
      return {
        distortions: distortAll(keys, { levelShift: PLANTING_STRENGTH.taskInversionShift }),
        anomaly: anomaly(profile, 'TASK_INVERSION', active, keys,
          `ВПР 6 и 7 классов, ${yearsText(active)}: задания базового уровня выполнены хуже, чем в регионе (${easy} логита), ` +
          `повышенного и высокого — заметно лучше (+${medium} и +${hard} логита).`),
      };
    },
  },
  RECHECK_LOSS: {
    grades: [4, 5],
    needsFollowUpYear: false,
    eligible: (p) => teachesUpTo9(p) && ordinaryType(p) && p.gradeSize >= 10,
    plant(profile, active) {
      const keys = vprKeys(active, [4, 5]);
      return {
        distortions: distortAll(keys, { lenientPointProbability: PLANTING_STRENGTH.lenientPointProbability }),
        anomaly: anomaly(profile, 'RECHECK_LOSS', active, keys,
          `ВПР 4 и 5 классов, ${yearsText(active)}: мягкая проверка в школе (за недовыполненное задание добавлен балл с вероятностью ` +
          `${PLANTING_STRENGTH.lenientPointProbability * 100} %); при муниципальной перепроверке работы теряют баллы и отметки.`),
      };
    },
  },
};

export interface PlantingPlan {
  planted: PlantedAnomaly[];
  /** Distortion of a school's works in an assessment; undefined = honest. */
  distortion(schoolId: string, assessmentKey: string): Distortion | undefined;
  /** Years in which the school distorted some result (conduct conditions are laxer there). */
  distortedYears(schoolId: string): ReadonlySet<number>;
  isPlanted(schoolId: string): boolean;
}

/** Years the distortion runs: usually all, sometimes starting a year later (then it also shows as a jump). */
function activeYearsFor(rng: Rng, years: number[]): number[] {
  return years.length >= 3 && rng.chance(0.4) ? years.slice(1) : years;
}

function hasFollowUp(years: number[]): boolean {
  return years.some((year) => years.includes(year + 1));
}

/**
 * Picks round(schools × anomalyRate) schools and gives each one kind, cycling through a shuffled list of kinds
 * (so every kind appears once there are at least seven planted schools and eligible schools exist), then gives
 * about a third of them a second kind on other grades. PERSISTENT_FAILS lowers the school's true ability.
 */
export function plantAnomalies(seed: number, profiles: SchoolProfile[], years: number[], anomalyRate: number): PlantingPlan {
  const rng = rngFor(seed, 'planting');
  const sortedYears = [...years].sort((a, b) => a - b);
  const target = Math.round(profiles.length * anomalyRate);
  const kindOrder = rng.shuffle(PLANTED_KINDS);
  const kindsBySchool = new Map<string, PlantedKind[]>();
  const distortions = new Map<string, Distortion>();
  const planted: PlantedAnomaly[] = [];
  const usable = (kind: PlantedKind) => !RULES[kind].needsFollowUpYear || hasFollowUp(sortedYears);

  const plant = (profile: SchoolProfile, kind: PlantedKind) => {
    const rule = RULES[kind];
    const active = kind === 'PERSISTENT_FAILS' ? sortedYears : activeYearsFor(rng, sortedYears);
    const planting = rule.plant(profile, active, sortedYears);
    for (const [key, distortion] of planting.distortions) distortions.set(`${profile.school.id}|${key}`, distortion);
    if (kind === 'PERSISTENT_FAILS') profile.ability = PLANTING_STRENGTH.persistentFailsAbility + 0.1 * rng.normal();
    planted.push(planting.anomaly);
    kindsBySchool.set(profile.school.id, [...(kindsBySchool.get(profile.school.id) ?? []), kind]);
  };

  for (let attempt = 0; kindsBySchool.size < target && attempt < target * 3; attempt++) {
    const kind = kindOrder[attempt % kindOrder.length];
    if (!usable(kind)) continue;
    const candidates = profiles.filter((p) => !kindsBySchool.has(p.school.id) && RULES[kind].eligible(p));
    if (candidates.length > 0) plant(rng.pick(candidates), kind);
  }

  const firstKinds = [...kindsBySchool.entries()];
  for (const [schoolId, [first]] of firstKinds) {
    if (first === 'PERSISTENT_FAILS' || !rng.chance(0.35)) continue;
    const profile = profiles.find((p) => p.school.id === schoolId)!;
    const compatible = PLANTED_KINDS.filter(
      (kind) => kind !== 'PERSISTENT_FAILS' && usable(kind) && RULES[kind].eligible(profile) && !RULES[kind].grades.some((g) => RULES[first].grades.includes(g)),
    );
    if (compatible.length > 0) plant(profile, rng.pick(compatible));
  }

  const distortedYears = new Map<string, Set<number>>();
  for (const key of distortions.keys()) {
    const [schoolId, assessment] = key.split('|');
    const year = Number(assessment.split('-')[1]);
    distortedYears.set(schoolId, (distortedYears.get(schoolId) ?? new Set()).add(year));
  }
  const order = new Map(profiles.map((p, index) => [p.school.id, index]));
  planted.sort((a, b) => order.get(a.schoolId)! - order.get(b.schoolId)! || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  return {
    planted,
    distortion: (schoolId, key) => distortions.get(`${schoolId}|${key}`),
    distortedYears: (schoolId) => distortedYears.get(schoolId) ?? new Set(),
    isPlanted: (schoolId) => kindsBySchool.has(schoolId),
  };
}
