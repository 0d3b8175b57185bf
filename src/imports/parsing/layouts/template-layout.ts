/** Builder for the hub's own templates: a header row of documented columns, one record per row. */
import { findHeaderRow, headerConfidence, type ColumnSpec, type HeaderMatch } from '../headers';
import type { LayoutName } from '../options';
import type { RawRow } from '../raw-row';
import type { ImportRecord, ImportRecordKind } from '../records';
import { bindHeader, emptyMetadata, ignoredColumns, personalColumns } from './common';
import type { LayoutContext, TemplateLayout } from './layout';

export interface TemplateDefinition<K extends string> {
  name: LayoutName;
  titleRu: string;
  aboutRu: string;
  recordKind: ImportRecordKind;
  columns: readonly ColumnSpec<K>[];
  /**
   * At least one of these must be present for detection: templates whose required columns are generic
   * ("Код ОО", "Год") would otherwise claim each other's files.
   */
  signatureColumns?: readonly K[];
  /** Extra (non-template) columns are data for this layout, so they are not reported as ignored. */
  keepsExtraColumns?: boolean;
  createRowMapper(match: HeaderMatch<K>, context: LayoutContext, personalIndexes: readonly number[]): (row: RawRow) => ImportRecord | null;
}

export function defineTemplateLayout<K extends string>(definition: TemplateDefinition<K>): TemplateLayout {
  const { columns, signatureColumns } = definition;
  const hasSignature = (match: HeaderMatch<K>): boolean =>
    signatureColumns === undefined || signatureColumns.some((key) => match.columns[key] !== undefined);

  return {
    name: definition.name,
    titleRu: definition.titleRu,
    aboutRu: definition.aboutRu,
    columns,

    detect(head) {
      const match = findHeaderRow(head, columns);
      if (match === null) return 0;
      const confidence = headerConfidence(match);
      return hasSignature(match) ? confidence : Math.min(confidence, 0.45);
    },

    missingColumns(head) {
      const match = findHeaderRow(head, columns);
      const missing = match?.missingRequired.map((spec) => spec.header) ?? columns.filter((c) => c.required).map((c) => c.header);
      if (match !== null && !hasSignature(match)) {
        const names = signatureColumns!.map((key) => columns.find((column) => column.key === key)!.header);
        missing.push(`хотя бы один из: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ' …' : ''}`);
      }
      return missing;
    },

    bind(head, context) {
      const match = bindHeader(head, columns, context, definition.titleRu);
      const personal = personalColumns(match);
      return {
        metadata: {
          ...emptyMetadata(definition.recordKind, match.row.rowNumber),
          session: context.constants.session ?? null,
          ignoredColumns: definition.keepsExtraColumns ? [] : ignoredColumns(match, personal.indexes),
        },
        personalColumns: personal.headers,
        mapRow: definition.createRowMapper(match, context, personal.indexes),
      };
    },
  };
}
