/**
 * Template `school-context`: contextual data per school and year. Columns the template does not know
 * are kept as extensible attributes, so a region can add its own indicators without a code change.
 */
import { cellTextCollapsed, INVALID, parseDecimal, parseSchoolType, parseSettlement } from '../cell-values';
import { FirstSeen } from '../fields';
import type { ColumnSpec } from '../headers';
import type { SchoolContextRecord } from '../records';
import { readSchoolHints, SCHOOL_HINT_COLUMNS, type SchoolHintKey } from './school-hints';
import { SCHOOL_TYPES_RU, SETTLEMENTS_RU } from './schools';
import { defineTemplateLayout } from './template-layout';

type Key =
  | 'schoolCode'
  | SchoolHintKey
  | 'year'
  | 'schoolType'
  | 'settlement'
  | 'enrolment'
  | 'classes'
  | 'smallSchool'
  | 'inDepthStudy'
  | 'shareDisabled'
  | 'teachers'
  | 'vacancies'
  | 'hasPsychologist'
  | 'hasDefectologist'
  | 'hasSocialPedagogue'
  | 'headTenureYears'
  | 'socialIndex';

const COLUMNS: readonly ColumnSpec<Key>[] = [
  { key: 'schoolCode', header: 'Код ОО', aliases: ['Логин ОО', 'Логин'], required: true, type: 'code', descriptionRu: 'Любой код школы из справочника: логин ФИС ОКО, код РЦОИ или ИНН', example: 'sch661234' },
  ...SCHOOL_HINT_COLUMNS,
  { key: 'year', header: 'Год', aliases: ['Учебный год'], required: true, type: 'year', descriptionRu: 'Год (учебный год «2023/2024» читается как 2024)', example: '2024' },
  { key: 'schoolType', header: 'Тип ОО', required: false, type: 'enum', descriptionRu: `Тип в этом году, если менялся: ${SCHOOL_TYPES_RU.join(', ')}`, example: 'СОШ' },
  { key: 'settlement', header: 'Местность', required: false, type: 'enum', descriptionRu: `${SETTLEMENTS_RU.join(' или ')}`, example: 'сельская' },
  { key: 'enrolment', header: 'Численность обучающихся', aliases: ['Численность учащихся', 'Контингент'], required: false, type: 'integer', descriptionRu: 'Число обучающихся', example: '412' },
  { key: 'classes', header: 'Количество классов', aliases: ['Число классов', 'Классов'], required: false, type: 'integer', descriptionRu: 'Число классов-комплектов', example: '18' },
  { key: 'smallSchool', header: 'Малокомплектная', aliases: ['Малокомплектная школа'], required: false, type: 'yes-no', descriptionRu: 'да / нет', example: 'нет' },
  { key: 'inDepthStudy', header: 'Углублённое изучение', aliases: ['Углублённое изучение предметов', 'УИОП'], required: false, type: 'yes-no', descriptionRu: 'Есть классы с углублённым изучением предметов: да / нет', example: 'да' },
  { key: 'shareDisabled', header: 'Доля обучающихся с ОВЗ, %', aliases: ['Доля ОВЗ, %', 'Доля обучающихся с ОВЗ'], required: false, type: 'percent', descriptionRu: 'Доля обучающихся с ОВЗ, % (0–100, десятичная запятая допустима)', example: '7,5' },
  { key: 'teachers', header: 'Количество педагогов', aliases: ['Педагогов', 'Численность педагогов'], required: false, type: 'integer', descriptionRu: 'Число педагогических работников', example: '31' },
  { key: 'vacancies', header: 'Количество вакансий', aliases: ['Вакансий', 'Вакансии'], required: false, type: 'integer', descriptionRu: 'Незакрытые вакансии педагогов', example: '2' },
  { key: 'hasPsychologist', header: 'Педагог-психолог', aliases: ['Психолог'], required: false, type: 'yes-no', descriptionRu: 'Есть в штате: да / нет', example: 'да' },
  { key: 'hasDefectologist', header: 'Учитель-дефектолог', aliases: ['Дефектолог'], required: false, type: 'yes-no', descriptionRu: 'Есть в штате: да / нет', example: 'нет' },
  { key: 'hasSocialPedagogue', header: 'Социальный педагог', aliases: ['Соцпедагог'], required: false, type: 'yes-no', descriptionRu: 'Есть в штате: да / нет', example: 'да' },
  { key: 'headTenureYears', header: 'Стаж руководителя, лет', aliases: ['Стаж директора, лет', 'Стаж руководителя'], required: false, type: 'decimal', descriptionRu: 'Сколько лет руководитель возглавляет школу', example: '6' },
  { key: 'socialIndex', header: 'Индекс социального благополучия', aliases: ['ИСБШ', 'Социальный индекс'], required: false, type: 'decimal', descriptionRu: 'Индекс социального благополучия школы (ИСБШ), если регион его рассчитывает', example: '0,42' },
];

