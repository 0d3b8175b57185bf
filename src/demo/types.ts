/**
 * Public contract of the demo-region generator. The PostgreSQL loader and the risk methodology's tests read
 * these shapes, so they are plain data (no classes, no Dates), documented field by field, and change only
 * deliberately. Shares are fractions 0–1; fields named `…Percent…` are 0–100.
 */

export type SchoolType = 'NOSH' | 'OOSH' | 'SOSH' | 'LYCEUM' | 'GYMNASIUM';
type AliasKind = 'FISOKO_LOGIN' | 'RCOI_CODE' | 'INN';
export type Procedure = 'VPR' | 'OGE' | 'EGE';
/** ВПР is written in the spring session; ОГЭ and ЕГЭ results come from the main period. */
type Session = 'spring' | 'main';
export type SubjectCode = 'RUS' | 'MATH' | 'MATH_PROF';
/** Task level from the specification: базовый, повышенный, высокий. */
export type TaskLevel = 'Б' | 'П' | 'В';
export type Mark = 2 | 3 | 4 | 5;
export type ObserverKind = 'NONE' | 'PUBLIC' | 'INDEPENDENT';
type RecheckCommission = 'MUNICIPAL' | 'REGIONAL';
export type BenchmarkLevel = 'RUSSIA' | 'REGION' | 'MUNICIPALITY';

export type PlantedKind =
  | 'BOUNDARY_BUNCHING'
  | 'HIGH_NOT_CONFIRMED_OGE'
  | 'COHORT_DROP'
  | 'PERSISTENT_FAILS'
  | 'JOURNAL_INFLATED'
  | 'TASK_INVERSION'
  | 'RECHECK_LOSS';

export const PLANTED_KINDS: readonly PlantedKind[] = [
  'BOUNDARY_BUNCHING',
  'HIGH_NOT_CONFIRMED_OGE',
  'COHORT_DROP',
  'PERSISTENT_FAILS',
  'JOURNAL_INFLATED',
  'TASK_INVERSION',
  'RECHECK_LOSS',
];

export interface Region {
  /** Subject-of-the-RF code; the demo region is always '99'. */
  code: string;
  name: string;
}

export interface Municipality {
  /** Unique across regions: region code + two digits, e.g. '9901'. */
  code: string;
  name: string;
}

export interface SchoolAlias {
  kind: AliasKind;
  /** 'sch991234' (ФИС ОКО login), '99-0123' (РЦОИ code), or a 10-digit ИНН with a valid check digit. */
  value: string;
}

export interface School {
  /** Stable key within one generated region ('DEMO-0001'); deliberately unlike any alias. */
  id: string;
  /** Official-style Russian name, e.g. «МБОУ СОШ № 3 г. Заречный». */
  name: string;
  municipalityCode: string;
  type: SchoolType;
  inDepthStudy: boolean;
  urban: boolean;
  aliases: SchoolAlias[];
}

export interface SchoolContext {
  schoolId: string;
  year: number;
  /** Students in all grades the school teaches (НОШ 1–4, ООШ 1–9, others 1–11). */
  enrolment: number;
  /** Class units (классы-комплекты); one per grade in rural schools. */
  classes: number;
  /** Малокомплектная школа. */
  smallSchool: boolean;
  inDepthStudy: boolean;
  /** Share of students with ОВЗ, 0–1. */
  shareDisabled: number;
  teachers: number;
  vacancies: number;
  hasPsychologist: boolean;
  hasDefectologist: boolean;
  hasSocialPedagogue: boolean;
  headTenureYears: number;
  /** Social-wellbeing index (ИСБШ-like), 0–1, higher = better conditions. */
  socialIndex: number;
  /**
   * Extra context a region may hold: remotenessKm (to the municipal centre), settlementType
   * ('город' | 'пгт' | 'село' | 'деревня'), settlement, nonNativeShare (0–1), shifts (1 | 2).
   */
  attributes: Record<string, string | number | boolean>;
}

export interface Subject {
  code: SubjectCode;
  name: string;
}

export interface AssessmentTask {
  /** Task number as printed in ФИС ОКО / РЦОИ headers: '1', '4.1', '1К1', 'ГК1'. */
  number: string;
  level: TaskLevel;
  maxPoints: number;
}

/**
 * An extra condition for a mark besides the primary-score boundary (ОГЭ Russian: literacy ГК1–ГК4;
 * ОГЭ Maths: geometry points). A mark is given only if every requirement with `forMark` ≤ that mark holds.
 */
export interface MarkRequirement {
  forMark: 3 | 4 | 5;
  /** Task numbers whose points are summed (null counts as 0). */
  taskNumbers: string[];
  minPoints: number;
  descriptionRu: string;
}

/** Illustrative, published-like scale (not an official one). */
export interface AssessmentScale {
  /** Scale version label, e.g. 'VPR-RUS-4@2025'; equal labels mean identical tasks, items and boundaries. */
  version: string;
  maxPrimary: number;
  /**
   * Minimum primary score for each mark. For ЕГЭ (no marks) «3» is the primary equivalent of the test-score
   * minimum and «4»/«5» follow the conventional recoding (Russian 58/72, profile Maths 50/68 test points);
   * informational only — ЕГЭ results carry mark = null.
   */
  boundaries: { 3: number; 4: number; 5: number };
  /** ЕГЭ test-score minimum (Russian 24, profile Maths 27). */
  egeMinimum?: number;
  /** ЕГЭ: primary score → test score 0–100, index = primary score, length maxPrimary + 1. */
  testScale?: number[];
  tasks: AssessmentTask[];
  markRequirements?: MarkRequirement[];
}

