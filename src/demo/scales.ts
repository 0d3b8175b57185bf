/**
 * Assessments of the demo region and their scales. The scales are ILLUSTRATIVE: shaped like the published
 * ВПР / ОГЭ / ЕГЭ ones (task numbering, levels, maxima, boundary positions, ОГЭ mark requirements, ЕГЭ
 * minimums), but not copies of any official year. What matters for the hub is that they change by year
 * (ВПР Russian grade 4: max 38 until 2024, max 24 from 2025), so raw scores are never comparable across years.
 */
import type { Assessment, AssessmentScale, AssessmentTask, Mark, MarkRequirement, Procedure, Subject, SubjectCode, TaskLevel } from './types';

export const SUBJECTS: Subject[] = [
  { code: 'RUS', name: 'Русский язык' },
  { code: 'MATH', name: 'Математика' },
  { code: 'MATH_PROF', name: 'Математика (профильный уровень)' },
];

interface EgeConversion {
  /** Primary score that converts to the test-score minimum. */
  minimumPrimary: number;
  minimumTest: number;
  /** < 1 makes the scale concave above the minimum, like the published ones (steeper just above the minimum). */
  curvature: number;
  /** Test scores conventionally read as «4» and «5». */
  mark4Test: number;
  mark5Test: number;
}

interface ScaleSpec {
  procedure: Procedure;
  subjectCode: SubjectCode;
  grade: number;
  /** Years the version is in use, inclusive; open ends are unbounded. */
  fromYear?: number;
  toYear?: number;
  /** 'number:<level><points>' separated by spaces, e.g. '1К1:Б4 3.2:П2'. */
  tasks: string;
  /** Minimum primary score for «3», «4», «5» (for ЕГЭ derived from `ege`). */
  boundaries?: [number, number, number];
  requirements?: MarkRequirement[];
  ege?: EgeConversion;
}

const OGE_LITERACY = ['ГК1', 'ГК2', 'ГК3', 'ГК4'];
const OGE_GEOMETRY = ['15', '16', '17', '18', '19', '23', '24', '25'];

