/** Template `schools`: the school directory with every code other sources use for a school. */
import { orUnknown, parseSchoolType, parseSettlement } from '../cell-values';
import { FirstSeen } from '../fields';
import { fileIssue } from '../issues';
import type { ColumnSpec } from '../headers';
import type { SchoolDirectoryRecord } from '../records';
import { defineTemplateLayout } from './template-layout';

type Key =
  | 'regionCode'
  | 'regionName'
  | 'municipalityCode'
  | 'municipalityName'
  | 'name'
  | 'shortName'
  | 'ogrn'
  | 'address'
  | 'fisOkoLogin'
  | 'rcoiCode'
  | 'inn'
  | 'schoolType'
  | 'settlement'
  | 'otherCodes';

export const SCHOOL_TYPES_RU = ['НОШ', 'ООШ', 'СОШ', 'лицей', 'гимназия', 'другое'] as const;
export const SETTLEMENTS_RU = ['городская', 'сельская'] as const;

const COLUMNS: readonly ColumnSpec<Key>[] = [
  { key: 'regionCode', header: 'Код региона', required: true, type: 'code', descriptionRu: 'Код субъекта РФ', example: '66' },
  {
    key: 'regionName',
    header: 'Регион',
    aliases: ['Наименование региона', 'Субъект РФ'],
    required: false,
    type: 'text',
    descriptionRu: 'Наименование субъекта РФ: регион, которого в хабе нет, заводится по коду и наименованию (загрузка администратором)',
    example: 'Свердловская область',
  },
  {
    key: 'municipalityCode',
    header: 'Код муниципалитета',
    aliases: ['Код МСУ', 'Код МО'],
    required: false,
    type: 'code',
    descriptionRu: 'Код муниципалитета (МСУ) в региональной системе; муниципалитет, которого в хабе нет, заводится по коду и наименованию',
    example: '6608',
  },
  {
    key: 'municipalityName',
    header: 'Муниципалитет',
    aliases: ['Муниципальное образование'],
    required: false,
    type: 'text',
    descriptionRu: 'Наименование муниципалитета (нужен код или наименование; для нового муниципалитета — оба)',
    example: 'Каменск-Уральский ГО',
  },
  { key: 'name', header: 'Наименование ОО', aliases: ['Название ОО', 'Полное наименование ОО'], required: true, type: 'text', descriptionRu: 'Полное наименование школы', example: 'МАОУ «Средняя общеобразовательная школа № 1»' },
  { key: 'shortName', header: 'Краткое наименование', aliases: ['Краткое наименование ОО'], required: false, type: 'text', descriptionRu: 'Краткое наименование', example: 'СОШ № 1' },
  { key: 'fisOkoLogin', header: 'Логин ФИС ОКО', aliases: ['Логин'], required: false, type: 'code', descriptionRu: 'Логин ОО в ФИС ОКО (нужен хотя бы один из кодов: логин, код РЦОИ, ИНН)', example: 'sch661234' },
  { key: 'rcoiCode', header: 'Код ОО (РЦОИ)', aliases: ['Код РЦОИ', 'Код ОО РЦОИ', 'Код ОО'], required: false, type: 'code', descriptionRu: 'Код ОО в региональном центре обработки информации', example: '660123' },
  { key: 'inn', header: 'ИНН', required: false, type: 'code', descriptionRu: 'ИНН юридического лица, 10 цифр (проверяется контрольная цифра)', example: '6612001234' },
  { key: 'ogrn', header: 'ОГРН', required: false, type: 'code', descriptionRu: 'ОГРН юридического лица, 13 цифр (для сопоставления ОО в файлах без кодов хаба)', example: '' },
  { key: 'address', header: 'Адрес ОО', aliases: ['Адрес школы'], required: false, type: 'text', descriptionRu: 'Адрес школы (для сопоставления ОО)', example: '' },
  {
    key: 'schoolType',
    header: 'Тип ОО',
    aliases: ['Тип'],
    required: false,
    type: 'enum',
    descriptionRu: `Одно из: ${SCHOOL_TYPES_RU.join(', ')}; «не указано» или пусто — тип неизвестен (у ОО, уже известной хабу, остаётся прежний)`,
    example: 'СОШ',
  },
  {
    key: 'settlement',
    header: 'Местность',
    aliases: ['Городская/сельская'],
    required: false,
    type: 'enum',
    descriptionRu: `Одно из: ${SETTLEMENTS_RU.join(', ')}; «не указано» или пусто — неизвестно (у ОО, уже известной хабу, остаётся прежнее)`,
    example: 'городская',
  },
  { key: 'otherCodes', header: 'Другие коды', aliases: ['Прочие коды'], required: false, type: 'list', descriptionRu: 'Иные коды, под которыми ОО встречается в источниках, через «;» или «,»', example: 'КУ-001; 17' },
];

