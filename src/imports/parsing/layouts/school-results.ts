/**
 * `school-results`: what sources publish per school — open-data portals, regional reports, ФИС ОКО summaries —
 * beyond shares of marks: participants, mean primary or test score, counts (or shares) of marks, counts (or shares) over
 * and under named thresholds (ЕГЭ ≥ 80, 100 points, below the minimum; ≥ 220 over three subjects). A row with a subject
 * is one school × assessment; a row without one is the school's total over the procedure in the year. Both the
 * template and the `mapped` target `school-results` read rows through `schoolResultRowMapper`.
 */
import { decimalsWritten, parseProcedure, PROCEDURE_NAMES_RU } from '../cell-values';
import { FirstSeen } from '../fields';
import type { ColumnSpec } from '../headers';
import type { RawRow } from '../raw-row';
import type { ProcedureCode, SchoolResultRecord } from '../records';
import type { FileKeys } from './common';
import type { LayoutContext } from './layout';
import { readSchoolHints, SCHOOL_HINT_COLUMNS, type SchoolHintKey } from './school-hints';
import { countFromShare, markCountsFromShares } from './shares';
import { defineTemplateLayout } from './template-layout';

export type SchoolResultField =
  | 'schoolCode'
  | 'schoolName'
  | 'municipality'
  | 'procedure'
  | 'year'
  | 'subjectName'
  | 'grade'
  | 'participants'
  | 'meanPrimary'
  | 'meanTestScore'
  | 'mark2'
  | 'mark3'
  | 'mark4'
  | 'mark5'
  | 'belowMinimum'
  | 'countTest80'
  | 'countTest100'
  | 'countSum3_220'
  | 'percentBelowMinimum'
  | 'percentTest80'
  | 'percentTest100'
  | 'percentSum3_220'
  | 'inn'
  | 'ogrn'
  | 'address';

/** Fields a row without a subject (a total over the procedure's subjects) may carry. */
const TOTAL_FIELDS: readonly SchoolResultField[] = ['participants', 'countSum3_220', 'percentSum3_220'];
const MARKS = ['mark2', 'mark3', 'mark4', 'mark5'] as const;
/** Each threshold as a count or as a share of the participants, % (the count when a row gives both). */
const THRESHOLDS = [
  ['belowMinimum', 'percentBelowMinimum'],
  ['countTest80', 'percentTest80'],
  ['countTest100', 'percentTest100'],
  ['countSum3_220', 'percentSum3_220'],
] as const;
type ThresholdField = (typeof THRESHOLDS)[number][0];

/** The procedure's only grade, when it has one: ЕГЭ is taken in grade 11, ОГЭ in grade 9. */
const USUAL_GRADE: Partial<Record<ProcedureCode, number>> = { EGE: 11, OGE: 9 };

const PROCEDURES_RU = Object.values(PROCEDURE_NAMES_RU);

export interface SchoolResultReading {
  columns: Partial<Record<SchoolResultField, number>>;
  fileKeys: FileKeys;
  /** Whether mark2…mark5 hold counts or shares in %. */
  markValues: 'count' | 'percent';
}