const SCALE_SPECS: ScaleSpec[] = [
  // ВПР grade 4 Russian: the 2025 version is shorter (max 24), so its tasks and boundaries differ.
  {
    procedure: 'VPR', subjectCode: 'RUS', grade: 4, toYear: 2024,
    tasks: '1К1:Б4 1К2:Б3 2:Б3 3.1:Б1 3.2:Б3 4:Б2 5:Б2 6:П2 7:П2 8:П3 9:Б2 10:П1 11:Б2 12.1:Б1 12.2:Б2 13.1:Б1 13.2:П2 14:П2',
    boundaries: [14, 24, 33],
  },
  {
    procedure: 'VPR', subjectCode: 'RUS', grade: 4, fromYear: 2025,
    tasks: '1:Б3 2:Б2 3:Б2 4:Б1 5:Б2 6:Б2 7:П2 8:П2 9:П2 10:Б2 11:П2 12:В2',
    boundaries: [10, 16, 21],
  },
  {
    procedure: 'VPR', subjectCode: 'MATH', grade: 4,
    tasks: '1:Б1 2:Б1 3:Б2 4:Б1 5.1:Б1 5.2:Б1 6.1:Б1 6.2:Б1 7:Б1 8:Б2 9.1:П1 9.2:П1 10:П2 11:П1 12:В3',
    boundaries: [6, 10, 14],
  },
  {
    procedure: 'VPR', subjectCode: 'RUS', grade: 5,
    tasks: '1К1:Б4 1К2:Б3 1К3:Б2 2К1:Б3 2К2:Б3 2К3:Б3 2К4:П3 3:Б2 4:Б2 5:Б2 6:Б2 7:Б2 8:Б2 9:П2 10:П1 11:П2 12:П2 13:В2 14:В1 15:П2',
    boundaries: [18, 29, 39],
  },
  {
    procedure: 'VPR', subjectCode: 'MATH', grade: 5,
    tasks: '1:Б1 2:Б1 3:Б1 4:Б1 5:Б1 6:Б1 7:Б1 8:П1 9:П2 10:П1 11:П2 12:П2 13:В2 14:В3',
    boundaries: [7, 11, 15],
  },
  {
    procedure: 'VPR', subjectCode: 'RUS', grade: 6,
    tasks: '1К1:Б4 1К2:Б3 1К3:Б2 2К1:Б3 2К2:Б3 2К3:Б3 2К4:Б3 3:Б2 4:Б2 5:Б2 6:Б2 7:П2 8:П3 9:П2 10:П2 11:П2 12:П2 13:П2 14:В3 15:В2 16:В2',
    boundaries: [21, 33, 44],
  },
  {
    procedure: 'VPR', subjectCode: 'MATH', grade: 6,
    tasks: '1:Б1 2:Б1 3:Б1 4:Б1 5:Б1 6:Б1 7:Б1 8:Б1 9:П2 10:П2 11:П1 12:П2 13:В2 14:В3',
    boundaries: [6, 10, 14],
  },
  {
    procedure: 'VPR', subjectCode: 'RUS', grade: 7,
    tasks: '1К1:Б4 1К2:Б3 1К3:Б2 2К1:Б3 2К2:Б3 2К3:Б3 2К4:Б3 3:Б2 4:Б2 5:П2 6:П2 7:П2 8:П2 9:П2 10:П2 11:В2 12:В2 13:В2 14:П2 15:В2',
    boundaries: [20, 30, 39],
  },
  {
    procedure: 'VPR', subjectCode: 'MATH', grade: 7,
    tasks: '1:Б1 2:Б1 3:Б1 4:Б1 5:Б1 6:Б1 7:Б1 8:П1 9:П1 10:П2 11:П2 12:П2 13:В2 14:В2',
    boundaries: [7, 12, 16],
  },
  {
    procedure: 'VPR', subjectCode: 'RUS', grade: 8,
    tasks: '1К1:Б4 1К2:Б3 1К3:Б2 2К1:Б3 2К2:Б3 2К3:Б3 2К4:Б3 3:Б2 4:Б2 5:П2 6:П2 7:П2 8:П2 9:П2 10:П2 11:П2 12:П2 13:В3 14:В3 15:В3 16:Б1',
    boundaries: [23, 34, 44],
  },
  {
    procedure: 'VPR', subjectCode: 'MATH', grade: 8,
    tasks: '1:Б1 2:Б1 3:Б1 4:Б1 5:Б1 6:Б1 7:Б1 8:Б1 9:П1 10:П2 11:П2 12:П2 13:П2 14:П2 15:В2 16:В2 17:В2',
    boundaries: [7, 13, 19],
  },
  // ОГЭ Russian: изложение (1), short answers (2–8), сочинение (9), literacy ГК1–ГК4 and factual accuracy ФК1.
  {
    procedure: 'OGE', subjectCode: 'RUS', grade: 9,
    tasks: '1:П7 2:Б1 3:Б1 4:Б1 5:Б1 6:Б1 7:Б1 8:Б1 9:В9 ГК1:П2 ГК2:П2 ГК3:Б2 ГК4:Б2 ФК1:Б2',
    boundaries: [15, 23, 29],
    requirements: [
      { forMark: 4, taskNumbers: OGE_LITERACY, minPoints: 4, descriptionRu: '«4» — не менее 4 баллов по критериям грамотности ГК1–ГК4' },
      { forMark: 5, taskNumbers: OGE_LITERACY, minPoints: 6, descriptionRu: '«5» — не менее 6 баллов по критериям грамотности ГК1–ГК4' },
    ],
  },
  // ОГЭ Maths: part 1 (1–19), part 2 (20–25); geometry is 15–19 and 23–25.
  {
    procedure: 'OGE', subjectCode: 'MATH', grade: 9,
    tasks: '1:Б1 2:Б1 3:Б1 4:Б1 5:П1 6:Б1 7:Б1 8:Б1 9:Б1 10:Б1 11:Б1 12:Б1 13:Б1 14:Б1 15:Б1 16:Б1 17:Б1 18:Б1 19:Б1 20:П2 21:П2 22:В2 23:П2 24:П2 25:В2',
    boundaries: [8, 15, 22],
    requirements: [
      { forMark: 3, taskNumbers: OGE_GEOMETRY, minPoints: 2, descriptionRu: '«3» — не менее 2 баллов за задания по геометрии' },
    ],
  },
  {
    procedure: 'EGE', subjectCode: 'RUS', grade: 11,
    tasks: '1:Б1 2:Б1 3:Б1 4:Б1 5:Б1 6:Б1 7:Б1 8:Б2 9:Б1 10:Б1 11:Б1 12:Б1 13:Б1 14:Б1 15:Б1 16:Б1 17:Б1 18:Б1 19:П1 20:П1 21:П1 22:П1 23:П1 24:П1 25:П1 26:П1 27:В23',
    ege: { minimumPrimary: 10, minimumTest: 24, curvature: 0.85, mark4Test: 58, mark5Test: 72 },
  },
  {
    procedure: 'EGE', subjectCode: 'MATH_PROF', grade: 11,
    tasks: '1:Б1 2:Б1 3:Б1 4:Б1 5:Б1 6:Б1 7:Б1 8:Б1 9:Б1 10:Б1 11:Б1 12:Б1 13:П2 14:П3 15:П2 16:П2 17:В3 18:В4 19:В4',
    ege: { minimumPrimary: 6, minimumTest: 27, curvature: 0.7, mark4Test: 50, mark5Test: 68 },
  },
];

