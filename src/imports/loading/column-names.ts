/**
 * Column headers for row problems the loader finds: the header each layout's template uses for the field
 * (or, in a mapped file, the source header the mapping named).
 */
import type { ColumnMapping, LayoutName } from '../parsing';

export type LoaderField = 'schoolCode' | 'participantCode' | 'primaryScore' | 'mark' | 'subjectName' | 'tasks';

const HEADERS: Partial<Record<LayoutName, Partial<Record<LoaderField, string>>>> = {
  'fisoko-vpr-individual': { schoolCode: 'ОО', participantCode: 'Код участника', primaryScore: 'Первичный балл', mark: 'Отметка', tasks: 'задания' },
  'gia-protocol': { schoolCode: 'Код ОО', participantCode: 'Фамилия', primaryScore: 'Первичный балл', mark: 'Отметка', subjectName: 'Предмет', tasks: 'Задания с кратким ответом' },
  'aggregate-marks': { schoolCode: 'Логин', subjectName: 'Предмет' },
  'aggregate-distribution': { schoolCode: 'Логин', subjectName: 'Предмет', primaryScore: '0, 1, …, N' },
  'school-context': { schoolCode: 'Код ОО' },
  'conduct-conditions': { schoolCode: 'Код ОО', subjectName: 'Предмет' },
  rechecks: { schoolCode: 'Код ОО', participantCode: 'Код участника', subjectName: 'Предмет', primaryScore: 'Первичный балл (исходный)' },
  'assessment-scales': { subjectName: 'Предмет', primaryScore: 'Максимальный первичный балл' },
  benchmarks: { subjectName: 'Предмет' },
};

const FALLBACK: Record<LoaderField, string> = {
  schoolCode: 'Код ОО',
  participantCode: 'Код участника',
  primaryScore: 'Первичный балл',
  mark: 'Отметка',
  subjectName: 'Предмет',
  tasks: 'задания',
};

export function columnHeader(layout: LayoutName, mapping: ColumnMapping | null, field: LoaderField): string {
  if (layout === 'mapped' && mapping) {
    const columns = mapping.columns as Partial<Record<string, string>>;
    if (field === 'tasks' && mapping.target === 'participant-result' && mapping.taskColumns?.length) return mapping.taskColumns.join(', ');
    const mapped = columns[field];
    if (mapped) return mapped;
    const value = (mapping.values as Partial<Record<string, string>> | undefined)?.[field];
    if (value !== undefined) return `${field} = ${value} (значение при загрузке)`;
  }
  return HEADERS[layout]?.[field] ?? FALLBACK[field];
}
