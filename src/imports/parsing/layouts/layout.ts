/** The contract every file layout implements. */
import type { Absent } from '../absence';
import type { FieldReader } from '../fields';
import type { ColumnSpec } from '../headers';
import type { ColumnMapping, ImportConstants, LayoutName, ScaleForValidation, YearRange } from '../options';
import type { ParticipantAnonymiser } from '../personal-data';
import type { RawRow } from '../raw-row';
import type { ImportRecord, ImportRecordKind, ProcedureCode, TaskDefinition } from '../records';
import type { RowIssues } from '../row-issues';

/** What the file says about itself as a whole (title line, metadata rows, constants). */
export interface ImportMetadata {
  recordKind: ImportRecordKind;
  /** Row of the column header (Excel numbering). */
  headerRow: number;
  procedure: ProcedureCode | null;
  year: number | null;
  subjectName: string | null;
  grade: number | null;
  session: string | null;
  /** Title line as found in the file, e.g. "ВПР 2024 Русский язык 4 класс". */
  title: string | null;
  /**
   * Tasks of the work (ВПР: from the header and the level row; ГИА: from the first valid row's answer
   * strings). Becomes the assessment's scale when none is stored yet. null when the layout has no tasks.
   */
  tasks: TaskDefinition[] | null;
  /** Headers of columns this layout does not use (personal columns are listed in the summary instead). */
  ignoredColumns: string[];
  /** ГИА: which identifying fields the participant code is a hash of. */
  anonymisedFrom: 'names+document' | 'names+school+class' | 'mapped-identity' | null;
}

/** Everything a layout may use besides the rows. */
export interface LayoutContext {
  fileName: string;
  constants: ImportConstants;
  scale: ScaleForValidation | null;
  mapping: ColumnMapping | null;
  years: YearRange;
  anonymise: ParticipantAnonymiser;
  issues: RowIssues;
  fields: FieldReader;
}

export interface BoundLayout {
  metadata: ImportMetadata;
  /** Headers of personal columns found; never read except into the anonymised code. */
  personalColumns: string[];
  /** What the layout decided on its own that the operator should know (in Russian), for the import report. */
  notesRu?: string[];
  /**
   * Maps one non-blank data row; returns null when the row is rejected (issues were reported), ABSENT when the
   * participant did not sit the work (counted, neither a record nor an error).
   */
  mapRow(row: RawRow): ImportRecord | null | Absent;
  /** True when mapRow reads plain CSV lines in place (LineRow) before falling back to their cells. */
  readsLines?: boolean;
}

export interface Layout {
  name: LayoutName;
  titleRu: string;
  /** 0–1: how sure the layout is that these first rows are its file. 0.5 and above = usable. */
  detect(head: readonly RawRow[]): number;
  /** Required columns the best header candidate lacks; explains a failed detection. */
  missingColumns(head: readonly RawRow[]): string[];
  /** Finds the header, checks required columns and metadata; throws ImportFileError when it cannot. */
  bind(head: readonly RawRow[], context: LayoutContext): BoundLayout;
}

/** Template layouts also document their columns (TEMPLATES.md is generated from these). */
export interface TemplateLayout extends Layout {
  columns: readonly ColumnSpec[];
  /** One or two sentences for the operator: what a row is, how to fill it in. */
  aboutRu: string;
}