/** One reader for the template and the mapped target: every figure optional, checked against the others. */
export function schoolResultRowMapper(context: LayoutContext, reading: SchoolResultReading): (row: RawRow) => SchoolResultRecord | null {
  const { fields, issues } = context;
  const { columns: c, fileKeys, markValues } = reading;
  const seen = new FirstSeen();
  const header = (field: SchoolResultField) => (c[field] === undefined ? null : c[field]!);
  const count = (row: RawRow, field: SchoolResultField) => fields.integer(row, c[field], { min: 0 });

  return (row) => {
    const procedure =
      c.procedure !== undefined ? (fields.choice(row, c.procedure, parseProcedure, PROCEDURES_RU, fileKeys.procedure === null) ?? fileKeys.procedure) : fileKeys.procedure;
    const year = c.year !== undefined ? (fields.year(row, c.year, fileKeys.year === null) ?? fileKeys.year) : fileKeys.year;
    const subjectName = (c.subjectName !== undefined ? fields.text(row, c.subjectName) : null) ?? fileKeys.subjectName;
    const givenGrade = c.grade !== undefined ? (fields.grade(row, c.grade, false) ?? fileKeys.grade) : fileKeys.grade;
    const schoolCode = fields.code(row, c.schoolCode, true);
    const participants = count(row, 'participants');
    const meanPrimary = fields.decimal(row, c.meanPrimary, { min: 0 });
    const meanTestScore = fields.decimal(row, c.meanTestScore, { min: 0, max: 100 });
    const marks = MARKS.map((field) => (markValues === 'count' ? count(row, field) : fields.percent(row, c[field])));
    const thresholdCounts = THRESHOLDS.map(([field]) => count(row, field));
    const thresholdShares = THRESHOLDS.map(([, share]) => fields.percent(row, c[share]));
    if (issues.failed || procedure === null || year === null || schoolCode === null) return null;

    const given: Partial<Record<SchoolResultField, number | null>> = {
      participants, meanPrimary, meanTestScore, mark2: marks[0], mark3: marks[1], mark4: marks[2], mark5: marks[3],
      ...Object.fromEntries(THRESHOLDS.flatMap(([field, share], i) => [[field, thresholdCounts[i]], [share, thresholdShares[i]]])),
    };
    const filled = (Object.keys(given) as SchoolResultField[]).filter((field) => given[field] !== null);
    if (filled.length === 0) {
      issues.row('REQUIRED_VALUE_MISSING', 'в строке нет ни одного показателя (участники, средний балл, отметки, пороги) — нечего загружать', header('schoolCode'), schoolCode);
      return null;
    }
    let grade: number | null = null;
    if (subjectName === null) {
      const extra = filled.filter((field) => !TOTAL_FIELDS.includes(field));
      if (extra.length > 0) {
        issues.row(
          'REQUIRED_VALUE_MISSING',
          'в строке не указан предмет, а показатели по предмету (средний балл, отметки, пороги) есть: укажите предмет, или оставьте в строке без предмета только число участников и «220 баллов и более по трём предметам»',
          c.subjectName ?? header(extra[0]),
          null,
        );
        return null;
      }
    } else {
      grade = givenGrade ?? USUAL_GRADE[procedure] ?? null;
      if (grade === null) {
        if (c.grade !== undefined) issues.cell('REQUIRED_VALUE_MISSING', c.grade, () => `для процедуры «${PROCEDURE_NAMES_RU[procedure]}» нужен класс, а ячейка пустая`);
        else issues.row('REQUIRED_VALUE_MISSING', `для процедуры «${PROCEDURE_NAMES_RU[procedure]}» нужен класс: сопоставьте столбец класса или укажите его при загрузке`);
        return null;
      }
      const sum3 = (['countSum3_220', 'percentSum3_220'] as const).find((field) => given[field] !== null);
      if (sum3 !== undefined) {
        issues.cell('INVALID_VALUE', c[sum3]!, (shown) => `«220 баллов и более по трём предметам» («${shown}») — показатель ОО в целом, а в строке указан предмет «${subjectName}»: дайте его отдельной строкой без предмета`);
        return null;
      }
    }

    // Counts and shares of marks.
    let counts: (number | null)[] = [null, null, null, null];
    if (marks.some((value) => value !== null)) {
      if (marks.some((value) => value === null)) {
        const missing = MARKS.filter((_, i) => marks[i] === null).map((field) => header(field)).find((column) => column !== null);
        if (missing !== undefined && missing !== null) issues.cell('REQUIRED_VALUE_MISSING', missing, () => 'отметки даны не все: заполните «2», «3», «4» и «5» (можно нулями) или оставьте все пустыми');
        else issues.row('REQUIRED_VALUE_MISSING', 'отметки даны не все: нужны «2», «3», «4» и «5»');
        return null;
      }
      const values = marks as number[];
      if (markValues === 'count') {
        const total = values.reduce((sum, value) => sum + value, 0);
        if (participants !== null && total > participants) {
          issues.row('COUNTS_DO_NOT_SUM_TO_PARTICIPANTS', `сумма количеств отметок (${total}) больше числа участников (${participants})`, header('participants'), String(participants));
          return null;
        }
        counts = values;
      } else {
        if (participants === null) {
          issues.row('REQUIRED_VALUE_MISSING', 'доли отметок даны, а число участников нет: без него доли не перевести в количества', header('mark2'), null);
          return null;
        }
        const decimals = Math.max(...MARKS.map((field) => decimalsWritten(row.cells[c[field]!] ?? null)));
        const converted = markCountsFromShares(issues, values, decimals, participants);
        if (converted === null) return null;
        counts = converted;
      }
    }
    const participantsOrMarks = participants ?? (counts[0] === null ? null : (counts as number[]).reduce((sum, value) => sum + value, 0));
    if (subjectName !== null && participantsOrMarks === null) {
      if (c.participants !== undefined) issues.cell('REQUIRED_VALUE_MISSING', c.participants, () => 'для строки по предмету нужно число участников (или количества всех отметок), а ячейка пустая');
      else issues.row('REQUIRED_VALUE_MISSING', 'для строки по предмету нужно число участников: сопоставьте его столбец или дайте количества всех отметок');
      return null;
    }
    // Thresholds given as shares become counts of the participants, as shares of marks do (shares.ts).
    const thresholds = {} as Record<ThresholdField, number | null>;
    for (const [i, [field, share]] of THRESHOLDS.entries()) {
      thresholds[field] = thresholdCounts[i];
      const percent = thresholdShares[i];
      if (thresholds[field] !== null || percent === null) continue;
      if (participantsOrMarks === null) {
        issues.cell('REQUIRED_VALUE_MISSING', c[share]!, () => 'доля дана, а число участников нет: без него долю не перевести в количество');
        return null;
      }
      thresholds[field] = countFromShare(issues, c[share]!, percent, decimalsWritten(row.cells[c[share]!] ?? null), participantsOrMarks);
      if (thresholds[field] === null) return null;
    }
    const { belowMinimum, countTest80, countTest100, countSum3_220 } = thresholds;
    // Threshold counts are parts of the participants, and 100 points are part of «80 and more».
    for (const [i, [field]] of THRESHOLDS.entries()) {
      const value = thresholdCounts[i];
      if (value !== null && participants !== null && value > participants) {
        issues.cell('INVALID_VALUE', c[field]!, (shown) => `число «${shown}» больше числа участников (${participants})`);
      }
    }
    if (countTest80 !== null && countTest100 !== null && countTest100 > countTest80) {
      const column = thresholdCounts[2] !== null ? c.countTest100! : c.percentTest100!;
      issues.cell('INVALID_VALUE', column, (shown) => `стобалльников («${shown}») больше, чем набравших 80 баллов и более (${countTest80})`);
    }
    const earlier = seen.check([procedure, year, (subjectName ?? '').toLowerCase(), grade ?? '', schoolCode].join('\u0000'), row.rowNumber);
    if (earlier !== null) {
      issues.row('DUPLICATE_ROW', `ОО «${schoolCode}» ${subjectName === null ? 'без предмета (итог по ОО)' : 'по этому предмету и классу'} за этот год уже есть в строке ${earlier}`, header('schoolCode'), schoolCode);
    }
    if (issues.failed) return null;
    return {
      kind: 'school-result',
      sourceRow: row.rowNumber,
      schoolCode,
      ...readSchoolHints(fields, row, c),
      municipality: fields.text(row, c.municipality),
      procedure,
      year,
      subjectName,
      grade,
      participants: participantsOrMarks,
      meanPrimary,
      meanTestScore,
      count2: counts[0],
      count3: counts[1],
      count4: counts[2],
      count5: counts[3],
      belowMinimum,
      countTest80,
      countTest100,
      countSum3_220,
    };
  };
}

