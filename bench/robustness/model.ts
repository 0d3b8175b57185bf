/**
 * The robustness model: a simulated region written to judge the risk methodology by, from assumptions of its
 * own (it shares no generating code with src/demo, whose region the methodology was tuned on). It produces
 * pupils' ВПР works with journal marks for Russian and Maths in grades 4 and 5 over three years — and, with `gia`,
 * in grade 8 and the same pupils' ОГЭ a year later —, with the nuisance variation honest regions show, and plants
 * manipulations in a known share of schools.
 *
 * Generating assumptions (each one sentence; the numbers are the defaults):
 * - A pupil has a general ability and a subject-specific part (Russian and Maths correlate about 0.75); a point of
 *   a task is earned with probability σ(θ − difficulty + school × task effect), independently per point.
 * - θ = school level + the school's trend × years + the school's yearly shock + the cohort's effect + the class
 *   teacher's effect + the pupil's own ability; everything but the pupil's part is shared by a school's pupils.
 * - School levels differ (SD 0.4 logit between ordinary schools); selective lyceums and gymnasiums sit about
 *   0.8 higher; tiny rural schools a little lower (−0.15) and with 5–20 pupils per grade.
 * - Honest schools change: about 12 % improve and 12 % decline steadily (±0.15 logit a year), and every school
 *   has a yearly shock (SD 0.08).
 * - Cohorts differ (SD 0.12) and move on: next year's grade 5 is this year's grade 4, the same pupils (5 % leave
 *   and are replaced), each pupil's ability carried over with growth noise (SD 0.25).
 * - Teachers differ within a school: each class × subject slot has a teacher whose effect on results has SD 0.15
 *   and whose grading leniency departs from the school's by SD 0.1; each year the slot passes to a new teacher
 *   with probability `teacherTurnover` (0 by default: the teacher keeps the slot; in Russian schools a grade-4
 *   class teacher is new with every cohort, having taken it from grade 1, so a year's journal marks in an honest
 *   school can depart from its other years').
 * - A school's grading leniency may drift from year to year (a random walk with yearly SD `leniencyDrift`, 0 by
 *   default): a new head, or the school answering a campaign for objective marks, changes how the whole school
 *   marks, with nothing changed in how its ВПР works are checked.
 * - Schools do better or worse on particular tasks (school × task effect, SD `taskEffect`), stable over years
 *   for the same task set; a new scale (Russian 4 from 2025) brings new tasks and new effects.
 * - A pupil's journal (term) mark is the teacher's reading of the pupil's competence: the mark the pupil's ability
 *   would get on the ВПР on average, plus the school's grading leniency (a stable trait: mean +0.3 of a mark, SD
 *   `leniencySpread` between schools), plus the teacher's own, plus noise (SD 0.35), rounded to 2–5; teachers
 *   avoid a term «2» for pupils close to «3»; 2 % of journal marks are missing.
 * - A share `realChange` of schools (0 by default) really changes in one year of the three after the first — a
 *   new head, a merger, a new catchment: its level moves by ±0.4 logit from that year on, in every grade; such a
 *   school is reported in the clean group «changed», whatever else it is.
 * - With `gia`, grade 8 writes ВПР too and grade 9 the ОГЭ: next year's grade 9 is this year's grade 8 (5 % leave
 *   and are replaced), about 97 % of it sits the exam, and its works are checked by the region's commission, not by
 *   the school: nothing planted reaches them. ВПР 4 and 5 come out the same with or without `gia` (their own streams).
 * - About 94 % of a class writes each ВПР; tiny schools miss a whole year's results now and then (5 % of their
 *   school-years: no files, «no data»).
 *
 * Manipulations (planted in `plantedShare` of schools, one year or three, in every size band; strength k in
 * units of the honest between-school SD of the measure the manipulation moves, k = 0.5 / 1 / 2):
 * - BOUNDARY_RAISE — works scored one or two points below a mark boundary are raised to the boundary with
 *   probability p; it moves the share of works at a boundary or one point above it.
 * - VPR_ABOVE_JOURNAL — works whose ВПР mark equals the journal mark (below «5») are raised into the next mark's
 *   band with probability p, so the ВПР mark exceeds the journal; it moves the share «повысили».
 * - LEAKED_HARD_TASKS — with probability p a pupil knows the answers to the advanced (П) tasks and gets them all
 *   right; it moves the completion of advanced tasks.
 * - INFLATED_SCORES — checkers add a point to each task below its maximum with probability p, across the board;
 *   it moves the mean % of maximum.
 * p is set per assessment so that the expected shift of the school's measure is k honest spreads (p ≤ 1; a dose
 * that would need p > 1 is capped and recorded as such). The ВПР mark always follows the raised score (the
 * scale stays consistent); journal marks are never touched. A manipulation applies to all the school's ВПР that
 * year.
 */
