/**
 * The columns that say what a school is besides its code — name, ИНН, ОГРН, address — read the same way by every
 * template with a school code, so a code the hub lacks is offered the same candidates whichever file it came in
 * (school matching). Optional and never required: a file without them still loads; its unknown codes are listed
 * without candidates.
 */
import type { FieldReader } from '../fields';
import type { ColumnSpec } from '../headers';
import type { RawRow } from '../raw-row';
import type { SchoolHints } from '../records';

export type SchoolHintKey = keyof SchoolHints;

const WHY = 'по нему хаб предложит ОО для кода, которого нет в справочнике';

export const SCHOOL_HINT_COLUMNS: readonly ColumnSpec<SchoolHintKey>[] = [
  { key: 'schoolName', header: 'Наименование ОО', aliases: ['ОО', 'Название ОО', 'Образовательная организация'], required: false, type: 'text', descriptionRu: `Наименование ОО: ${WHY}`, example: 'МАОУ «СОШ № 1»' },
  { key: 'inn', header: 'ИНН', aliases: ['ИНН ОО'], required: false, type: 'code', descriptionRu: `ИНН ОО (если код ОО — другой код): ${WHY}`, example: '' },
  { key: 'ogrn', header: 'ОГРН', required: false, type: 'code', descriptionRu: `ОГРН ОО: ${WHY}`, example: '' },
  { key: 'address', header: 'Адрес ОО', required: false, type: 'text', descriptionRu: `Адрес ОО: ${WHY}`, example: '' },
];

export function readSchoolHints(fields: FieldReader, row: RawRow, columns: Partial<Record<SchoolHintKey, number>>): SchoolHints {
  return {
    schoolName: fields.text(row, columns.schoolName),
    inn: fields.code(row, columns.inn),
    ogrn: fields.code(row, columns.ogrn),
    address: fields.text(row, columns.address),
  };
}