type TemplateKey = Exclude<SchoolResultField, 'mark2' | 'mark3' | 'mark4' | 'mark5' | 'inn'> | 'count2' | 'count3' | 'count4' | 'count5' | 'share2' | 'share3' | 'share4' | 'share5';

const COLUMNS: readonly ColumnSpec<TemplateKey>[] = [
  { key: 'schoolCode', header: 'Код ОО', aliases: ['Логин', 'Логин ФИС ОКО', 'Код ОО (РЦОИ)', 'ИНН', 'ИНН ОО'], required: true, type: 'code', descriptionRu: 'Любой код ОО из справочника хаба: логин ФИС ОКО, код РЦОИ, ИНН', example: 'sch661234' },
  // «ИНН» is a name of the code column here, so the template takes no separate ИНН (the mapped target may).
  ...(SCHOOL_HINT_COLUMNS.filter((column) => column.key !== 'inn') as ColumnSpec<Exclude<SchoolHintKey, 'inn'>>[]),
  { key: 'municipality', header: 'Муниципалитет', aliases: ['АТЕ', 'Район', 'Административный округ'], required: false, type: 'text', descriptionRu: 'Для людей', example: 'Каменск-Уральский ГО' },
  { key: 'procedure', header: 'Процедура', required: true, type: 'enum', descriptionRu: `Одно из: ${PROCEDURES_RU.join(', ')}`, example: 'ЕГЭ' },
  { key: 'year', header: 'Год', aliases: ['Учебный год'], required: true, type: 'year', descriptionRu: 'Год проведения (или учебный год «2023-2024»)', example: '2024' },
  { key: 'subjectName', header: 'Предмет', required: false, type: 'text', descriptionRu: 'Предмет; пусто — строка-итог по ОО (только участники и «220 баллов и более по трём предметам»)', example: 'Русский язык' },
  { key: 'grade', header: 'Класс', aliases: ['Параллель'], required: false, type: 'grade', descriptionRu: 'Класс; для ЕГЭ по умолчанию 11, для ОГЭ — 9', example: '11' },
  { key: 'participants', header: 'Количество участников', aliases: ['Кол-во участников', 'Участников', 'Число участников', 'Количество выпускников'], required: false, type: 'integer', descriptionRu: 'Число участников (в строке-итоге — выпускников, сдававших процедуру)', example: '54' },
  { key: 'meanPrimary', header: 'Средний первичный балл', required: false, type: 'decimal', descriptionRu: 'Средний первичный балл', example: '17,4' },
  { key: 'meanTestScore', header: 'Средний тестовый балл', aliases: ['Средний балл ЕГЭ', 'Средний балл'], required: false, type: 'decimal', descriptionRu: 'ЕГЭ: средний тестовый балл, 0–100', example: '71,3' },
  { key: 'count2', header: '«2»', aliases: ['Количество «2»'], required: false, type: 'integer', descriptionRu: 'Участников с отметкой «2» (вместе с «3», «4», «5»)', example: '1' },
  { key: 'count3', header: '«3»', aliases: ['Количество «3»'], required: false, type: 'integer', descriptionRu: 'С отметкой «3»', example: '12' },
  { key: 'count4', header: '«4»', aliases: ['Количество «4»'], required: false, type: 'integer', descriptionRu: 'С отметкой «4»', example: '25' },
  { key: 'count5', header: '«5»', aliases: ['Количество «5»'], required: false, type: 'integer', descriptionRu: 'С отметкой «5»', example: '16' },
  { key: 'share2', header: 'Доля «2», %', aliases: ['«2», %'], required: false, type: 'percent', descriptionRu: 'Или доли отметок, % (нужно число участников)', example: '' },
  { key: 'share3', header: 'Доля «3», %', aliases: ['«3», %'], required: false, type: 'percent', descriptionRu: 'Доля «3», %', example: '' },
  { key: 'share4', header: 'Доля «4», %', aliases: ['«4», %'], required: false, type: 'percent', descriptionRu: 'Доля «4», %', example: '' },
  { key: 'share5', header: 'Доля «5», %', aliases: ['«5», %'], required: false, type: 'percent', descriptionRu: 'Доля «5», %', example: '' },
  { key: 'belowMinimum', header: 'Ниже минимального порога', aliases: ['Не преодолели минимальный порог', 'Ниже минимума', 'Не набрали минимального балла'], required: false, type: 'integer', descriptionRu: 'Участников ниже минимального порога (ЕГЭ: тестовый балл ниже минимального; ОГЭ: «2»)', example: '0' },
  { key: 'countTest80', header: '80 баллов и более', aliases: ['Набрали 80 баллов и более', 'От 80 баллов', '80-100 баллов'], required: false, type: 'integer', descriptionRu: 'ЕГЭ: участников с тестовым баллом 80 и выше (стобалльники включены)', example: '9' },
  { key: 'countTest100', header: '100 баллов', aliases: ['Стобалльники', 'Количество стобалльников', 'Набрали 100 баллов'], required: false, type: 'integer', descriptionRu: 'ЕГЭ: участников со 100 баллами', example: '1' },
  { key: 'percentBelowMinimum', header: 'Ниже минимального порога, %', aliases: ['Не преодолели минимальный порог, %', 'Ниже минимума, %'], required: false, type: 'percent', descriptionRu: 'Или доля ниже минимального порога, % (нужно число участников; переводится в количество)', example: '' },
  { key: 'percentTest80', header: '80 баллов и более, %', aliases: ['Доля 80 баллов и более', 'От 80 баллов, %'], required: false, type: 'percent', descriptionRu: 'Или доля набравших 80 баллов и более, %', example: '' },
  { key: 'percentTest100', header: '100 баллов, %', aliases: ['Доля стобалльников', 'Стобалльники, %'], required: false, type: 'percent', descriptionRu: 'Или доля стобалльников, %', example: '' },
  {
    key: 'countSum3_220',
    header: '220 баллов и более по трём предметам',
    aliases: ['Набрали 220 баллов и более по трём предметам', 'Количество выпускников, набравших 220 баллов и более по 3 предметам', '220 и более по 3 предметам'],
    required: false,
    type: 'integer',
    descriptionRu: 'ЕГЭ, строка без предмета: выпускников с суммой 220 и более тестовых баллов по трём предметам',
    example: '',
  },
  { key: 'percentSum3_220', header: '220 баллов и более по трём предметам, %', aliases: ['Доля 220 баллов и более по трём предметам'], required: false, type: 'percent', descriptionRu: 'Или их доля среди выпускников, сдававших процедуру, %', example: '' },
];

