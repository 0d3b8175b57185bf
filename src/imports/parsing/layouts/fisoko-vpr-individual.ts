/**
 * ФИС ОКО "Индивидуальные результаты" of a ВПР: a title line "ВПР 2024 Русский язык 4 класс",
 * metadata rows, a row of task levels (Б/П/В), then the header
 * `ОО, Муниципалитет, Название ОО, Код участника, Класс, Вариант, 1 (1б), 2 (2б), …, Первичный балл, Отметка, Отметка по журналу`.
 */
import { ABSENT, isAbsentRow } from '../absence';
import { looksLikeTaskHeader, parseTaskLabelHeader, type TaskHeader } from '../task-labels';
import { cellTextCollapsed, INVALID, parseTaskLevel } from '../cell-values';
import { LineRow } from '../csv-line-row';
import { FirstSeen } from '../fields';
import { fileIssue, type ImportFileError } from '../issues';
import { findHeaderRow, headerConfidence, type ColumnSpec } from '../headers';
import { cellAddress, isBlankRow, type RawRow } from '../raw-row';
import type { TaskDefinition } from '../records';
import { reasons } from '../row-issues';
import { agreeing, bindHeader, checkFileYear, constantProcedure, emptyMetadata, ignoredColumns, personalColumns } from './common';
import type { BoundLayout, ImportMetadata, Layout, LayoutContext } from './layout';
import { plainLineReader, vprRecord, type VprFileKeys } from './fisoko-plain-line';
import { markFor } from '../../../assessments/marks';

type Key = 'schoolCode' | 'municipality' | 'schoolName' | 'participantCode' | 'classLabel' | 'variant' | 'primaryScore' | 'mark' | 'journalMark';

const COLUMNS: readonly ColumnSpec<Key>[] = [
  { key: 'schoolCode', header: 'ОО', aliases: ['Логин ОО', 'Логин'], required: true, type: 'code', descriptionRu: 'Логин ОО в ФИС ОКО', example: 'sch661234' },
  { key: 'municipality', header: 'Муниципалитет', aliases: ['Муниципальное образование', 'МО'], required: false, type: 'text' },
  { key: 'schoolName', header: 'Название ОО', aliases: ['Наименование ОО'], required: false, type: 'text' },
  { key: 'participantCode', header: 'Код участника', aliases: ['Код'], required: true, type: 'code' },
  { key: 'classLabel', header: 'Класс', aliases: ['Литера'], required: false, type: 'text' },
  { key: 'variant', header: 'Вариант', required: false, type: 'code' },
  { key: 'primaryScore', header: 'Первичный балл', aliases: ['Сумма баллов'], required: true, type: 'integer' },
  { key: 'mark', header: 'Отметка', aliases: ['Отметка за работу', 'Оценка'], required: true, type: 'mark' },
  { key: 'journalMark', header: 'Отметка по журналу', aliases: ['Оценка по журналу', 'Отметка за предыдущий период'], required: false, type: 'mark' },
];

/** "ВПР 2024 Русский язык 4 класс", also with dots or commas between the parts. */
const TITLE = /ВПР[\s.,:]*(\d{4})[\s.,:;-]+(.+?)[\s.,:;-]+(\d{1,2})\s*(?:класс|кл\.?)/i;

/** "1 (1б)", "4.1 (2б)", "10(3 балла)", "5(1) (1б)", "1К1", "3(1)": task label and max points (null: from the scale). */
function parseTaskHeader(header: string): TaskHeader | null {
  return parseTaskLabelHeader(header);
}

const isTaskHeader = (normalizedHeader: string): boolean => parseTaskLabelHeader(normalizedHeader) !== null;

function findTitle(rows: readonly RawRow[]): { row: RawRow; text: string; year: number; subjectName: string; grade: number } | null {
  for (const row of rows) {
    for (const cell of row.cells) {
      const text = cellTextCollapsed(cell);
      if (text === null) continue;
      const match = TITLE.exec(text);
      if (match) return { row, text, year: Number(match[1]), subjectName: match[2].trim(), grade: Number(match[3]) };
    }
  }
  return null;
}

/** The level row sits just above the header; it is used when most task columns carry Б/П/В. */
function readLevels(rowsAbove: readonly RawRow[], taskColumns: readonly number[]): (TaskDefinition['level'])[] {
  const candidate = [...rowsAbove].reverse().find((row) => !isBlankRow(row));
  const none = taskColumns.map(() => null);
  if (candidate === undefined) return none;
  const levels = taskColumns.map((column) => {
    const level = parseTaskLevel(candidate.cells[column] ?? null);
    return level === INVALID ? null : level;
  });
  return levels.filter((level) => level !== null).length * 2 >= taskColumns.length ? levels : none;
}

