/**
 * The scales of the robustness model: ВПР Russian and Maths in grades 4, 5 and 8, ОГЭ Russian and Maths (grade 9).
 * Task maxima, boundaries and levels follow the published shape of these works; Russian grade 4 is scored out of 38 until 2024 and out of 24 from 2025 (a new
 * task set), as the real scale changed. Task difficulties are fixed numbers (a public test, the same in every
 * simulated region): basic (Б) tasks easy, advanced (П) tasks hard.
 */
type TaskLevel = 'Б' | 'П';

interface ScaleTask {
  number: string;
  maxPoints: number;
  level: TaskLevel;
  /** Difficulty on the pupils' ability scale (logit); a point of the task is earned with σ(θ − difficulty). */
  difficulty: number;
}

export interface Scale {
  /** Identifies the task set: school × task effects are drawn per task set, so a new scale gets new ones. */
  id: string;
  maxPrimary: number;
  /** Minimum primary score for «3», «4», «5». */
  boundaries: [number, number, number];
  tasks: ScaleTask[];
}

export type SubjectCode = 'RUS' | 'MATH';
export const SUBJECT_NAME: Record<SubjectCode, string> = { RUS: 'Русский язык', MATH: 'Математика' };

function build(id: string, maxima: number[], hardCount: number, boundaries: [number, number, number], easiest: number, hardest: number): Scale {
  const n = maxima.length;
  const tasks = maxima.map((maxPoints, i) => {
    const hard = i >= n - hardCount;
    // Difficulties rise through the work, in two bands: basic tasks from `easiest`, advanced ones up to `hardest`.
    const basicSpan = n - hardCount - 1 || 1;
    const difficulty = hard ? 0.4 + ((hardest - 0.4) * (i - (n - hardCount))) / Math.max(1, hardCount - 1) : easiest + ((-0.1 - easiest) * i) / basicSpan;
    return { number: String(i + 1), maxPoints, level: (hard ? 'П' : 'Б') as TaskLevel, difficulty: Math.round(difficulty * 100) / 100 };
  });
  const maxPrimary = maxima.reduce((a, b) => a + b, 0);
  if (!(boundaries[0] < boundaries[1] && boundaries[1] < boundaries[2] && boundaries[2] <= maxPrimary)) throw new Error(`scale ${id}: bad boundaries`);
  return { id, maxPrimary, boundaries, tasks };
}

const RUS4_38 = build('RUS4-38', [4, 3, 3, 3, 2, 2, 2, 2, 2, 3, 2, 2, 2, 2, 2, 2], 4, [14, 24, 33], -1.6, 1.4);
const RUS4_24 = build('RUS4-24', [3, 2, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2], 3, [9, 15, 20], -1.6, 1.4);
const MATH4 = build('MATH4-20', [1, 1, 1, 1, 1, 1, 1, 2, 1, 2, 1, 2, 1, 2, 2], 4, [6, 10, 15], -1.8, 1.6);
const RUS5 = build('RUS5-45', [4, 4, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 3], 5, [18, 29, 39], -1.5, 1.5);
const MATH5 = build('MATH5-20', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2], 5, [7, 11, 15], -1.7, 1.6);

const RUS8 = build('RUS8-51', [9, 3, 3, 3, 3, 4, 4, 4, 3, 2, 4, 3, 3, 3], 4, [23, 35, 45], -1.3, 1.5);
const MATH8 = build('MATH8-19', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2], 4, [5, 9, 14], -1.5, 1.8);
// ОГЭ (grade 9): the tasks with a short answer (one point each) first, then those with an extended answer, as the
// РЦОИ protocol lists them; the extended ones are the advanced part.
const OGE_RUS = build('OGE-RUS-33', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 7, 6, 5, 4], 2, [15, 23, 29], -1.5, 1.0);
const OGE_MATH = build('OGE-MATH-31', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2], 6, [8, 15, 22], -1.6, 2.0);

/** The scale of one ВПР (grades 4, 5, 8) or ОГЭ (grade 9) in one year. */
export function scaleFor(subject: SubjectCode, grade: number, year: number): Scale {
  if (subject === 'RUS' && grade === 4) return year >= 2025 ? RUS4_24 : RUS4_38;
  if (subject === 'RUS' && grade === 5) return RUS5;
  if (subject === 'MATH' && grade === 4) return MATH4;
  if (subject === 'MATH' && grade === 5) return MATH5;
  if (grade === 8) return subject === 'RUS' ? RUS8 : MATH8;
  if (grade === 9) return subject === 'RUS' ? OGE_RUS : OGE_MATH;
  throw new Error(`no scale for ${subject} ${grade}`);
}

export function markFor(score: number, boundaries: readonly number[]): 2 | 3 | 4 | 5 {
  if (score >= boundaries[2]) return 5;
  if (score >= boundaries[1]) return 4;
  if (score >= boundaries[0]) return 3;
  return 2;
}
