/** Template `rechecks`: works re-marked by a commission, original against re-check. */
import { parseCommission, parseProcedure, PROCEDURE_NAMES_RU } from '../cell-values';
import { FirstSeen } from '../fields';
import type { ColumnSpec } from '../headers';
import type { RecheckRecord } from '../records';
import { reasons } from '../row-issues';
import { markFor } from '../../../assessments/marks';
import { readSchoolHints, SCHOOL_HINT_COLUMNS, type SchoolHintKey } from './school-hints';
import { defineTemplateLayout } from './template-layout';

type Key =
  | 'schoolCode'
  | SchoolHintKey
  | 'procedure'
  | 'year'
  | 'subjectName'
  | 'grade'
  | 'participantCode'
  | 'originalScore'
  | 'recheckScore'
  | 'originalMark'
  | 'recheckMark'
  | 'commission';

const PROCEDURES_RU = Object.values(PROCEDURE_NAMES_RU);
const COMMISSIONS_RU = ['школьная', 'муниципальная', 'региональная', 'федеральная'];

const COLUMNS: readonly ColumnSpec<Key>[] = [
  { key: 'schoolCode', header: 'Код ОО', aliases: ['Логин ОО', 'Логин'], required: true, type: 'code', descriptionRu: 'Любой код школы из справочника: логин ФИС ОКО, код РЦОИ или ИНН', example: 'sch661234' },
  ...SCHOOL_HINT_COLUMNS,
  { key: 'procedure', header: 'Процедура', required: true, type: 'enum', descriptionRu: `Одно из: ${PROCEDURES_RU.join(', ')}`, example: 'ВПР' },
  { key: 'year', header: 'Год', required: true, type: 'year', descriptionRu: 'Год проведения', example: '2024' },
  { key: 'subjectName', header: 'Предмет', required: true, type: 'text', descriptionRu: 'Предмет', example: 'Математика' },
  { key: 'grade', header: 'Класс', aliases: ['Параллель'], required: true, type: 'grade', descriptionRu: 'Класс (параллель) 1–11', example: '5' },
  { key: 'participantCode', header: 'Код участника', required: true, type: 'code', descriptionRu: 'Код участника, как в результатах процедуры (не ФИО)', example: '10482' },
  { key: 'originalScore', header: 'Первичный балл (исходный)', aliases: ['Исходный балл', 'Балл до перепроверки'], required: true, type: 'integer', descriptionRu: 'Балл, выставленный школой', example: '14' },
  { key: 'recheckScore', header: 'Первичный балл (перепроверка)', aliases: ['Балл после перепроверки', 'Балл перепроверки'], required: true, type: 'integer', descriptionRu: 'Балл по итогам перепроверки', example: '11' },
  { key: 'originalMark', header: 'Отметка (исходная)', aliases: ['Отметка до перепроверки'], required: false, type: 'mark', descriptionRu: '2–5 или «нет отметки»', example: '4' },
  { key: 'recheckMark', header: 'Отметка (перепроверка)', aliases: ['Отметка после перепроверки'], required: false, type: 'mark', descriptionRu: '2–5 или «нет отметки»', example: '3' },
  { key: 'commission', header: 'Уровень комиссии', aliases: ['Комиссия'], required: true, type: 'enum', descriptionRu: `Одно из: ${COMMISSIONS_RU.join(', ')}`, example: 'муниципальная' },
];

export const rechecksLayout = defineTemplateLayout<Key>({
  name: 'rechecks',
  titleRu: 'Перепроверка работ',
  aboutRu: 'Одна строка — одна перепроверенная работа: исходный балл и отметка и результат комиссии.',
  recordKind: 'recheck',
  columns: COLUMNS,
  createRowMapper(match, { fields, issues, scale }) {
    const c = match.columns;
    const max = scale?.maxPrimary ?? null;
    const boundaries = scale?.markBoundaries ?? null;
    const seen = new FirstSeen();
    const checkMark = (column: number | undefined, score: number | null, mark: number | null): void => {
      if (boundaries === null || column === undefined || score === null || mark === null) return;
      const expected = markFor(score, boundaries);
      if (expected !== mark) issues.cell('MARK_INCONSISTENT_WITH_SCALE', column, reasons.markInconsistent(score, expected));
    };
    return (row) => {
      const schoolCode = fields.code(row, c.schoolCode, true);
      const procedure = fields.choice(row, c.procedure, parseProcedure, PROCEDURES_RU, true);
      const year = fields.year(row, c.year, true);
      const subjectName = fields.requiredText(row, c.subjectName!);
      const grade = fields.grade(row, c.grade, true);
      const participantCode = fields.participantCode(row, c.participantCode!, schoolCode);
      const originalScore = fields.score(row, c.originalScore!, max, 'по шкале', true);
      const recheckScore = fields.score(row, c.recheckScore!, max, 'по шкале', true);
      const originalMark = fields.mark(row, c.originalMark);
      const recheckMark = fields.mark(row, c.recheckMark);
      const commission = fields.choice(row, c.commission, parseCommission, COMMISSIONS_RU, true);
      checkMark(c.originalMark, originalScore, originalMark);
      checkMark(c.recheckMark, recheckScore, recheckMark);
      if (schoolCode !== null && participantCode !== null && procedure !== null && year !== null && subjectName !== null && grade !== null) {
        const key = [schoolCode, participantCode, procedure, year, subjectName.toLowerCase(), grade].join('\u0000');
        const earlier = seen.check(key, row.rowNumber);
        if (earlier !== null) issues.cell('DUPLICATE_PARTICIPANT', c.participantCode!, reasons.duplicateParticipant(earlier), participantCode);
      }
      if (
        issues.failed ||
        schoolCode === null ||
        procedure === null ||
        year === null ||
        subjectName === null ||
        grade === null ||
        participantCode === null ||
        originalScore === null ||
        recheckScore === null ||
        commission === null
      ) {
        return null;
      }
      const record: RecheckRecord = {
        kind: 'recheck',
        sourceRow: row.rowNumber,
        procedure,
        year,
        subjectName,
        grade,
        schoolCode,
        ...readSchoolHints(fields, row, c),
        participantCode,
        originalScore,
        recheckScore,
        originalMark,
        recheckMark,
        commission,
      };
      return record;
    };
  },
});