import { Rng } from './random';
import { markFor, scaleFor, SUBJECT_NAME, type Scale, type SubjectCode } from './scales';

export interface ModelSettings {
  seed: number;
  schools: number;
  years: number[];
  /** Between-school SD of grading leniency (marks). */
  leniencySpread: number;
  /** Share of tiny rural schools (5–20 pupils per grade). */
  tinyShare: number;
  /** SD of school × task effects (logit). */
  taskEffect: number;
  /** Share of schools with a planted manipulation. */
  plantedShare: number;
  /** Probability that a class × subject slot passes to a new teacher (own effect and grading leniency) from one year to the next. */
  teacherTurnover: number;
  /** Yearly SD of the change of a school's grading leniency (marks). */
  leniencyDrift: number;
  /** Grade 8 ВПР and grade 9 ОГЭ of the same pupils a year later, beside grades 4 and 5. */
  gia: boolean;
  /** Share of schools whose level really changes (±0.4 logit) from one year on. */
  realChange: number;
}

export const DEFAULT_MODEL: Omit<ModelSettings, 'seed' | 'schools'> = { years: [2023, 2024, 2025], leniencySpread: 0.2, tinyShare: 0.3, taskEffect: 0.3, plantedShare: 0.15, teacherTurnover: 0, leniencyDrift: 0, gia: false, realChange: 0 };

export const KINDS = ['BOUNDARY_RAISE', 'VPR_ABOVE_JOURNAL', 'LEAKED_HARD_TASKS', 'INFLATED_SCORES'] as const;
type Kind = (typeof KINDS)[number];
export const STRENGTHS = { weak: 0.5, medium: 1, strong: 2 } as const;
type Strength = keyof typeof STRENGTHS;

/**
 * Clean-school groups the false-positive rates are reported for. Each school is in exactly one, the first that
 * applies: selective, tiny, improving, declining, then ordinary by level (weak below −0.3, strong above +0.3 logit).
 */
type CleanGroup = 'tiny' | 'selective' | 'improving' | 'declining' | 'weak ordinary' | 'strong ordinary' | 'middle ordinary' | 'changed';
export type SizeBand = '<20' | '20-39' | '40-79' | '80+';

export interface SimSchool {
  index: number;
  login: string;
  name: string;
  municipalityCode: string;
  municipalityName: string;
  type: 'СОШ' | 'ООШ' | 'лицей' | 'гимназия';
  urban: boolean;
  tiny: boolean;
  selective: boolean;
  /** Pupils per grade, typical. */
  baseSize: number;
  level: number;
  trend: number;
  leniency: number;
  group: CleanGroup;
  /** Years without any results (no files). */
  missingYears: number[];
  /** A real change of level (logit) from `year` on; null for none. */
  change: { year: number; shift: number } | null;
}

interface Plant {
  schoolIndex: number;
  kind: Kind;
  strength: Strength;
  years: number[];
}

interface Work {
  schoolIndex: number;
  participantCode: string;
  classLabel: string;
  variant: number;
  tasks: number[];
  primary: number;
  mark: 2 | 3 | 4 | 5;
  journal: 2 | 3 | 4 | 5 | null;
}

interface SimAssessment {
  key: string;
  procedure: 'ВПР' | 'ОГЭ';
  year: number;
  subject: SubjectCode;
  subjectName: string;
  grade: number;
  scale: Scale;
  works: Work[];
}

interface Calibration {
  /** Per assessment key and kind: honest between-school SD of the measure, and the eligible base q (shift = p·q). */
  [assessmentKey: string]: Record<Kind, { sd: number; q: number }>;
}

