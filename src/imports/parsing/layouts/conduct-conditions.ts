/** Template `conduct-conditions`: how a procedure was conducted and checked in a school. */
import { parseObservers, parseProcedure, PROCEDURE_NAMES_RU } from '../cell-values';
import { FirstSeen } from '../fields';
import type { ColumnSpec } from '../headers';
import type { ConductConditionsRecord } from '../records';
import { readSchoolHints, SCHOOL_HINT_COLUMNS, type SchoolHintKey } from './school-hints';
import { defineTemplateLayout } from './template-layout';

type Key =
  | 'schoolCode'
  | SchoolHintKey
  | 'year'
  | 'procedure'
  | 'subjectName'
  | 'grade'
  | 'observers'
  | 'videoAtConduct'
  | 'videoAtChecking'
  | 'collegialChecking'
  | 'federalControlSample';

const PROCEDURES_RU = Object.values(PROCEDURE_NAMES_RU);
const OBSERVERS_RU = ['нет', 'общественные', 'независимые', 'да (= общественные)'];

const COLUMNS: readonly ColumnSpec<Key>[] = [
  { key: 'schoolCode', header: 'Код ОО', aliases: ['Логин ОО', 'Логин'], required: true, type: 'code', descriptionRu: 'Любой код школы из справочника: логин ФИС ОКО, код РЦОИ или ИНН', example: 'sch661234' },
  ...SCHOOL_HINT_COLUMNS,
  { key: 'year', header: 'Год', required: true, type: 'year', descriptionRu: 'Год проведения', example: '2024' },
  { key: 'procedure', header: 'Процедура', required: true, type: 'enum', descriptionRu: `Одно из: ${PROCEDURES_RU.join(', ')}`, example: 'ВПР' },
  { key: 'subjectName', header: 'Предмет', required: false, type: 'text', descriptionRu: 'Пусто — для всех предметов процедуры', example: 'Русский язык' },
  { key: 'grade', header: 'Класс', aliases: ['Параллель'], required: false, type: 'grade', descriptionRu: 'Пусто — для всех классов процедуры', example: '4' },
  { key: 'observers', header: 'Наблюдатели', aliases: ['Общественные наблюдатели', 'Наблюдение'], required: true, type: 'enum', descriptionRu: `Одно из: ${OBSERVERS_RU.join(', ')}`, example: 'независимые' },
  { key: 'videoAtConduct', header: 'Видеонаблюдение при проведении', required: true, type: 'yes-no', descriptionRu: 'да / нет', example: 'да' },
  { key: 'videoAtChecking', header: 'Видеонаблюдение при проверке', required: true, type: 'yes-no', descriptionRu: 'да / нет', example: 'нет' },
  { key: 'collegialChecking', header: 'Коллегиальная проверка', aliases: ['Коллегиальная проверка работ'], required: true, type: 'yes-no', descriptionRu: 'Проверка комиссией без учителя класса: да / нет', example: 'да' },
  { key: 'federalControlSample', header: 'Федеральный контроль объективности', aliases: ['Федеральная выборка', 'Контроль объективности'], required: false, type: 'yes-no', descriptionRu: 'ОО в федеральной выборке контроля объективности: да / нет (пусто = нет)', example: 'нет' },
];

export const conductConditionsLayout = defineTemplateLayout<Key>({
  name: 'conduct-conditions',
  titleRu: 'Условия проведения',
  aboutRu:
    'Одна строка — условия проведения процедуры в школе за год; предмет и класс указываются, если условия различались по ним.',
  recordKind: 'conduct-conditions',
  columns: COLUMNS,
  createRowMapper(match, { fields, issues }) {
    const c = match.columns;
    const seen = new FirstSeen();
    return (row) => {
      const schoolCode = fields.code(row, c.schoolCode, true);
      const year = fields.year(row, c.year, true);
      const procedure = fields.choice(row, c.procedure, parseProcedure, PROCEDURES_RU, true);
      const subjectName = fields.text(row, c.subjectName);
      const grade = fields.grade(row, c.grade, false);
      const observers = fields.choice(row, c.observers, parseObservers, OBSERVERS_RU, true);
      const videoAtConduct = fields.yesNo(row, c.videoAtConduct, true);
      const videoAtChecking = fields.yesNo(row, c.videoAtChecking, true);
      const collegialChecking = fields.yesNo(row, c.collegialChecking, true);
      const federalControlSample = fields.yesNo(row, c.federalControlSample, false) ?? false;
      if (schoolCode !== null && year !== null && procedure !== null) {
        const key = [schoolCode, year, procedure, subjectName?.toLowerCase() ?? '', grade ?? ''].join('\u0000');
        const earlier = seen.check(key, row.rowNumber);
        if (earlier !== null) issues.row('DUPLICATE_ROW', `условия для этой ОО, процедуры, предмета и класса уже указаны в строке ${earlier}`, c.schoolCode!, schoolCode);
      }
      if (
        issues.failed ||
        schoolCode === null ||
        year === null ||
        procedure === null ||
        observers === null ||
        videoAtConduct === null ||
        videoAtChecking === null ||
        collegialChecking === null
      ) {
        return null;
      }
      const record: ConductConditionsRecord = {
        kind: 'conduct-conditions',
        sourceRow: row.rowNumber,
        schoolCode,
        ...readSchoolHints(fields, row, c),
        year,
        procedure,
        subjectName,
        grade,
        observers,
        videoAtConduct,
        videoAtChecking,
        collegialChecking,
        federalControlSample,
      };
      return record;
    };
  },
});
