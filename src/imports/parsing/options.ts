/** Options of `parseImportFile` and the defaults the hub uses. */
import type { Readable } from 'node:stream';
import type { ImportIssue } from './issues';
import type { SchoolResultField } from './layouts/school-results';
import type { ProcedureCode } from './records';

export type LayoutName =
  | 'fisoko-vpr-individual'
  | 'aggregate-marks'
  | 'aggregate-distribution'
  | 'gia-protocol'
  | 'schools'
  | 'school-context'
  | 'conduct-conditions'
  | 'rechecks'
  | 'assessment-scales'
  | 'benchmarks'
  | 'school-results'
  | 'mapped';

export type CsvSeparator = ';' | ',' | '\t';

/**
 * Values the uploader states for the whole file (the upload form): they fill in what the file does not
 * say. When the file states it too (a title line), both must agree.
 */
export interface ImportConstants {
  /** Code or Russian name: 'VPR' or 'ВПР', 'OGE' or 'ОГЭ'… */
  procedure?: ProcedureCode | string;
  year?: number;
  subjectName?: string;
  grade?: number;
  /** Passed through to metadata for the loader ('spring', 'autumn', 'main', 'reserve'…). */
  session?: string;
}

/**
 * The scale of the assessment, when already known, to check scores and marks against.
 * Structurally compatible with the hub's `AssessmentScale` (src/assessments/assessment.types.ts).
 */
export interface ScaleForValidation {
  maxPrimary: number;
  markBoundaries?: readonly { mark: number; minPrimary: number }[];
  tasks?: readonly { number: string; maxPoints: number }[];
}

export type MappedParticipantField =
  | 'schoolCode'
  | 'schoolName'
  | 'municipality'
  | 'participantCode'
  | 'classLabel'
  | 'variant'
  | 'primaryScore'
  | 'mark'
  | 'journalMark'
  | 'testScore'
  | 'procedure'
  | 'year'
  | 'subjectName'
  | 'grade';

export type MappedMarksField =
  | 'schoolCode'
  | 'schoolName'
  | 'inn'
  | 'ogrn'
  | 'address'
  | 'municipality'
  | 'participants'
  | 'mark2'
  | 'mark3'
  | 'mark4'
  | 'mark5'
  | 'procedure'
  | 'year'
  | 'subjectName'
  | 'grade';

/**
 * Column mapping for a regional file the hub has no layout for: target field → source header. `values`: fields
 * given as one value for every row instead of a column (a single school's protocol has no school column).
 */
export type ColumnMapping =
  | {
      target: 'participant-result';
      columns: Partial<Record<MappedParticipantField, string>>;
      /** Source headers of the task scores, in task order. Max points are read from "(2б)" when present. */
      taskColumns?: string[];
      /**
       * Source headers of identifying columns (names, documents) to hash into the participant code
       * when the file has no participant code. They are dropped like in ГИА protocols.
       */
      identityColumns?: string[];
      values?: Partial<Record<MappedParticipantField, string>>;
    }
  | {
      target: 'school-marks';
      columns: Partial<Record<MappedMarksField, string>>;
      /** Whether mark2…mark5 hold shares in % (default) or numbers of participants. */
      markValues?: 'percent' | 'count';
      values?: Partial<Record<MappedMarksField, string>>;
    }
  | {
      target: 'school-results';
      columns: Partial<Record<SchoolResultField, string>>;
      /** Whether mark2…mark5 hold numbers of participants (default) or shares in %. */
      markValues?: 'percent' | 'count';
      values?: Partial<Record<SchoolResultField, string>>;
    };

export interface ParseLimits {
  /** Issues kept in memory; the rest are only counted (and passed to onIssue). */
  maxIssues: number;
  /** Data rows allowed in one file. */
  maxRows: number;
  /** Longest cell; a longer one is almost always an unclosed quote swallowing the file. */
  maxFieldLength: number;
  maxColumns: number;
  /** Non-blank rows read before the header must have been found (title and metadata included). */
  headRows: number;
  /** Bytes accepted from the file (for XLSX: the compressed file). */
  maxFileBytes: number;
  /** Sum of uncompressed sizes of an XLSX's parts: guards against zip bombs. */
  maxUncompressedBytes: number;
}

export const DEFAULT_LIMITS: ParseLimits = {
  maxIssues: 1000,
  maxRows: 2_000_000,
  maxFieldLength: 100_000,
  maxColumns: 2000,
  headRows: 30,
  maxFileBytes: 1024 * 1024 * 1024,
  maxUncompressedBytes: 4 * 1024 * 1024 * 1024,
};

export interface YearRange {
  min: number;
  max: number;
}

export interface ParseImportOptions {
  /** Exactly one of path and stream. */
  path?: string;
  stream?: Readable;
  /** Original name of the upload: used in messages and to tell CSV from XLSX. */
  fileName: string;
  /** Skip detection and read the file as this layout. */
  layout?: LayoutName;
  /** Force a CSV encoding (any name iconv-lite knows: 'windows-1251', 'utf-8', 'koi8-r', 'utf-16le'…). */
  encoding?: string;
  separator?: CsvSeparator;
  /** XLSX: read this worksheet instead of the first visible one. */
  sheet?: string;
  /**
   * JSON: the array of records at this path (keys joined by «.», e.g. `result.records` of CKAN's datastore API); none —
   * the top-level array, or the one array of records under the top-level object (src/imports/parsing/json-reader.ts).
   */
  recordsPath?: string;
  mapping?: ColumnMapping;
  constants?: ImportConstants;
  scale?: ScaleForValidation;
  /** Years accepted in the file; default 2015 … next calendar year. */
  allowedYears?: YearRange;
  /** Server secret for the keyed hash of participants' identities (required; ≥ 16 bytes). */
  secret: string | Buffer;
  limits?: Partial<ParseLimits>;
  /** Sees every issue, including those beyond `limits.maxIssues`. Must not throw. */
  onIssue?: (issue: ImportIssue) => void;
  /**
   * false: every CSV row goes through its cells, even where the layout could read a plain line in place.
   * The results are the same either way; tests compare the two paths.
   */
  lineRows?: boolean;
}

export function defaultYearRange(now: Date = new Date()): YearRange {
  return { min: 2015, max: now.getFullYear() + 1 };
}
