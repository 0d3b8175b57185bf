/**
 * Column specifications and header matching. One spec list per layout drives detection, binding,
 * the "missing column" errors and the template documentation (TEMPLATES.md), so they cannot drift apart.
 */
import { cellText, type Invalid } from './cell-values';
import type { CellValue, RawRow } from './raw-row';

export type ColumnType =
  | 'text'
  | 'code'
  | 'integer'
  | 'decimal'
  | 'percent'
  | 'year'
  | 'grade'
  | 'mark'
  | 'yes-no'
  | 'enum'
  | 'task-list'
  | 'list';

export interface ColumnSpec<K extends string = string> {
  key: K;
  /** Header as the hub's template writes it. */
  header: string;
  /** Other spellings seen in regional files. */
  aliases?: readonly string[];
  required: boolean;
  type: ColumnType;
  /** Template columns document themselves for TEMPLATES.md; other layouts' columns need not. */
  descriptionRu?: string;
  example?: string;
}

/**
 * Header text compared case- and punctuation-insensitively: "Доля «2», %" = "доля 2 %",
 * "Кол-во участников" = "количество участников", ё = е.
 */
export function normalizeHeader(text: string): string {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[«»"“”„']/g, '')
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .replace(/\(\s*%\s*\)/g, '%')
    .replace(/\s*,\s*%/g, ' %')
    .replace(/(^|\s)кол-во(?=\s|$)/g, '$1количество')
    .replace(/[:*]+\s*$/, '')
    .trim();
}

function headerTexts(row: RawRow): string[] {
  return row.cells.map((value) => cellText(value) ?? '');
}

export interface HeaderMatch<K extends string> {
  row: RawRow;
  /** Header text per column index, as in the file. */
  headers: string[];
  /** 0-based column index of each spec found. */
  columns: Partial<Record<K, number>>;
  missingRequired: ColumnSpec<K>[];
  requiredTotal: number;
  /** Columns understood: specs found plus columns a layout recognises by pattern (tasks, personal data). */
  understood: number;
  nonEmpty: number;
}

/** Matches one candidate header row against specs. `isKnownExtra` recognises pattern columns. */
function matchHeaderRow<K extends string>(
  row: RawRow,
  specs: readonly ColumnSpec<K>[],
  isKnownExtra: (normalizedHeader: string) => boolean = () => false,
): HeaderMatch<K> {
  const headers = headerTexts(row);
  const normalized = headers.map(normalizeHeader);
  const columns: Partial<Record<K, number>> = {};
  const claimed = new Set<number>();
  for (const spec of specs) {
    const names = [spec.header, ...(spec.aliases ?? [])].map(normalizeHeader);
    // The template's own header wins over an alias: "ОО" may be both a name and a login in different files.
    for (const name of names) {
      const index = normalized.findIndex((header, i) => header === name && !claimed.has(i));
      if (index >= 0) {
        columns[spec.key] = index;
        claimed.add(index);
        break;
      }
    }
  }
  let understood = claimed.size;
  let nonEmpty = 0;
  normalized.forEach((header, index) => {
    if (header === '') return;
    nonEmpty++;
    if (!claimed.has(index) && isKnownExtra(header)) understood++;
  });
  const required = specs.filter((spec) => spec.required);
  return {
    row,
    headers,
    columns,
    missingRequired: required.filter((spec) => columns[spec.key] === undefined),
    requiredTotal: required.length,
    understood,
    nonEmpty,
  };
}

/**
 * The best header row among the first rows: most required columns found, then most columns understood.
 * Regional files put a title and metadata above the header, so the header is rarely row 1.
 */
export function findHeaderRow<K extends string>(
  head: readonly RawRow[],
  specs: readonly ColumnSpec<K>[],
  isKnownExtra?: (normalizedHeader: string) => boolean,
): HeaderMatch<K> | null {
  let best: HeaderMatch<K> | null = null;
  for (const row of head) {
    const match = matchHeaderRow(row, specs, isKnownExtra);
    if (match.nonEmpty === 0) continue;
    if (
      best === null ||
      match.missingRequired.length < best.missingRequired.length ||
      (match.missingRequired.length === best.missingRequired.length && match.understood > best.understood)
    ) {
      best = match;
    }
  }
  return best;
}

/**
 * 0–1. Below 0.5 some required column is missing; from 0.5 up it grows with the share of the
 * header the layout understands, so a file matching two layouts goes to the one that explains it better.
 */
export function headerConfidence(match: HeaderMatch<string> | null): number {
  if (match === null || match.requiredTotal === 0) return 0;
  const found = match.requiredTotal - match.missingRequired.length;
  if (found < match.requiredTotal) return 0.45 * (found / match.requiredTotal);
  return 0.5 + 0.5 * Math.min(1, match.understood / Math.max(1, match.nonEmpty));
}

/** A parser for one column's cells, as cell-values.ts provides them. */
export type CellParser<T> = (value: CellValue) => T | null | Invalid;
