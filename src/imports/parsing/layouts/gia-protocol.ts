/**
 * ГИА participant protocols from the РЦОИ (ОГЭ / ЕГЭ / ГВЭ):
 * `Код МСУ, Код ОО, Класс, Код ППЭ, Аудитория, Фамилия, Имя, Отчество, [документ…],
 *  Задания с кратким ответом, Задания с развёрнутым ответом, Первичный балл, Балл [, Отметка, Предмет, Год]`.
 *
 * Names and documents are read only into the keyed hash that becomes the participant code; they never
 * reach a record, an issue or the summary (only the number and headers of dropped columns do).
 */
import { ABSENT, isAbsentRow } from '../absence';
import { cellText, cellTextCollapsed } from '../cell-values';
import { FirstSeen } from '../fields';
import { findHeaderRow, headerConfidence, type ColumnSpec } from '../headers';
import { isPersonalHeader } from '../personal-data';
import type { RawRow } from '../raw-row';
import type { ParticipantResultRecord, ProcedureCode, TaskDefinition } from '../records';
import { reasons } from '../row-issues';
import {
  agreeing,
  bindHeader,
  checkFileYear,
  constantProcedure,
  emptyMetadata,
  ignoredColumns,
  personalColumns,
  readAssessmentKeys,
  requireKeySources,
  type FileKeys,
} from './common';
import { parseExtendedAnswers, parseShortAnswers } from './gia-answers';
import type { ImportMetadata, Layout } from './layout';
import { markFor } from '../../../assessments/marks';

type Key =
  | 'municipality'
  | 'schoolCode'
  | 'classLabel'
  | 'examPoint'
  | 'auditorium'
  | 'surname'
  | 'firstName'
  | 'patronymic'
  | 'documentSeries'
  | 'documentNumber'
  | 'document'
  | 'shortAnswers'
  | 'extendedAnswers'
  | 'primaryScore'
  | 'testScore'
  | 'mark'
  | 'subjectName'
  | 'year'
  | 'procedure';

const COLUMNS: readonly ColumnSpec<Key>[] = [
  { key: 'municipality', header: 'Код МСУ', aliases: ['МСУ', 'Код АТЕ', 'Код муниципалитета'], required: false, type: 'code' },
  { key: 'schoolCode', header: 'Код ОО', aliases: ['ОО', 'Код образовательной организации'], required: true, type: 'code' },
  { key: 'classLabel', header: 'Класс', required: false, type: 'text' },
  { key: 'examPoint', header: 'Код ППЭ', aliases: ['ППЭ'], required: false, type: 'code' },
  { key: 'auditorium', header: 'Аудитория', aliases: ['Номер аудитории', 'Ауд.'], required: false, type: 'code' },
  { key: 'surname', header: 'Фамилия', aliases: ['ФИО', 'Фамилия, имя, отчество'], required: true, type: 'text' },
  { key: 'firstName', header: 'Имя', required: false, type: 'text' },
  { key: 'patronymic', header: 'Отчество', required: false, type: 'text' },
  { key: 'documentSeries', header: 'Серия документа', aliases: ['Серия паспорта', 'Серия'], required: false, type: 'code' },
  { key: 'documentNumber', header: 'Номер документа', aliases: ['Номер паспорта'], required: false, type: 'code' },
  { key: 'document', header: 'Документ', aliases: ['Серия и номер документа', 'Документ, удостоверяющий личность', 'Паспорт'], required: false, type: 'code' },
  { key: 'shortAnswers', header: 'Задания с кратким ответом', aliases: ['Краткий ответ', 'Ответы с кратким ответом'], required: true, type: 'text' },
  { key: 'extendedAnswers', header: 'Задания с развёрнутым ответом', aliases: ['Развёрнутый ответ', 'Задания с развернутым ответом'], required: false, type: 'text' },
  { key: 'primaryScore', header: 'Первичный балл', required: true, type: 'integer' },
  { key: 'testScore', header: 'Балл', aliases: ['Тестовый балл', 'Итоговый балл'], required: false, type: 'integer' },
  { key: 'mark', header: 'Отметка', aliases: ['Оценка'], required: false, type: 'mark' },
  { key: 'subjectName', header: 'Предмет', required: false, type: 'text' },
  { key: 'year', header: 'Год', required: false, type: 'year' },
  { key: 'procedure', header: 'Процедура', aliases: ['Вид экзамена', 'Форма ГИА', 'Форма'], required: false, type: 'text' },
];

/** "ОГЭ 2024 Математика", "Протокол ЕГЭ-11 2024. Русский язык". */
const TITLE = /(ОГЭ|ЕГЭ|ГВЭ)(?:[- ]?(?:9|11))?[\s.,:]+(\d{4})[\s.,:;-]+([^\d].*?)\s*$/i;