export interface SimRegion {
  settings: ModelSettings;
  regionCode: string;
  regionName: string;
  schools: SimSchool[];
  assessments: SimAssessment[];
  plants: Plant[];
  calibration: Calibration;
  /** Doses applied: per plant and assessment, the probability p used and whether it was capped at 1. */
  doses: { schoolIndex: number; assessmentKey: string; kind: Kind; strength: Strength; p: number; capped: boolean }[];
}

const SUBJECTS: SubjectCode[] = ['RUS', 'MATH'];
const CLASS_LETTERS = 'АБВГДЕЖЗИКЛМНОП';
const σ = (x: number) => 1 / (1 + Math.exp(-x));

function sizeBand(participants: number): SizeBand {
  return participants < 20 ? '<20' : participants < 40 ? '20-39' : participants < 80 ? '40-79' : '80+';
}

interface Pupil {
  general: number;
  rus: number;
  math: number;
  cohort: number;
}

/** Draws the schools of a region: kinds, sizes, levels, trends and grading leniency. */
function drawSchools(s: ModelSettings, rng: Rng): SimSchool[] {
  const municipalities = Math.max(3, Math.round(s.schools / 60));
  const schools: SimSchool[] = [];
  for (let i = 0; i < s.schools; i++) {
    const r = rng.next();
    const tiny = r < s.tinyShare;
    const selective = !tiny && rng.chance(0.07);
    const urban = !tiny && (selective || rng.chance(0.7));
    const baseSize = tiny ? rng.int(5, 20) : selective ? rng.int(55, 130) : Math.max(21, Math.round(Math.exp(rng.normal(urban ? Math.log(60) : Math.log(32), 0.45))));
    const level = selective ? rng.normal(0.8, 0.25) : tiny ? rng.normal(-0.15, 0.4) : rng.normal(0, 0.4);
    const t = rng.next();
    const trend = selective ? 0 : t < 0.12 ? 0.15 : t < 0.24 ? -0.15 : 0;
    const leniency = rng.normal(0.3, s.leniencySpread);
    const m = i % municipalities;
    const group: CleanGroup = selective ? 'selective' : tiny ? 'tiny' : trend > 0 ? 'improving' : trend < 0 ? 'declining' : level < -0.3 ? 'weak ordinary' : level > 0.3 ? 'strong ordinary' : 'middle ordinary';
    const type = selective ? (rng.chance(0.5) ? 'лицей' : 'гимназия') : tiny && rng.chance(0.5) ? 'ООШ' : 'СОШ';
    schools.push({
      index: i,
      login: `sch90${String(i + 1).padStart(4, '0')}`,
      name: `${type === 'лицей' ? 'МАОУ «Лицей' : type === 'гимназия' ? 'МАОУ «Гимназия' : type === 'ООШ' ? 'МКОУ «ООШ' : urban ? 'МАОУ «СОШ' : 'МКОУ «СОШ'} № ${i + 1}»`,
      municipalityCode: `90${String(m + 1).padStart(2, '0')}`,
      municipalityName: `Муниципалитет ${m + 1}`,
      type,
      urban,
      tiny,
      selective,
      baseSize,
      level,
      trend,
      leniency,
      group,
      missingYears: [],
      change: null,
    });
  }
  return schools;
}

/** Picks the planted schools (the same share in every size band) and gives them kinds, strengths and years. */
function drawPlants(s: ModelSettings, schools: SimSchool[], rng: Rng): Plant[] {
  const byBand = new Map<SizeBand, SimSchool[]>();
  for (const school of schools) {
    const band = sizeBand(school.baseSize);
    (byBand.get(band) ?? byBand.set(band, []).get(band)!).push(school);
  }
  const chosen: SimSchool[] = [];
  for (const band of ['<20', '20-39', '40-79', '80+'] as SizeBand[]) {
    const list = rng.shuffle([...(byBand.get(band) ?? [])]);
    chosen.push(...list.slice(0, Math.round(list.length * s.plantedShare)));
  }
  rng.shuffle(chosen);
  const strengths = Object.keys(STRENGTHS) as Strength[];
  const cells = KINDS.flatMap((kind) => strengths.map((strength) => ({ kind, strength })));
  const offset = rng.int(0, cells.length - 1);
  return chosen.map((school, i) => {
    const { kind, strength } = cells[(i + offset) % cells.length];
    // Half the planted schools manipulate in one year, half in all three.
    const years = Math.floor(i / cells.length) % 2 === 0 ? [rng.pick(s.years)] : [...s.years];
    return { schoolIndex: school.index, kind, strength, years };
  });
}

