/**
 * Normalized records produced by the import parsers: one flat object per accepted source row,
 * ready for COPY into a staging table. Fields are primitives or arrays of primitives (PostgreSQL
 * arrays); the only object field is `SchoolContextRecord.extraAttributes`, meant for a jsonb column.
 *
 * Code values are the same strings as the hub's enums (src/assessments/enums.ts, src/schools/enums.ts),
 * declared here as literal unions so the parser does not depend on the GraphQL / ORM layer.
 *
 * School codes are kept exactly as the file gives them (trimmed): resolving them through the alias
 * table needs the database and belongs to the loader.
 */

export type ProcedureCode = 'VPR' | 'NIKO' | 'OGE' | 'EGE' | 'GVE' | 'VSOSH';
export type TaskLevelCode = 'BASIC' | 'ADVANCED' | 'HIGH';
export type SchoolTypeCode = 'NOSH' | 'OOSH' | 'SOSH' | 'LYCEUM' | 'GYMNASIUM' | 'OTHER';
export type BenchmarkLevelCode = 'RUSSIA' | 'REGION' | 'MUNICIPALITY';
export type ObserverPresenceCode = 'NONE' | 'PUBLIC' | 'INDEPENDENT';
export type RecheckCommissionCode = 'SCHOOL' | 'MUNICIPAL' | 'REGIONAL' | 'FEDERAL';

/** One task of a work, as a file describes it (ФИС ОКО header "4.1 (2б)" + level row, or a scale template). */
export interface TaskDefinition {
  /** Task number as printed: "1", "4.1", or "К1" / "Р1" for short / extended ГИА parts. */
  number: string;
  /** null when the file gives no level row. */
  level: TaskLevelCode | null;
  /** null when the file cannot tell (ГИА short answers scored by digits). */
  maxPoints: number | null;
}

/**
 * What a file says of a school besides its code (name, ИНН, ОГРН, address): never matched on import — only a code the
 * hub lacks is offered the region's schools they may mean (school matching, src/imports/matching). null = not given.
 */
export interface SchoolHints {
  schoolName: string | null;
  inn: string | null;
  ogrn: string | null;
  address: string | null;
}

interface SourceRow {
  /** Row number as the operator sees it in Excel (1-based, counting title and header rows). */
  sourceRow: number;
}

/** Keys of an assessment: procedure × year × subject × grade (session comes from the import's constants). */
interface AssessmentKeys {
  procedure: ProcedureCode;
  year: number;
  /** Subject name as written in the file ("Русский язык"); mapping to subject codes needs the catalogue. */
  subjectName: string;
  grade: number;
}

/** One participant's result (ВПР individual results, a ГИА protocol row, a mapped regional file). */
export interface ParticipantResultRecord extends SourceRow, AssessmentKeys {
  kind: 'participant-result';
  /** School code as given: ФИС ОКО login (sch661234) in ВПР files, the РЦОИ "Код ОО" in ГИА protocols. */
  schoolCode: string;
  /** School name as given, when the file has one: lets the loader say which school an unknown code means. */
  schoolName: string | null;
  /** Municipality name or МСУ code as given, when the file has one. */
  municipality: string | null;
  /** ВПР: the ФИС ОКО participant code. ГИА: `P-` + 16 hex chars, a keyed hash of the person (never a name). */
  participantCode: string;
  /** Class label such as "4А"; null when the file has none. */
  classLabel: string | null;
  variant: string | null;
  /** Aligned with `ImportMetadata.tasks`. null = not done / not applicable (X, Х, «-»), 0 = done for 0 points. */
  taskScores: (number | null)[];
  primaryScore: number;
  /** 2–5; null for «нет отметки» or when the procedure gives no mark (ЕГЭ). */
  mark: number | null;
  journalMark: number | null;
  /** ЕГЭ test score (0–100) or the "Балл" column of a ГИА protocol. */
  testScore: number | null;
  /** ГИА: exam point (ППЭ) and room codes, kept to compare conduct conditions; null elsewhere. */
  examPointCode: string | null;
  auditorium: string | null;
}

/** Keys shared by the per-school aggregate layouts. */
interface SchoolAggregateKeys extends SourceRow, AssessmentKeys, Partial<SchoolHints> {
  /** ФИС ОКО login as given ("Логин"). */
  schoolCode: string;
  schoolName: string | null;
  municipality: string | null;
  participants: number;
}

/** Shares of marks per school converted back to counts (they sum to `participants`). */
export interface SchoolMarksRecord extends SchoolAggregateKeys {
  kind: 'school-marks';
  count2: number;
  count3: number;
  count4: number;
  count5: number;
  /** The shares as given, %, so the loader can keep the source values next to the counts. */
  percent2: number;
  percent3: number;
  percent4: number;
  percent5: number;
}

/** Primary-score distribution per school: index = primary score. */
export interface SchoolScoreDistributionRecord extends SchoolAggregateKeys {
  kind: 'school-score-distribution';
  scoreCounts: number[];
  scorePercents: number[];
}

/**
 * What a source publishes per school (open data, regional reports): `school-results`. With a subject it is one school ×
 * assessment (school_result, source IMPORTED); without one it is the school's total over the procedure's subjects in
 * the year (school_exam_total: graduates who sat it, ≥ 220 test points over three subjects). Every figure is optional:
 * null = the source did not publish it.
 */