/** The grade a procedure implies when the protocol has no class column. */
const DEFAULT_GRADE: Partial<Record<ProcedureCode, number>> = { OGE: 9, EGE: 11 };

function findTitle(rows: readonly RawRow[]): { row: RawRow; text: string; procedure: string; year: number; subjectName: string } | null {
  for (const row of rows) {
    for (const cell of row.cells) {
      const text = cellTextCollapsed(cell);
      const match = text === null ? null : TITLE.exec(text);
      if (text !== null && match) return { row, text, procedure: match[1].toUpperCase(), year: Number(match[2]), subjectName: match[3] };
    }
  }
  return null;
}

export const giaProtocolLayout: Layout = {
  name: 'gia-protocol',
  titleRu: 'ГИА: протокол результатов участников (РЦОИ)',

  detect(head) {
    return headerConfidence(findHeaderRow(head, COLUMNS, isPersonalHeader));
  },

  missingColumns(head) {
    return findHeaderRow(head, COLUMNS, isPersonalHeader)?.missingRequired.map((spec) => spec.header) ?? COLUMNS.filter((c) => c.required).map((c) => c.header);
  },

  bind(head, context) {
    const match = bindHeader(head, COLUMNS, context, this.titleRu, isPersonalHeader);
    const c = match.columns;
    const title = findTitle(head.filter((row) => row.rowNumber < match.row.rowNumber));
    const titleProcedure = title === null ? null : title.procedure === 'ОГЭ' ? 'OGE' : title.procedure === 'ЕГЭ' ? 'EGE' : 'GVE';
    const procedure = agreeing<ProcedureCode>(context, 'Процедура', titleProcedure, constantProcedure(context), title?.row ?? null);
    const fileKeys: FileKeys = {
      procedure,
      year: agreeing(context, 'Год', title?.year ?? null, context.constants.year, title?.row ?? null),
      subjectName: agreeing(context, 'Предмет', title?.subjectName ?? null, context.constants.subjectName, title?.row ?? null),
      grade: context.constants.grade ?? (procedure !== null ? DEFAULT_GRADE[procedure] ?? null : null),
    };
    requireKeySources(
      context,
      { procedure: c.procedure, year: c.year, subjectName: c.subjectName },
      fileKeys,
      ['procedure', 'year', 'subjectName'],
      'Укажите процедуру (ОГЭ, ЕГЭ, ГВЭ), год и предмет при загрузке протокола или добавьте столбцы «Процедура», «Год», «Предмет».',
    );
    checkFileYear(context, fileKeys.year, title?.row ?? null);

    const personal = personalColumns(match);
    const hasDocument = c.documentSeries !== undefined || c.documentNumber !== undefined || c.document !== undefined;
    const identityColumns = [c.surname, c.firstName, c.patronymic];
    const documentColumns = [c.documentSeries, c.documentNumber, c.document];
    const { fields, issues, anonymise, scale } = context;
    const boundaries = scale?.markBoundaries ?? null;
    const seen = new FirstSeen();

    // The task structure is fixed by the first row whose answer strings read; later rows must match it.
    let shortCount: number | null = null;
    let extendedMax: number[] = [];
    let taskMax: (number | null)[] = [];

    const metadata: ImportMetadata = {
      ...emptyMetadata('participant-result', match.row.rowNumber),
      procedure,
      year: fileKeys.year,
      subjectName: fileKeys.subjectName,
      grade: fileKeys.grade,
      session: context.constants.session ?? null,
      title: title?.text ?? null,
      ignoredColumns: ignoredColumns(match, personal.indexes),
      anonymisedFrom: hasDocument ? 'names+document' : 'names+school+class',
    };

    function fixTaskStructure(shortScores: number, extended: number[]): void {
      shortCount = shortScores;
      extendedMax = extended;
      const fromScale = scale?.tasks && scale.tasks.length === shortScores + extended.length ? scale.tasks : null;
      const tasks: TaskDefinition[] = [];
      for (let i = 0; i < shortScores; i++) tasks.push({ number: fromScale?.[i].number ?? `К${i + 1}`, level: null, maxPoints: fromScale?.[i].maxPoints ?? null });
      extended.forEach((max, i) => tasks.push({ number: fromScale?.[shortScores + i].number ?? `Р${i + 1}`, level: null, maxPoints: max }));
      taskMax = tasks.map((task) => task.maxPoints);
      metadata.tasks = tasks;
    }

    function cellString(row: RawRow, column: number | undefined): string | null {
      return column === undefined ? null : cellText(row.cells[column] ?? null);
    }

    const absenceColumns = { results: [c.primaryScore, c.testScore, c.mark], tasks: [c.shortAnswers, c.extendedAnswers], primaryScore: c.primaryScore! };
    return {
      metadata,
      personalColumns: personal.headers,
      mapRow(row) {
        if (isAbsentRow(row, absenceColumns)) return ABSENT;
        const keys = readAssessmentKeys(context, row, { procedure: c.procedure, year: c.year, subjectName: c.subjectName, grade: c.classLabel }, fileKeys);
        const schoolCode = fields.code(row, c.schoolCode, true);
        const classLabel = fields.text(row, c.classLabel);

        // Identity: read, hashed, and let go. Only emptiness is reported, never the content.
        const identity = identityColumns.map((column) => cellString(row, column));
        if (identity[0] === null) issues.cell('REQUIRED_VALUE_MISSING', c.surname!, reasons.required, null);
        const participantCode = anonymise(
          hasDocument ? [...identity, ...documentColumns.map((column) => cellString(row, column))] : [...identity, schoolCode, classLabel],
        );

        const shortText = cellString(row, c.shortAnswers) ?? '';
        const shortParsed = parseShortAnswers(shortText);
        const extendedText = cellString(row, c.extendedAnswers) ?? '';
        const extendedParsed = parseExtendedAnswers(extendedText);
        let taskScores: (number | null)[] | null = null;
        if (!shortParsed.ok) {
          issues.cell('ANSWER_STRING_INVALID', c.shortAnswers!, (shown) => `в строке ответов «${shown}» недопустимый символ в позиции ${shortParsed.position}; допустимы «+», «-», цифры, «X»`);
        }
        if (!extendedParsed.ok) {
          issues.cell('ANSWER_STRING_INVALID', c.extendedAnswers!, (shown) => `в строке «${shown}» ожидается «балл(максимум)» для каждого критерия, ошибка в позиции ${extendedParsed.position}`);
        }
        if (shortParsed.ok && extendedParsed.ok) {
          if (shortCount === null) fixTaskStructure(shortParsed.value.scores.length, extendedParsed.value.maxPoints);
          if (shortParsed.value.scores.length !== shortCount) {
            issues.cell('TASK_COUNT_MISMATCH', c.shortAnswers!, (shown) => `в строке ответов «${shown}» ${shortParsed.value.scores.length} заданий, а в протоколе — ${shortCount}`);
          } else if (extendedParsed.value.maxPoints.join() !== extendedMax.join()) {
            issues.cell('TASK_COUNT_MISMATCH', c.extendedAnswers!, (shown) => `критерии «${shown}» не совпадают с первой строкой протокола (максимумы ${extendedMax.join(', ')})`);
          } else {
            taskScores = [...shortParsed.value.scores, ...extendedParsed.value.scores];
            taskScores.forEach((score, i) => {
              const max = taskMax[i];
              if (score !== null && max !== null && score > max) {
                const column = i < shortCount! ? c.shortAnswers! : c.extendedAnswers!;
                issues.cell('SCORE_ABOVE_MAX', column, (shown) => `в «${shown}» за задание ${metadata.tasks![i].number} ${score} б. — больше максимального (${max})`);
              }
            });
          }
        }

        const knownMax = taskMax.length > 0 && taskMax.every((max) => max !== null) ? taskMax.reduce<number>((sum, max) => sum + (max ?? 0), 0) : null;
        const primaryScore = fields.score(row, c.primaryScore!, scale?.maxPrimary ?? knownMax, 'за работу', true);
        const testScore = c.testScore === undefined ? null : fields.score(row, c.testScore, 100, 'по стобалльной шкале', false);
        const mark = fields.mark(row, c.mark);

        if (taskScores !== null && primaryScore !== null && !issues.failed) {
          const sum = taskScores.reduce<number>((total, score) => total + (score ?? 0), 0);
          if (sum !== primaryScore) issues.cell('SCORE_SUM_MISMATCH', c.primaryScore!, (shown) => `первичный балл «${shown}» не равен сумме баллов за задания (${sum})`);
        }
        if (boundaries !== null && primaryScore !== null && mark !== null) {
          const expected = markFor(primaryScore, boundaries);
          if (expected !== mark) issues.cell('MARK_INCONSISTENT_WITH_SCALE', c.mark!, reasons.markInconsistent(primaryScore, expected));
        }
        if (identity[0] !== null) {
          const earlier = seen.check(participantCode, row.rowNumber);
          if (earlier !== null) issues.cell('DUPLICATE_PARTICIPANT', c.surname!, reasons.duplicateParticipant(earlier), participantCode);
        }
        if (issues.failed || keys === null || schoolCode === null || primaryScore === null || taskScores === null) return null;

        const record: ParticipantResultRecord = {
          kind: 'participant-result',
          sourceRow: row.rowNumber,
          ...keys,
          schoolCode,
          schoolName: null,
          municipality: fields.code(row, c.municipality),
          participantCode,
          classLabel,
          variant: null,
          taskScores,
          primaryScore,
          mark,
          journalMark: null,
          testScore,
          examPointCode: fields.code(row, c.examPoint),
          auditorium: fields.code(row, c.auditorium),
        };
        return record;
      },
    };
  },
};