/** Control digit of a legal entity's ИНН (10 digits). */
function isValidInn(inn: string): boolean {
  if (!/^\d{10}$/.test(inn)) return false;
  const weights = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  const sum = weights.reduce((total, weight, i) => total + weight * Number(inn[i]), 0);
  return (sum % 11) % 10 === Number(inn[9]);
}

export const schoolsLayout = defineTemplateLayout<Key>({
  name: 'schools',
  titleRu: 'Справочник ОО',
  aboutRu:
    'Одна строка — одна школа. Коды (логин ФИС ОКО, код РЦОИ, ИНН, другие коды) хаб запоминает как псевдонимы, по которым затем узнаёт школу в любых файлах; нужен хотя бы один из них.',
  recordKind: 'school',
  columns: COLUMNS,
  signatureColumns: ['schoolType', 'settlement', 'shortName', 'regionName', 'inn', 'ogrn', 'address'],
  createRowMapper(match, { fields, issues, fileName }) {
    const c = match.columns;
    if (c.municipalityCode === undefined && c.municipalityName === undefined) {
      throw fileIssue(fileName, 'MISSING_COLUMN', 'В справочнике ОО нет ни столбца «Код муниципалитета», ни столбца «Муниципалитет»: нужен хотя бы один из них.', {
        sheet: match.row.sheet,
        row: match.row.rowNumber,
        column: 'Код муниципалитета, Муниципалитет',
      });
    }
    const logins = new FirstSeen();
    const rcoiCodes = new FirstSeen();
    return (row) => {
      const regionCode = fields.code(row, c.regionCode, true);
      const municipalityCode = fields.code(row, c.municipalityCode);
      const municipalityName = fields.text(row, c.municipalityName);
      if (municipalityCode === null && municipalityName === null) {
        issues.cell('REQUIRED_VALUE_MISSING', (c.municipalityName ?? c.municipalityCode)!, () => 'не указан муниципалитет: нужен его код или наименование');
      }
      const name = fields.requiredText(row, c.name!);
      const fisOkoLogin = fields.code(row, c.fisOkoLogin);
      const rcoiCode = fields.code(row, c.rcoiCode);
      const inn = fields.code(row, c.inn);
      const schoolType = fields.choice(row, c.schoolType, orUnknown(parseSchoolType), [...SCHOOL_TYPES_RU, 'не указано'], false);
      const urban = fields.choice(row, c.settlement, orUnknown(parseSettlement), [...SETTLEMENTS_RU, 'не указано'], false);

      if (inn !== null && !isValidInn(inn)) {
        issues.cell('INVALID_INN', c.inn!, (shown) => `ИНН «${shown}» неверен: нужно 10 цифр с правильной контрольной цифрой`);
      }
      const ogrn = fields.code(row, c.ogrn);
      if (ogrn !== null && !/^\d{13}$/.test(ogrn)) issues.cell('INVALID_VALUE', c.ogrn!, (shown) => `ОГРН «${shown}» неверен: нужно 13 цифр`);
      if (fisOkoLogin === null && rcoiCode === null && inn === null) {
        issues.row('SCHOOL_CODE_MISSING', 'нет ни логина ФИС ОКО, ни кода РЦОИ, ни ИНН — по такой строке школу не найти в других файлах');
      }
      const earlierLogin = fisOkoLogin === null ? null : logins.check(fisOkoLogin.toLowerCase(), row.rowNumber);
      if (earlierLogin !== null) issues.cell('DUPLICATE_ROW', c.fisOkoLogin!, (shown) => `логин «${shown}» уже указан в строке ${earlierLogin}`);
      const earlierRcoi = rcoiCode === null ? null : rcoiCodes.check(rcoiCode, row.rowNumber);
      if (earlierRcoi !== null) issues.cell('DUPLICATE_ROW', c.rcoiCode!, (shown) => `код РЦОИ «${shown}» уже указан в строке ${earlierRcoi}`);

      if (issues.failed || regionCode === null || (municipalityName === null && municipalityCode === null) || name === null) return null;
      const otherCodes = (fields.text(row, c.otherCodes) ?? '')
        .split(/[;,]/)
        .map((code) => code.trim())
        .filter((code) => code !== '');
      const record: SchoolDirectoryRecord = {
        kind: 'school',
        sourceRow: row.rowNumber,
        regionCode,
        regionName: fields.text(row, c.regionName),
        municipalityCode,
        municipalityName,
        name,
        shortName: fields.text(row, c.shortName),
        fisOkoLogin,
        rcoiCode,
        inn,
        ogrn,
        address: fields.text(row, c.address),
        schoolType,
        urban,
        otherCodes,
      };
      return record;
    };
  },
});