const NOT_INDICATORS: readonly Key[] = ['schoolCode', ...SCHOOL_HINT_COLUMNS.map((column) => column.key), 'year', 'schoolType', 'settlement'];
const INDICATORS: readonly Key[] = COLUMNS.map((column) => column.key).filter((key) => !NOT_INDICATORS.includes(key));

export const schoolContextLayout = defineTemplateLayout<Key>({
  name: 'school-context',
  titleRu: 'Контекстные данные ОО',
  aboutRu:
    'Одна строка — одна школа за один год. Пустая ячейка означает «нет данных». Любые дополнительные столбцы сохраняются как дополнительные показатели школы под своими заголовками.',
  recordKind: 'school-context',
  columns: COLUMNS,
  signatureColumns: INDICATORS,
  keepsExtraColumns: true,
  createRowMapper(match, { fields, issues }, personalIndexes) {
    const c = match.columns;
    const bound = new Set<number>([...Object.values<number | undefined>(c).filter((i): i is number => i !== undefined), ...personalIndexes]);
    const extraColumns = match.headers.map((header, index) => ({ header, index })).filter(({ header, index }) => header !== '' && !bound.has(index));
    const seen = new FirstSeen();
    return (row) => {
      const schoolCode = fields.code(row, c.schoolCode, true);
      const year = fields.year(row, c.year, true);
      if (schoolCode !== null && year !== null) {
        const earlier = seen.check(`${schoolCode}\u0000${year}`, row.rowNumber);
        if (earlier !== null) issues.row('DUPLICATE_ROW', `данные ОО «${schoolCode}» за ${year} год уже есть в строке ${earlier}`, c.schoolCode!, schoolCode);
      }
      const record: SchoolContextRecord = {
        kind: 'school-context',
        sourceRow: row.rowNumber,
        schoolCode: schoolCode ?? '',
        ...readSchoolHints(fields, row, c),
        year: year ?? 0,
        schoolType: fields.choice(row, c.schoolType, parseSchoolType, SCHOOL_TYPES_RU, false),
        urban: fields.choice(row, c.settlement, parseSettlement, SETTLEMENTS_RU, false),
        enrolment: fields.integer(row, c.enrolment, { min: 0 }),
        classes: fields.integer(row, c.classes, { min: 0 }),
        smallSchool: fields.yesNo(row, c.smallSchool, false),
        inDepthStudy: fields.yesNo(row, c.inDepthStudy, false),
        shareDisabled: fields.percent(row, c.shareDisabled),
        teachers: fields.integer(row, c.teachers, { min: 0 }),
        vacancies: fields.integer(row, c.vacancies, { min: 0 }),
        hasPsychologist: fields.yesNo(row, c.hasPsychologist, false),
        hasDefectologist: fields.yesNo(row, c.hasDefectologist, false),
        hasSocialPedagogue: fields.yesNo(row, c.hasSocialPedagogue, false),
        headTenureYears: fields.decimal(row, c.headTenureYears, { min: 0 }),
        socialIndex: fields.decimal(row, c.socialIndex),
        extraAttributes: {},
      };
      for (const { header, index } of extraColumns) {
        const raw = row.cells[index] ?? null;
        const number = parseDecimal(raw);
        if (number !== null && number !== INVALID) record.extraAttributes[header] = number;
        else {
          const text = cellTextCollapsed(raw);
          if (text !== null) record.extraAttributes[header] = text;
        }
      }
      return issues.failed || schoolCode === null || year === null ? null : record;
    };
  },
});
