/** Template `assessment-scales`: maximum, mark boundaries, ЕГЭ minimum and task list per assessment. */
import { normalizeTaskLabel, TASK_LABEL_PATTERN } from '../task-labels';
import { INVALID, parseProcedure, parseTaskLevel, PROCEDURE_NAMES_RU } from '../cell-values';
import { FirstSeen } from '../fields';
import type { ColumnSpec } from '../headers';
import type { AssessmentScaleRecord, TaskLevelCode } from '../records';
import { defineTemplateLayout } from './template-layout';

type Key = 'procedure' | 'year' | 'subjectName' | 'grade' | 'maxPrimary' | 'boundary3' | 'boundary4' | 'boundary5' | 'minimumTestScore' | 'tasks';

const PROCEDURES_RU = Object.values(PROCEDURE_NAMES_RU);

const COLUMNS: readonly ColumnSpec<Key>[] = [
  { key: 'procedure', header: 'Процедура', required: true, type: 'enum', descriptionRu: `Одно из: ${PROCEDURES_RU.join(', ')}`, example: 'ВПР' },
  { key: 'year', header: 'Год', required: true, type: 'year', descriptionRu: 'Год, с которого действует шкала', example: '2025' },
  { key: 'subjectName', header: 'Предмет', required: true, type: 'text', descriptionRu: 'Предмет', example: 'Русский язык' },
  { key: 'grade', header: 'Класс', aliases: ['Параллель'], required: true, type: 'grade', descriptionRu: 'Класс 1–11', example: '4' },
  { key: 'maxPrimary', header: 'Максимальный первичный балл', aliases: ['Максимальный балл'], required: true, type: 'integer', descriptionRu: 'Максимум первичного балла за работу', example: '24' },
  { key: 'boundary3', header: 'Граница «3»', aliases: ['Минимальный балл на «3»'], required: false, type: 'integer', descriptionRu: 'Минимальный первичный балл на «3» (для ЕГЭ не заполняется)', example: '10' },
  { key: 'boundary4', header: 'Граница «4»', aliases: ['Минимальный балл на «4»'], required: false, type: 'integer', descriptionRu: 'Минимальный первичный балл на «4»', example: '15' },
  { key: 'boundary5', header: 'Граница «5»', aliases: ['Минимальный балл на «5»'], required: false, type: 'integer', descriptionRu: 'Минимальный первичный балл на «5»', example: '21' },
  { key: 'minimumTestScore', header: 'Минимальный балл ЕГЭ', aliases: ['Минимальный тестовый балл'], required: false, type: 'integer', descriptionRu: 'ЕГЭ: минимальный тестовый балл (0–100)', example: '' },
  { key: 'tasks', header: 'Задания', aliases: ['Список заданий'], required: false, type: 'task-list', descriptionRu: 'Номер:уровень:максимум через «;», уровень Б, П или В; номер — как в ФИС ОКО: 1, 1.1, 2а, 1К1, 3(1); в CSV значение берётся в кавычки (Excel делает это сам)', example: '1:Б:4;2:Б:6;3:П:6;4:В:8' },
];

/** «номер:уровень:максимум»; the number in any ФИС ОКО form: 1, 1.1, 2а, 1К1, 3(1). */
const TASK_ITEM = new RegExp(String.raw`^(${TASK_LABEL_PATTERN})\s*:\s*([^:]+?)\s*:\s*(\d+)$`, 'i');

/** "1:Б:1;2:П:2" → parallel arrays, or the 1-based position of the first item that does not read. */
export function parseTaskList(text: string): { numbers: string[]; levels: TaskLevelCode[]; maxPoints: number[] } | { badItem: number } {
  const numbers: string[] = [];
  const levels: TaskLevelCode[] = [];
  const maxPoints: number[] = [];
  const items = text.split(';').map((item) => item.trim()).filter((item) => item !== '');
  for (let i = 0; i < items.length; i++) {
    const match = TASK_ITEM.exec(items[i]);
    const level = match ? parseTaskLevel(match[2]) : null;
    if (match === null || level === null || level === INVALID) return { badItem: i + 1 };
    numbers.push(normalizeTaskLabel(match[1]));
    levels.push(level);
    maxPoints.push(Number(match[3]));
  }
  return { numbers, levels, maxPoints };
}

export const assessmentScalesLayout = defineTemplateLayout<Key>({
  name: 'assessment-scales',
  titleRu: 'Шкалы перевода',
  aboutRu:
    'Одна строка — шкала одной процедуры за год по предмету и классу. Границы отметок указываются все три или ни одной (ЕГЭ); сумма максимумов заданий должна равняться максимальному баллу.',
  recordKind: 'assessment-scale',
  columns: COLUMNS,
  createRowMapper(match, { fields, issues }) {
    const c = match.columns;
    const seen = new FirstSeen();
    return (row) => {
      const procedure = fields.choice(row, c.procedure, parseProcedure, PROCEDURES_RU, true);
      const year = fields.year(row, c.year, true);
      const subjectName = fields.requiredText(row, c.subjectName!);
      const grade = fields.grade(row, c.grade, true);
      const maxPrimary = fields.integer(row, c.maxPrimary, { required: true, min: 1 });
      const boundaries = [c.boundary3, c.boundary4, c.boundary5].map((column) => fields.integer(row, column, { min: 0 }));
      const minimumTestScore = fields.integer(row, c.minimumTestScore, { min: 0, max: 100 });
      const taskText = fields.text(row, c.tasks);
      const tasks = taskText === null ? { numbers: [], levels: [], maxPoints: [] } : parseTaskList(taskText);
      if (issues.failed || procedure === null || year === null || subjectName === null || grade === null || maxPrimary === null) return null;

      const given = boundaries.filter((boundary): boundary is number => boundary !== null);
      if (given.length !== 0 && given.length !== 3) {
        issues.row('SCALE_INVALID', 'границы отметок «3», «4», «5» указываются все три или ни одной');
      } else if (given.length === 3 && !(given[0] < given[1] && given[1] < given[2] && given[2] <= maxPrimary)) {
        issues.row('SCALE_INVALID', `границы ${given.join(' / ')} должны возрастать и не превышать максимальный балл ${maxPrimary}`);
      }
      if ('badItem' in tasks) {
        issues.cell('SCALE_INVALID', c.tasks!, (shown) => `в списке заданий «${shown}» не читается элемент № ${tasks.badItem}; формат: номер:уровень:максимум, например 1:Б:2`);
      } else if (tasks.maxPoints.length > 0) {
        const sum = tasks.maxPoints.reduce((total, points) => total + points, 0);
        if (sum !== maxPrimary) issues.cell('SCALE_INVALID', c.tasks!, () => `сумма максимумов заданий (${sum}) не равна максимальному первичному баллу (${maxPrimary})`);
      }
      const earlier = seen.check([procedure, year, subjectName.toLowerCase(), grade].join('\u0000'), row.rowNumber);
      if (earlier !== null) issues.row('DUPLICATE_ROW', `шкала для этой процедуры, года, предмета и класса уже есть в строке ${earlier}`);
      if (issues.failed || 'badItem' in tasks) return null;

      const record: AssessmentScaleRecord = {
        kind: 'assessment-scale',
        sourceRow: row.rowNumber,
        procedure,
        year,
        subjectName,
        grade,
        maxPrimary,
        markBoundaries: given,
        minimumTestScore,
        taskNumbers: tasks.numbers,
        taskLevels: tasks.levels,
        taskMaxPoints: tasks.maxPoints,
      };
      return record;
    };
  },
});
