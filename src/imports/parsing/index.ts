/** Public API of the import parsing layer. */
export { parseImportFile, type ParsedImport, type ParseSummary } from './parse-import-file';
export { ImportFileError, type ImportIssue, type IssueCode, type FileIssueCode, type RowIssueCode } from './issues';
export type { ImportMetadata } from './layouts/layout';
export {
  DEFAULT_LIMITS,
  type ColumnMapping,
  type CsvSeparator,
  type ImportConstants,
  type LayoutName,
  type MappedMarksField,
  type MappedParticipantField,
  type ParseImportOptions,
  type ParseLimits,
  type ScaleForValidation,
  type YearRange,
} from './options';
export { LAYOUT_NAMES } from './layouts';
export type { SchoolResultField } from './layouts/school-results';
export type { RawRow, CellValue } from './raw-row';
export { openRawRows, type RawRowOptions, type RawRowSource } from './raw-rows';
export { recordsPathKeys } from './json-reader';
export * from './records';
