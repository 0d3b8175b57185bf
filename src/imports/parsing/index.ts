/** Public API of the import parsing layer. */
export { parseImportFile, type ParsedImport } from './parse-import-file';
export { ImportFileError, type ImportIssue } from './issues';
export type { ImportMetadata } from './layouts/layout';
export {
  type ColumnMapping,
  type LayoutName,
  type MappedMarksField,
  type MappedParticipantField,
  type ParseImportOptions,
  type ScaleForValidation,
} from './options';
export { LAYOUT_NAMES } from './layouts';
export type { SchoolResultField } from './layouts/school-results';
export type { RawRow } from './raw-row';
export { openRawRows } from './raw-rows';
export { recordsPathKeys } from './json-reader';
export * from './records';