export interface SchoolResultRecord extends SourceRow, SchoolHints {
  kind: 'school-result';
  schoolCode: string;
  municipality: string | null;
  procedure: ProcedureCode;
  year: number;
  /** null: a total over subjects (then grade and every per-subject figure are null too). */
  subjectName: string | null;
  grade: number | null;
  participants: number | null;
  meanPrimary: number | null;
  meanTestScore: number | null;
  /** Counts of marks «2»…«5» (shares in the file are turned into counts); null when the source gives none. */
  count2: number | null;
  count3: number | null;
  count4: number | null;
  count5: number | null;
  /** Below the minimum (ЕГЭ minimum test score; ОГЭ / ГВЭ mark «2»). */
  belowMinimum: number | null;
  /** ЕГЭ: test score ≥ 80, and = 100. */
  countTest80: number | null;
  countTest100: number | null;
  /** Totals only: graduates with ≥ 220 test points over three subjects. */
  countSum3_220: number | null;
}

/** A row of the school directory: the school and every code other sources use for it. */
export interface SchoolDirectoryRecord extends SourceRow {
  kind: 'school';
  regionCode: string;
  /** The region's name, when the file has it: a region the hub lacks is created from code and name (administrators). */
  regionName: string | null;
  municipalityCode: string | null;
  /** Null when the row gives only the municipality's code. */
  municipalityName: string | null;
  name: string;
  shortName: string | null;
  fisOkoLogin: string | null;
  rcoiCode: string | null;
  inn: string | null;
  /** ОГРН (13 digits) and the school's address, when the directory gives them: school matching compares them. */
  ogrn: string | null;
  address: string | null;
  /** Null = not stated («не указано» or empty): a new school keeps it unknown, an existing one keeps what the hub has. */
  schoolType: SchoolTypeCode | null;
  urban: boolean | null;
  /** Further codes under which sources know the school (alias kind OTHER). */
  otherCodes: string[];
}

/** Contextual data of a school in a year. */
export interface SchoolContextRecord extends SourceRow, SchoolHints {
  kind: 'school-context';
  schoolCode: string;
  year: number;
  schoolType: SchoolTypeCode | null;
  urban: boolean | null;
  enrolment: number | null;
  classes: number | null;
  smallSchool: boolean | null;
  inDepthStudy: boolean | null;
  /** Share of students with ОВЗ, %. */
  shareDisabled: number | null;
  teachers: number | null;
  vacancies: number | null;
  hasPsychologist: boolean | null;
  hasDefectologist: boolean | null;
  hasSocialPedagogue: boolean | null;
  headTenureYears: number | null;
  socialIndex: number | null;
  /** Columns the template does not define, keyed by their header: a region's own indicators. */
  extraAttributes: Record<string, string | number>;
}

/** How a procedure was conducted and checked in a school. */
export interface ConductConditionsRecord extends SourceRow, SchoolHints {
  kind: 'conduct-conditions';
  schoolCode: string;
  year: number;
  procedure: ProcedureCode;
  /** null = the row applies to every subject / grade of the procedure. */
  subjectName: string | null;
  grade: number | null;
  observers: ObserverPresenceCode;
  videoAtConduct: boolean;
  videoAtChecking: boolean;
  collegialChecking: boolean;
  federalControlSample: boolean;
}

/** One re-checked work: the original and the commission's score and mark. */
export interface RecheckRecord extends SourceRow, AssessmentKeys, SchoolHints {
  kind: 'recheck';
  schoolCode: string;
  participantCode: string;
  originalScore: number;
  recheckScore: number;
  originalMark: number | null;
  recheckMark: number | null;
  commission: RecheckCommissionCode;
}

/** The scale of an assessment: maximum, mark boundaries, ЕГЭ minimum and the task list. */
export interface AssessmentScaleRecord extends SourceRow, AssessmentKeys {
  kind: 'assessment-scale';
  maxPrimary: number;
  /** Minimum primary score for «3», «4», «5»; empty when the procedure gives no marks (ЕГЭ). */
  markBoundaries: number[];
  /** ЕГЭ minimum test score; null elsewhere. */
  minimumTestScore: number | null;
  /** Parallel arrays: task i is (taskNumbers[i], taskLevels[i], taskMaxPoints[i]). Empty when not given. */
  taskNumbers: string[];
  taskLevels: TaskLevelCode[];
  taskMaxPoints: number[];
}

/**
 * Reference values for Russia, a region or a municipality. A row without a subject is the territory's total over the
 * procedure in its year (then grade and every per-subject figure are null): participants and the ЕГЭ share ≥ 220.
 */
export interface BenchmarkRecord extends SourceRow, Omit<AssessmentKeys, 'subjectName' | 'grade'> {
  kind: 'benchmark';
  subjectName: string | null;
  grade: number | null;
  level: BenchmarkLevelCode;
  /** Region or municipality code; "RU" for Russia. */
  territoryCode: string;
  territoryName: string | null;
  participants: number | null;
  /** Shares of marks, %; null for ЕГЭ values published without marks. */
  percent2: number | null;
  percent3: number | null;
  percent4: number | null;
  percent5: number | null;
  meanPercent: number | null;
  meanTestScore: number | null;
  /** Shares of participants, %: below the minimum; ЕГЭ test score ≥ 80 and = 100. */
  percentBelowMinimum: number | null;
  percentTest80: number | null;
  percentTest100: number | null;
  /** Total rows only: graduates with at least 220 test points over three ЕГЭ subjects, % of participants. */
  percentSum3_220: number | null;
}

export type ImportRecord =
  | ParticipantResultRecord
  | SchoolMarksRecord
  | SchoolScoreDistributionRecord
  | SchoolResultRecord
  | SchoolDirectoryRecord
  | SchoolContextRecord
  | ConductConditionsRecord
  | RecheckRecord
  | AssessmentScaleRecord
  | BenchmarkRecord;

export type ImportRecordKind = ImportRecord['kind'];