const PROCEDURE_SESSION = { VPR: 'spring', OGE: 'main', EGE: 'main' } as const;

function parseTasks(spec: string): AssessmentTask[] {
  return spec.split(/\s+/).map((item) => {
    const match = /^(.+):([БПВ])(\d+)$/.exec(item);
    if (!match) throw new Error(`Bad task spec '${item}'`);
    return { number: match[1], level: match[2] as TaskLevel, maxPoints: Number(match[3]) };
  });
}

/** Primary → test score: proportional up to the minimum, then a concave curve reaching 100 at the maximum. */
function buildTestScale(maxPrimary: number, conversion: EgeConversion): number[] {
  const { minimumPrimary, minimumTest, curvature } = conversion;
  const scale: number[] = [];
  for (let primary = 0; primary <= maxPrimary; primary++) {
    const test =
      primary <= minimumPrimary
        ? (primary * minimumTest) / minimumPrimary
        : minimumTest + (100 - minimumTest) * ((primary - minimumPrimary) / (maxPrimary - minimumPrimary)) ** curvature;
    scale.push(Math.round(test));
  }
  return scale;
}

function versionLabel(spec: ScaleSpec): string {
  const subjectGrade = `${spec.procedure}-${spec.subjectCode}-${spec.grade}`;
  return spec.fromYear === undefined ? subjectGrade : `${subjectGrade}@${spec.fromYear}`;
}

function buildScale(spec: ScaleSpec): AssessmentScale {
  const tasks = parseTasks(spec.tasks);
  const maxPrimary = tasks.reduce((sum, task) => sum + task.maxPoints, 0);
  const scale: AssessmentScale = { version: versionLabel(spec), maxPrimary, boundaries: { 3: 0, 4: 0, 5: 0 }, tasks };
  if (spec.ege) {
    const testScale = buildTestScale(maxPrimary, spec.ege);
    const firstReaching = (test: number) => testScale.findIndex((value) => value >= test);
    scale.egeMinimum = spec.ege.minimumTest;
    scale.testScale = testScale;
    scale.boundaries = { 3: spec.ege.minimumPrimary, 4: firstReaching(spec.ege.mark4Test), 5: firstReaching(spec.ege.mark5Test) };
  } else if (spec.boundaries) {
    const [three, four, five] = spec.boundaries;
    scale.boundaries = { 3: three, 4: four, 5: five };
  }
  if (spec.requirements) scale.markRequirements = spec.requirements;
  return scale;
}