/** The mark a pupil of ability θ would get on average on this scale, as a continuous number (2.0–5.99). */
function expectedMark(theta: number, scale: Scale): number {
  let expected = 0;
  for (const task of scale.tasks) expected += task.maxPoints * σ(theta - task.difficulty);
  const [b3, b4, b5] = scale.boundaries;
  const bands: [number, number, number][] = [
    [2, 0, b3],
    [3, b3, b4],
    [4, b4, b5],
    [5, b5, scale.maxPrimary + 1],
  ];
  for (const [mark, lower, upper] of bands) if (expected < upper) return mark + (expected - lower) / (upper - lower);
  return 5.99;
}

/** Simulates the honest region, calibrates the doses and plants the manipulations. */
export function simulateRegion(settings: ModelSettings): SimRegion {
  const root = new Rng(settings.seed, 'robustness-region');
  const schools = drawSchools(settings, root.fork('schools'));
  const plants = drawPlants(settings, schools, root.fork('plants'));
  const plantedYears = new Map(plants.map((p) => [p.schoolIndex, new Set(p.years)]));
  if (settings.realChange > 0) {
    // Its own stream, so that real changes shift no other draw.
    const changeRng = new Rng(settings.seed, 'real-change');
    for (const school of schools) {
      if (!changeRng.chance(settings.realChange)) continue;
      school.change = { year: changeRng.pick(settings.years.slice(1)), shift: changeRng.chance(0.5) ? 0.4 : -0.4 };
      school.group = 'changed';
    }
  }
  const missingRng = root.fork('missing');
  for (const school of schools) {
    if (!school.tiny) continue;
    school.missingYears = settings.years.filter((y) => !plantedYears.get(school.index)?.has(y) && missingRng.chance(0.05));
  }

  // Stable school traits drawn once: teachers per class × subject slot, school × task effects, yearly shocks.
  const traitRng = root.fork('traits');
  const teacherEffect = new Map<string, { effect: number; leniency: number }>();
  // How many times a slot has changed hands by each year: its own stream per slot, so that turnover shifts no other draw.
  const handovers = (slot: string, year: number) => {
    if (settings.teacherTurnover <= 0) return 0;
    const rng = new Rng(settings.seed, `turnover|${slot}`);
    let changes = 0;
    for (let y = settings.years[0] + 1; y <= year; y++) if (rng.chance(settings.teacherTurnover)) changes++;
    return changes;
  };
  // The school's grading leniency in a year: its own stream per school, so that drift shifts no other draw.
  const leniencyIn = (school: SimSchool, year: number) => {
    if (settings.leniencyDrift <= 0) return school.leniency;
    const rng = new Rng(settings.seed, `leniency|${school.index}`);
    let leniency = school.leniency;
    for (let y = settings.years[0] + 1; y <= year; y++) leniency += rng.normal(0, settings.leniencyDrift);
    return leniency;
  };
  const teacher = (school: number, grade: number, classIndex: number, subject: SubjectCode, year: number, rng: Rng = traitRng) => {
    // In grade 4 one class teacher teaches both subjects; from grade 5 each subject has its own teacher.
    const slot = `${school}|${grade}|${classIndex}|${grade === 4 ? '*' : subject}`;
    const changes = handovers(slot, year);
    const key = changes === 0 ? slot : `${slot}|${changes}`;
    let t = teacherEffect.get(key);
    if (!t) {
      t = { effect: rng.normal(0, 0.15), leniency: rng.normal(0, 0.1) };
      teacherEffect.set(key, t);
    }
    return t;
  };
  const taskEffects = new Map<string, number[]>();
  const taskEffectsOf = (school: number, scale: Scale, rng: Rng = traitRng) => {
    const key = `${school}|${scale.id}`;
    let effects = taskEffects.get(key);
    if (!effects) {
      effects = scale.tasks.map(() => rng.normal(0, settings.taskEffect));
      taskEffects.set(key, effects);
    }
    return effects;
  };
  const shocks = new Map<string, number>();
  const shockOf = (school: number, year: number) => {
    const key = `${school}|${year}`;
    if (!shocks.has(key)) shocks.set(key, traitRng.normal(0, 0.08));
    return shocks.get(key)!;
  };

  // Cohorts: a grade's pupils of year y are drawn (grade 4, grade 8); the next grade of year y is that grade of
  // y − 1, moved on (grade 5, the ОГЭ's grade 9).
  const firstYear = settings.years[0];
  const drawCohorts = (rng: Rng): [Map<string, Pupil[]>, Map<string, Pupil[]>] => {
    const first = new Map<string, Pupil[]>();
    const newPupil = (cohort: number): Pupil => ({ general: rng.normal(0, 0.85), rus: rng.normal(0, 0.5), math: rng.normal(0, 0.5), cohort });
    for (const school of schools) {
      for (let year = firstYear - 1; year <= settings.years[settings.years.length - 1]; year++) {
        const size = school.tiny ? rng.int(5, 20) : Math.max(12, Math.round(school.baseSize * Math.exp(rng.normal(0, 0.1))));
        const cohortEffect = rng.normal(0, 0.12);
        first.set(`${school.index}|${year}`, Array.from({ length: size }, () => newPupil(cohortEffect)));
      }
    }
    const next = new Map<string, Pupil[]>();
    for (const [key, pupils] of first) {
      const [school, year] = key.split('|').map(Number);
      next.set(`${school}|${year + 1}`, pupils.map((p) => (rng.chance(0.05) ? newPupil(p.cohort) : { ...p, general: p.general + rng.normal(0, 0.25) })));
    }
    return [first, next];
  };
  const [grade4, grade5] = drawCohorts(root.fork('cohorts'));

  // Honest works: grades 4 and 5, then (with `gia`) grade 8 and the ОГЭ from streams of their own.
  const assessments: SimAssessment[] = [];
  let code = 100000;
  const writeWorks = (procedure: SimAssessment['procedure'], grade: number, years: readonly number[], cohorts: Map<string, Pupil[]>, workRng: Rng, traits: Rng) => {
    for (const year of years) {
      for (const subject of SUBJECTS) {
        const scale = scaleFor(subject, grade, year);
        const works: Work[] = [];
        for (const school of schools) {
          if (school.missingYears.includes(year)) continue;
          const pupils = cohorts.get(`${school.index}|${year}`) ?? [];
          const classes = Math.max(1, Math.ceil(pupils.length / 28));
          const effects = taskEffectsOf(school.index, scale, traits);
          const schoolPart = school.level + school.trend * (year - firstYear) + shockOf(school.index, year) + (school.change && year >= school.change.year ? school.change.shift : 0);
          const schoolLeniency = leniencyIn(school, year);
          pupils.forEach((pupil, i) => {
            if (!workRng.chance(procedure === 'ОГЭ' ? 0.97 : 0.94)) return;
            const classIndex = i % classes;
            const t = teacher(school.index, grade, classIndex, subject, year, traits);
            const theta = 0.25 + schoolPart + pupil.cohort + t.effect + pupil.general + (subject === 'RUS' ? pupil.rus : pupil.math);
            const tasks = scale.tasks.map((task, j) => workRng.binomial(task.maxPoints, σ(theta - task.difficulty + effects[j])));
            const primary = tasks.reduce((a, b) => a + b, 0);
            let journal: number | null = null;
            if (procedure === 'ВПР' && workRng.chance(0.98)) {
              const seen = expectedMark(theta, scale) - 0.5 + schoolLeniency + t.leniency + workRng.normal(0, 0.35);
              journal = Math.min(5, Math.max(2, Math.round(seen)));
              if (journal === 2 && seen > 1.9 && workRng.chance(0.5)) journal = 3;
            }
            works.push({
              schoolIndex: school.index,
              participantCode: String(code++),
              classLabel: `${grade}${CLASS_LETTERS[classIndex]}`,
              variant: 1 + (i % 2),
              tasks,
              primary,
              mark: markFor(primary, scale.boundaries),
              journal: journal as Work['journal'],
            });
          });
        }
        assessments.push({ key: `${year}|${subject}|${grade}`, procedure, year, subject, subjectName: SUBJECT_NAME[subject], grade, scale, works });
      }
    }
  };
  const workRng = root.fork('works');
  // Grade 4 then grade 5 within each year, as the works have always been drawn (one stream for both).
  for (const year of settings.years) {
    writeWorks('ВПР', 4, [year], grade4, workRng, traitRng);
    writeWorks('ВПР', 5, [year], grade5, workRng, traitRng);
  }
  if (settings.gia) {
    const [grade8, grade9] = drawCohorts(new Rng(settings.seed, 'cohorts-upper'));
    const upperTraits = new Rng(settings.seed, 'traits-upper');
    writeWorks('ВПР', 8, settings.years, grade8, new Rng(settings.seed, 'works-8'), upperTraits);
    writeWorks('ОГЭ', 9, settings.years, grade9, new Rng(settings.seed, 'works-9'), upperTraits);
  }

  const calibration = calibrate(assessments);
  const doses = plant(assessments, plants, calibration, root.fork('manipulations'), settings.seed);
  return { settings, regionCode: '90', regionName: 'Модельная область', schools, assessments, plants, calibration, doses };
}

