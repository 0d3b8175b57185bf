/**
 * Cohorts: the students who entered grade 1 of a school in a given year. A cohort's roster (each student's
 * general and subject abilities) is drawn once from (seed, school, entry year), so the grade-4 class of year t
 * is literally the grade-5 class of year t+1, and ВПР 8 in t and ОГЭ in t+1 are written by the same students.
 * After grade 9 only the "stayers" remain (abler students stay more often, lyceums keep most).
 */
import { logistic, rngFor } from './random';
import type { SchoolProfile } from './school-mix';

// Aliased once: inside jest's vm sandbox every global lookup (Math.*) costs several times more.
const { min, floor } = Math;

const MAX_CLASS_SIZE = 25;
const CLASS_LETTERS = 'АБВГДЕЖИКЛМН';

export interface CohortRoster {
  /** Shared by every year of the cohort: a cohort that is strong in grade 4 stays strong in grade 5. */
  effect: number;
  /** Students per grade when the cohort started. */
  baseSize: number;
  /** Per student, standard normal: general ability and subject-specific parts. */
  general: Float64Array;
  russian: Float64Array;
  maths: Float64Array;
  /** Per student, uniform: compared with the stay probability after grade 9. */
  stayDraw: Float64Array;
}

/** Students enrolled in one grade of one school in one year, as indices into the cohort roster. */
export interface GradeRoster {
  cohort: CohortRoster;
  indices: number[];
}

/** Memoised rosters of one region; rosters are pure functions of their key, so the cache never changes results. */
export class CohortBook {
  private readonly rosters = new Map<string, CohortRoster>();
  private readonly grades = new Map<string, GradeRoster | null>();

  constructor(private readonly seed: number) {}

  cohort(profile: SchoolProfile, entryYear: number): CohortRoster {
    const key = `${profile.school.id}|${entryYear}`;
    const cached = this.rosters.get(key);
    if (cached) return cached;
    const rng = rngFor(this.seed, 'cohort', profile.school.id, entryYear);
    const effect = profile.cohortSd * rng.normal();
    const baseSize = profile.small
      ? Math.max(0, profile.gradeSize + rng.int(-3, 3))
      : Math.max(1, Math.round(profile.gradeSize * Math.exp(0.12 * rng.normal())));
    const length = Math.ceil(baseSize * 1.15) + 2;
    const roster: CohortRoster = {
      effect,
      baseSize,
      general: new Float64Array(length),
      russian: new Float64Array(length),
      maths: new Float64Array(length),
      stayDraw: new Float64Array(length),
    };
    for (let i = 0; i < length; i++) {
      roster.general[i] = rng.normal();
      roster.russian[i] = rng.normal();
      roster.maths[i] = rng.normal();
      roster.stayDraw[i] = rng.next();
    }
    if (this.rosters.size >= 512) this.rosters.clear();
    this.rosters.set(key, roster);
    return roster;
  }

  /** Size of a cohort in a given year before grade 10: small yearly moves in and out. */
  private sizeInYear(profile: SchoolProfile, entryYear: number, year: number, cohort: CohortRoster): number {
    const rng = rngFor(this.seed, 'cohort-size', profile.school.id, entryYear, year);
    const size = profile.small
      ? cohort.baseSize + (rng.chance(0.2) ? rng.pick([-1, 1]) : 0)
      : Math.round(cohort.baseSize * (1 + 0.03 * rng.normal()));
    return Math.max(0, Math.min(cohort.general.length, size));
  }

  gradeRoster(profile: SchoolProfile, year: number, grade: number): GradeRoster | null {
    const key = `${profile.school.id}|${year}|${grade}`;
    const cached = this.grades.get(key);
    if (cached !== undefined) return cached;
    const roster = this.buildGradeRoster(profile, year, grade);
    if (this.grades.size >= 8192) this.grades.clear();
    this.grades.set(key, roster);
    return roster;
  }

  private buildGradeRoster(profile: SchoolProfile, year: number, grade: number): GradeRoster | null {
    if (grade < 1 || grade > profile.topGrade) return null;
    const entryYear = year - grade + 1;
    const cohort = this.cohort(profile, entryYear);
    const size = this.sizeInYear(profile, entryYear, year, cohort);
    const indices: number[] = [];
    for (let i = 0; i < size; i++) {
      if (grade <= 9 || cohort.stayDraw[i] < logistic(1.3 * cohort.general[i] + profile.stayBias)) indices.push(i);
    }
    return { cohort, indices };
  }

  enrolled(profile: SchoolProfile, year: number, grade: number): number {
    return this.gradeRoster(profile, year, grade)?.indices.length ?? 0;
  }
}

/** Urban schools split a grade into classes of up to 25; a rural school teaches each grade as one class. */
export function classCount(profile: SchoolProfile, students: number): number {
  if (students === 0) return 0;
  return profile.school.urban ? Math.ceil(students / MAX_CLASS_SIZE) : 1;
}

/** '4А', '4Б'…: students are spread over the grade's classes in roster order. */
export function classLabel(profile: SchoolProfile, grade: number, position: number, students: number): string {
  const classes = classCount(profile, students);
  return `${grade}${CLASS_LETTERS[min(CLASS_LETTERS.length - 1, floor((position * classes) / students))]}`;
}