export const schoolResultsLayout = defineTemplateLayout<TemplateKey>({
  name: 'school-results',
  titleRu: 'Результаты ОО (агрегаты из открытых данных и отчётов)',
  aboutRu:
    'Одна строка — результаты ОО по процедуре, предмету и классу за год: любые из показателей (участники, средние баллы, отметки количествами или долями, пороги); пустая ячейка — показатель не опубликован. Строка без предмета — итог ОО по процедуре (участники, 220 баллов и более по трём предметам). Строки с предметом читаются по шкале процедуры: пока у процедуры нет шкалы, файл не загружается (SCALE_MISSING) — сначала загрузите шкалу (шаблон «Шкалы перевода»).',
  recordKind: 'school-result',
  columns: COLUMNS,
  signatureColumns: ['meanPrimary', 'meanTestScore', ...THRESHOLDS.flat()],
  createRowMapper(match, context) {
    const c = match.columns;
    const shares = c.share2 !== undefined || c.share3 !== undefined;
    const columns: Partial<Record<SchoolResultField, number>> = {
      schoolCode: c.schoolCode, schoolName: c.schoolName, municipality: c.municipality, procedure: c.procedure, year: c.year, subjectName: c.subjectName,
      grade: c.grade, participants: c.participants, meanPrimary: c.meanPrimary, meanTestScore: c.meanTestScore, belowMinimum: c.belowMinimum,
      countTest80: c.countTest80, countTest100: c.countTest100, countSum3_220: c.countSum3_220, ogrn: c.ogrn, address: c.address,
      percentBelowMinimum: c.percentBelowMinimum, percentTest80: c.percentTest80, percentTest100: c.percentTest100, percentSum3_220: c.percentSum3_220,
      mark2: shares ? c.share2 : c.count2, mark3: shares ? c.share3 : c.count3, mark4: shares ? c.share4 : c.count4, mark5: shares ? c.share5 : c.count5,
    };
    const fileKeys: FileKeys = { procedure: null, year: null, subjectName: null, grade: null };
    return schoolResultRowMapper(context, { columns, fileKeys, markValues: shares ? 'percent' : 'count' });
  },
});