// ——— measures each manipulation moves, per school × assessment ———

function boundaryWindowShare(works: Work[], scale: Scale): number {
  return works.filter((w) => scale.boundaries.some((b) => w.primary === b || w.primary === b + 1)).length / works.length;
}
function justBelowShare(works: Work[], scale: Scale): number {
  return works.filter((w) => scale.boundaries.some((b) => w.primary === b - 1 || w.primary === b - 2)).length / works.length;
}
function raisedShare(works: Work[]): number {
  const withJournal = works.filter((w) => w.journal !== null);
  return withJournal.length ? withJournal.filter((w) => w.mark > w.journal!).length / withJournal.length : 0;
}
function confirmedBelowFiveShare(works: Work[]): number {
  const withJournal = works.filter((w) => w.journal !== null);
  return withJournal.length ? withJournal.filter((w) => w.mark === w.journal && w.mark < 5).length / withJournal.length : 0;
}
function hardCompletion(works: Work[], scale: Scale): number {
  const hard = scale.tasks.map((t, i) => (t.level === 'П' ? i : -1)).filter((i) => i >= 0);
  const max = hard.reduce((sum, i) => sum + scale.tasks[i].maxPoints, 0);
  return works.reduce((sum, w) => sum + hard.reduce((s, i) => s + w.tasks[i], 0), 0) / (works.length * max);
}
function meanShareOfMax(works: Work[], scale: Scale): number {
  return works.reduce((sum, w) => sum + w.primary, 0) / (works.length * scale.maxPrimary);
}
function pointsBelowMaxShare(works: Work[], scale: Scale): number {
  return works.reduce((sum, w) => sum + w.tasks.filter((score, i) => score < scale.tasks[i].maxPoints).length, 0) / (works.length * scale.maxPrimary);
}