// Built once: scale objects are shared by every region (they do not depend on the seed).
const SCALES = SCALE_SPECS.map((spec) => ({ spec, scale: buildScale(spec) }));

/** The shared, never-handed-out scale of an assessment: models are built from it, not from a region's copy. */
export function canonicalScale(procedure: Procedure, subjectCode: SubjectCode, grade: number, year: number): AssessmentScale {
  const found = SCALES.find(
    ({ spec }) =>
      spec.procedure === procedure &&
      spec.subjectCode === subjectCode &&
      spec.grade === grade &&
      (spec.fromYear === undefined || year >= spec.fromYear) &&
      (spec.toYear === undefined || year <= spec.toYear),
  );
  if (!found) throw new Error(`No scale for ${procedure} ${subjectCode} ${grade} in ${year}`);
  return found.scale;
}

export function assessmentKey(procedure: Procedure, year: number, subjectCode: SubjectCode, grade: number): string {
  return `${procedure}-${year}-${subjectCode}-${grade}`;
}

/** Per year: ВПР 4–8 Russian and Maths, ОГЭ 9 Russian and Maths, ЕГЭ 11 Russian and profile Maths. */
export function buildAssessments(years: number[]): Assessment[] {
  const kinds: { procedure: Procedure; subjectCode: SubjectCode; grade: number }[] = [];
  for (const grade of [4, 5, 6, 7, 8]) {
    kinds.push({ procedure: 'VPR', subjectCode: 'RUS', grade }, { procedure: 'VPR', subjectCode: 'MATH', grade });
  }
  kinds.push(
    { procedure: 'OGE', subjectCode: 'RUS', grade: 9 },
    { procedure: 'OGE', subjectCode: 'MATH', grade: 9 },
    { procedure: 'EGE', subjectCode: 'RUS', grade: 11 },
    { procedure: 'EGE', subjectCode: 'MATH_PROF', grade: 11 },
  );
  return years.flatMap((year) =>
    kinds.map(({ procedure, subjectCode, grade }) => ({
      key: assessmentKey(procedure, year, subjectCode, grade),
      procedure,
      year,
      session: PROCEDURE_SESSION[procedure],
      subjectCode,
      grade,
      // A copy per region: consumers may annotate their data without touching other regions' scales.
      scale: structuredClone(canonicalScale(procedure, subjectCode, grade, year)),
    })),
  );
}

const MARKS_ABOVE_TWO = [3, 4, 5] as const;

function requirementMet(scale: AssessmentScale, requirement: MarkRequirement, taskScores: readonly (number | null)[]): boolean {
  let points = 0;
  scale.tasks.forEach((task, index) => {
    if (requirement.taskNumbers.includes(task.number)) points += taskScores[index] ?? 0;
  });
  return points >= requirement.minPoints;
}

/**
 * The mark for a primary score: the highest mark whose boundary is reached and whose requirements (and those of
 * every lower mark) hold. `taskScores` is needed only when the scale has requirements. For ЕГЭ this gives the
 * conventional recoding; ЕГЭ participant results themselves carry no mark.
 */
export function markForScore(scale: AssessmentScale, primaryScore: number, taskScores?: readonly (number | null)[]): Mark {
  const requirements = scale.markRequirements;
  if (requirements && requirements.length > 0 && !taskScores) throw new Error(`Scale ${scale.version} needs task scores to give a mark`);
  let mark: Mark = 2;
  for (const candidate of MARKS_ABOVE_TWO) {
    if (primaryScore < scale.boundaries[candidate]) break;
    if (requirements && requirements.some((r) => r.forMark === candidate && !requirementMet(scale, r, taskScores!))) break;
    mark = candidate;
  }
  return mark;
}