/**
 * Each task's maximum: from its header, else from the hub's scale (by label, or by position when the scale has as
 * many tasks). A task whose maximum neither gives stays null in the metadata (the import then looks for the hub's
 * scale and reads the file again with it) and makes the first data row a file error naming its column.
 */
function taskMaxima(context: LayoutContext, headers: readonly TaskHeader[], columns: readonly number[], headerRow: RawRow): { maxima: (number | null)[]; error: ImportFileError | null } {
  const scaleTasks = context.scale?.tasks ?? [];
  const byLabel = new Map(scaleTasks.map((task) => [task.number, task.maxPoints]));
  const positional = scaleTasks.length === headers.length ? scaleTasks : null;
  const unknown: string[] = [];
  const maxima = headers.map((task, i) => {
    const max = task.maxPoints ?? byLabel.get(task.number) ?? positional?.[i].maxPoints ?? null;
    if (max === null) unknown.push(`«${context.issues.headerOf(columns[i])}» (${cellAddress(columns[i], headerRow.rowNumber)})`);
    return max;
  });
  if (unknown.length === 0) return { maxima, error: null };
  return {
    maxima,
    error: fileIssue(
      context.fileName,
      'UNREADABLE_HEADER',
      `У заданий ${unknown.join(', ')} в заголовке нет максимального балла, а шкалы этой процедуры в хабе нет. Загрузите шкалу (шаблон «Шкалы перевода», assessment-scales) до результатов или укажите максимум в заголовке: «3(1) (2б)».`,
      { sheet: headerRow.sheet, row: headerRow.rowNumber, column: unknown.join(', ') },
    ),
  };
}