const sd = (values: number[]) => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
};

/**
 * The honest between-school SD of each measure (schools with ≥ 20 works in the assessment, before anything is
 * planted) and the base q that turns a probability p into an expected shift p·q of the measure.
 */
function calibrate(assessments: SimAssessment[]): Calibration {
  const out: Calibration = {};
  for (const a of assessments) {
    if (a.procedure !== 'ВПР') continue;
    const bySchool = new Map<number, Work[]>();
    for (const w of a.works) (bySchool.get(w.schoolIndex) ?? bySchool.set(w.schoolIndex, []).get(w.schoolIndex)!).push(w);
    const groups = [...bySchool.values()].filter((g) => g.length >= 20);
    out[a.key] = {
      BOUNDARY_RAISE: { sd: sd(groups.map((g) => boundaryWindowShare(g, a.scale))), q: justBelowShare(a.works, a.scale) },
      VPR_ABOVE_JOURNAL: { sd: sd(groups.map(raisedShare)), q: confirmedBelowFiveShare(a.works) },
      LEAKED_HARD_TASKS: { sd: sd(groups.map((g) => hardCompletion(g, a.scale))), q: 1 - hardCompletion(a.works, a.scale) },
      INFLATED_SCORES: { sd: sd(groups.map((g) => meanShareOfMax(g, a.scale))), q: pointsBelowMaxShare(a.works, a.scale) },
    };
  }
  return out;
}