export interface Assessment {
  /** '<procedure>-<year>-<subject>-<grade>', e.g. 'VPR-2024-RUS-4', 'OGE-2025-MATH-9', 'EGE-2023-MATH_PROF-11'. */
  key: string;
  procedure: Procedure;
  year: number;
  session: Session;
  subjectCode: SubjectCode;
  grade: number;
  scale: AssessmentScale;
}

export interface ParticipantResult {
  schoolId: string;
  assessmentKey: string;
  /**
   * Anonymised code, '<PROC><yy>-<school no>-<seq>' (e.g. 'VPR24-0123-0042'). The same student keeps one code
   * across subjects of the same procedure and year; codes are not linkable across years. No names, ever.
   */
  participantCode: string;
  classLabel: string;
  variant: number;
  /** Points per task in scale.tasks order; null = task not done («X»), distinct from 0. */
  taskScores: (number | null)[];
  /** Always the sum of taskScores (null counts as 0). */
  primaryScore: number;
  /** From scale boundaries and requirements (see markForScore); null for ЕГЭ. */
  mark: Mark | null;
  /** School's term mark; ВПР only, null elsewhere and for ~1% of ВПР works («нет отметки»). */
  journalMark: Mark | null;
  /** ЕГЭ only: scale.testScale[primaryScore]; null elsewhere. */
  testScore: number | null;
  /** ОГЭ Russian only: literacy criteria ГК1–ГК4 (equal to the same-named task scores). */
  criteria?: Record<string, number>;
}

export interface ParticipantFilter {
  schoolIds?: string[];
  assessmentKeys?: string[];
  years?: number[];
  procedures?: Procedure[];
}

export interface ConductConditions {
  schoolId: string;
  year: number;
  procedure: Procedure;
  observers: ObserverKind;
  videoAtConduct: boolean;
  videoAtChecking: boolean;
  /** Checking by a commission without the class's own teacher (for ОГЭ/ЕГЭ: the regional subject commission). */
  collegialChecking: boolean;
  /** ВПР only: the school was in the federal «контроль объективности» sample (observers + federal checking). */
  federalControlSample: boolean;
}

export interface Benchmark {
  assessmentKey: string;
  level: BenchmarkLevel;
  /** Set for MUNICIPALITY rows, null otherwise. */
  municipalityCode: string | null;
  participants: number;
  /** Shares of marks 2–5 (0–1); null for ЕГЭ. */
  markShares: { 2: number; 3: number; 4: number; 5: number } | null;
  /** Mean primary score as % of maxPrimary. */
  meanPercentOfMax: number;
  /** Mean points per task as % of the task's maxPoints, in scale.tasks order (null counts as 0). */
  taskPercentOfMax: number[];
  /** ЕГЭ only: share below the test-score minimum (0–1). */
  belowMinimumShare: number | null;
  /** ЕГЭ only. */
  meanTestScore: number | null;
}

export interface Recheck {
  schoolId: string;
  assessmentKey: string;
  /** Matches a participantCode yielded for this school and assessment. */
  participantCode: string;
  /** Equals that participant's primaryScore. */
  originalScore: number;
  recheckScore: number;
  originalMark: Mark;
  recheckMark: Mark;
  commission: RecheckCommission;
}

export interface PlantedAnomaly {
  schoolId: string;
  kind: PlantedKind;
  /** Years in which the pattern can be observed (distorted years and the follow-up years compared with them). */
  years: number[];
  /** Assessments involved: the distorted ones and, for cohort kinds, the follow-up ones that expose them. */
  assessmentKeys: string[];
  descriptionRu: string;
}

export interface GenerateRegionOptions {
  seed: number;
  /** Number of schools, 3–9000; default 60. */
  schools?: number;
  /** Default [2023, 2024, 2025]. */
  years?: number[];
  /** Share of schools with planted anomalies; default 0.15. */
  anomalyRate?: number;
}

export interface DemoRegion {
  seed: number;
  years: number[];
  region: Region;
  municipalities: Municipality[];
  schools: School[];
  contexts: SchoolContext[];
  subjects: Subject[];
  assessments: Assessment[];
  conductConditions: ConductConditions[];
  /**
   * Russia, region and municipality reference values per assessment. Computed from the generated results on
   * first read (one pass over all participants) and then cached, so large regions don't pay for it unasked.
   */
  readonly benchmarks: Benchmark[];
  rechecks: Recheck[];
  planted: PlantedAnomaly[];
  /**
   * Lazily yields participant results, school by school in `schools` order, then assessments in `assessments`
   * order. Each (school, assessment) block depends only on (seed, school, assessment) and the options, never on
   * the filter or on what was iterated before.
   */
  participantResults(filter?: ParticipantFilter): Generator<ParticipantResult, void, undefined>;
}