export const fisokoVprIndividualLayout: Layout = {
  name: 'fisoko-vpr-individual',
  titleRu: 'ВПР: индивидуальные результаты ФИС ОКО',

  detect(head) {
    const match = findHeaderRow(head, COLUMNS, isTaskHeader);
    if (match === null) return 0;
    const hasTasks = match.headers.some((header) => parseTaskHeader(header) !== null);
    const confidence = headerConfidence(match);
    return hasTasks ? confidence : Math.min(confidence, 0.45);
  },

  missingColumns(head) {
    const match = findHeaderRow(head, COLUMNS, isTaskHeader);
    const missing = match?.missingRequired.map((spec) => spec.header) ?? COLUMNS.filter((c) => c.required).map((c) => c.header);
    if (!match?.headers.some((header) => parseTaskHeader(header) !== null)) missing.push('1 (1б), 2 (1б), …');
    return missing;
  },

  bind(head, context) {
    const match = bindHeader(head, COLUMNS, context, this.titleRu, isTaskHeader);
    const headerRow = match.row;
    const taskColumns: number[] = [];
    const taskHeaders: TaskHeader[] = [];
    const unreadable: string[] = [];
    match.headers.forEach((header, index) => {
      if (Object.values(match.columns).includes(index) || header === '') return;
      const task = parseTaskHeader(header);
      if (task !== null) {
        taskColumns.push(index);
        taskHeaders.push(task);
      } else if (looksLikeTaskHeader(header)) {
        unreadable.push(`«${header}» (${cellAddress(index, headerRow.rowNumber)})`);
      }
    });
    if (unreadable.length > 0) {
      throw fileIssue(
        context.fileName,
        'UNREADABLE_HEADER',
        `Заголовки столбцов не читаются как задания: ${unreadable.join(', ')}. Ожидается номер задания и, если шкалы в хабе нет, максимум: «1 (1б)», «3(1) (2б)», «1К1 (1б)», «4.1 (2б)», «2а (1б)».`,
        { sheet: headerRow.sheet, row: headerRow.rowNumber, column: unreadable.join(', ') },
      );
    }
    if (taskColumns.length === 0) {
      throw fileIssue(context.fileName, 'MISSING_COLUMN', 'В файле ВПР нет столбцов заданий вида «1 (1б)», «2 (2б)» — проверьте строку заголовка.', {
        sheet: headerRow.sheet,
        row: headerRow.rowNumber,
        column: '1 (1б), 2 (1б), …',
      });
    }

    const above = head.filter((row) => row.rowNumber < headerRow.rowNumber);
    const title = findTitle(above);
    // Only checks that the upload did not state another procedure: this layout is ВПР by definition.
    agreeing(context, 'Процедура', 'VPR', constantProcedure(context), title?.row ?? null);
    const year = agreeing(context, 'Год', title?.year ?? null, context.constants.year, title?.row ?? null);
    const subjectName = agreeing(context, 'Предмет', title?.subjectName ?? null, context.constants.subjectName, title?.row ?? null);
    const grade = agreeing(context, 'Класс', title?.grade ?? null, context.constants.grade, title?.row ?? null);
    if (year === null || subjectName === null || grade === null) {
      throw fileIssue(
        context.fileName,
        'METADATA_MISSING',
        'Не найдена строка заголовка вида «ВПР 2024 Русский язык 4 класс»: укажите год, предмет и класс при загрузке.',
      );
    }
    checkFileYear(context, year, title?.row ?? null);

    const levels = readLevels(above, taskColumns);
    const { maxima, error: maximaUnknown } = taskMaxima(context, taskHeaders, taskColumns, headerRow);
    const tasks: TaskDefinition[] = taskHeaders.map((task, i) => ({ number: task.number, level: levels[i], maxPoints: maxima[i] }));
    const maxPrimary = context.scale?.maxPrimary ?? tasks.reduce((sum, task) => sum + (task.maxPoints ?? 0), 0);
    const boundaries = context.scale?.markBoundaries ?? null;

    const personal = personalColumns(match);
    const metadata: ImportMetadata = {
      ...emptyMetadata('participant-result', headerRow.rowNumber),
      procedure: 'VPR',
      year,
      subjectName,
      grade,
      session: context.constants.session ?? null,
      title: title?.text ?? null,
      tasks,
      ignoredColumns: ignoredColumns(match, [...taskColumns, ...personal.indexes]),
    };

    const { fields, issues } = context;
    const c = match.columns;
    const seen = new FirstSeen();
    const taskCount = taskColumns.length;

    const keys: VprFileKeys = { year, subjectName, grade };
    const readPlainLine = plainLineReader({
      keys,
      columns: { ...c, schoolCode: c.schoolCode!, participantCode: c.participantCode!, primaryScore: c.primaryScore!, mark: c.mark! },
      taskColumns,
      taskMaxima: tasks.map((task) => task.maxPoints),
      maxPrimary,
      boundaries,
      seen,
    });

    const absenceColumns = { results: [c.primaryScore, c.mark], tasks: taskColumns, primaryScore: c.primaryScore! };
    const bound: BoundLayout = {
      metadata,
      personalColumns: personal.headers,
      readsLines: true,
      mapRow(row) {
        if (maximaUnknown !== null) throw maximaUnknown;
        if (row instanceof LineRow) {
          const plain = readPlainLine(row);
          if (plain !== null) return plain;
        }
        if (isAbsentRow(row, absenceColumns)) return ABSENT;
        const schoolCode = fields.code(row, c.schoolCode, true);
        const participantCode = fields.participantCode(row, c.participantCode!, schoolCode);
        const taskScores: (number | null)[] = new Array(taskCount);
        let taskSum = 0;
        for (let i = 0; i < taskCount; i++) {
          const score = fields.taskScore(row, taskColumns[i], tasks[i].maxPoints, `за задание ${tasks[i].number}`);
          taskScores[i] = score;
          if (score !== null) taskSum += score;
        }
        const tasksFailed = issues.failed;
        const primaryScore = fields.score(row, c.primaryScore!, maxPrimary, 'за работу', true);
        const mark = fields.mark(row, c.mark);
        const journalMark = fields.mark(row, c.journalMark);

        if (primaryScore !== null && !tasksFailed && primaryScore !== taskSum) {
          issues.cell('SCORE_SUM_MISMATCH', c.primaryScore!, (shown) => `первичный балл «${shown}» не равен сумме баллов за задания (${taskSum})`);
        }
        if (boundaries !== null && primaryScore !== null && mark !== null) {
          const expected = markFor(primaryScore, boundaries);
          if (expected !== mark) issues.cell('MARK_INCONSISTENT_WITH_SCALE', c.mark!, reasons.markInconsistent(primaryScore, expected));
        }
        if (schoolCode !== null && participantCode !== null) {
          const earlier = seen.checkPair(schoolCode, participantCode, row.rowNumber);
          if (earlier !== null) issues.cell('DUPLICATE_PARTICIPANT', c.participantCode!, reasons.duplicateParticipant(earlier), participantCode);
        }
        if (issues.failed || schoolCode === null || participantCode === null || primaryScore === null) return null;

        return vprRecord(
          keys,
          row.rowNumber,
          schoolCode,
          fields.text(row, c.schoolName),
          fields.text(row, c.municipality),
          participantCode,
          fields.text(row, c.classLabel),
          fields.code(row, c.variant),
          taskScores,
          primaryScore,
          mark,
          journalMark,
        );
      },
    };
    return bound;
  },
};

/** Exposed for the mapped layout, which reads "(2б)" from task headers the same way. */
export { parseTaskHeader };