/** Adds points to tasks below their maximum, at random, until the work scores `target` (or cannot rise). */
function raiseTo(work: Work, target: number, scale: Scale, rng: Rng): void {
  let open = scale.tasks.map((t, i) => (work.tasks[i] < t.maxPoints ? i : -1)).filter((i) => i >= 0);
  while (work.primary < target && open.length > 0) {
    const at = rng.int(0, open.length - 1);
    const i = open[at];
    work.tasks[i]++;
    work.primary++;
    if (work.tasks[i] >= scale.tasks[i].maxPoints) open = open.filter((_, k) => k !== at);
  }
}

function plant(assessments: SimAssessment[], plants: Plant[], calibration: Calibration, rng: Rng, seed: number): SimRegion['doses'] {
  const doses: SimRegion['doses'] = [];
  const worksBySchool = new Map<string, Map<number, Work[]>>();
  for (const a of assessments) {
    const bySchool = new Map<number, Work[]>();
    for (const w of a.works) (bySchool.get(w.schoolIndex) ?? bySchool.set(w.schoolIndex, []).get(w.schoolIndex)!).push(w);
    worksBySchool.set(a.key, bySchool);
  }
  // ВПР 8 draws from its own stream, so that grades 4 and 5 are planted the same with or without it.
  const upperRng = new Rng(seed, 'manipulations-upper');
  for (const p of plants) {
    for (const a of assessments) {
      // The ОГЭ is checked by the region's commission: a school's manipulation does not reach it.
      if (!p.years.includes(a.year) || a.procedure !== 'ВПР') continue;
      const draw = a.grade >= 8 ? upperRng : rng;
      const { sd: spread, q } = calibration[a.key][p.kind];
      const wanted = q > 0 ? (STRENGTHS[p.strength] * spread) / q : 1;
      const prob = Math.min(1, wanted);
      doses.push({ schoolIndex: p.schoolIndex, assessmentKey: a.key, kind: p.kind, strength: p.strength, p: Math.round(prob * 1000) / 1000, capped: wanted > 1 });
      const scale = a.scale;
      const [b3, b4, b5] = scale.boundaries;
      const hard = scale.tasks.map((t, i) => (t.level === 'П' ? i : -1)).filter((i) => i >= 0);
      for (const w of worksBySchool.get(a.key)!.get(p.schoolIndex) ?? []) {
        switch (p.kind) {
          case 'BOUNDARY_RAISE': {
            const b = scale.boundaries.find((x) => w.primary === x - 1 || w.primary === x - 2);
            if (b !== undefined && draw.chance(prob)) raiseTo(w, b, scale, draw);
            break;
          }
          case 'VPR_ABOVE_JOURNAL': {
            if (w.journal !== null && w.mark === w.journal && w.mark < 5 && draw.chance(prob)) {
              const lower = w.mark === 2 ? b3 : w.mark === 3 ? b4 : b5;
              const upper = w.mark === 2 ? b4 - 1 : w.mark === 3 ? b5 - 1 : scale.maxPrimary;
              raiseTo(w, Math.min(upper, lower + draw.int(0, 2)), scale, draw);
            }
            break;
          }
          case 'LEAKED_HARD_TASKS': {
            if (draw.chance(prob)) for (const i of hard) (w.primary += scale.tasks[i].maxPoints - w.tasks[i]), (w.tasks[i] = scale.tasks[i].maxPoints);
            break;
          }
          case 'INFLATED_SCORES': {
            scale.tasks.forEach((t, i) => {
              if (w.tasks[i] < t.maxPoints && draw.chance(prob)) {
                w.tasks[i]++;
                w.primary++;
              }
            });
            break;
          }
        }
        w.mark = markFor(w.primary, scale.boundaries);
      }
    }
  }
  return doses;
}

/** Participants per ВПР of each school-year (what the size rules of the scoring look at; the ОГЭ is not among them). */
export function participantsBySchoolYear(region: SimRegion): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const a of region.assessments) {
    if (a.procedure !== 'ВПР') continue;
    const counts = new Map<number, number>();
    for (const w of a.works) counts.set(w.schoolIndex, (counts.get(w.schoolIndex) ?? 0) + 1);
    for (const [school, n] of counts) {
      const key = `${school}|${a.year}`;
      (out.get(key) ?? out.set(key, []).get(key)!).push(n);
    }
  }
  return out;
}
